import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { parse as parseYamlText } from "yaml";
import { describe, expect, it } from "vitest";
import { BATCH_CSV_COLUMNS } from "../../src/batch/write.js";
import { bin, cli } from "../helpers.js";

const JSONL = "examples/batch/claims-2025.jsonl";
const CSV = "examples/batch/claims-2025.csv";

type Rec = Record<string, any>;
const lines = (s: string): Rec[] => s.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Rec);
const byLine = (rs: Rec[]): Map<number, Rec> => new Map(rs.map((r) => [r.line as number, r]));
const tmp = (): string => mkdtempSync(join(tmpdir(), "reimburse-batch-"));

/** 常德 employee (Hunan: level 3 deductible 1,100, ratio 85%, cap 150,000, 2nd admission 50%, ceiling 2,000) treated in 宜昌 level 3: the zone route, no reduction. */
const capClaim = (id: string, date: string, extra: Rec = {}): string =>
  JSON.stringify({
    id,
    date,
    insured: { id: "P-CAP", region: "430700", scheme: "employee" },
    treatment: { region: "420500", level: 3, kind: "inpatient" },
    filing: "none",
    costs: { classA: 11100 },
    ...extra,
  });

describe("reimburse batch: annual accumulation per person", () => {
  // Written out of order on purpose: the March claim (line 1) comes before the February one (line 2).
  const input = [
    capClaim("march", "2025-03-01"),
    capClaim("february", "2025-02-01", { history: { fundPaid: 140000 } }),
    capClaim("next-year", "2026-01-10"),
    "",
  ].join("\n");

  it("the second claim of a person hits the cap left by the first", async () => {
    const r = await cli(["batch", "-", "-q"], { stdin: input });
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    // Settled in date order: February (line 2), March (line 1), then 2026 (line 3).
    expect(out.map((o) => [o.line, o.id])).toEqual([
      [2, "february"],
      [1, "march"],
      [3, "next-year"],
    ]);
    const [feb, mar, next] = out as [Rec, Rec, Rec];
    // February: 140,000 already paid this year (history). (11,100 − 1,100) × 85% = 8,500;
    // 150,000 − 140,000 = 10,000 left, so all of it: fund 8,500.
    expect(feb.payable).toBe(8500);
    // The 大病保险 base accumulates too (11,100 − 8,500 = 2,600), though 常德 employees have no 大病 figures to pay it with.
    expect(feb.ledger).toEqual({ fundPaid: 148500, admissions: 1, deductiblePaid: 1100, outpatient: { fundPaid: 0, deductiblePaid: 0 }, chronic: { fundPaid: 0, deductiblePaid: 0 }, criticalIllness: { base: 2600, paid: 0 } });
    // March: 2nd admission, deductible 1,100 × 50% = 550 (ceiling 2,000 − 1,100 = 900 left, not reached);
    // (11,100 − 550) × 85% = 8,967.50 before the cap; 150,000 − 148,500 = 1,500 left:
    // fund 1,500, over the cap 8,967.50 − 1,500 = 7,467.50; personal 11,100 − 1,500 = 9,600.
    expect(mar.breakdown.deductible).toBe(550);
    expect(mar.breakdown.fundBeforeCap).toBe(8967.5);
    expect(mar.payable).toBe(1500);
    expect(mar.breakdown.overCap).toBe(7467.5);
    expect(mar.personal).toBe(9600);
    // 大病 base: 2,600 + (11,100 − 1,500 = 9,600) = 12,200.
    expect(mar.ledger).toEqual({ fundPaid: 150000, admissions: 2, deductiblePaid: 1650, outpatient: { fundPaid: 0, deductiblePaid: 0 }, chronic: { fundPaid: 0, deductiblePaid: 0 }, criticalIllness: { base: 12200, paid: 0 } });
    // 2026 is a new calendar year: a fresh ledger, (11,100 − 1,100) × 85% = 8,500.
    expect(next.payable).toBe(8500);
    expect(next.ledger).toEqual({ fundPaid: 8500, admissions: 1, deductiblePaid: 1100, outpatient: { fundPaid: 0, deductiblePaid: 0 }, chronic: { fundPaid: 0, deductiblePaid: 0 }, criticalIllness: { base: 2600, paid: 0 } });
    // Summary: 8,500 + 1,500 + 8,500 = 18,500 payable.
    expect(r.stderr).toBe("batch: 3 records: 3 settled, 0 failed; total payable 18,500.00 yuan\n");
  });

  it("--sorted settles as read: the same figures when the input is in date order", async () => {
    const sorted = [capClaim("february", "2025-02-01", { history: { fundPaid: 140000 } }), capClaim("march", "2025-03-01")].join("\n");
    const r = await cli(["batch", "-", "--sorted", "-q"], { stdin: sorted });
    expect(r.code).toBe(0);
    expect(lines(r.stdout).map((o) => [o.line, o.payable])).toEqual([
      [1, 8500],
      [2, 1500],
    ]);
  });

  it("--sorted refuses a claim dated before an earlier one of the same person and year (exit 4), and goes on", async () => {
    const r = await cli(["batch", "-", "--sorted"], { stdin: input });
    expect(r.code).toBe(4);
    const out = lines(r.stdout);
    // Line 1 (March) is read first and settled on its own history: (11,100 − 1,100) × 85% = 8,500.
    // Line 2 (February) comes after it: refused. Line 3 is 2026, a new year: 8,500.
    expect(out.map((o) => [o.line, o.error ?? o.payable])).toEqual([
      [1, 8500],
      [2, "order"],
      [3, 8500],
    ]);
    expect(out[1]!.problems[0]).toMatchObject({ path: "date" });
    expect(r.stderr).toMatch(/^<stdin>:2: order: date: 2025-02-01 comes after a claim of 2025-03-01 of the same person \(insured\.id P-CAP\) and year/m);
  });

  it("a later claim's own history raises the ledger, never lowers it", async () => {
    const input2 = [
      capClaim("a", "2025-02-01"), // fund 8,500 → ledger 8,500 / 1 / 1,100
      capClaim("b", "2025-03-01", { history: { fundPaid: 145000, admissions: 0, deductiblePaid: 0 } }),
    ].join("\n");
    const r = await cli(["batch", "-", "-q"], { stdin: input2 });
    const [, b] = lines(r.stdout) as [Rec, Rec];
    // b: fundPaid max(8,500, 145,000) = 145,000; admissions max(1, 0) = 1 → deductible 550;
    // (11,100 − 550) × 85% = 8,967.50, 5,000 left under the cap → 5,000.
    expect(b.payable).toBe(5000);
    expect(b.breakdown.deductible).toBe(550);
  });

  it("a claim without insured.id is settled on its own history", async () => {
    const noId = (id: string) => JSON.stringify({ ...JSON.parse(capClaim(id, "2025-02-01")), insured: { region: "430700", scheme: "employee" } });
    const r = await cli(["batch", "-", "-q"], { stdin: `${noId("x")}\n${noId("y")}\n` });
    expect(lines(r.stdout).map((o) => o.payable)).toEqual([8500, 8500]);
  });
});

describe("reimburse batch on the examples", () => {
  it("JSON Lines: settles the good records, reports the bad ones with their lines (exit 4)", async () => {
    const r = await cli(["batch", JSONL]);
    expect(r.code).toBe(4);
    const out = byLine(lines(r.stdout));
    expect(out.size).toBe(10); // 11 lines, line 8 blank
    // c-001, line 1: HN-0001's second admission of 2025 (c-003 on 2025-01-14 came first):
    // zone, deductible 1,100 × 50% = 550, (11,100 − 550) × 85% = 8,967.50.
    expect(out.get(1)).toMatchObject({ id: "c-001", route: "zone", payable: 8967.5 });
    // c-003, line 3: referral, (8,600 − 1,100) × (85% − 5 points) = 6,000.
    expect(out.get(3)).toMatchObject({ id: "c-003", route: "referral", payable: 6000 });
    expect(out.get(6)).toMatchObject({ id: "c-006", error: "invalid", problems: [{ path: "costs.classA", message: expect.stringMatching(/has 3 decimals/) }] });
    expect(out.get(10)).toMatchObject({ id: "c-009", error: "rejected", problems: [{ path: "insured.region" }] });
    expect(r.stderr).toContain(`${JSONL}:6: invalid: costs.classA: has 3 decimals`);
    expect(r.stderr).toContain(`${JSONL}:10: rejected: insured.region: unknown region "439999"`);
    expect(r.stderr).toMatch(/batch: 10 records: 8 settled, 2 failed \(1 invalid, 1 rejected\); total payable [\d,.]+ yuan\n$/);
  });

  it("CSV in, CSV out: the shared flat columns, then line and error", async () => {
    const r = await cli(["batch", CSV, "--format", "csv", "-q"]);
    expect(r.code).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Rec[];
    expect(Object.keys(rows[0]!)).toEqual([...BATCH_CSV_COLUMNS]);
    const at = new Map(rows.map((x) => [x.line, x]));
    // c-109 (line 10): 148,000 paid this year; referral, 2nd admission: deductible 550,
    // (40,000 − 550) × 80% = 31,560 before the cap, 2,000 left → 2,000.
    expect(at.get("10")).toMatchObject({ id: "c-109", payable: "2000", overCap: "29560" });
    // c-110 (line 11): the cap is used up: 0. Deductible 550 would pass the ceiling: 2,000 − 1,650 = 350.
    expect(at.get("11")).toMatchObject({ id: "c-110", payable: "0", deductible: "350" });
    // c-106 (line 7): "9,800.00" as Excel writes it; 衡阳 resident, temporary in 荆州 at level 2:
    // (9,800 − 600) × (75% − 10 points) = 9,200 × 65% = 5,980.
    expect(at.get("7")).toMatchObject({ id: "c-106", payable: "5980", ratio: "0.65", error: "" });
    // c-105: "TRUE" is read as true for treatment.emergency: emergency route.
    expect(at.get("6")).toMatchObject({ id: "c-105", route: "emergency" });
  });

  it("--sorted writes in input order, a CSV record with the wrong number of cells included", async () => {
    // The parser reports a bad record as soon as it reads it; the good ones before it must still come first.
    const [head, ...rows] = readFileSync(CSV, "utf8").trimEnd().split("\n");
    const file = join(mkdtempSync(join(tmpdir(), "reimburse-csv-order-")), "claims.csv");
    writeFileSync(file, [head, ...rows.slice(0, 3), "c-bad,2025-01-01,x", ...rows.slice(3, 5)].join("\n") + "\n");
    for (const format of ["jsonl", "csv"]) {
      const r = await cli(["batch", file, "--sorted", "-f", format, "-q"]);
      const got = format === "csv" ? (parse(r.stdout, { columns: true }) as Rec[]).map((x) => Number(x.line)) : lines(r.stdout).map((x) => x.line);
      expect(got).toEqual([2, 3, 4, 5, 6, 7]);
    }
  });

  it("reads a file by its content whatever its name (CSV named .txt, JSON Lines named .csv); forced to the wrong format, says so once, first", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reimburse-format-"));
    const [txt, csv] = [join(dir, "claims.txt"), join(dir, "claims.csv")];
    writeFileSync(txt, readFileSync(CSV));
    writeFileSync(csv, readFileSync(JSONL));
    // The same 10 claims either way: all 10 of the CSV settle (c-106's "9,800.00" is read as Excel writes it),
    // 8 of the JSON Lines (c-006, c-010 fail).
    const a = await cli(["batch", txt, "-q"]);
    expect([a.code, lines(a.stdout).filter((x) => x.payable !== undefined).length]).toEqual([0, 10]);
    expect(a.stderr).not.toMatch(/hint:/);
    const b = await cli(["batch", csv, "-q"]);
    expect([b.code, lines(b.stdout).filter((x) => x.payable !== undefined).length]).toEqual([4, 8]);
    expect(b.stderr).not.toMatch(/hint:/);
    const c = await cli(["batch", txt, "--input-format", "jsonl", "-q"]);
    expect(c.stderr).toMatch(/^hint: .*claims\.txt reads as CSV by its content, but --input-format jsonl reads it as JSON Lines\n/);
    expect(lines(c.stdout).filter((x) => x.payable !== undefined).length).toBe(0);
  });

  it("CSV and JSON Lines of the same claims give the same settlements", async () => {
    const a = lines((await cli(["batch", JSONL, "-q"])).stdout);
    const b = parse((await cli(["batch", CSV, "-f", "csv", "-q"])).stdout, { columns: true }) as Rec[];
    const pay = (id: string) => a.find((x) => x.id === id.replace("c-1", "c-0"))?.payable;
    // c-101/c-001, c-103/c-003 and c-107/c-007 are the same claims in both files.
    for (const id of ["c-101", "c-103", "c-107"]) expect(Number(b.find((x) => x.id === id)!.payable)).toBe(pay(id));
  });

  it("gives, for every example claim, exactly the JSON of calc --format json (plus line)", async () => {
    const files = readdirSync("examples").filter((f) => f.endsWith(".yaml"));
    expect(files.length).toBeGreaterThanOrEqual(4);
    const jsonl = files.map((f) => JSON.stringify(parseYamlText(readFileSync(join("examples", f), "utf8")))).join("\n");
    const r = await cli(["batch", "-", "-q"], { stdin: jsonl });
    expect(r.code).toBe(0);
    const out = byLine(lines(r.stdout));
    for (const [i, f] of files.entries()) {
      const c = await cli(["calc", join("examples", f), "--format", "json", "-q"]);
      const { line, ...rest } = out.get(i + 1)!;
      expect(line).toBe(i + 1);
      expect(JSON.stringify(rest)).toBe(JSON.stringify(JSON.parse(c.stdout)));
    }
  });
});

describe("reimburse batch: exit codes and output file", () => {
  const good = capClaim("g", "2025-02-01");
  it("0 when every record settles", async () => {
    const r = await cli(["batch", "-", "-q"], { stdin: good + "\n" });
    expect(r.code).toBe(0);
  });
  it("3 when records fail only for want of a rule figure (a rule gap), 4 when any record is bad", async () => {
    // Class B treated in 黄石: no 乙类先行自付 share shipped for it.
    const gap = capClaim("gap", "2025-02-01", { treatment: { region: "420200", level: 3, kind: "inpatient" }, costs: { classA: 100, classB: 100 } });
    expect((await cli(["batch", "-", "-q"], { stdin: `${good}\n${gap}\n` })).code).toBe(3);
    expect((await cli(["batch", "-", "-q"], { stdin: `${gap}\nnot json\n` })).code).toBe(4);
  });
  it("a line that is not JSON is an error record at its line; the rest settle", async () => {
    const r = await cli(["batch", "-"], { stdin: `${good}\n{"id": oops}\n\n${good}\n` });
    expect(r.code).toBe(4);
    const out = lines(r.stdout);
    expect(out.map((o) => [o.line, o.error ?? "ok"])).toEqual([
      [2, "invalid"],
      [1, "ok"],
      [4, "ok"],
    ]);
    expect(r.stderr).toMatch(/^<stdin>:2: invalid: not valid JSON: /m);
  });
  it("the built binary streams standard input (-), and calc - still reads it whole", () => {
    const r = bin(["batch", "-", "-q"], { stdin: `${good}\n${good}\n` });
    expect(r.code).toBe(0);
    // The same person twice: the second is the year's 2nd admission, deductible 1,100 × 50% = 550,
    // (11,100 − 550) × 85% = 8,967.50.
    expect(lines(r.stdout).map((o) => o.payable)).toEqual([8500, 8967.5]);
    const c = bin(["calc", "-", "--format", "json", "-q"], { stdin: good });
    expect(JSON.parse(c.stdout).payable).toBe(8500);
  });
  it("a missing input file is a usage error (2)", async () => {
    expect((await cli(["batch", "no/such/file.jsonl"])).code).toBe(2);
  });
  it("an unknown CSV column is refused before any record, with a did-you-mean (exit 4)", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "c.csv"), "date,insured.region,insured.scheme,treatment.region,treatment.level,treatment.kind,costs.clasA\n");
    const r = await cli(["batch", join(dir, "c.csv")]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('unknown column "costs.clasA" (did you mean costs.classA?)');
  });
  it("--output writes the file whole and leaves no temporary file", async () => {
    const dir = tmp();
    const r = await cli(["batch", JSONL, "-o", join(dir, "out.jsonl"), "-q"]);
    expect(r.code).toBe(4); // the bad records are in the file, as error records
    expect(r.stdout).toBe("");
    expect(readdirSync(dir)).toEqual(["out.jsonl"]);
    expect(lines(readFileSync(join(dir, "out.jsonl"), "utf8"))).toHaveLength(10);
  });
  it("--output: a run that fails (invalid rules) leaves no file at all, nor a temporary one", async () => {
    const dir = tmp();
    const r = await cli(["batch", JSONL, "-o", join(dir, "out.jsonl"), "--rules", "examples"]);
    expect(r.code).toBe(3);
    expect(readdirSync(dir)).toEqual([]);
  });
  it("--output: interrupted (SIGINT) → exit 130, the temporary file removed, how far it got on stderr", async () => {
    const dir = tmp();
    const input = join(dir, "in.jsonl");
    writeFileSync(input, Array.from({ length: 8000 }, (_, i) => capClaim(`c${i}`, "2025-02-01", { insured: { id: `p${i}`, region: "430700", scheme: "employee" } })).join("\n"));
    const target = join(dir, "out.jsonl");
    const running = cli(["batch", input, "-o", target, "--sorted"]);
    setTimeout(() => process.emit("SIGINT"), 30);
    const r = await running;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/^interrupted: interrupted after [\d,]+ records \(input line \d+\); [\d,]+ settled; .*out\.jsonl not written\n$/);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir)).toEqual(["in.jsonl"]);
  });
});
