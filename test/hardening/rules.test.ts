/**
 * A battery of bad rule files, through the commands staff and clerks use:
 * `reimburse calc … --rules DIR` (exit 3 with every problem located as
 * file:line:col, or a settlement when the rules only have warnings) and
 * `reimburse rules check DIR` (exit 1 on errors; on warnings only with
 * --strict). Then edge values that pass every check but meet the arithmetic
 * at run time (ratios at 0 and 1, zero deductibles and caps, inexact
 * fractions), and hostile files (alias bombs, deep nesting, 100,000 keys,
 * `__proto__` / `constructor` names, bad UTF-8, oversized files).
 *
 * Bounds: each case within TIME_BOUND_MS (5 s), the 100,000-key and
 * 20,000-source files within BIG_BOUND_MS (20 s; before the find() index in
 * src/yaml/document.ts, rules check took 27 s on 20,000 sources and grew with
 * the square). A rule file is read only up to 2 MB (src/rules/load.ts
 * MAX_RULE_BYTES), and then strictly as UTF-8.
 *
 * The claim is the seed example (examples/zone-changde-yichang.yaml): a 常德
 * employee, level 3 in 宜昌 (a zone: no filing, no reduction), 11,100 of class A.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHECKS, COMPILE_CODES } from "../../src/rules/check.js";
import { cli, ROOT } from "../helpers.js";

const TIME_BOUND_MS = 5_000;
const BIG_BOUND_MS = 20_000;
const FIXTURES = "test/fixtures/rules-broken"; // relative: messages show paths relative to the working directory
const CLAIM = "examples/zone-changde-yichang.yaml";
const AS_OF = "2026-11-22"; // fixes what stale-figure measures from
const STACK = /\n\s+at .+:\d+:\d+\)?/;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

type Rec = Record<string, any>;
const dir = mkdtempSync(join(tmpdir(), "reimburse-rules-battery-"));
let n = 0;

/** A copy of the shipped rules with edits: each [from, to] must match (else the case would test nothing), or whole new files. */
function rulesWith(edits: Record<string, readonly [from: string, to: string][] | string | Buffer>): string {
  const d = join(dir, `rules-${++n}`);
  cpSync(join(ROOT, "rules"), d, { recursive: true });
  for (const [f, e] of Object.entries(edits)) {
    const p = join(d, f);
    if (typeof e === "string" || Buffer.isBuffer(e)) {
      writeFileSync(p, e);
      continue;
    }
    let text = readFileSync(p, "utf8");
    for (const [from, to] of e) {
      expect(text.includes(from), `${f} contains ${from}`).toBe(true);
      text = text.replace(from, to);
    }
    writeFileSync(p, text);
  }
  return d;
}
function claimFile(text: string): string {
  const f = join(dir, `claim-${++n}.yaml`);
  writeFileSync(f, text);
  return f;
}
/** The seed claim with lines replaced or added. */
const seedClaim = (over: { insured?: string; treatment?: string; costs?: string; extra?: string } = {}) =>
  claimFile(
    [
      "date: 2025-03-09",
      `insured: {region: "430700", scheme: employee${over.insured ?? ""}}`,
      `treatment: {region: "${over.treatment ?? "420500"}", level: 3, kind: inpatient}`,
      "filing: none",
      `costs: {${over.costs ?? "classA: 11100"}}`,
      over.extra ?? "",
    ].join("\n"),
  );

/** calc --format json: exit 0 and the settlement, whose parts add up. */
async function settles(claim: string, rules: string): Promise<Rec> {
  const r = await cli(["calc", claim, "--rules", rules, "--format", "json", "-q"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const s = JSON.parse(r.stdout) as Rec;
  const b = s.breakdown;
  // Exact in fen: the parts of what the person pays, and fund + personal = total.
  const fen = (x: number) => Math.round(x * 100);
  expect(fen(s.payable) + fen(s.personal)).toBe(fen(b.total));
  expect(fen(b.excluded) + fen(b.prepay) + fen(b.routePrepay) + fen(b.deductible) + fen(b.copay) + fen(b.overCap)).toBe(fen(s.personal));
  expect(b.ratio).toBeGreaterThanOrEqual(0);
  expect(b.ratio).toBeLessThanOrEqual(1);
  return s;
}

interface Refused {
  readonly exit: number;
  /** The first line: FILE:LINE:COL error CODE … (relative FILE under the rules dir). */
  readonly at?: readonly [file: string, line: number, col: number, code: string];
  readonly message?: RegExp;
}
async function refused(claim: string, rules: string, e: Refused) {
  const r = await cli(["calc", claim, "--rules", rules]);
  expect(r.code).toBe(e.exit);
  expect(r.stdout).toBe(""); // nothing half-written
  expect(r.stderr).not.toMatch(STACK);
  expect(r.stderr).not.toMatch(/internal error/);
  if (e.at) {
    const [file, line, col, code] = e.at;
    expect(r.stderr.split("\n")[0]).toMatch(new RegExp(`^${esc(`${rules}/${file}:${line}:${col}`)} error ${esc(code)} `));
  }
  if (e.message) expect(r.stderr).toMatch(e.message);
  return r;
}
async function check(rules: string, args: string[] = []) {
  const r = await cli(["rules", "check", rules, "--as-of", AS_OF, ...args]);
  expect(r.stderr).not.toMatch(STACK);
  expect(r.stderr).not.toMatch(/internal error/);
  return r;
}

// ── Every fixture of rules check, through calc and rules check ──

/**
 * calc on the seed claim under each fixture: refused (exit 3) at the place
 * rules check also points at, or settled, with the amount hand-computed.
 * Fixtures whose only findings are `rules check` consistency errors
 * (ceiling-contradiction, invalid-adjustment, reduction-cap,
 * emergency-as-unfiled) compile — calc refuses only what it cannot compute
 * safely (src/rules/compile.ts) — and settle; rules check exits 1 on them.
 */
const CALC: Record<string, { refused: readonly [file: string, line: number, col: number, code: string, message?: RegExp] } | { payable: number; why: string } | { gap: RegExp }> = {
  "amount-decimals": { refused: ["hunan.yaml", 10, 63, "invalid-value", /must be yuan with at most 2 decimals/] },
  "ceiling-contradiction": { payable: 8585, why: "deductible held to the ceiling 1,000: (11,100 − 1,000) × 85% = 8,585" },
  // Checks only calc does not make: the layer is computed as written; the base 11,100 − 8,500 = 2,600 is below the 16,000 threshold.
  "band-order": { payable: 8500, why: "(11,100 − 1,100) × 85%" },
  "threshold-above-cap": { payable: 8500, why: "(11,100 − 1,100) × 85%" },
  "confidence-raised": { payable: 8500, why: "(11,100 − 1,100) × 85%" },
  // A warning only, but on the claim's date the cap is ended by null: a rule gap (exit 3), located at the null.
  "coverage-gap": { gap: /no employee inpatient annual cap .* in force on 2025-03-09 \(ended by a null version from 2025-01-01 at test\/fixtures\/rules-broken\/coverage-gap\/hunan\.yaml:19:31\)/ },
  "deductible-order": { payable: 8500, why: "level 3 unchanged: (11,100 − 1,100) × 85%" },
  "duplicate-definition": { refused: ["vocab.yaml", 4, 3, "duplicate-definition", /source src-a is already defined in/] },
  "duplicate-key": { refused: ["hunan.yaml", 15, 11, "duplicate-key"] },
  "duplicate-version": { payable: 8500, why: "(11,100 − 1,100) × 85%" },
  "duplicate-zone": { payable: 8500, why: "(11,100 − 1,100) × 85%" },
  "emergency-as-unfiled": { payable: 8500, why: "a zone claim: no reduction; (11,100 − 1,100) × 85%" },
  "empty-file": { payable: 8500, why: "(11,100 − 1,100) × 85%" },
  "ignored-file": { payable: 8500, why: "Changde.YAML is not read: (11,100 − 1,100) × 85% by the Hunan figures" },
  "fraction-as-percent": { refused: ["hunan.yaml", 14, 76, "invalid-value", /is a fraction between 0 and 1 \(0\.85 for 85%\), got 85/] },
  "ignored-figure": { payable: 8500, why: "(11,100 − 1,100) × 85%" },
  "invalid-adjustment": { payable: 8500, why: "not retired: the retiree figure is not read; (11,100 − 1,100) × 85%" },
  "invalid-fraction": { refused: ["hunan.yaml", 10, 31, "invalid-fraction", /fraction 1e-7 is not a plain decimal/] },
  "invalid-type": { refused: ["hunan.yaml", 18, 60, "invalid-type"] },
  "invalid-value": { refused: ["hunan.yaml", 12, 15, "invalid-value", /unit must be fraction/] },
  "layer-unused": { payable: 8500, why: "the 武陵区 layer is never read: (11,100 − 1,100) × 85%" },
  "level-gap": { payable: 8700, why: "常德's own level-3 ratio 87%: (11,100 − 1,100) × 87%" },
  "missing-key": { refused: ["hunan.yaml", 18, 23, "missing-key", /source is required/] },
  "ratio-order": { payable: 8500, why: "level 3 unchanged: (11,100 − 1,100) × 85%" },
  "reduction-cap": { payable: 8500, why: "a zone claim: no reduction; (11,100 − 1,100) × 85%" },
  "reduction-uncapped": { payable: 8500, why: "(11,100 − 1,100) × 85%" },
  "region-starts-late": { payable: 8700, why: "常德's ratio from 2025-01-01, 87%: (11,100 − 1,100) × 87%" },
  "route-order": { payable: 8500, why: "(11,100 − 1,100) × 85%" },
  "stale-figure": { payable: 8500, why: "(11,100 − 1,100) × 85%" },
  syntax: { refused: ["sources2.yaml", 4, 1, "syntax"] },
  "unknown-chronic-list": { refused: ["hunan.yaml", 27, 28, "unknown-chronic-list", /unknown chronic list "national-2" \(did you mean "national-1"\?\)/] },
  "unknown-disease": { refused: ["vocab.yaml", 27, 28, "unknown-disease", /did you mean "diabetes"/] },
  "unknown-key": { refused: ["hunan.yaml", 11, 7, "unknown-key", /unknown key "ratoi".*did you mean "ratio"/] },
  "unknown-level": { refused: ["hunan.yaml", 14, 87, "unknown-level", /unknown hospital level "4"/] },
  "unknown-region": { refused: ["vocab.yaml", 36, 25, "unknown-region", /unknown region "420599" \(did you mean "420500"\?\)/] },
  "unknown-source": { refused: ["hunan.yaml", 18, 47, "unknown-source", /unknown source "src-z"/] },
  "unknown-tag": { refused: ["hunan.yaml", 18, 31, "unknown-tag", /custom YAML tags are not allowed/] },
  "unused-source": { payable: 8500, why: "(11,100 − 1,100) × 85%" },
  "version-order": { payable: 8600, why: "the 2025-01-01 version applies whatever the order: (11,100 − 1,100) × 86%" },
  "wrong-province": { payable: 8500, why: "calc reads the file wherever it lies (rules check refuses it): (11,100 − 1,100) × 85%" },
  "zone-same-province": { payable: 8500, why: "(11,100 − 1,100) × 85%" },
  "zone-self": { refused: ["vocab.yaml", 36, 14, "zone-self", /a zone pairs two different regions/] },
};

const severityOf = (code: string): string => (CHECKS as Record<string, readonly [string, string]>)[code]?.[0] ?? COMPILE_CODES[code]![0];

describe("every rules-check fixture, through calc and rules check", { timeout: TIME_BOUND_MS }, () => {
  const fixtures = readdirSync(join(ROOT, FIXTURES)).filter((d) => d !== "_clean").sort();

  it("lists an expectation for every fixture", () => expect(Object.keys(CALC).sort()).toEqual(fixtures));

  it("the clean base settles the seed claim: (11,100 − 1,100) × 85% = 8,500, and checks clean", async () => {
    expect((await settles(CLAIM, `${FIXTURES}/_clean`)).payable).toBe(8500);
    const r = await check(`${FIXTURES}/_clean`, ["--strict"]);
    expect(r.code).toBe(0);
  });

  for (const fixture of fixtures) {
    const want = CALC[fixture]!;
    const rules = `${FIXTURES}/${fixture}`;
    const error = severityOf(fixture) === "error";
    it(`${fixture}: calc ${"refused" in want ? "exits 3, located" : "gap" in want ? "exits 3, a rule gap, located" : `settles ${want.payable}`}; rules check exits ${error ? 1 : "0 (1 with --strict)"}`, async () => {
      if ("refused" in want) {
        const [file, line, col, code, message] = want.refused;
        await refused(CLAIM, rules, { exit: 3, at: [file, line, col, code], ...(message ? { message } : {}) });
        // Invalid rules are a compile error, which rules check reports too.
        expect(error).toBe(true);
      } else if ("gap" in want) {
        await refused(CLAIM, rules, { exit: 3, message: want.gap });
      } else {
        expect((await settles(CLAIM, rules)).payable, want.why).toBe(want.payable);
      }
      const r = await check(rules);
      expect(r.code).toBe(error ? 1 : 0);
      expect(r.stdout).toMatch(new RegExp(`^${esc(rules)}/[\\w.-]+\\.(yaml|YAML)(:\\d+:\\d+)? ${error ? "error" : "warning"} ${esc(fixture)} `, "m"));
      if (!error) expect((await check(rules, ["--strict"])).code).toBe(1);
    });
  }

  it("invalid-adjustment: a retired claim meets the prepay retiree figure as a rule gap (exit 3), located", () =>
    refused(seedClaim({ insured: ", retired: true" }), `${FIXTURES}/invalid-adjustment`, {
      exit: 3,
      message: /retiree adjustment must be points or copayFactor, got prepay \(fix `employee\.retiree` at test\/fixtures\/rules-broken\/invalid-adjustment\/hunan\.yaml:9/,
    }));
});

// ── Edge values at run time ──

const PROVINCE = "hunan/province.yaml";
const RATIO_3 = '"3": 0.85, provincial: 0.80}';
const withRatio3 = (v: string) => rulesWith({ [PROVINCE]: [[RATIO_3, `"3": ${v}, provincial: 0.80}`]] });

describe("edge values at run time", { timeout: TIME_BOUND_MS }, () => {
  it("a ratio of 1.0 and a retiree +2 points: the ratio caps at 100%, the fund is the base exactly", async () => {
    const s = await settles(seedClaim({ insured: ", retired: true" }), withRatio3("1.0"));
    // min(100% + 2 points, 100%) = 100%: (11,100 − 1,100) × 100% = 10,000; the person pays the deductible only.
    expect([s.breakdown.ratio, s.payable, s.personal, s.breakdown.copay]).toEqual([1, 10000, 1100, 0]);
  });

  it("a reduction of more points than the ratio: the ratio floors at 0, the person pays all", async () => {
    const rules = rulesWith({ [PROVINCE]: [["2024-06-01: {value: {points: 0.10}, source: workers-daily-2024}", "2024-06-01: {value: {points: 0.90}, source: workers-daily-2024}"]] });
    // 常德 → 武汉, no filing: unfiled, 85% − 90 points = −5% → 0%. Fund 0; personal 11,100 = deductible 1,100 + co-pay 10,000.
    const s = await settles(seedClaim({ treatment: "420100" }), rules);
    expect([s.route, s.breakdown.ratio, s.payable, s.personal, s.breakdown.deductible, s.breakdown.copay]).toEqual(["unfiled", 0, 0, 11100, 1100, 10000]);
    // What the reduction cost: the unreduced fund (11,100 − 1,100) × 85% = 8,500.
    expect(s.breakdown.reduction).toEqual({ mechanism: "points", rate: 0.9, amount: 8500 });
  });

  it("a deductible of 0: 11,100 × 85% = 9,435", async () => {
    const s = await settles(seedClaim(), rulesWith({ [PROVINCE]: [['"2": 800, "3": 1100, provincial: 1600}', '"2": 800, "3": 0, provincial: 1600}']] }));
    expect([s.breakdown.deductible, s.payable, s.personal]).toEqual([0, 9435, 1665]);
  });

  it("a repeatAdmission share of 0: the second admission has no deductible, 11,100 × 85% = 9,435", async () => {
    const rules = rulesWith({ [PROVINCE]: [["            value: 0.5\n            source: hn-employee-measures", "            value: 0\n            source: hn-employee-measures"]] });
    const s = await settles(seedClaim({ extra: "history: {admissions: 1}" }), rules);
    expect([s.breakdown.deductible, s.payable]).toEqual([0, 9435]);
  });

  it("an annual cap of 0: the fund pays nothing, all of it over the cap", async () => {
    const s = await settles(seedClaim(), rulesWith({ [PROVINCE]: [["2023-01-06: {value: 150000, source: hn-employee-measures}", "2023-01-06: {value: 0, source: hn-employee-measures}"]] }));
    // (11,100 − 1,100) × 85% = 8,500 before the cap, 0 left: 8,500 over the cap; personal 1,100 + 1,500 + 8,500 = 11,100.
    expect([s.breakdown.fundBeforeCap, s.breakdown.overCap, s.payable, s.personal]).toEqual([8500, 8500, 0, 11100]);
  });

  it("a class B prepay share of 1.0: everything of class B is prepay", async () => {
    // 宜昌's share (0 as shipped) set to 1.0.
    const rules = rulesWith({ "hubei/yichang.yaml": [["        value: 0\n        source: bkwk-yichang", "        value: 1.0\n        source: bkwk-yichang"]] });
    const s = await settles(seedClaim({ costs: "classA: 11100, classB: 2000" }), rules);
    // Prepay 2,000 × 100% = 2,000; in policy 11,100 of class A only: fund (11,100 − 1,100) × 85% = 8,500;
    // personal 2,000 + 1,100 + 1,500 = 4,600.
    expect([s.breakdown.prepay, s.breakdown.inPolicy, s.payable, s.personal]).toEqual([2000, 11100, 8500, 4600]);
  });

  it("a ratio of 85 (meant 0.85): calc refuses the rules (exit 3) with the unit hint, located; rules check suggests 0.85", async () => {
    const rules = withRatio3("85");
    await refused(seedClaim(), rules, { exit: 3, at: [PROVINCE, 27, 65, "invalid-value"], message: /policy\.employee\.inpatient\.ratio\.values\.2023-01-06\.value\.3: is a fraction between 0 and 1 \(0\.85 for 85%\), got 85/ });
    const r = await check(rules);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${rules}/${PROVINCE}:27:65 error fraction-as-percent policy.employee.inpatient.ratio.values.2023-01-06.value.3: 85 is a percentage; fractions are written between 0 and 1 (did you mean 0.85?)`);
  });

  it("a ratio of 0.333333333: exact, rounded once to the fen", async () => {
    // Base 5,001,100.03 − 1,100 = 5,000,000.03 yuan = 500,000,003 fen;
    // × 333,333,333 / 10⁹ = 166,666,667.499999999 fen → 166,666,667 fen = 1,666,666.67 (floats give …7.5 → 1,666,666.68).
    const s = await settles(seedClaim({ costs: "classA: 5001100.03" }), withRatio3("0.333333333"));
    expect(s.breakdown.fundBeforeCap).toBe(1666666.67);
    // Then the cap: 150,000 paid, 1,666,666.67 − 150,000 = 1,516,666.67 over it; personal 5,001,100.03 − 150,000.
    expect([s.payable, s.breakdown.overCap, s.personal]).toEqual([150000, 1516666.67, 4851100.03]);
  });

  it("a figure ended by a null version: a rule gap (exit 3) naming where it ended", async () => {
    const rules = rulesWith({ [PROVINCE]: [["2023-01-06: {value: 150000, source: hn-employee-measures}", "2023-01-06: {value: 150000, source: hn-employee-measures}\n          2025-01-01: {value: null, source: hn-employee-measures}"]] });
    // The province's figure ended and 常德 has no file of its own: the file to create for it.
    await refused(seedClaim(), rules, { exit: 3, message: new RegExp(`\\(ended by a null version from 2025-01-01 at ${esc(`${rules}/${PROVINCE}`)}:44:31\\) \\(create ${esc(`${rules}/hunan/changde.yaml`)} \\(region: "430700"\\) with \`employee\\.inpatient\\.annualCap\`, each with a version dated on or before 2025-03-09`) });
  });
});

// ── Hostile rule files ──

const bomb = ["a: &a [x,x,x,x,x,x,x,x,x,x]", ...["b", "c", "d", "e", "f", "g", "h"].map((k, i) => `${k}: &${k} [${Array(10).fill(`*${"abcdefg"[i]}`).join(",")}]`)].join("\n");

describe("hostile rule files", { timeout: TIME_BOUND_MS }, () => {
  const bothRefuse = async (rules: string, e: Refused) => {
    await refused(CLAIM, rules, e);
    const r = await check(rules);
    expect(r.code).toBe(1);
    return r;
  };

  it("a YAML alias bomb is refused quickly", () => bothRefuse(rulesWith({ "bomb.yaml": bomb }), { exit: 3, at: ["bomb.yaml", 1, 1, "syntax"], message: /too many aliases \(more than 100\)/ }));
  it("deeply nested flow sequences", () => bothRefuse(rulesWith({ "deep.yaml": `sources: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n` }), { exit: 3, message: /deep\.yaml:\d+:\d+ error syntax nesting too deep/ }));
  // 1,400 levels (1.96 MB of indentation, under the 2 MB bound): deeper than the parser's stack, or else an unknown key.
  it("deeply nested block mappings", () =>
    bothRefuse(rulesWith({ "deep.yaml": Array.from({ length: 1400 }, (_, i) => `${"  ".repeat(i)}a:`).join("\n") }), { exit: 3, message: /deep\.yaml:\d+:\d+ error (syntax nesting too deep|unknown-key a: unknown key "a")/ }));

  it("a mapping of 100,000 keys: 200 located, 100 printed, in bounded time", { timeout: BIG_BOUND_MS }, async () => {
    const t = Date.now();
    const rules = rulesWith({ "many.yaml": `${Array.from({ length: 100_000 }, (_, i) => `k${i}: 1`).join("\n")}\n` });
    const r = await bothRefuse(rules, { exit: 3, at: ["many.yaml", 1, 1, "unknown-key"], message: /k0: unknown key "k0"; allowed here: region, source, sources/ });
    // 200 located + 1 "99,800 more not located" = 201; 100 printed and a count of the other 101.
    expect(r.stdout).toContain(`${rules}/many.yaml error too-many-problems 99800 more problem(s) not located`);
    const calc = await cli(["calc", CLAIM, "--rules", rules]);
    expect(calc.stderr).toMatch(/… and 101 more problem\(s\) not shown\n$/);
    expect(Date.now() - t).toBeLessThan(BIG_BOUND_MS);
  });

  it("20,000 sources: rules check locates every unused one in bounded time", { timeout: BIG_BOUND_MS }, async () => {
    const rules = rulesWith({ "many.yaml": `sources:\n${Array.from({ length: 20_000 }, (_, i) => `  s${i}: {title: T, date: 2024-01-01, confidence: official}`).join("\n")}\n` });
    const t = Date.now();
    const r = await check(rules);
    expect(r.code).toBe(0); // unused sources are warnings
    expect(r.stdout).toContain(`${rules}/many.yaml:20001:3 warning unused-source sources.s19999: source s19999 is declared but no figure cites it`);
    expect(Date.now() - t).toBeLessThan(BIG_BOUND_MS);
    expect((await settles(CLAIM, rules)).payable).toBe(8500);
  });

  it("a rule file over 2 MB is refused unread", async () => {
    const t = Date.now();
    const rules = rulesWith({ "big.yaml": `# ${"x".repeat(3 * 1024 * 1024)}\n` });
    const r = await bothRefuse(rules, { exit: 3, message: new RegExp(`^${esc(rules)}/big\\.yaml error too-large file is too large \\(3 MB; a rule file may be at most 2 MB\\): not read$`, "m") });
    // Only that problem: the files that are read are fine.
    expect(r.stdout).toMatch(/, 1 error, /);
    expect(Date.now() - t).toBeLessThan(TIME_BOUND_MS);
  });

  it("invalid UTF-8 in a rule file is refused at its line and column, with no knock-on errors", async () => {
    const text = readFileSync(join(ROOT, "rules/sources.yaml"));
    const rules = rulesWith({ "sources.yaml": Buffer.concat([text, Buffer.from("# caf"), Buffer.from([0xe9]), Buffer.from("\n")]) });
    const line = text.toString("utf8").split("\n").length; // the appended comment's line
    const r = await bothRefuse(rules, { exit: 3, at: ["sources.yaml", line, 6, "encoding"], message: /not valid UTF-8 \(byte \d+\); save the file as UTF-8/ });
    // The file's sources are missing from the rule set, but the figures citing them are not blamed.
    expect(r.stdout).not.toMatch(/unknown-source/);
    expect(r.stdout).toMatch(/, 1 error, /);
  });

  it("a BOM and CRLF line ends in a rule file are accepted", async () => {
    const text = readFileSync(join(ROOT, "rules", PROVINCE), "utf8");
    expect((await settles(CLAIM, rulesWith({ [PROVINCE]: `\uFEFF${text.replace(/\n/g, "\r\n")}` }))).payable).toBe(8500);
  });
});

describe("__proto__ and constructor in rule files: no prototype pollution, clear errors", { timeout: TIME_BOUND_MS }, () => {
  const clean = () => {
    expect(({} as Rec).polluted).toBeUndefined();
    expect((Object.prototype as Rec).polluted).toBeUndefined();
  };

  const RESERVED = /key "__proto__" is not allowed: it is reserved in JavaScript objects, and the value would be dropped/;

  it("a top-level __proto__ key is refused, once", async () => {
    const text = readFileSync(join(ROOT, "rules", PROVINCE), "utf8");
    const line = text.split("\n").length;
    const r = await refused(CLAIM, rulesWith({ [PROVINCE]: `${text}__proto__: {polluted: 1}\n` }), { exit: 3, at: [PROVINCE, line, 1, "invalid-key"], message: RESERVED });
    expect(r.stderr.trim().split("\n")).toHaveLength(1); // not also as an unknown key
    clean();
  });

  // Were silently dropped: zod skips a record key named __proto__, so the level
  // vanished from the table (a level 3 claim then settled as before, the rule
  // file's 0.5 ignored without a word).
  it("a level named __proto__ in a ratio table is refused at the key", async () => {
    const rules = withRatio3("0.85, __proto__: 0.5");
    await refused(CLAIM, rules, { exit: 3, at: [PROVINCE, 27, 71, "invalid-key"], message: /policy\.employee\.inpatient\.ratio\.values\.2023-01-06\.value\.__proto__: key "__proto__" is not allowed/ });
    const r = await check(rules);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${rules}/${PROVINCE}:27:71 error invalid-key `);
    clean();
  });

  it("a level named __proto__ holding a mapping: refused, nothing polluted", async () => {
    await refused(CLAIM, withRatio3("0.85, __proto__: {polluted: 1}"), { exit: 3, at: [PROVINCE, 27, 71, "invalid-key"], message: RESERVED });
    clean();
  });

  it("a level named constructor in a table is an unknown level", () =>
    // The value 0.5 at column 84 of `value: {…, "3": 0.85, constructor: 0.5, provincial: 0.80}`.
    refused(CLAIM, withRatio3("0.85, constructor: 0.5"), { exit: 3, at: [PROVINCE, 27, 84, "unknown-level"], message: /unknown hospital level "constructor"/ }));

  it("a source with the id constructor is a source like any other", async () => {
    const rules = rulesWith({
      "sources.yaml": `${readFileSync(join(ROOT, "rules/sources.yaml"), "utf8")}  constructor: {title: A source named constructor, date: 2023-01-06, confidence: official}\n`,
      [PROVINCE]: [["2023-01-06: {value: 150000, source: hn-employee-measures}", "2023-01-06: {value: 150000, source: constructor}"]],
    });
    const s = await settles(CLAIM, rules);
    expect(s.payable).toBe(8500);
    expect(s.figures).toContainEqual(expect.objectContaining({ figure: "employee.inpatient.annualCap", source: "constructor", title: "A source named constructor" }));
    expect((await check(rules)).code).toBe(0);
  });

  it.each(["constructor", "tostring", "hasownproperty"])("citing an undeclared source %s is an unknown source", async (id) => {
    await refused(CLAIM, rulesWith({ [PROVINCE]: [["2023-01-06: {value: 150000, source: hn-employee-measures}", `2023-01-06: {value: 150000, source: ${id}}`]] }), {
      exit: 3,
      at: [PROVINCE, 43, 47, "unknown-source"],
      message: new RegExp(`unknown source "${id}"`),
    });
  });

  // Was accepted: the fallback lookup `g.data.chronicLists?.[lid]` found Object.prototype.constructor.
  it("a chronic list constructor that no file declares is an unknown chronic list", async () => {
    const rules = rulesWith({ [PROVINCE]: [["2021-09-01: {value: [national-5], source: lnd-2021-09-16}", "2021-09-01: {value: [constructor], source: lnd-2021-09-16}"]] });
    const line = readFileSync(join(ROOT, "rules", PROVINCE), "utf8").split("\n").findIndex((l) => l.includes("2021-09-01: {value: [national-5]")) + 1;
    await refused(CLAIM, rules, { exit: 3, at: [PROVINCE, line, 28, "unknown-chronic-list"], message: /unknown chronic list "constructor"/ });
    expect((await check(rules)).code).toBe(1);
  });

  // Regression: findRegionRef (src/rules/names.ts) once read `rules.regions[ref]`;
  // the shipped rules come from the snapshot (JSON.parse: plain objects), where
  // "constructor" found Object's constructor and printed "undefined (undefined)".
  // Every lookup by a user key goes through own() now.
  it("rules show --region constructor (shipped rules) is an unknown region, exit 2", async () => {
    for (const name of ["constructor", "toString", "__proto__"]) {
      const r = await cli(["rules", "show", "--region", name, "--date", "2025-03-09"]);
      expect([r.code, r.stdout]).toEqual([2, ""]);
      expect(r.stderr).toBe(`error: unknown region ${JSON.stringify(name)}: not in the region table\n`);
    }
  });

  it("rules show --region constructor (compiled rules) is an unknown region, exit 2", async () => {
    const r = await cli(["rules", "show", "--region", "constructor", "--date", "2025-03-09", "--rules", rulesWith({})]);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, "", 'error: unknown region "constructor": not in the region table\n']);
  });

  it("__proto__ as a cited source id is refused by its form", () =>
    refused(CLAIM, rulesWith({ [PROVINCE]: [["2023-01-06: {value: 150000, source: hn-employee-measures}", "2023-01-06: {value: 150000, source: __proto__}"]] }), {
      exit: 3,
      at: [PROVINCE, 43, 47, "invalid-value"],
      message: /must be lower-case letters, digits and dashes/,
    }));

  // Was accepted: the region vanished from the table, calc settled (exit 0).
  it("a region code __proto__ is refused at the key", async () => {
    const text = readFileSync(join(ROOT, "rules/regions.yaml"), "utf8");
    const line = text.split("\n").length;
    await refused(CLAIM, rulesWith({ "regions.yaml": `${text}  __proto__: {name: X, level: prefecture, parent: "430000"}\n` }), { exit: 3, at: ["regions.yaml", line, 3, "invalid-key"], message: RESERVED });
    clean();
  });

  // Was a misleading rule gap ("no employee inpatient annual cap … in force"): the version vanished.
  it("a version dated __proto__ is refused at the key", async () => {
    await refused(CLAIM, rulesWith({ [PROVINCE]: [["2023-01-06: {value: 150000, source: hn-employee-measures}", "__proto__: {value: 1, source: hn-employee-measures}"]] }), {
      exit: 3,
      at: [PROVINCE, 43, 11, "invalid-key"],
      message: /policy\.employee\.inpatient\.annualCap\.values\.__proto__: key "__proto__" is not allowed/,
    });
    clean();
  });
});

describe("rules check with a broken file", () => {
  it("holds back whole-set warnings a broken province file would cause in its cities (衡阳)", async () => {
    // Hunan's level-3 employee ratio typed as 85: province.yaml is left out of the rule set, so
    // 衡阳's layer would look incomplete (coverage gaps): the cross-file warnings of the whole set are held
    // back and counted (14), and only the file-level ones (stale figures) are shown.
    const dir = mkdtempSync(join(tmpdir(), "reimburse-heldback-"));
    cpSync(join(ROOT, "rules"), dir, { recursive: true });
    const p = join(dir, "hunan", "province.yaml");
    writeFileSync(p, readFileSync(p, "utf8").replace('"3": 0.85, provincial: 0.80}', '"3": 85, provincial: 0.80}'));
    const r = await cli(["rules", "check", dir, "--as-of", "2026-11-22"]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/hengyang\.yaml/);
    expect(r.stdout).toMatch(/^13 files, 1 error, 3 warnings \(14 cross-file warnings held back until the errors are fixed\);/m);
  });
});

describe("a recursive alias in a rule file (found by the fuzzer: it hung the rules loader)", () => {
  it("is a located syntax error for calc (exit 3) and rules check (exit 1), quickly", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reimburse-recursive-"));
    cpSync(join(ROOT, "rules"), dir, { recursive: true });
    const p = join(dir, "zones.yaml");
    writeFileSync(p, readFileSync(p, "utf8").replace("    unit: flag", "    unit: &a [*a]"));
    const t = Date.now();
    const calc = await cli(["calc", "examples/zone-changde-yichang.yaml", "--rules", dir]);
    expect(calc.code).toBe(3);
    expect(calc.stderr).toMatch(/zones\.yaml:\d+:\d+ error syntax recursive alias \*a: a value cannot contain itself/);
    const check = await cli(["rules", "check", dir, "--as-of", "2026-11-22"]);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/recursive alias \*a/);
    expect(Date.now() - t).toBeLessThan(10_000); // it ran forever before
  });
});

