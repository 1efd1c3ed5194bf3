/**
 * Real bills through the built binary: the bill's class B prepay, outpatient
 * care and its yearly deductible ceiling across a batch, and the coverage map
 * (`rules coverage`). Amounts are the shipped rules', worked out by hand.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { bin, ROOT } from "../helpers.js";

function file(name: string, text: string): string {
  const f = join(mkdtempSync(join(tmpdir(), "reimburse-bills-")), name);
  writeFileSync(f, text);
  return f;
}
const json = (out: string) => JSON.parse(out) as Record<string, any>;

describe("calc with the bill's class B prepay", () => {
  it("a 武汉 employee living in 长沙: (24,500 − 800) × 86% = 20,382.00; the person pays 5,618.00", () => {
    const f = file(
      "bill.yaml",
      "date: 2025-06-01\ninsured: {region: 武汉, scheme: employee}\ntreatment: {region: 长沙, level: 三级, kind: inpatient}\nfiling: long-term\ncosts: {classA: 20000, classB: 5000, prepay: 500, excluded: 1000}\n",
    );
    const r = bin(["calc", f, "--format", "json", "--quiet"]);
    expect(r.code).toBe(0);
    const s = json(r.stdout);
    expect([s.breakdown.inPolicy, s.breakdown.prepay, s.breakdown.deductible, s.payable, s.personal]).toEqual([24500, 500, 800, 20382, 5618]);
    const t = bin(["calc", f, "--quiet"]);
    expect(t.stdout).toContain("Fund pays: 20,382.00 yuan");
  });
  it("without it, exit 3 and the hint gives both ways forward", () => {
    const f = file("bill.yaml", "date: 2025-06-01\ninsured: {region: 武汉, scheme: employee}\ntreatment: {region: 长沙, level: 3, kind: inpatient}\nfiling: long-term\ncosts: {classA: 20000, classB: 5000}\n");
    const r = bin(["calc", f]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("or give the 乙类先行自付 printed on the bill: costs.prepay, or items with prepay on each class B line");
  });
});

describe("outpatient claims of a year", () => {
  const rec = (id: string, date: string, level: string, classA: number) =>
    JSON.stringify({ id, date, insured: { id: "P1", region: "430700", scheme: "employee" }, treatment: { region: "420100", level, kind: "outpatient" }, filing: "long-term", costs: { classA } });
  it("a 常德 employee in 武汉: (1,300 − 300) × 60% = 600; the next claim's deductible stops at the 300 total", () => {
    // June: level 3, deductible 300. July: level 2, deductible 200, but 300 − 300 paid leaves 0: 500 × 60% = 300.
    // August: inpatient level 3 (11,100): its own account, deductible 1,100, (11,100 − 1,100) × 85% = 8,500.
    const inpatient = JSON.stringify({ id: "i1", date: "2025-08-01", insured: { id: "P1", region: "430700", scheme: "employee" }, treatment: { region: "420100", level: "3", kind: "inpatient" }, filing: "long-term", costs: { classA: 11100 } });
    const f = file("year.jsonl", [rec("o1", "2025-06-01", "3", 1300), rec("o2", "2025-07-01", "2", 500), inpatient].join("\n") + "\n");
    const r = bin(["batch", f, "--quiet"]);
    expect(r.code).toBe(0);
    const out = r.stdout.trim().split("\n").map(json);
    expect(out.map((o) => [o.id, o.breakdown.deductible, o.payable])).toEqual([
      ["o1", 300, 600],
      ["o2", 0, 300],
      ["i1", 1100, 8500],
    ]);
    // The inpatient stay's base for 大病保险, 11,100 − 8,500 = 2,600, accumulates (Hunan employees have no 大病 figures: nothing paid).
    expect(out[2]!.ledger).toEqual({ fundPaid: 8500, admissions: 1, deductiblePaid: 1100, outpatient: { fundPaid: 900, deductiblePaid: 300 }, chronic: { fundPaid: 0, deductiblePaid: 0 }, criticalIllness: { base: 2600, paid: 0 } });
  });
  it("CSV input carries the accounts: history.outpatient.deductiblePaid 300 leaves no deductible", () => {
    const f = file("year.csv", "date,insured.region,insured.scheme,treatment.region,treatment.level,treatment.kind,filing,costs.classA,history.outpatient.deductiblePaid\n2025-06-01,430700,employee,420100,3,outpatient,long-term,1300,300\n");
    const r = bin(["batch", f, "--format", "csv", "--quiet"]);
    expect(r.code).toBe(0);
    const [row] = parse(r.stdout, { columns: true }) as Record<string, string>[];
    // 1,300 × 60% = 780.
    expect([row!.deductible, row!.payable]).toEqual(["0", "780"]);
  });
});

describe("rules coverage", () => {
  it("JSON lists every combination with settles and missing; 黄石 has no figures and is told which file to create", () => {
    const r = bin(["rules", "coverage", "--date", "2025-09-01", "-f", "json"]);
    expect(r.code).toBe(0);
    const c = json(r.stdout);
    // 31 pooling regions × 2 schemes × 3 kinds × 5 levels.
    expect(c.totals.combinations).toBe(930);
    const at = (region: string, scheme: string, kind: string, level: string) => c.combinations.find((x: any) => x.region === region && x.scheme === scheme && x.kind === kind && x.level === level);
    const huangshi = at("420200", "employee", "inpatient", "3");
    expect(huangshi.settles).toBe(false);
    expect(huangshi.routes.local.missing[0]).toEqual({ figure: "employee.inpatient.deductible", what: "employee inpatient deductible (起付线)", file: "rules/hubei/huangshi.yaml", create: true });
    expect(huangshi.routes.zone).toBeNull();
    // 常德 employees at level 3: every route settles in 2025-09, the zone with 宜昌 included.
    const changde = at("430700", "employee", "inpatient", "3");
    expect(changde.settles).toBe(true);
    expect(changde.routes.zone).toEqual({ settles: true, missing: [] });
    // 常德 employee outpatient at provincial level: the tables lack the level; they are named at file:line.
    expect(at("430700", "employee", "outpatient", "provincial").routes.local.missing.map((m: any) => m.file)).toEqual(["rules/hunan/province.yaml:48", "rules/hunan/province.yaml:52"]);
    expect(c.totals.settle).toBe(c.combinations.filter((x: any) => x.settles).length);
  });
  it("text ends with the totals and shows 黄石 as missing; csv has a row per combination and route", () => {
    const t = bin(["rules", "coverage", "--date", "2025-09-01"]).stdout;
    expect(t).toContain("黄石市 (420200)  — as a treatment place: no class B share (a bill's costs.prepay settles without it)\n  nothing settles: no figures of its own (create rules/hubei/huangshi.yaml)\n");
    expect(t.trim().split("\n").at(-1)).toMatch(/^\d+ of 930 combinations settle on every route; [\d,]+ of [\d,]+ combination-routes settle$/);
    const rows = parse(bin(["rules", "coverage", "--date", "2025-09-01", "-f", "csv"]).stdout, { columns: true }) as Record<string, string>[];
    const j = json(bin(["rules", "coverage", "--date", "2025-09-01", "-f", "json"]).stdout);
    expect(rows.length).toBe(j.totals.routes);
    expect(rows.filter((x) => x.settles === "true").length).toBe(j.totals.routesSettle);
  });
  it("a bad --date is a usage error", () => {
    const r = bin(["rules", "coverage", "--date", "2025-13-01"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: --date is not a calendar date: 2025-13-01\n");
  });
});

describe("大病保险 through the binary", () => {
  const stay = (id: string, date: string, classA: number) =>
    JSON.stringify({ id, date, insured: { id: "R1", region: "430700", scheme: "resident" }, treatment: { region: "420100", level: "3", kind: "inpatient" }, filing: "long-term", costs: { classA } });
  it("calc --format json (schemaVersion 3): criticalIllness with its bands; payable + 大病 + personal = total", () => {
    const f = file("stay.json", stay("s1", "2025-12-01", 200000));
    const s = json(bin(["calc", f, "--format", "json", "--quiet"]).stdout);
    expect(s.schemaVersion).toBe(3);
    // (200,000 − 1,200) × 65% = 129,220; base 70,780; 30,000 × 60% + 24,780 × 65% = 34,107.
    expect(s.criticalIllness).toEqual({
      base: 70780,
      yearBase: 70780,
      threshold: 16000,
      bands: [
        { from: 0, to: 30000, rate: 0.6, base: 30000, amount: 18000 },
        { from: 30000, to: 80000, rate: 0.65, base: 24780, amount: 16107 },
      ],
      payable: 34107,
      overCap: 0,
    });
    expect(s.payable + s.criticalIllness.payable + s.personal).toBe(s.breakdown.total);
    const t = bin(["calc", f, "--quiet", "--lang", "en"]).stdout;
    expect(t).toContain("Fund pays: 129,220.00 yuan; 大病保险 pays: 34,107.00 yuan");
  });
  it("batch: two stays of one person in a year meet the threshold once", () => {
    // December 1st: as above, 大病 34,107 (year base 70,780). December 15th: level 3, 20,000, the year's 2nd
    // admission: deductible 600, fund (20,000 − 600) × 65% = 12,610, base 7,390, all at 65%: 4,803.50.
    const f = file("year.jsonl", [stay("s1", "2025-12-01", 200000), stay("s2", "2025-12-15", 20000)].join("\n") + "\n");
    const out = bin(["batch", f, "--quiet"]).stdout.trim().split("\n").map(json);
    expect(out.map((o) => [o.id, o.payable, o.criticalIllness.payable, o.criticalIllness.yearBase])).toEqual([
      ["s1", 129220, 34107, 70780],
      ["s2", 12610, 4803.5, 78170],
    ]);
    expect(out[1]!.ledger.criticalIllness).toEqual({ base: 78170, paid: 38910.5 });
  });
});

describe("rules diff --claims and 大病保险", () => {
  it("a change to a 大病 band changes the claim although the basic fund does not", () => {
    const dir = mkdtempSync(join(tmpdir(), "reimburse-bills-rules-"));
    cpSync(join(ROOT, "rules"), dir, { recursive: true });
    const p = join(dir, "hunan", "province.yaml");
    writeFileSync(p, readFileSync(p, "utf8").replace("- {from: 0, to: 30000, rate: 0.60}", "- {from: 0, to: 30000, rate: 0.70}"));
    const claims = file("claims.jsonl", JSON.stringify({ id: "r1", date: "2025-12-01", insured: { region: "430700", scheme: "resident" }, treatment: { region: "420100", level: "3", kind: "inpatient" }, filing: "long-term", costs: { classA: 200000 } }) + "\n");
    const out = json(bin(["rules", "diff", join(ROOT, "rules"), dir, "--claims", claims, "-f", "json"]).stdout);
    // Basic fund 129,220 either way; 大病 30,000 × 60% + 24,780 × 65% = 34,107 before, 30,000 × 70% + 16,107 = 37,107 after.
    expect(out.claims.changed).toBe(1);
    expect(out.claims.largest).toEqual([
      { id: "r1", before: { payable: 129220, route: "long-term", criticalIllness: 34107 }, after: { payable: 129220, route: "long-term", criticalIllness: 37107 }, delta: 0 },
    ]);
  });
});
