/**
 * Real bills through the built binary: the bill's class B prepay, outpatient
 * care and its yearly deductible ceiling across a batch, and the coverage map
 * (`rules coverage`). Amounts are the shipped rules', worked out by hand.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { bin } from "../helpers.js";

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
    expect(out[2]!.ledger).toEqual({ fundPaid: 8500, admissions: 1, deductiblePaid: 1100, outpatient: { fundPaid: 900, deductiblePaid: 300 }, chronic: { fundPaid: 0, deductiblePaid: 0 } });
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
