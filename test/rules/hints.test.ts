/**
 * Hints that lead policy staff somewhere (issue 14, point 5), through the
 * built binary: `rules new-region`, the rule-gap hint for a region without
 * figures, did-you-mean for rule-table values, level aliases as table keys,
 * where to declare a source, a region in the wrong province's folder, a zone
 * claim before the zone starts, and no library wording in messages.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bin, ROOT } from "../helpers.js";

const RULES = join(ROOT, "rules");
const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "reimburse-hints-"));
  temps.push(d);
  return d;
}
/** A copy of the shipped rules. */
function rulesCopy(): string {
  const d = tempDir();
  cpSync(RULES, join(d, "rules"), { recursive: true });
  return join(d, "rules");
}
/** A claim file outside any rules directory. */
function claimFile(text: string): string {
  const p = join(tempDir(), "claim.yaml");
  writeFileSync(p, text);
  return p;
}

/** A 黄石 employee, level 3 inpatient in 黄石 itself (local). */
const HUANGSHI = `date: 2025-03-09
insured: {region: "420200", scheme: employee}
treatment: {region: "420200", level: 3, kind: inpatient}
costs: {classA: 11100}
`;

type Coverage = { combinations: { region: string; scheme: string; kind: string; level: string; routes: Record<string, { settles: boolean; missing?: { figure: string; file: string; create: boolean }[] } | null> }[] };
const localGap = (c: Coverage) => c.combinations.find((x) => x.region === "420200" && x.scheme === "employee" && x.kind === "inpatient" && x.level === "3")!.routes.local!;

describe("rules new-region", { timeout: 60_000 }, () => {
  it("the rule-gap hint for 黄石 names the file to create and the command that writes it", () => {
    const r = bin(["calc", claimFile(HUANGSHI)]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('create rules/hubei/huangshi.yaml (region: "420200") with `employee.inpatient.deductible`, `employee.inpatient.ratio` and `employee.inpatient.annualCap`');
    expect(r.stderr).toContain("(`reimburse rules new-region 420200 -o rules/hubei/huangshi.yaml` writes its skeleton)");
    expect(r.stderr).not.toContain("province.yaml");
  });

  it("writes a skeleton that passes rules check, and coverage then finds 黄石's figures missing in it", () => {
    const dir = rulesCopy();
    const before = JSON.parse(bin(["rules", "coverage", "--rules", dir, "--date", "2025-06-01", "-f", "json"]).stdout) as Coverage;
    // Before: nothing of 黄石's own, the file is to be created.
    expect(localGap(before)).toEqual({
      settles: false,
      missing: [
        { figure: "employee.inpatient.deductible", what: "employee inpatient deductible (起付线)", file: `${dir}/hubei/huangshi.yaml`, create: true },
        { figure: "employee.inpatient.ratio", what: "employee inpatient ratio (支付比例)", file: `${dir}/hubei/huangshi.yaml`, create: true },
        { figure: "employee.inpatient.annualCap", what: "employee inpatient annual cap (最高支付限额)", file: `${dir}/hubei/huangshi.yaml`, create: true },
      ],
    });
    const file = join(dir, "hubei", "huangshi.yaml");
    const printed = bin(["rules", "new-region", "420200", "--rules", dir]).stdout;
    const w = bin(["rules", "new-region", "黄石市", "--rules", dir, "-o", file]);
    expect(w.stderr).toBe("");
    expect(w.code).toBe(0);
    // 3 kinds × 3 figures (deductible, ratio, cap) × 2 schemes = 18, employee 大病保险 3, resident 大病 cap 1 (its threshold and bands are Hubei's), class B share 1: 23.
    expect(w.stdout).toBe(`wrote ${file}: 23 figures of 黄石市 (420200), each declared missing\nfill them in, then \`reimburse rules check ${dir}\` and \`reimburse rules coverage --rules ${dir}\`\n`);
    const text = readFileSync(file, "utf8");
    expect(text).toBe(printed); // stdout and -o write the same
    expect(text.match(/^ +values: \{\}/gm)).toHaveLength(23);
    expect(text).toContain('region: "420200"');
    expect(text).toContain("#   reductions.referral"); // Hubei's, listed as given by the province, not repeated
    expect(text).not.toMatch(/^ {4}referral:/m);

    const check = bin(["rules", "check", dir, "-f", "json"]);
    expect(check.code).toBe(0);
    const ds = (JSON.parse(check.stdout) as { diagnostics: { code: string; severity: string; file: string }[] }).diagnostics.filter((d) => d.file.endsWith("huangshi.yaml"));
    // Only the placeholder source, never cited yet: a warning that says so.
    expect(ds.map((d) => `${d.severity} ${d.code}`)).toEqual(["warning unused-source"]);

    const after = JSON.parse(bin(["rules", "coverage", "--rules", dir, "--date", "2025-06-01", "-f", "json"]).stdout) as Coverage;
    // The same figures missing, now in the file that exists.
    expect(localGap(after)).toEqual({ settles: false, missing: localGap(before).missing!.map((m) => ({ ...m, create: false })) });
    // A claim names the file to add them to.
    const r = bin(["calc", claimFile(HUANGSHI), "--rules", dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`each with a version dated on or before 2025-03-09, to ${dir}/hubei/huangshi.yaml`);
  });

  it("refuses a region that has its file, a county of a pool, and an existing -o file", () => {
    const wuhan = bin(["rules", "new-region", "武汉市"]);
    expect(wuhan.code).toBe(2);
    expect(wuhan.stderr).toContain("武汉市 (420100) has its file already: rules/hubei/wuhan.yaml");
    const county = bin(["rules", "new-region", "420281"]);
    expect(county.code).toBe(2);
    expect(county.stderr).toContain("大冶市 (420281) is in the pooling region 黄石市 (420200)");
    const dir = tempDir();
    const p = join(dir, "huangshi.yaml");
    writeFileSync(p, "keep me\n");
    const again = bin(["rules", "new-region", "黄石市", "-o", p]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("exists already");
    expect(readFileSync(p, "utf8")).toBe("keep me\n");
    expect(existsSync(join(dir, "x.yaml"))).toBe(false);
  });
});

/** A copy of the shipped rules with `old` replaced by `now` in one file (which holds it once). */
function edited(file: string, old: string, now: string): string {
  const dir = rulesCopy();
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  expect(text.split(old)).toHaveLength(2);
  writeFileSync(path, text.replace(old, now));
  return dir;
}
type Check = { diagnostics: { code: string; severity: string; file: string; line: number; col: number; path?: string; message: string; hint?: string }[] };
const errors = (dir: string): Check["diagnostics"] => {
  const r = bin(["rules", "check", dir, "-f", "json"]);
  return (JSON.parse(r.stdout) as Check).diagnostics.filter((d) => d.severity === "error");
};

describe("rule-table values written as text: did-you-mean", { timeout: 60_000 }, () => {
  const RATIO = 'value: {community: 0.92, "1": 0.92, "2": 0.89, "3": 0.86}';
  it.each([
    // 86% is 86/100 = 0.86, located at the cell of level 3 (column 65 of line 22 in wuhan.yaml).
    ["a percentage in a table cell", RATIO, 'value: {community: 0.92, "1": 0.92, "2": 0.89, "3": 86%}', "policy.employee.inpatient.ratio.values.2024-01-05.value.3", "must be a fraction, e.g. 0.85 for 85%", "did you mean 0.86? 86% is written as the fraction 0.86", [22, 65]],
    // A quoted number is text: the same number without quotes.
    ["a quoted fraction", RATIO, 'value: "0.86"', "policy.employee.inpatient.ratio.values.2024-01-05.value", "must be a fraction, e.g. 0.85 for 85%", "did you mean 0.86? a number is written without quotes", [22, 20]],
    // 24万 is 24 × 10,000 = 240,000 yuan.
    ["an amount in 万", "value: 240000", "value: 24万", "policy.employee.inpatient.annualCap.values.2024-01-05.value", "must be an amount in yuan", "did you mean 240000? amounts are in yuan: 24万 is 240000", [34, 20]],
    // Inside an adjustment (copayFactor): 8.5% is 8.5/100 = 0.085.
    ["a percentage in an adjustment", "{value: {copayFactor: 0.8}", "{value: {copayFactor: 8.5%}", "policy.employee.retiree.values.2024-01-05.value.copayFactor", "must be a fraction, e.g. 0.85 for 85%", "did you mean 0.085? 8.5% is written as the fraction 0.085", [10, 43]],
  ])("%s", (_, old, now, path, message, hint, [line, col]) => {
    const ds = errors(edited("hubei/wuhan.yaml", old, now));
    expect(ds).toEqual([{ code: "invalid-type", severity: "error", file: expect.stringMatching(/hubei\/wuhan\.yaml$/), line, col, path, message, hint }]);
    expect(ds[0]!.message).not.toContain("does not match any allowed form");
  });
});

describe("level aliases as table keys", { timeout: 60_000 }, () => {
  it("reads 基层, 一级 and 三级 as community, 1 and 3, and settles as before", () => {
    const dir = edited("hubei/wuhan.yaml", 'value: {community: 0.92, "1": 0.92, "2": 0.89, "3": 0.86}', 'value: {基层: 0.92, 一级: 0.92, "2": 0.89, 三级: 0.86}');
    expect(bin(["rules", "check", dir]).code).toBe(0);
    const wuhan = claimFile(`date: 2025-03-09
insured: {region: "420100", scheme: employee}
treatment: {region: "420100", level: 三级, kind: inpatient}
costs: {classA: 10800}
`);
    // Level 3: (10,800 − 800 deductible) × 86% = 8,600 payable; personal 800 + 1,400 = 2,200.
    for (const rules of [dir, RULES]) expect(bin(["calc", wuhan, "--rules", rules, "-q", "-f", "csv", "--fields", "payable,personal"]).stdout).toBe("payable,personal\n8600,2200\n");
  });

  it("in a test case's overrides too", () => {
    const dir = rulesCopy();
    // (10,800 − 800 deductible) × 80% (the override's 三级) = 8,000.
    writeFileSync(
      join(dir, "hubei", "alias.test.yaml"),
      `- name: alias — 武汉 employee, level-3 ratio overridden by 三级
  claim:
    date: 2025-03-09
    insured: {region: "420100", scheme: employee}
    treatment: {region: "420100", level: 3, kind: inpatient}
    costs: {classA: 10800}
  overrides:
    "420100": {employee.inpatient.ratio: {一级: 0.92, 三级: 0.80}}
  expect: {ratio: 0.80, payable: 8000}
`,
    );
    const r = bin(["rules", "test", dir, "-n", "alias"]);
    expect(r.stdout).toContain("✓ alias — 武汉 employee, level-3 ratio overridden by 三级");
    expect(r.code).toBe(0);
  });

  it("a level written twice, as its id and its alias, is a duplicate key", () => {
    const ds = errors(edited("hubei/wuhan.yaml", '2024-01-01: {value: {"1": 200, "2": 400, "3": 800}', '2024-01-01: {value: {"1": 200, 一级: 400, "3": 800}'));
    expect(ds.map((d) => [d.code, d.line, d.path, d.message])).toEqual([["duplicate-key", 83, "policy.resident.inpatient.deductible.values.2024-01-01.value.一级", "level 1 is in this table twice: as 1 and as 一级"]]);
  });
});

describe("a region filed under the wrong province's folder", { timeout: 60_000 }, () => {
  it("is a rules check error (wrong-province), exit 1", () => {
    const dir = rulesCopy();
    writeFileSync(join(dir, "hunan", "enshi.yaml"), readFileSync(join(dir, "hubei", "enshi.yaml")));
    rmSync(join(dir, "hubei", "enshi.yaml"));
    const r = bin(["rules", "check", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${dir}/hunan/enshi.yaml:5:9 error wrong-province region: 恩施土家族苗族自治州 (422800) is in 湖北省 (420000), but this file is in ${dir}/hunan/, the folder of 湖南省 (430000) (move it to ${dir}/hubei/)`);
    expect(errors(dir).map((d) => d.code)).toEqual(["wrong-province"]);
  });
});

describe("unknown-source says where to declare the source", { timeout: 60_000 }, () => {
  it("names the file that declares the sources, with a did-you-mean when one is close", () => {
    const dir = edited("hubei/province.yaml", "2024-01-01: {value: {prepay: 0.10}, source: hubei-crossprov-prepay}", "2024-01-01: {value: {prepay: 0.10}, source: hubei-crossprov-prepya}");
    const near = errors(dir);
    expect(near.map((d) => [d.code, d.message, d.hint])).toEqual([["unknown-source", 'unknown source "hubei-crossprov-prepya"', `did you mean "hubei-crossprov-prepay"? If not, declare it in ${dir}/sources.yaml, under sources: with its title, date and confidence`]]);
    const far = errors(edited("hubei/province.yaml", "2024-01-01: {value: {prepay: 0.10}, source: hubei-crossprov-prepay}", "2024-01-01: {value: {prepay: 0.10}, source: ezhou-2025}"));
    expect(far.map((d) => d.hint)).toEqual([expect.stringMatching(/^declare it in .*\/rules\/sources\.yaml, under sources: with its title, date and confidence$/)]);
  });
});

describe("a zone claim dated before the zone starts", { timeout: 60_000 }, () => {
  it("names the zone and its start date before the missing reduction", () => {
    // The seed zone claim (常德 employee in 宜昌), dated before 2024-07-01, when the 宜昌 ↔ 常德 zone starts,
    // and before 2024-06-01, when Hunan's reductions start: unfiled, with no reduction to apply.
    const r = bin(["calc", claimFile(readFileSync(join(ROOT, "examples", "zone-changde-yichang.yaml"), "utf8").replace("date: 2025-03-09", "date: 2024-03-09"))]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      "error rule-gap the 互认区域 宜昌 ↔ 常德 (Yichang - Changde) starts 2024-07-01: a stay on 2024-03-09 is not in the zone but on the unfiled route, and there is no reduction for the unfiled route for 常德市 (430700) in force on 2024-03-09 (first version 2024-06-01, after the claim date)",
    );
  });

  it("a stay that settles before the zone starts says so in a warning (zone-not-started)", () => {
    // A 宜昌 resident at a level-2 hospital in 常德 on 2024-03-09, unfiled: Hubei's 20% prepay applies (from 2024-01-01).
    // In policy 11,000; route prepay 20% = 2,200; deductible 500; fund (11,000 − 2,200 − 500) × 75% = 6,225.
    const file = claimFile(`date: 2024-03-09
insured: {region: "420500", scheme: resident}
treatment: {region: "430700", level: 2, kind: inpatient}
filing: none
costs: {classA: 11000}
`);
    const j = JSON.parse(bin(["calc", file, "-f", "json", "-q"]).stdout) as { payable: number; route: string; warnings: { code: string; message: string }[] };
    expect([j.route, j.payable]).toEqual(["unfiled", 6225]);
    expect(j.warnings[0]).toEqual({ code: "zone-not-started", message: "the 互认区域 宜昌 ↔ 常德 (Yichang - Changde) starts 2024-07-01: before then this stay is not a zone stay, and settles on the unfiled route" });
    expect(bin(["calc", file, "--lang", "zh"]).stdout).toContain("! 互认区域（宜昌 ↔ 常德）自 2024-07-01 起实施：此前住院不按互认区域结算，按未备案（手工报销）计算");
  });

  it("says nothing of the zone once it has started", () => {
    // 2024-07-01, the zone's first day: (11,100 − 1,100) × 85% = 8,500, as local.
    const r = bin(["calc", claimFile(readFileSync(join(ROOT, "examples", "zone-changde-yichang.yaml"), "utf8").replace("date: 2025-03-09", "date: 2024-07-01")), "-q", "-f", "csv", "--fields", "route,payable"]);
    expect(r.stdout).toBe("route,payable\nzone,8500\n");
  });
});

/** zod's and yaml's own wording, which must never reach the user. */
const LIBRARY = /Invalid input|Invalid option|Invalid string|Too small|Too big|expected \w+, received|parseAllDocuments|please use YAML/;

describe("no library wording reaches the user", { timeout: 60_000 }, () => {
  it("a claim file with two YAML documents", () => {
    const r = bin(["calc", claimFile(`${HUANGSHI}---\n${HUANGSHI}`)]);
    expect(r.code).toBe(4);
    // The second document starts at line 5, the --- after the 4 lines of the first.
    expect(r.stderr).toContain('claim.yaml:5:1 error syntax a second YAML document starts here (after a --- line): a file holds one document; remove the line (several claims are written as a list, each item starting with "- ")');
    expect(r.stderr).not.toMatch(LIBRARY);
  });

  it("a rule file with two YAML documents", () => {
    const dir = rulesCopy();
    writeFileSync(join(dir, "zones2.yaml"), "zones: {}\n---\nzones: {}\n");
    const r = bin(["rules", "check", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${dir}/zones2.yaml:2:1 error syntax a second YAML document starts here`);
    expect(r.stdout).not.toMatch(LIBRARY);
  });

  it("--set history={…}: a mapping given to one --set", () => {
    const r = bin(["calc", join(ROOT, "examples", "referral-changde-wuhan.yaml"), "--set", "history={deductiblePaid: 100}"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: invalid value for history (--set history={deductiblePaid: 100}): must be a mapping, got a string; a --set gives one field its value: set the fields one by one, e.g. --set history.fundPaid=…\n");
  });

  it("zod's default messages in a rule file are reworded: empty, one of, form, count, literal", () => {
    const dir = rulesCopy();
    writeFileSync(
      join(dir, "bad.yaml"),
      'source: nhsa-2022-22\nregions:\n  "420999": {name: "", level: city, pool: true}\nlevels:\n  Level-X: {zh: x, en: y}\nzones:\n  a-b:\n    name: {zh: a, en: b}\n    between: ["420100"]\n    unit: flag\n    values: {2025-01-01: {value: false, source: nhsa-2022-22}}\n',
    );
    const ds = errors(dir).map((d) => `${d.line}:${d.col} ${d.path}: ${d.message}`);
    expect(ds).toEqual([
      "3:20 regions.420999.name: must not be empty",
      "3:31 regions.420999.level: must be one of: province, prefecture, county",
      "3:43 regions.420999.pool: must be false",
      "5:3 levels.Level-X: key \"Level-X\" is not of the allowed form (/^[a-z0-9-]+$/)",
      "9:14 zones.a-b.between: must have at least 2 item(s)",
      "11:34 zones.a-b.values.2025-01-01.value: must be true",
    ]);
  });

  it("a batch record with an over-long id", () => {
    const r = bin(["batch", "-", "-q"], { stdin: JSON.stringify({ id: "x".repeat(300), date: "2025-03-09", insured: { region: "430700", scheme: "employee" }, treatment: { region: "420500", level: 3, kind: "inpatient" }, filing: "none", costs: { classA: 11100 } }) + "\n" });
    expect(r.stdout + r.stderr).toContain("must have at most 200 character(s)");
    expect(r.stdout + r.stderr).not.toMatch(LIBRARY);
  });

  it("a JSON Lines record that is not JSON: where, as a column, not the engine's position", () => {
    const lines = ['{"id": 1,}', '{"date": "2025-03-09", "x": "abc', "xyz", '{"id":'].join("\n") + "\n";
    const r = bin(["batch", "-", "-q"], { stdin: lines });
    const messages = r.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { problems: { message: string }[] }).problems[0]!.message);
    expect(messages).toEqual([
      "not valid JSON: Expected double-quoted property name at column 10", // the } after the comma: offset 9, column 10
      "not valid JSON: Unterminated string at column 33", // the end of the line, inside "abc
      'not valid JSON: unexpected "x"',
      "not valid JSON: it ends before its value does (an unclosed {, [ or string)",
    ]);
  });
});

describe("CSV problems in the tool's words, not csv-parse's", { timeout: 60_000 }, () => {
  it("a cell too many, a quote never closed, a quote inside an unquoted cell", () => {
    const header = "date,insured.region,insured.scheme,treatment.region,treatment.level,treatment.kind,costs.classA";
    const row = "2025-03-09,430700,employee,420500,3,inpatient,";
    const p = join(tempDir(), "claims.csv");
    writeFileSync(p, `${header}\n${row}11100,extra\n${row}1"1\n${row}"11100\n`);
    const r = bin(["batch", p, "-q"]);
    const messages = r.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { line: number; problems: { message: string }[] }).problems[0]!.message);
    expect(messages).toEqual([
      "CSV: the record does not have one cell per header column: 8 cells, the header has 7 (a value holding a comma is written in quotes)",
      'CSV: a quote inside the unquoted cell 7: quote the whole value and double the quote inside it ("1""1")',
      'CSV: a quote opened in cell 7 is never closed: the input ends inside it (close it, or double a quote inside a quoted value: "")',
    ]);
    expect(r.stdout).not.toMatch(/Invalid Record Length|Quote Not Closed|Invalid Opening Quote/);
  });
});
