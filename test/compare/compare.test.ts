import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers.js";

const ZONE = "examples/zone-changde-yichang.yaml"; // 常德 employee, level 3 in 宜昌, class A 11,100
const REFERRAL = "examples/referral-changde-wuhan.yaml"; // the same stay in 武汉 on a filed referral

const rowOf = (table: string, name: string) => table.split("\n").find((l) => l.startsWith(`│ ${name} `))?.split("│").map((c) => c.trim()).slice(1, -1);

describe("reimburse compare CLAIM (default: every route the claim could take)", () => {
  it("shows the seed example's 500 / 1,000 differences against the zone, and a bar chart", async () => {
    const r = await cli(["compare", ZONE, "--lang", "en"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    // zone: (11,100 − 1,100) × 85% = 8,500, person 11,100 − 8,500 = 2,600
    expect(rowOf(r.stdout, "base")).toEqual(["base", "(as written)", "zone", "8,500.00", "2,600.00", "—", "—"]);
    // long-term: no reduction, 85%: 8,500
    expect(rowOf(r.stdout, "long-term")).toEqual(["long-term", "route=long-term", "long-term", "8,500.00", "2,600.00", "0.00", "0.00"]);
    // referral: 85% − 5 points = 80%: 10,000 × 80% = 8,000, 500 less than the zone
    expect(rowOf(r.stdout, "referral")).toEqual(["referral", "route=referral", "referral", "8,000.00", "3,100.00", "−500.00", "+500.00"]);
    expect(rowOf(r.stdout, "emergency")?.slice(3)).toEqual(["8,000.00", "3,100.00", "−500.00", "+500.00"]);
    // temporary and unfiled: 85% − 10 points = 75%: 7,500, 1,000 less
    expect(rowOf(r.stdout, "temporary")?.slice(3)).toEqual(["7,500.00", "3,600.00", "−1,000.00", "+1,000.00"]);
    expect(rowOf(r.stdout, "unfiled")).toEqual(["unfiled", "route=unfiled", "unfiled", "7,500.00", "3,600.00", "−1,000.00", "+1,000.00"]);
    expect(r.stdout).not.toMatch(/^│ zone /m); // the base row is the zone route
    // Bars: 8,000 / 8,500 × 40 columns = 37⅝; 7,500 / 8,500 × 40 = 35¼ (nearest eighth)
    expect(r.stdout).toContain("Fund pays, by scenario (yuan)\n");
    expect(r.stdout).toContain(`base       ${"█".repeat(40)}  8,500.00\n`);
    expect(r.stdout).toContain(`referral   ${"█".repeat(37)}▋    8,000.00  −500.00\n`);
    expect(r.stdout).toContain(`unfiled    ${"█".repeat(35)}▎      7,500.00  −1,000.00\n`);
    expect(r.stdout).toMatch(/route=… rows are what-ifs/);
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it("changes the filing where that is what moves the claim (常德 → 武汉, no zone)", async () => {
    const r = await cli(["compare", REFERRAL, "--format", "csv", "--fields", "scenario,changes,route,payable,deltaPayable", "--quiet"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(parse(r.stdout, { columns: true })).toEqual([
      { scenario: "base", changes: "", route: "referral", payable: "8000", deltaPayable: "0" }, // 10,000 × 80%
      { scenario: "long-term", changes: "filing=long-term", route: "long-term", payable: "8500", deltaPayable: "500" }, // × 85%
      { scenario: "emergency", changes: "filing=emergency", route: "emergency", payable: "8000", deltaPayable: "0" }, // × 80%
      { scenario: "temporary", changes: "filing=temporary", route: "temporary", payable: "7500", deltaPayable: "-500" }, // × 75%
      { scenario: "unfiled", changes: "filing=none", route: "unfiled", payable: "7500", deltaPayable: "-500" },
    ]);
  });

  it("--format json: an array, each scenario's settlement with its deltas (schemaVersion 2; steps with --explain)", async () => {
    const r = await cli(["compare", ZONE, "--format", "json"]);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows.map((x: { scenario: string; route: string; payable: number; delta: { payable: number; personal: number } }) => [x.scenario, x.route, x.payable, x.delta.payable, x.delta.personal])).toEqual([
      ["base", "zone", 8500, 0, 0],
      ["long-term", "long-term", 8500, 0, 0],
      ["referral", "referral", 8000, -500, 500],
      ["emergency", "emergency", 8000, -500, 500],
      ["temporary", "temporary", 7500, -1000, 1000],
      ["unfiled", "unfiled", 7500, -1000, 1000],
    ]);
    expect(rows[0]).toMatchObject({ schemaVersion: 3, scenario: "base", set: {}, base: true, id: "seed-zone", breakdown: { deductible: 1100, ratio: 0.85 } });
    expect(rows[2]).toMatchObject({ set: { route: "referral" }, base: false, routeForced: true, breakdown: { ratio: 0.8, reduction: { mechanism: "points", rate: 0.05, amount: 500 } } });
    expect(rows[2]).not.toHaveProperty("steps");
    const explained = JSON.parse((await cli(["compare", ZONE, "--format", "json", "--explain", "--quiet", "--lang", "en"])).stdout);
    expect(explained[2]).toEqual({ ...rows[2], steps: expect.any(Array) });
    // The referral row: Hunan's 85% less 5 percentage points is 80% (10,000 × 80% = 8,000), in a step of its own.
    const ids = explained[2].steps.map((s: { id: string }) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(explained[2].steps.find((s: { id: string }) => s.id === "reduction")).toMatchObject({ what: "Route reduction −5 points: ratio 85% → 80%", rate: 0.8 });
    // warnings go to stderr for machine formats (the zone pair is unverified)
    expect(r.stderr).toMatch(/^warning: base: depends on 1 unverified figure\(s\): zones.yichang-changde/m);
  });

  it.skipIf(spawnSync("jq", ["--version"]).status !== 0)("JSON reads with jq", async () => {
    const r = await cli(["compare", ZONE, "--format", "json", "--quiet"]);
    const jq = spawnSync("jq", ["-r", '.[] | select(.scenario == "unfiled") | .delta.payable'], { input: r.stdout, encoding: "utf8" });
    expect(jq.status).toBe(0);
    expect(jq.stdout).toBe("-1000\n");
  });

  it("--fields picks top-level keys of each JSON element, in order", async () => {
    const r = await cli(["compare", ZONE, "-f", "json", "--fields", "scenario,payable", "-q"]);
    expect(r.stdout).toBe(JSON.stringify([["base", 8500], ["long-term", 8500], ["referral", 8000], ["emergency", 8000], ["temporary", 7500], ["unfiled", 7500]].map(([scenario, payable]) => ({ scenario, payable })), null, 2) + "\n");
  });

  it("--format csv: header with the documented columns, one row per scenario", async () => {
    const r = await cli(["compare", ZONE, "--format", "csv", "-q"]);
    const records: string[][] = parse(r.stdout);
    expect(records[0]!.slice(0, 9)).toEqual(["scenario", "changes", "base", "deltaPayable", "deltaPersonal", "id", "date", "route", "payable"]);
    expect(records).toHaveLength(7); // header + base + 5 routes
    const byName = parse(r.stdout, { columns: true }) as Record<string, string>[];
    // unfiled: ratio 75%, reduction 10 points of 10,000 = 1,000
    expect(byName[5]).toMatchObject({ scenario: "unfiled", changes: "route=unfiled", base: "false", payable: "7500", personal: "3600", ratio: "0.75", reductionRate: "0.1", reductionAmount: "1000", deductible: "1100" });
  });

  it("--format tsv: tab-separated, same columns", async () => {
    const r = await cli(["compare", ZONE, "-f", "tsv", "--fields", "scenario,payable", "-q"]);
    expect(r.stdout).toBe("scenario\tpayable\nbase\t8500\nlong-term\t8500\nreferral\t8000\nemergency\t8000\ntemporary\t7500\nunfiled\t7500\n");
  });
});

describe("reimburse compare with scenarios", () => {
  it("--vary treatment.level: one row per level, deltas against the claim as written", async () => {
    const r = await cli(["compare", REFERRAL, "--vary", "treatment.level=community,1,2,3", "-f", "csv", "--fields", "scenario,level,payable,personal,deltaPayable"]);
    expect(r.code).toBe(0);
    expect(parse(r.stdout, { columns: true })).toEqual([
      { scenario: "base", level: "3", payable: "8000", personal: "3100", deltaPayable: "0" },
      // community: (11,100 − 200) × (93% − 5) = 10,900 × 88% = 9,592
      { scenario: "level=community", level: "community", payable: "9592", personal: "1508", deltaPayable: "1592" },
      // level 1: (11,100 − 500) × (92% − 5) = 10,600 × 87% = 9,222
      { scenario: "level=1", level: "1", payable: "9222", personal: "1878", deltaPayable: "1222" },
      // level 2: (11,100 − 800) × (90% − 5) = 10,300 × 85% = 8,755
      { scenario: "level=2", level: "2", payable: "8755", personal: "2345", deltaPayable: "755" },
      { scenario: "level=3", level: "3", payable: "8000", personal: "3100", deltaPayable: "0" },
    ]);
  });

  it("several --vary give the cross product (2 filings × 2 levels = 4 rows + base)", async () => {
    const r = await cli(["compare", REFERRAL, "--vary", "filing=long-term,none", "--vary", "treatment.level=2,3", "-f", "tsv", "--fields", "scenario,payable", "-q"]);
    // long-term 2: 10,300 × 90% = 9,270; long-term 3: 10,000 × 85% = 8,500;
    // none 2: 10,300 × 80% = 8,240; none 3: 10,000 × 75% = 7,500
    expect(r.stdout).toBe("scenario\tpayable\nbase\t8000\nfiling=long-term level=2\t9270\nfiling=long-term level=3\t8500\nfiling=none level=2\t8240\nfiling=none level=3\t7500\n");
  });

  it("--scenario and --base: deltas against a named scenario", async () => {
    const r = await cli(["compare", REFERRAL, "--scenario", "home:filing=none", "--scenario", "retired:insured.retired=true", "--base", "home", "-f", "json", "--fields", "scenario,base,payable,delta", "-q"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { scenario: "base", base: false, payable: 8000, delta: { payable: 500, personal: -500 } },
      { scenario: "home", base: true, payable: 7500, delta: { payable: 0, personal: 0 } },
      // retiree +2 points: 10,000 × (85% + 2 − 5) = 8,200
      { scenario: "retired", base: false, payable: 8200, delta: { payable: 700, personal: -700 } },
    ]);
  });

  it("--scenarios FILE: a YAML list of {name, set}", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reimburse-scenarios-"));
    const file = join(dir, "s.yaml");
    writeFileSync(file, "- name: second stay\n  set: {history.admissions: 1}\n- name: cap nearly used\n  set: {history.fundPaid: 149000}\n");
    const r = await cli(["compare", ZONE, "--scenarios", file, "-f", "tsv", "--fields", "scenario,deductible,payable,overCap", "-q"]);
    expect(r.code).toBe(0);
    // second admission: deductible 1,100 × 50% = 550; (11,100 − 550) × 85% = 8,967.50
    // cap: 150,000 − 149,000 = 1,000 left of 8,500: 7,500 over the cap
    expect(r.stdout).toBe("scenario\tdeductible\tpayable\toverCap\nbase\t1100\t8500\t0\nsecond stay\t550\t8967.5\t0\ncap nearly used\t1100\t1000\t7500\n");
  });

  it("--set applies to every scenario, the base included", async () => {
    const r = await cli(["compare", ZONE, "--set", "treatment.region=420100", "-f", "tsv", "--fields", "scenario,route,payable", "-q"]);
    // in 武汉 the claim (filing none) is unfiled: 7,500; the filings then move it
    expect(r.stdout).toBe("scenario\troute\tpayable\nbase\tunfiled\t7500\nlong-term\tlong-term\t8500\nreferral\treferral\t8000\nemergency\temergency\t8000\ntemporary\ttemporary\t7500\n");
  });

  it("says when no cross-province route applies (a claim treated at home)", async () => {
    const r = await cli(["compare", ZONE, "--set", "treatment.region=430700", "-f", "csv", "--fields", "scenario,route,payable"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("scenario,route,payable\nbase,local,8500\n");
    expect(r.stderr).toMatch(/^warning: the claim is settled local: the cross-province routes do not apply to it/m);
  });

  it("reads the claim from standard input", async () => {
    const r = await cli(["compare", "-", "--scenario", "l2:treatment.level=2", "-f", "tsv", "--fields", "scenario,payable", "-q"], {
      stdin: 'date: 2025-03-09\ninsured: {region: "430700", scheme: employee}\ntreatment: {region: "420100", level: 3, kind: inpatient}\nfiling: referral\ncosts: {classA: 11100}\n',
    });
    expect(r.stdout).toBe("scenario\tpayable\nbase\t8000\nl2\t8755\n");
  });

  it("has no chart with --no-chart, and speaks Chinese with --lang zh", async () => {
    const r = await cli(["compare", ZONE, "--no-chart", "--lang", "zh", "-q"]);
    expect(r.stdout).not.toContain("█");
    expect(r.stdout).toContain("统筹基金支付");
    expect(r.stdout).toContain("│ 原结算单 "); // the claim as written, by its Chinese name
    expect(r.stdout).toContain("（未变更）");
    expect(r.stdout).not.toContain("说明");
  });
});

describe("reimburse compare: scenarios that do not settle are rows of their own", () => {
  // 常德 employee, 肝硬化 as chronic outpatient care in 武汉, long-term filing, 2,000 class A.
  const CIRRHOSIS = 'date: 2025-08-01\ninsured: {region: "430700", scheme: employee}\ntreatment: {region: "420100", level: 3, kind: chronic, disease: cirrhosis}\nfiling: long-term\ncosts: {classA: 2000}\n';

  it("refused: 肝硬化 joins the Hunan-Hubei list on 2025-07-01, so in March it is refused; the rest compare (exit 4)", async () => {
    const r = await cli(["compare", "-", "--vary", "date=2025-03-09,2025-09-01", "--format", "json", "--quiet"], { stdin: CIRRHOSIS });
    expect(r.code).toBe(4);
    const rows = JSON.parse(r.stdout);
    // August and September: Hunan's chronic figures, no deductible, 2,000 × 80% = 1,600; no reduction on the long-term route.
    expect(rows.map((x: { scenario: string; payable?: number; error?: string }) => [x.scenario, x.payable, x.error])).toEqual([
      ["base", 1600, undefined],
      ["date=2025-03-09", undefined, "rejected"],
      ["date=2025-09-01", 1600, undefined],
    ]);
    expect(rows[1]).toEqual({
      schemaVersion: 3,
      scenario: "date=2025-03-09",
      set: { date: "2025-03-09" },
      base: false,
      error: "rejected",
      problems: [{ message: expect.stringMatching(/^treatment\.disease: liver cirrhosis \(肝硬化\) cannot be settled directly/), hint: expect.any(String) }],
    });
    // An error, so printed even with --quiet.
    expect(r.stderr).toMatch(/^error: date=2025-03-09: treatment\.disease: liver cirrhosis/m);
  });

  it("a rule gap: in 2020 the zone is not in force and Hunan has no unfiled reduction yet (exit 3); the table says so", async () => {
    const r = await cli(["compare", ZONE, "--vary", "date=2020-06-01", "--lang", "en", "--no-chart"]);
    expect(r.code).toBe(3);
    expect(rowOf(r.stdout, "date=2020-06-01")).toEqual(["date=2020-06-01", "date=2020-06-01", "no rule", "—", "—", "—", "—"]);
    expect(rowOf(r.stdout, "base")?.slice(2, 4)).toEqual(["zone", "8,500.00"]);
    expect(r.stdout).toMatch(/! date=2020-06-01: the 互认区域 宜昌 ↔ 常德 \(Yichang - Changde\) starts 2024-07-01: a stay on 2020-06-01 is not in the zone but on the unfiled route, and there is no reduction for the unfiled route, employee inpatient deductible \(起付线\), .* for 常德市 \(430700\) in force on 2020-06-01/);
    const csv = parse((await cli(["compare", ZONE, "--vary", "date=2020-06-01", "-f", "csv", "-q"])).stdout, { columns: true }) as Record<string, string>[];
    expect(csv.map((x) => [x.scenario, x.payable, x.error!.split(":")[0]])).toEqual([
      ["base", "8500", ""],
      ["date=2020-06-01", "", "rules"],
    ]);
  });

  it("--base cannot be a scenario that did not settle", async () => {
    const r = await cli(["compare", ZONE, "--vary", "date=2020-06-01", "--base", "date=2020-06-01"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--base date=2020-06-01: that scenario did not settle/);
  });
});

describe("reimburse compare: command-line errors exit 2 and say what is wrong", () => {
  it.each([
    [["--vary", "treatment.levle=1,2"], /--vary treatment.levle=1,2: unknown claim field "treatment.levle".*did you mean "treatment.level"/],
    [["--vary", "treatment.level=2,9"], /invalid value for treatment.level \(--vary treatment.level=2,9\): unknown hospital level "9"/],
    [["--scenario", "x:filing=nope"], /invalid value for filing \(--scenario x:filing=nope\): unknown filing "nope"; one of: long-term, referral, emergency, temporary, none/],
    [["--scenario", "x:insured.retired=maybe"], /invalid value for insured.retired \(--scenario x:insured.retired=maybe\): must be true or false/],
    [["--set", "costs.classA=abc"], /invalid value for costs.classA \(--set costs.classA=abc\): must be a plain decimal amount/],
    [["--base", "referal"], /--base referal: no scenario of that name \(did you mean "referral"\?\)/],
    [["--scenario", "a:filing=none", "--scenario", "a:filing=referral"], /two scenarios are named "a"/],
    [["-f", "csv", "--fields", "scenario,deltapayable"], /--fields: unknown column "deltapayable" \(did you mean "deltaPayable"\?\); known: scenario, changes, base, deltaPayable/],
    [["--fields", "scenario"], /--fields chooses columns of --format csv or tsv/],
    [["--scenarios", "nope.yaml"], /scenarios file not found: nope.yaml|file not found: nope.yaml/],
  ])("%j", async (args, message) => {
    const r = await cli(["compare", ZONE, ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
  });

  it("a broken claim file is still the file's problem (exit 4, located)", async () => {
    const r = await cli(["compare", "-", "--vary", "treatment.level=1,2"], { stdin: "date: 2025-03-09\ninsured: {region: \"430700\", scheme: employee}\ntreatment: {region: \"420500\", level: 3, kind: inpatient}\ncosts: {classA: -1}\n" });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^<stdin>:4:17 error invalid-value costs.classA: must be ≥ 0, got -1/);
  });
});
