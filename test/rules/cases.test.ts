/**
 * Rule test cases: the shipped *.test.yaml files pass case by case (so a
 * failure names its case here too), cover every route for both provinces,
 * and the runner reports what differs.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROUTES } from "../../src/core/model.js";
import { rate } from "../../src/core/rate.js";
import { readCaseTexts } from "../../src/commands/rules.js";
import { parseCases, runCase, type RuleCase } from "../../src/rules/cases.js";
import { ROOT, shippedRules } from "../helpers.js";

const rules = shippedRules();
const shipped = readCaseTexts(join(ROOT, "rules")).map((t) => ({ ...t, ...parseCases(t.file, t.text, rules) }));

describe("shipped rule test cases", () => {
  it("are two readable files, one per insured province", () => {
    expect(shipped.map((f) => [f.file.replace(/^.*rules\//, "rules/"), f.diagnostics])).toEqual([
      ["rules/hubei/hubei.test.yaml", []],
      ["rules/hunan/hunan.test.yaml", []],
    ]);
  });

  for (const f of shipped)
    for (const c of f.cases)
      it(`${f.file.replace(/^.*rules\//, "")}:${c.line} ${c.name}`, () => {
        const r = runCase(rules, c);
        expect(r.mismatches).toEqual([]);
        expect(r.passed).toBe(true);
      });

  it("settle every route for people insured in each province", () => {
    const seen = new Set<string>();
    for (const f of shipped)
      for (const c of f.cases) {
        const s = runCase(rules, c).settlement;
        if (s && c.overrides.length === 0) seen.add(`${s.insured.region.slice(0, 2)}:${s.route}`);
      }
    for (const province of ["43", "42"]) for (const route of ROUTES) expect(seen, `${province}:${route}`).toContain(`${province}:${route}`);
  });
});

/** A case file around one claim, with the expect and overrides given. */
function caseFile(expect: string, overrides = ""): string {
  return `- name: 常德 employee referred to 武汉 at level 3
  claim:
    date: 2025-03-09
    insured: {region: "430700", scheme: employee}
    treatment: {region: "420100", level: 3, kind: inpatient}
    filing: referral
    costs: {classA: 11100}
${overrides}  expect: ${expect}
`;
}
const one = (text: string): RuleCase => {
  const r = parseCases("t.test.yaml", text, rules);
  expect(r.diagnostics).toEqual([]);
  return r.cases[0]!;
};

describe("runCase", () => {
  it("passes when every expected field matches: (11,100 − 1,100) × (85% − 5) = 8,000", () => {
    const r = runCase(rules, one(caseFile("{payable: 8000, ratio: 0.80, route: referral, deductible: 1100, personal: 3100}")));
    expect(r).toMatchObject({ passed: true, mismatches: [] });
  });

  it("lists each field that differs, expected against actual", () => {
    const r = runCase(rules, one(caseFile("{payable: 8500, ratio: 0.85, route: zone, deductible: 1100}")));
    expect(r.passed).toBe(false);
    expect(r.mismatches).toEqual([
      { field: "payable", expected: { fen: 850_000 }, actual: { fen: 800_000 } }, // (11,100 − 1,100) × 80% = 8,000
      { field: "ratio", expected: { rate: rate(85, 100) }, actual: { rate: rate(80, 100) } },
      { field: "route", expected: "zone", actual: "referral" },
    ]);
  });

  it("fails a case that expects a rule gap when the claim settles", () => {
    const r = runCase(rules, one(caseFile("{error: rule-gap}")));
    expect(r.mismatches).toEqual([{ field: "error", expected: "rule-gap", actual: "settled, payable 8,000.00" }]);
  });

  it("compares warnings as a set of codes", () => {
    // Hunan's referral figure cites workers-daily-2024 (official); the ratio is secondary: no unverified-figure warning.
    // Hunan employees have no 大病保险 figures: that warning only.
    expect(runCase(rules, one(caseFile("{warnings: [critical-illness-missing]}"))).passed).toBe(true);
    expect(runCase(rules, one(caseFile("{warnings: [route-forced]}"))).mismatches).toEqual([{ field: "warnings", expected: "[route-forced]", actual: "[critical-illness-missing]" }]);
  });

  it("applies an override to that case only: a 10-point referral pays 10,000 × 75% = 7,500", () => {
    const c = one(caseFile("{payable: 7500}", '  overrides:\n    湖南省: {reductions.referral: {points: 0.10}}\n'));
    expect(c.overrides.map((o) => [o.region, o.name, o.figure.versions[0]!.value])).toEqual([["430000", "reductions.referral", { points: { num: 1, den: 10 } }]]);
    expect(runCase(rules, c).passed).toBe(true);
    // The shared rules are untouched: the same claim without the override still pays 8,000.
    expect(runCase(rules, one(caseFile("{payable: 8000}"))).passed).toBe(true);
  });

  it("overrides a level table, converting yuan to fen: deductible 600 at level 3 gives 10,500 × 80% = 8,400", () => {
    const c = one(caseFile("{deductible: 600, payable: 8400}", '  overrides:\n    "430000": {employee.inpatient.deductible: {"3": 600}}\n'));
    expect(runCase(rules, c).mismatches).toEqual([]);
  });
});

describe("parseCases: located problems", () => {
  const diags = (text: string) => parseCases("t.test.yaml", text, rules).diagnostics.map((d) => [d.code, d.line, d.col, d.message, d.hint]);

  it("names an unknown figure in an override, with a did-you-mean", () => {
    expect(diags(caseFile("{payable: 7500}", '  overrides:\n    "430000": {reductions.referal: {points: 0.10}}\n'))).toEqual([
      ["unknown-figure", 9, 16, expect.stringMatching(/^unknown figure "reductions.referal"; one of: /), 'did you mean "reductions.referral"?'],
    ]);
  });

  it("checks an override's value against the rule-file schema: a ratio of 85 is out of range", () => {
    expect(diags(caseFile("{payable: 7500}", '  overrides:\n    "430000": {employee.inpatient.ratio: {"3": 85}}\n'))).toEqual([
      ["invalid-value", 9, 48, "is a fraction between 0 and 1 (0.85 for 85%), got 85", undefined],
    ]);
  });

  it("names an unknown region in an override", () => {
    expect(diags(caseFile("{payable: 7500}", '  overrides:\n    湘南省: {reductions.referral: {points: 0.10}}\n'))).toEqual([
      ["unknown-region", 9, 5, 'unknown region "湘南省": not in the region table', 'did you mean "湖南省"?'],
    ]);
  });

  it("points at a misspelt expected field", () => {
    expect(diags(caseFile("{payabel: 8000}"))).toEqual([
      ["unknown-key", 8, 12, expect.stringMatching(/^unknown key "payabel"; allowed here: payable, /), 'did you mean "payable"?'],
    ]);
  });

  it("refuses a claim field the claim format does not know, at its place in the case", () => {
    const text = caseFile("{payable: 8000}").replace("filing: referral", "filling: referral");
    expect(diags(text)[0]!.slice(0, 3)).toEqual(["unknown-key", 6, 5]);
  });
});
