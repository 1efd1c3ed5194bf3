/**
 * `reimburse rules …` end to end (in-process): output, formats and exit
 * codes, on the shipped rules, on the broken fixtures, and on temporary
 * copies of rules/ changed the way a person would.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ruleJsonSchemaText } from "../../src/rules/jsonschema.js";
import { bin, cli, ROOT } from "../helpers.js";

const RULES = join(ROOT, "rules");
const FIXTURES = join(ROOT, "test", "fixtures", "rules-broken");
const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A copy of rules/ with `old` replaced by `now` in one file (which must contain it once). */
function brokenCopy(file: string, old: string, now: string): { dir: string; path: string; text: string } {
  const dir = mkdtempSync(join(tmpdir(), "reimburse-rules-"));
  temps.push(dir);
  cpSync(RULES, dir, { recursive: true });
  const path = join(dir, file);
  const before = readFileSync(path, "utf8");
  expect(before.split(old)).toHaveLength(2);
  const text = before.replace(old, now);
  writeFileSync(path, text);
  return { dir, path, text };
}
/** A file in a fresh temporary directory (not in a rules directory, where it would be read as rules). */
function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "reimburse-claims-"));
  temps.push(dir);
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}
/** 1-based line and column of the first `needle` in `text`. */
function where(text: string, needle: string): [number, number] {
  const at = text.indexOf(needle);
  const lines = text.slice(0, at).split("\n");
  return [lines.length, lines[lines.length - 1]!.length + 1];
}

describe("rules check", () => {
  it("passes the shipped rules (exit 0) and ends with the summary line", async () => {
    const r = await cli(["rules", "check", "--as-of", "2026-11-22"]);
    expect(r.code).toBe(0);
    const last = r.stdout.trimEnd().split("\n").pop()!;
    expect(last).toMatch(/^13 files, 0 errors, \d+ warnings; (\d+) dated values by confidence: (\d+) official, (\d+) secondary, (\d+) unverified$/);
    const [, values, o, s, u] = /(\d+) dated values by confidence: (\d+) official, (\d+) secondary, (\d+) unverified/.exec(last)!.map(Number);
    expect(o! + s! + u!).toBe(values);
  });

  it("exits 1 on an error, with file:line:col severity code message", async () => {
    const r = await cli(["rules", "check", join(FIXTURES, "reduction-cap"), "--as-of", "2026-11-22"]);
    expect([r.code, r.stderr]).toEqual([1, ""]);
    const file = relative(process.cwd(), join(FIXTURES, "reduction-cap", "hunan.yaml")).split("\\").join("/");
    expect(r.stdout).toContain(`${file}:23:60 error reduction-cap policy.reductions.unfiled.values.2024-01-01.value: 湖南省 (430000) reduces unfiled by 25 points, above the national cap of 20 points`);
    expect(r.stdout.trimEnd().split("\n").pop()).toBe("2 files, 1 error, 0 warnings; 14 dated values by confidence: 14 official, 0 secondary, 0 unverified");
  });

  it("exits 0 on warnings, and 1 with --strict", async () => {
    const dir = join(FIXTURES, "ratio-order");
    expect((await cli(["rules", "check", dir, "--as-of", "2026-11-22"])).code).toBe(0);
    expect((await cli(["rules", "check", dir, "--as-of", "2026-11-22", "--strict"])).code).toBe(1);
  });

  it("finds a national-cap breach a person makes in a copy of rules/: 黄冈 unfiled −25 points", async () => {
    const { dir, text } = brokenCopy(join("hubei", "huanggang.yaml"), "value: {points: 0.20}\n          source: huanggang-crossprov", "value: {points: 0.25}\n          source: huanggang-crossprov");
    const r = await cli(["rules", "check", dir, "--as-of", "2026-11-22"]);
    expect(r.code).toBe(1);
    const [line, col] = where(text, "{points: 0.25}");
    expect(r.stdout).toContain(`huanggang.yaml:${line}:${col} error reduction-cap`);
    expect(r.stdout).toContain("reduces unfiled by 25 points, above the national cap of 20 points");
  });

  it("finds a ratio written as a percentage in a copy of rules/, with the fix as a hint", async () => {
    const { dir, text } = brokenCopy(join("hubei", "wuhan.yaml"), '"2": 0.89', '"2": 89');
    const r = await cli(["rules", "check", dir, "--as-of", "2026-11-22", "--format", "json"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    const [line, col] = where(text, "89,");
    expect(out.diagnostics.filter((d: { severity: string }) => d.severity === "error")).toEqual([
      expect.objectContaining({ code: "fraction-as-percent", line, col, hint: "did you mean 0.89?", path: "policy.employee.inpatient.ratio.values.2024-01-05.value.2" }),
    ]);
    expect(out.schemaVersion).toBe(1);
    expect(out.summary.errors).toBe(1);
  });

  it("writes GitHub annotations with --format github", async () => {
    const r = await cli(["rules", "check", join(FIXTURES, "reduction-cap"), "--as-of", "2026-11-22", "-f", "github"]);
    expect(r.code).toBe(1);
    const [first] = r.stdout.split("\n");
    expect(first).toMatch(/^::error file=.*reduction-cap\/hunan\.yaml,line=23,col=60,title=reduction-cap::policy\.reductions\.unfiled\.values\.2024-01-01\.value: 湖南省 \(430000\) reduces unfiled by 25 points/);
  });

  it("exits 2 on usage errors: a missing directory, a bad date, an unknown format", async () => {
    const missing = await cli(["rules", "check", "no/such/dir"]);
    expect([missing.code, missing.stderr]).toEqual([2, "error: rules directory not found: no/such/dir\n"]);
    expect((await cli(["rules", "check", "--as-of", "2026-02-30"])).code).toBe(2);
    expect((await cli(["rules", "check", "--format", "xml"])).code).toBe(2);
  });
});

describe("rules test", () => {
  it("runs the shipped cases: all pass, exit 0", async () => {
    const r = await cli(["rules", "test", "--no-color"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split("\n").pop()).toMatch(/^(\d+) cases in 2 files: \1 passed, 0 failed$/);
    expect(r.stdout).toContain("  ✓ zone — 常德 employee in 宜昌, unfiled, gets the local 8,500 of 11,100");
  });

  it("filters cases by name (-n), case-insensitively", async () => {
    const r = await cli(["rules", "test", "-n", "ZONE — "]);
    // "zone — 常德 employee in 宜昌 …" (Hunan) and "zone — 宜昌 resident in 常德 …" (Hubei).
    expect(r.stdout.trimEnd().split("\n").pop()).toMatch(/^2 cases in 2 files: 2 passed, 0 failed, \d+ filtered out$/);
    expect((await cli(["rules", "test", "-n", "no such case"])).code).toBe(2);
  });

  it("fails (exit 1) with expected against actual when a figure changes under the cases", async () => {
    // Hunan's level-3 employee ratio 85% → 80%: the zone case now pays (11,100 − 1,100) × 80% = 8,000.
    const { dir } = brokenCopy(join("hunan", "province.yaml"), '"3": 0.85', '"3": 0.80');
    const r = await cli(["rules", "test", dir, "-n", "zone — 常德"]);
    expect([r.code, r.stderr]).toEqual([1, ""]);
    expect(r.stdout).toMatch(/✗ zone — 常德 employee in 宜昌, unfiled, gets the local 8,500 of 11,100 \(.*hunan\.test\.yaml:\d+\)/);
    expect(r.stdout).toContain("      ratio    expected 85%  actual 80%");
    expect(r.stdout).toContain("      payable  expected 8,500.00  actual 8,000.00");
    expect(r.stdout.trimEnd().split("\n").pop()).toMatch(/^1 case in 2 files: 0 passed, 1 failed, \d+ filtered out$/);
  });

  it("writes JUnit XML and JSON for CI", async () => {
    const { dir } = brokenCopy(join("hunan", "province.yaml"), '"3": 0.85', '"3": 0.80');
    const x = await cli(["rules", "test", dir, "-n", "zone — 常德", "--format", "junit"]);
    expect(x.code).toBe(1);
    expect(x.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="reimburse rules test" tests="1" failures="1" errors="0">/);
    expect(x.stdout).toContain('<failure message="payable: expected 8,500.00, actual 8,000.00; ratio: expected 85%, actual 80%">');
    // JSON gives the mismatches as numbers, through the binary: (11,100 − 1,100) × 80% = 8,000 against 8,500.
    const failed = JSON.parse(bin(["rules", "test", dir, "-n", "zone — 常德", "--format", "json"]).stdout);
    expect(failed.cases[0].mismatches).toEqual([
      { field: "payable", expected: 8500, actual: 8000 },
      { field: "ratio", expected: 0.85, actual: 0.8 },
    ]);
    const j = JSON.parse((await cli(["rules", "test", "--format", "json"])).stdout);
    expect(j.summary.failed).toBe(0);
    expect(j.summary.passed).toBe(j.cases.length);
    expect(j.cases.find((c: { name: string }) => c.name.startsWith("referral as prepay"))).toMatchObject({ status: "pass", payable: 5772, route: "referral", mismatches: [] });
  });

  it("reports an unreadable test file, located, and exits 1", async () => {
    const { dir } = brokenCopy(join("hubei", "hubei.test.yaml"), "expect: {route: local, deductible: 800", "expect: {route: lokal, deductible: 800");
    const r = await cli(["rules", "test", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/hubei\.test\.yaml:16:19 error invalid-value \[0\]\.expect\.route: must be one of: local, /);
    expect(r.stdout.trimEnd().split("\n").pop()).toMatch(/^\d+ cases in 2 files: \d+ passed, 0 failed, 1 file not readable$/);
  });
});

describe("rules show", () => {
  it("shows 武汉's figures with their origin, place, source and confidence (JSON)", async () => {
    const r = await cli(["rules", "show", "--region", "武汉", "--date", "2025-03-09", "--format", "json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.region).toEqual({ code: "420100", name: "武汉市", level: "prefecture" });
    const fig = (name: string) => out.figures.find((f: { figure: string }) => f.figure === name);
    expect(fig("employee.inpatient.deductible")).toMatchObject({
      value: { community: 200, "1": 400, "2": 600, "3": 800 },
      origin: "region",
      layer: "420100",
      rule: expect.stringMatching(/^rules\/hubei\/wuhan\.yaml:\d+:\d+$/),
      source: "wuhan-employee",
      confidence: "unverified",
    });
    expect(fig("reductions.referral")).toMatchObject({ value: { prepay: 0.1 }, origin: "province", layer: "420000", rule: expect.stringMatching(/^rules\/hubei\/province\.yaml:/) });
    expect(fig("chronicLists")).toMatchObject({ value: ["national-5", "national-plus-5"], from: "2025-01-01", confidence: "official" });
    expect(out.reductionCaps.map((c: { route: string; value: number }) => [c.route, c.value])).toEqual([["referral", 0.1], ["emergency", 0.1], ["temporary", 0.2], ["unfiled", 0.2]]);
  });

  it("shows a county through its pooling region, the province's defaults and the zone", async () => {
    const r = await cli(["rules", "show", "--region", "430702", "--date", "2025-03-09", "--scheme", "employee", "--format", "json"]);
    const out = JSON.parse(r.stdout);
    expect(out.policyOf).toEqual({ code: "430700", name: "常德市" });
    expect(out.figures.every((f: { figure: string }) => !f.figure.startsWith("resident."))).toBe(true);
    expect(out.figures.find((f: { figure: string }) => f.figure === "employee.inpatient.ratio")).toMatchObject({
      value: { community: 0.93, "1": 0.92, "2": 0.9, "3": 0.85, provincial: 0.8 },
      origin: "province",
    });
    expect(out.zones).toMatchObject([{ id: "yichang-changde", partner: { code: "420500", name: "宜昌市" }, from: "2024-07-01" }]);
  });

  it("marks a figure not yet in force on the date", async () => {
    const out = JSON.parse((await cli(["rules", "show", "--region", "常德市", "--date", "2024-03-01", "-f", "json"])).stdout);
    expect(out.figures.find((f: { figure: string }) => f.figure === "reductions.referral")).toMatchObject({ status: "not yet", value: null, from: "2024-06-01" });
  });

  it("lists the figures a claim may need that no layer has: 衡阳 has no outpatient figures and Hunan no class B prepay", async () => {
    const out = JSON.parse((await cli(["rules", "show", "--region", "430400", "--date", "2025-03-09", "--scheme", "resident", "-f", "json"])).stdout);
    const missing = out.figures.filter((f: { status: string }) => f.status === "missing");
    expect(missing).toEqual([
      { figure: "resident.outpatient.deductible", unit: "yuan", status: "missing" },
      { figure: "resident.outpatient.ratio", unit: "fraction", status: "missing" },
      { figure: "resident.outpatient.annualCap", unit: "yuan", status: "missing" },
      { figure: "catalogue.classBPrepay", unit: "fraction", status: "missing" },
    ]);
    const table = (await cli(["rules", "show", "--region", "430400", "--date", "2025-03-09", "--scheme", "resident"], { env: { COLUMNS: "200" } })).stdout;
    expect(table).toMatch(/│ catalogue\.classBPrepay +│ — missing: a claim that needs it is a rule gap +│/);
    // 武汉 has its class B prepay: not listed as missing there.
    const wuhan = JSON.parse((await cli(["rules", "show", "--region", "420100", "--date", "2025-03-09", "-f", "json"])).stdout);
    expect(wuhan.figures.find((f: { figure: string }) => f.figure === "catalogue.classBPrepay").status).toBe("in force");
  });

  it("prints a table with file:line", async () => {
    const r = await cli(["rules", "show", "--region", "420100", "--date", "2025-03-09", "--scheme", "employee"], { env: { COLUMNS: "200" } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/│ employee\.inpatient\.ratio +│ community: 92% · 1: 92% · 2: 89% · 3: 86% +│ 2024-01-05 武汉市 override +│ rules\/hubei\/wuhan\.yaml:\d+ wuhan-employee \(unverified\) +│/);
  });

  it("refuses an unknown region with a did-you-mean (exit 2)", async () => {
    const r = await cli(["rules", "show", "--region", "武汗市"]);
    expect([r.code, r.stderr]).toEqual([2, 'error: unknown region "武汉市"'.replace("武汉市", "武汗市") + ": not in the region table (did you mean 武汉市?)\n"]);
  });
});

describe("rules schema", () => {
  it("prints the JSON Schema, draft-07, equal to the committed rules/schema.json", async () => {
    const r = await cli(["rules", "schema"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(ruleJsonSchemaText());
    expect(readFileSync(join(RULES, "schema.json"), "utf8")).toBe(r.stdout); // regenerate: reimburse rules schema > rules/schema.json
    const s = JSON.parse(r.stdout);
    expect(s.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(s.additionalProperties).toBe(false);
    expect(Object.keys(s.properties)).toEqual(["region", "source", "sources", "regions", "levels", "groups", "values", "diseases", "chronicLists", "reductionCaps", "zones", "policy", "catalogue"]);
  });

  it("is named by the modeline on the first line of every shipped rule file", () => {
    const files: string[] = [];
    const walk = (d: string) => readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(join(d, e.name)) : /(?<!\.test)\.yaml$/.test(e.name) && files.push(join(d, e.name))));
    walk(RULES);
    expect(files).toHaveLength(13);
    for (const f of files) {
      const first = readFileSync(f, "utf8").split("\n")[0]!;
      const rel = relative(join(f, ".."), join(RULES, "schema.json")).split("\\").join("/");
      expect(first, f).toBe(`# yaml-language-server: $schema=${rel.startsWith(".") ? rel : `./${rel}`}`);
    }
  });
});

describe("rules diff", () => {
  // Three claims: a Hunan referral, a Hunan zone stay, a Hubei referral.
  const claims = [
    { id: "hn-referral", date: "2025-03-09", insured: { region: "430700", scheme: "employee" }, treatment: { region: "420100", level: 3, kind: "inpatient" }, filing: "referral", costs: { classA: 11100 } },
    { id: "hn-zone", date: "2025-03-09", insured: { region: "430700", scheme: "employee" }, treatment: { region: "420500", level: 3, kind: "inpatient" }, filing: "none", costs: { classA: 11100 } },
    { id: "hb-referral", date: "2025-03-09", insured: { region: "420100", scheme: "employee" }, treatment: { region: "430100", level: 3, kind: "inpatient" }, filing: "referral", costs: { classA: 10800 } },
  ];
  // Hunan's referral reduction 5 → 8 points: 常德 referral (11,100 − 1,100) × (85% − 8) = 10,000 × 77% = 7,700, was 8,000.
  // The zone stay (8,500) and the Hubei referral (prepay 1,080; (10,800 − 1,080 − 800) × 86% = 7,671.20) do not change.
  // Totals: 8,000 + 8,500 + 7,671.20 = 24,171.20 before; 7,700 + 8,500 + 7,671.20 = 23,871.20 after.
  const changed = () => brokenCopy(join("hunan", "province.yaml"), "          value: {points: 0.05}\n", "          value: {points: 0.08}\n");

  it("lists the one figure changed, with its region, date and old → new (JSON)", async () => {
    const { dir } = changed();
    const r = await cli(["rules", "diff", RULES, dir, "--format", "json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.changes).toEqual([
      { change: "changed", scope: "430000", figure: "reductions.referral", from: "2024-06-01", old: { points: 0.05 }, new: { points: 0.08 }, rule: expect.stringMatching(/province\.yaml:\d+:\d+$/) },
    ]);
    expect(out.rules.before).not.toBe(out.rules.after);
  });

  it("settles sample claims under both: 1 of 3 changes, 24,171.20 → 23,871.20", async () => {
    const { dir } = changed();
    const file = tempFile("claims.yaml", JSON.stringify(claims)); // a JSON list is YAML too
    const out = JSON.parse((await cli(["rules", "diff", RULES, dir, "--claims", file, "-f", "json"])).stdout);
    expect(out.claims).toEqual({
      count: 3, invalid: 0, changed: 1, settledUnderBoth: 3, payableBefore: 24171.2, payableAfter: 23871.2, delta: -300, nowFailing: 0, nowSettling: 0, failingUnderBoth: 0,
      largest: [{ id: "hn-referral", before: { payable: 8000, route: "referral" }, after: { payable: 7700, route: "referral" }, delta: -300 }],
    });
  });

  it("reads JSON Lines claims and prints a readable report", async () => {
    const { dir } = changed();
    const file = tempFile("claims.jsonl", claims.map((c) => JSON.stringify(c)).join("\n") + "\n");
    const r = await cli(["rules", "diff", RULES, dir, "--claims", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/│ 湖南省 \(430000\) │ reductions\.referral │ 2024-06-01 │ +│ −5 points → −8 points │ .*province\.yaml:\d+ +│/);
    expect(r.stdout).toContain("Claims: 1 of 3 change; payable 24,171.20 → 23,871.20 (−300.00) over the 3 settled under both");
    expect(r.stdout).toMatch(/│ hn-referral │ 8,000\.00 \(referral\) │ 7,700\.00 \(referral\) │ −300\.00 │/);
  });

  it("reads a CSV sample as batch does, and skips an invalid claim with a located warning (exit 0)", async () => {
    const { dir } = changed();
    const csv = [
      "id,date,insured.region,insured.scheme,treatment.region,treatment.level,treatment.kind,filing,costs.classA",
      ...claims.map((c) => [c.id, c.date, c.insured.region, c.insured.scheme, c.treatment.region, c.treatment.level, c.treatment.kind, c.filing, c.costs.classA].join(",")),
      "bad,2025-03-09,430700,employe,420100,3,inpatient,referral,100",
      "nowhere,2025-03-09,439999,employee,420100,3,inpatient,referral,100", // an unknown region: refused under both
    ].join("\n");
    const r = await cli(["rules", "diff", RULES, dir, "--claims", tempFile("claims.csv", csv + "\n")]);
    expect(r.code).toBe(0);
    // The three valid claims give the same 24,171.20 → 23,871.20 as the YAML list.
    expect(r.stdout).toContain("Claims: 1 of 4 change; payable 24,171.20 → 23,871.20 (−300.00) over the 3 settled under both; 1 settle under neither; 1 invalid claim skipped (listed on stderr)");
    expect(r.stderr).toMatch(/claims\.csv:5:1 warning invalid-claim insured\.scheme: skipped: unknown scheme "employe"/);
  });

  it("says so when nothing changed", async () => {
    const r = await cli(["rules", "diff", RULES, RULES]);
    expect([r.code, r.stdout]).toEqual([0, "No figure changes.\n"]);
  });

  it("locates an invalid claim in the sample (exit 4)", async () => {
    const { dir } = changed();
    const file = tempFile("claims.yaml", "- date: 2025-03-09\n  insured: {region: \"430700\", scheme: employe}\n  treatment: {region: \"420100\", level: 3, kind: inpatient}\n  costs: {classA: 100}\n");
    const r = await cli(["rules", "diff", RULES, dir, "--claims", file]);
    expect(r.code).toBe(4);
    // Located in the file; the path is the claim's own field, as calc says it of a claim of a list.
    expect(r.stderr).toMatch(/claims\.yaml:2:39 error invalid-value insured\.scheme: unknown scheme "employe"; one of: employee, resident \(did you mean employee\?\)\n$/);
  });
});
