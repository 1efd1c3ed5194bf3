import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bin, cli } from "../helpers.js";

const ZONE = "examples/zone-changde-yichang.yaml";

describe("reimburse calc: table", () => {
  it("ends with the payable amount and has no colour when not a terminal", async () => {
    const r = await cli(["calc", ZONE, "--lang", "en"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("Fund pays: 8,500.00 yuan");
    expect(r.stdout).not.toMatch(/\u001b\[/);
    expect(r.stderr).toBe("");
  });
  it("speaks Chinese with --lang zh or LANG=zh_CN.UTF-8", async () => {
    expect((await cli(["calc", ZONE, "--lang", "zh"])).stdout).toMatch(/统筹基金支付: 8,500.00 元\n$/);
    expect((await cli(["calc", ZONE], { env: { LANG: "zh_CN.UTF-8" } })).stdout).toMatch(/统筹基金支付: 8,500.00 元\n$/);
  });
  it("colours only when asked (FORCE_COLOR) and never with NO_COLOR", async () => {
    expect((await cli(["calc", ZONE], { env: { FORCE_COLOR: "1" } })).stdout).toMatch(/\u001b\[/);
    expect((await cli(["calc", ZONE], { env: { FORCE_COLOR: "1", NO_COLOR: "1" } })).stdout).not.toMatch(/\u001b\[/);
  });
  it("--explain lists every step with its rule location and source", async () => {
    const r = await cli(["calc", ZONE, "--explain", "--lang", "en"], { env: { COLUMNS: "200" } }); // wide enough to keep each step on one line
    expect(r.stdout).toMatch(/Deductible \(起付线\): deductible at level 3: 1,100.00/);
    expect(r.stdout).toMatch(/rules\/hunan\/province\.yaml:\d+/);
    expect(r.stdout).toMatch(/bkwk-yichang \(unverified\)/);
  });
  it.each([
    ["examples/zone-changde-yichang.yaml", "8,500.00"],
    ["examples/referral-changde-wuhan.yaml", "8,000.00"],
    ["examples/unfiled-changde-wuhan.yaml", "7,500.00"],
    // items: A 4,800; B 1,250.50 + 312.25 less 10% per line (125.05 + 31.23); Hunan chronic: no deductible, 80%;
    // (4,800 + 1,125.45 + 281.02) × 80% = 6,206.47 × 0.8 = 4,965.176 → 4,965.18
    ["examples/chronic-dialysis-changde-wuhan.yaml", "4,965.18"],
  ])("settles %s: fund pays %s", async (file, payable) => {
    const r = await cli(["calc", file, "--lang", "en"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Fund pays: ${payable} yuan`);
  });
});

describe("reimburse calc --format json", () => {
  it("prints the documented object", async () => {
    const r = await cli(["calc", ZONE, "--format", "json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      schemaVersion: 3,
      id: "seed-zone",
      date: "2025-03-09",
      payable: 8500,
      personal: 2600,
      route: "zone",
      breakdown: { total: 11100, excluded: 0, prepay: 0, inPolicy: 11100, deductible: 1100, ratio: 0.85, reduction: { mechanism: "none", rate: 0, amount: 0 }, overCap: 0 },
      rules: { date: "2025-03-09" },
    });
    expect(j.rules.version).toMatch(/^[0-9a-f]{16}$/);
    expect(j).not.toHaveProperty("steps"); // only with --explain
    const x = await cli(["calc", ZONE, "--format", "json", "--explain"]);
    expect(JSON.parse(x.stdout)).toEqual({ ...j, steps: expect.any(Array) }); // the same object, and the steps
    const ded = JSON.parse(x.stdout).steps.find((s: { id: string }) => s.id === "deductible");
    expect(ded).toMatchObject({ amount: 1100, source: "hn-employee-measures" });
    expect(ded.rule).toMatch(/^rules\/hunan\/province\.yaml:\d+:\d+$/);
    expect(j.warnings).toEqual([
      { code: "critical-illness-missing", message: "the rules have no employee 大病保险 (critical illness) threshold (起付标准), bands (分段支付比例), annual cap (最高支付限额) for 常德市: what the person pays is before any 大病保险 payment" },
      { code: "unverified-figure", message: "depends on 1 unverified figure(s): zones.yichang-changde (bkwk-yichang)" },
    ]);
  });
  it("keeps money exact to the fen: the E1 fixture pays 48.89", async () => {
    const r = await cli(["calc", "test/fixtures/claims/e1-langfang-beijing.yaml", "--rules", "test/fixtures/e1-langfang-beijing", "--format", "json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ payable: 48.89, personal: 15.4, breakdown: { prepay: 3.18, inPolicy: 61.11 } });
  });
  it("reads a JSON claim from standard input with -", async () => {
    const claim = { date: "2025-03-09", insured: { region: "常德", scheme: "employee" }, treatment: { region: "武汉市", level: 3, kind: "inpatient" }, filing: "referral", costs: { classA: "11100" } };
    const r = await cli(["calc", "-", "--format", "json"], { stdin: JSON.stringify(claim) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).payable).toBe(8000); // (11,100 − 1,100) × 80%
  });
});

describe("reimburse calc: bad input", () => {
  it("reports every problem of a broken claim at file:line:col with its field path, exit 4, no stack trace", async () => {
    const r = await cli(["calc", "test/fixtures/claims/broken.yaml"]);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trim().split("\n");
    expect(lines).toEqual([
      "test/fixtures/claims/broken.yaml:1:7 error invalid-value date: is not a calendar date: 2025-02-30",
      'test/fixtures/claims/broken.yaml:4:11 error invalid-value insured.scheme: unknown scheme "employe"; one of: employee, resident (did you mean employee?)',
      'test/fixtures/claims/broken.yaml:11:3 error unknown-key costs.clasA: unknown key "clasA"; allowed here: classA, classB, excluded, prepay, total (did you mean "classA"?)',
      "test/fixtures/claims/broken.yaml:12:11 error invalid-value costs.classB: must be ≥ 0, got -5",
      'test/fixtures/claims/broken.yaml:13:13 error invalid-value costs.excluded: must be a plain decimal amount in yuan like 1234.56, got "1,000" (write it without thousands separators)',
    ]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it("locates a YAML syntax error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reimburse-"));
    const f = join(dir, "bad.yaml");
    writeFileSync(f, "date: 2025-03-09\ninsured: {region: 430700\n");
    const r = await cli(["calc", f]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+ error syntax /);
  });
  it("locates a claim the rules reject (unknown region) at its field", async () => {
    const r = await cli(["calc", "-"], { stdin: "date: 2025-03-09\ninsured: {region: 常徳市, scheme: employee}\ntreatment: {region: 武汉市, level: 3, kind: inpatient}\ncosts: {classA: 1}\n" });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^<stdin>:2:19 error rejected insured\.region: unknown region "常徳市"/);
  });
  it("reports every problem in one run: the file's shape and the names the rules do not know", async () => {
    const r = await cli(["calc", "-"], { stdin: 'date: 2025-03-09\ninsured: {region: "430799", scheme: staff}\ntreatment: {region: "420500", level: 4, kind: inpatient}\ncosts: {classA: -1}\n' });
    expect(r.code).toBe(4);
    expect(r.stderr.trimEnd().split("\n").map((l) => l.split(" ").slice(0, 4).join(" "))).toEqual([
      "<stdin>:2:19 error rejected insured.region:", // unknown region: would only show once the rest is fixed
      "<stdin>:2:37 error invalid-value insured.scheme:",
      "<stdin>:3:38 error rejected treatment.level:", // unknown level, likewise
      "<stdin>:4:17 error invalid-value costs.classA:",
    ]);
  });
  it("exits 3 with a hint when the rules have no figure for the claim", async () => {
    const r = await cli(["calc", "-"], { stdin: "date: 2025-03-09\ninsured: {region: 荆门市, scheme: employee}\ntreatment: {region: 长沙市, level: 3, kind: inpatient}\nfiling: referral\ncosts: {classA: 1}\n" });
    expect(r.code).toBe(3);
    // As every problem of a claim: FILE error CODE message (hint).
    expect(r.stderr).toMatch(/^<stdin> error rule-gap no employee inpatient deductible \(起付线\), employee inpatient ratio \(支付比例\) and employee inpatient annual cap \(最高支付限额\) for 荆门市 \(420800\) in force on 2025-03-09 \(create rules\/hubei\/jingmen\.yaml \(region: "420800"\) with `employee\.inpatient\.deductible`/);
  });
  it("exits 3 with located diagnostics when a rule file is broken", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reimburse-rules-"));
    writeFileSync(join(dir, "a.yaml"), "sources:\n  s1: {title: t, date: 2024-01-01, confidence: oficial}\n");
    const r = await cli(["calc", ZONE, "--rules", dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/a\.yaml:2:48 error invalid-value sources\.s1\.confidence: must be one of: official, secondary, unverified/);
  });
  it("settles every claim of a multi-file call and reports each one's problems, naming the file of a rules gap", async () => {
    const gap = "test/fixtures/claims/gap-huanggang.yaml";
    const r = await cli(["calc", gap, "test/fixtures/claims/broken.yaml", ZONE]);
    expect(r.code).toBe(4); // a claim is invalid: 4 wins over the rules gap's 3
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^test\/fixtures\/claims\/broken\.yaml:1:7 error invalid-value date:/m);
    expect(r.stderr).toMatch(new RegExp(`^${gap} error rule-gap no employee inpatient deductible \\(起付线\\), .* for 黄冈市`, "m"));
    const onlyGap = await cli(["calc", ZONE, gap]);
    expect(onlyGap.code).toBe(3);
  });
  it("suggests the closest value of a misspelt enum", async () => {
    const r = await cli(["calc", "-"], { stdin: "date: 2025-03-09\ninsured: {region: 常德, scheme: employee}\ntreatment: {region: 宜昌, level: 3, kind: inpatient}\nfiling: referal\ncosts: {classA: 1}\n" });
    expect(r.stderr).toContain('<stdin>:4:9 error invalid-value filing: unknown filing "referal"; one of: long-term, referral, emergency, temporary, none (did you mean referral?)');
  });
  it("exits 2 when no command is given (help on stderr)", async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Usage: reimburse/);
  });
  it("exits 2 on a missing file or a bad option", async () => {
    expect((await cli(["calc", "no-such.yaml"])).code).toBe(2);
    expect((await cli(["calc", ZONE, "--format", "xml"])).code).toBe(2);
    expect((await cli(["frobnicate"])).code).toBe(2);
  });
});

describe("the built binary", () => {
  it("runs from bin/ like an installed reimburse", () => {
    const r = bin(["calc", ZONE, "--format", "json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).payable).toBe(8500);
  });
  it("prints help with the exit codes", () => {
    const r = bin(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Exit codes:[\s\S]*70 {3}internal error/);
  });
});
