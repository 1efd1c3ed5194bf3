/**
 * `rules check`: one broken fixture per code under test/fixtures/rules-broken/,
 * each a small complete rule set (vocab.yaml + hunan.yaml, plus the file a
 * case needs) broken in one way, and the place the finding must point at.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyseRules } from "../../src/rules/compile.js";
import { CHECKS, checkRules, COMPILE_CODES, yearsBefore } from "../../src/rules/check.js";
import { walkRulesDir } from "../../src/rules/files.js";
import { readRuleTexts } from "../../src/rules/load.js";
import { ROOT } from "../helpers.js";

const FIXTURES = join(ROOT, "test", "fixtures", "rules-broken");
const AS_OF = "2026-11-22";
/** As `rules check` runs: the files named like rule files in other letters are passed as ignored. */
const check = (dir: string) => {
  const d = join(FIXTURES, dir);
  return checkRules(readRuleTexts(d), { asOf: AS_OF, staleYears: 5, ignored: walkRulesDir(d).ignored.map((rel) => `${d}/${rel}`) });
};

/** code → the file of the fixture and the line:col the finding points at (the offending key or value). */
const EXPECTED: Record<string, readonly [file: string, line: number, col: number]> = {
  // compile's codes
  syntax: ["sources2.yaml", 4, 1], //                 the string opened on line 3 runs to the end of the file
  "duplicate-key": ["hunan.yaml", 15, 11], //          the second 2024-01-01 of ratio
  "unknown-tag": ["hunan.yaml", 18, 31], //            !yuan
  "unknown-key": ["hunan.yaml", 11, 7], //             ratoi (did you mean ratio?)
  "missing-key": ["hunan.yaml", 18, 23], //            the version {value: 150000} without source
  "invalid-type": ["hunan.yaml", 18, 60], //           note: 15
  "invalid-value": ["hunan.yaml", 12, 15], //          unit: percent
  "duplicate-definition": ["vocab.yaml", 4, 3], //     src-a, already in sources2.yaml (read first)
  "zone-self": ["vocab.yaml", 36, 14], //              between: ["430700", "430700"]
  "unknown-region": ["vocab.yaml", 36, 25], //         "420599"
  "unknown-source": ["hunan.yaml", 18, 47], //         src-z
  "unknown-level": ["hunan.yaml", 14, 87], //          the 0.82 of level "4"
  "unknown-disease": ["vocab.yaml", 27, 28], //        diabetis
  "unknown-chronic-list": ["hunan.yaml", 27, 28], //   national-2
  "invalid-fraction": ["hunan.yaml", 10, 31], //       1.0e-7
  "confidence-raised": ["hunan.yaml", 18, 66], //      confidence: official on an unverified source
  "empty-file": ["empty.yaml", 1, 1],
  // check's codes
  "fraction-as-percent": ["hunan.yaml", 14, 76], //    "3": 85
  "amount-decimals": ["hunan.yaml", 10, 63], //        "2": 800.125
  "version-order": ["hunan.yaml", 15, 11], //          2024-01-01 listed after 2025-01-01
  "duplicate-version": ["hunan.yaml", 15, 11], //      2025-01-01 repeating 2024-01-01
  "stale-figure": ["hunan.yaml", 9, 9], //             retiree 2015-01-01, older than 2021-11-22
  "region-starts-late": ["changde.yaml", 9, 11], //    常德's ratio from 2025-01-01, Hunan's from 2024-01-01
  "coverage-gap": ["hunan.yaml", 19, 31], //           annualCap ended by null on 2025-01-01
  "level-gap": ["changde.yaml", 9, 31], //             常德's ratio without provincial
  "ratio-order": ["hunan.yaml", 14, 65], //            "2": 0.80 below "3": 0.85
  "deductible-order": ["hunan.yaml", 10, 63], //       "2": 1200 above "3": 1100
  "ceiling-contradiction": ["hunan.yaml", 18, 31], //  deductibleCeiling 1000 < 1100 (level 3) and 1600 (provincial)
  "invalid-adjustment": ["hunan.yaml", 9, 29], //      retiree {prepay: 0.02}
  "ignored-figure": ["hunan.yaml", 15, 7], //          settleAs under inpatient
  "reduction-cap": ["hunan.yaml", 23, 60], //          unfiled 25 points > 20
  "reduction-uncapped": ["hunan.yaml", 20, 62], //     long-term 5 points
  "emergency-as-unfiled": ["hunan.yaml", 21, 62], //   emergency 10 points > referral 5
  "route-order": ["hunan.yaml", 22, 62], //            temporary 3 points < referral 5
  "duplicate-zone": ["zones2.yaml", 5, 14], //         宜昌 ↔ 常德 again
  "zone-same-province": ["zones2.yaml", 5, 14], //     常德 ↔ 长沙
  "layer-unused": ["wuling.yaml", 2, 9], //            region: "430702"
  "wrong-province": ["yichang.yaml", 3, 9], //         region: "420500" (Hubei) beside Hunan's province file
  "unused-source": ["vocab.yaml", 6, 3], //            src-b
  "ignored-file": ["Changde.YAML", 0, 0], //           a rule file in capitals: not read, said so (the file as a whole)
  "band-order": ["hunan.yaml", 29, 26], //             大病 band 2 from 20,000, inside band 1 (to 30,000)
  "threshold-above-cap": ["hunan.yaml", 32, 60], //    大病 cap 10,000 below the 16,000 threshold
};

describe("rules check: one broken fixture per code", () => {
  it("has a fixture and an expected place for every code compile and check report", () => {
    const codes = [...Object.keys(COMPILE_CODES), ...Object.keys(CHECKS)].sort();
    expect(Object.keys(EXPECTED).sort()).toEqual(codes);
    expect(readdirSync(FIXTURES).filter((d) => d !== "_clean").sort()).toEqual(codes);
  });

  it("finds nothing in the clean base the fixtures are made from", () => {
    const r = check("_clean");
    expect(r.diagnostics).toEqual([]);
    // 8 figures in hunan.yaml, 4 caps, 1 chronic list, 1 zone; one dated value each, all from src-a (official).
    expect(r.summary).toEqual({ heldBack: 0, files: 2, errors: 0, warnings: 0, figures: 14, values: 14, confidence: { official: 14, secondary: 0, unverified: 0 } });
  });

  for (const [code, [file, line, col]] of Object.entries(EXPECTED)) {
    it(`${code}: ${file}:${line}:${col}`, () => {
      const r = check(code);
      const severity = (CHECKS as Record<string, readonly [string, string]>)[code]?.[0] ?? COMPILE_CODES[code]![0];
      const found = r.diagnostics.filter((d) => d.code === code);
      expect(found.map((d) => [d.file.split("/").pop(), d.line, d.col, d.severity])).toContainEqual([file, line, col, severity]);
      // Broken in one way, reported in one way: no other code fires.
      expect([...new Set(r.diagnostics.map((d) => d.code))]).toEqual([code]);
    });
  }
});

describe("rules check: messages", () => {
  it("suggests 0.85 for a ratio written 85, instead of compile's generic range error", () => {
    const [d, ...rest] = check("fraction-as-percent").diagnostics;
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ severity: "error", message: "85 is a percentage; fractions are written between 0 and 1", hint: "did you mean 0.85?", path: "policy.employee.inpatient.ratio.values.2024-01-01.value.3" });
  });

  it("names the cap, its date and its place when a reduction exceeds it", () => {
    const [d] = check("reduction-cap").diagnostics;
    expect(d!.message).toMatch(/^湖南省 \(430000\) reduces unfiled by 25 points, above the national cap of 20 points \(in force from 2024-01-01, .*vocab\.yaml:31\)$/);
  });

  it("says which table has the level another lacks", () => {
    const [d] = check("level-gap").diagnostics;
    expect(d!.message).toMatch(/^employee inpatient ratio has no level provincial, which the deductible table \(.*hunan\.yaml\) has: a claim at that level is a rule gap$/);
  });

  it("reports the ceiling once although two levels (3 and provincial) break it", () => {
    const ds = check("ceiling-contradiction").diagnostics;
    expect(ds).toHaveLength(1);
    // The ceiling is one amount for all levels; level 3 is the first whose deductible (1,100) it is below.
    expect(ds[0]!.message).toMatch(/^employee inpatient deductibleCeiling 1,000\.00 at level 3 is below a single deductible \(1,100\.00, .*hunan\.yaml\) on 2024-01-01$/);
  });
});

// In-memory rule sets for what the fixtures do not vary.
const VOCAB = (caps = "") => `
sources:
  s: {title: S, date: 2024-01-01, confidence: official}
source: s
regions:
  "430000": {name: 湖南省, level: province}
  "430700": {name: 常德市, level: prefecture, parent: "430000"}
levels:
  "3": {zh: 三级, en: level 3}
reductionCaps:
  referral: {unit: fraction, values: {2024-01-01: {value: 0.10, source: s}${caps}}}
`;
const POLICY = (reductions: string, extra = "") => `
region: "430000"
policy:
  employee:
    inpatient:
      deductible: {unit: yuan, values: {2024-01-01: {value: 1000, source: s}}}
      ratio: {unit: fraction, values: {2024-01-01: {value: 0.85, source: s}${extra}}}
      annualCap: {unit: yuan, values: {2024-01-01: {value: 150000, source: s}}}
  reductions:
${reductions}
`;
const run = (vocab: string, policy: string, asOf = AS_OF, staleYears = 5) =>
  checkRules([{ file: "vocab.yaml", text: vocab }, { file: "hunan.yaml", text: policy }], { asOf, staleYears }).diagnostics;
const codes = (ds: readonly { code: string }[]) => ds.map((d) => d.code);

describe("rules check: national caps and routes", () => {
  const routes = (referral: string, emergency: string, temporary: string, unfiled: string) =>
    [["referral", referral], ["emergency", emergency], ["temporary", temporary], ["unfiled", unfiled]]
      .map(([r, v]) => `    ${r}: {unit: fraction, values: {2024-01-01: {value: ${v}, source: s}}}`)
      .join("\n");

  it("holds a prepay share to the cap too: 荆州-style 15% prepay on referral is above 10 points", () => {
    const ds = run(VOCAB(), POLICY(routes("{prepay: 0.15}", "{prepay: 0.10}", "{prepay: 0.20}", "{prepay: 0.20}")));
    expect(ds.filter((d) => d.code === "reduction-cap").map((d) => d.message)).toEqual([
      "湖南省 (430000) reduces referral by a 15% prepay, above the national cap of 10 points (in force from 2024-01-01, vocab.yaml:11)",
    ]);
  });

  it("accepts reductions exactly at the caps (Hubei: 10 / 10 / 20 / 20)", () => {
    const ds = run(VOCAB(), POLICY(routes("{points: 0.10}", "{points: 0.10}", "{points: 0.20}", "{points: 0.20}")));
    expect(codes(ds).filter((c) => c === "reduction-cap" || c === "emergency-as-unfiled" || c === "route-order")).toEqual([]);
  });

  it("checks a reduction against a cap lowered while it is in force", () => {
    // Cap 10 points until 2025-01-01, then 5: a 10-point referral from 2024 breaks the new cap.
    const ds = run(VOCAB(", 2025-01-01: {value: 0.05, source: s}"), POLICY(routes("{points: 0.10}", "{points: 0.05}", "{points: 0.10}", "{points: 0.10}")));
    expect(ds.filter((d) => d.code === "reduction-cap").map((d) => d.message)).toEqual([
      "湖南省 (430000) reduces referral by 10 points, above the national cap of 5 points (in force from 2025-01-01, vocab.yaml:11)",
    ]);
  });

  it("flags emergency reduced as much as unfiled when there is no referral figure to compare with", () => {
    const policy = POLICY(
      ["emergency", "temporary", "unfiled"].map((r) => `    ${r}: {unit: fraction, values: {2024-01-01: {value: {points: 0.10}, source: s}}}`).join("\n"),
    );
    const ds = run(VOCAB(), policy).filter((d) => d.code === "emergency-as-unfiled");
    expect(ds.map((d) => [d.line, d.message])).toEqual([[10, "emergency is reduced by 10 points, as much as unfiled (10 points) on 2024-01-01: an emergency counts as filed (医保发〔2022〕22号)"]]);
  });

  it("warns of unfiled claims reduced less than filed temporary ones", () => {
    const ds = run(VOCAB(), POLICY(routes("{points: 0.05}", "{points: 0.05}", "{points: 0.10}", "{points: 0.08}")));
    expect(ds.filter((d) => d.code === "route-order").map((d) => d.message)).toEqual([
      "unfiled claims are reduced by 8 points, less than filed temporary ones (10 points) on 2024-01-01",
    ]);
  });
});

describe("rules check: accounts and retirees' figures", () => {
  const routes = ["referral", "emergency", "temporary", "unfiled"].map((r) => `    ${r}: {unit: fraction, values: {2024-01-01: {value: {points: 0.05}, source: s}}}`).join("\n");
  const withKinds = (kinds: string) => POLICY(routes).replace("  reductions:", `${kinds}\n  reductions:`);
  it("warns of countsIn on inpatient care and of a resident kind's retired figures: settling never reads them", () => {
    const ds = run(
      VOCAB(),
      withKinds(`    chronic:
      deductible: {unit: yuan, values: {2024-01-01: {value: 0, source: s}}}
      ratio: {unit: fraction, values: {2024-01-01: {value: 0.80, source: s}}}
      countsIn: {unit: kind, values: {2024-01-01: {value: inpatient, source: s}}}
  resident:
    inpatient:
      deductible: {unit: yuan, values: {2024-01-01: {value: 1000, source: s}}}
      ratio: {unit: fraction, values: {2024-01-01: {value: 0.60, source: s}}}
      annualCap: {unit: yuan, values: {2024-01-01: {value: 150000, source: s}}}
      countsIn: {unit: kind, values: {2024-01-01: {value: inpatient, source: s}}}
      retired:
        ratio: {unit: fraction, values: {2024-01-01: {value: 0.70, source: s}}}`),
    );
    expect(ds.filter((d) => d.code === "ignored-figure").map((d) => d.message)).toEqual([
      "inpatient payments are the inpatient account's already; countsIn is read for outpatient and chronic only",
      "resident.inpatient.retired is never read: retirement status applies to the employee scheme only (职工医保)",
    ]);
    // The employee chronic figures count in the inpatient cap: no annualCap of their own is needed, so no coverage gap.
    expect(ds.filter((d) => d.code === "coverage-gap")).toEqual([]);
  });
  it("without countsIn, a chronic policy without a cap is a coverage gap", () => {
    const ds = run(VOCAB(), withKinds(`    chronic:
      deductible: {unit: yuan, values: {2024-01-01: {value: 0, source: s}}}
      ratio: {unit: fraction, values: {2024-01-01: {value: 0.80, source: s}}}`));
    expect(ds.filter((d) => d.code === "coverage-gap").map((d) => d.message)).toEqual([
      "no employee chronic annualCap in force on 2024-01-01 for 湖南省 (430000), while its deductible and ratio are: a claim on that date is a rule gap",
    ]);
  });
});

describe("rules check: 大病保险 bands", () => {
  const scale = (measure: string, bands: string, threshold = 16000) =>
    POLICY(["referral", "emergency", "temporary", "unfiled"].map((r) => `    ${r}: {unit: fraction, values: {2024-01-01: {value: {points: 0.05}, source: s}}}`).join("\n")).replace(
      "  reductions:",
      `    criticalIllness:\n      threshold: {unit: yuan, values: {2024-01-01: {value: ${threshold}, source: s}}}\n      bands: {unit: scale, values: {2024-01-01: {value: {measure: ${measure}, bands: [${bands}]}, source: s}}}\n      annualCap: {unit: yuan, values: {2024-01-01: {value: 400000, source: s}}}\n  reductions:`,
    );
  const bandMessages = (measure: string, bands: string, threshold?: number) => run(VOCAB(), scale(measure, bands, threshold)).filter((d) => d.code === "band-order").map((d) => d.message);
  it("accepts Hunan's bands above the threshold and 武汉's on the base from the threshold", () => {
    expect(bandMessages("aboveThreshold", "{from: 0, to: 30000, rate: 0.6}, {from: 30000, rate: 0.65}")).toEqual([]);
    expect(bandMessages("base", "{from: 12000, to: 30000, rate: 0.6}, {from: 30000, rate: 0.65}", 12000)).toEqual([]);
  });
  it("finds a gap, a band that ends where it starts, and an open band that is not the last", () => {
    expect(bandMessages("aboveThreshold", "{from: 0, to: 30000, rate: 0.6}, {from: 40000, to: 40000, rate: 0.65}, {from: 40000, rate: 0.7}, {from: 90000, rate: 0.8}")).toEqual([
      "band 2 starts at 40,000.00, after band 1 ends (30,000.00): the amounts between are in no band",
      "band 2 ends at 40,000.00, not above where it starts (40,000.00)",
      "band 3 has no upper end, but band 4 follows it: only the last band is open",
    ]);
  });
  it("says where a scale must start: at the threshold on the base, at 0 above it", () => {
    expect(bandMessages("base", "{from: 10000, rate: 0.6}", 12000)).toEqual(["the bands count the base itself (measure: base), so the first should start at the threshold 12,000.00, not 10,000.00: the part below the threshold is never paid"]);
    expect(bandMessages("aboveThreshold", "{from: 12000, rate: 0.6}", 12000)).toEqual(["the bands count the part above the threshold (measure: aboveThreshold), so the first should start at 0, not 12,000.00"]);
  });
  it("calls a band rate of 60 a percentage", () => {
    const ds = run(VOCAB(), scale("aboveThreshold", "{from: 0, rate: 60}"));
    expect(ds.filter((d) => d.code === "fraction-as-percent").map((d) => d.hint)).toEqual(["did you mean 0.6?"]);
  });
});

describe("rules check: dates", () => {
  const fig = `    referral: {unit: fraction, values: {2024-01-01: {value: {points: 0.05}, source: s}}}`;
  it("calls a figure stale only when its latest version is more than N years old", () => {
    // Every figure's latest version is 2024-01-01: stale from 2029-01-02 with 5 years, not on 2029-01-01.
    expect(codes(run(VOCAB(), POLICY(fig), "2029-01-01"))).not.toContain("stale-figure");
    expect(codes(run(VOCAB(), POLICY(fig), "2029-01-02")).filter((c) => c === "stale-figure")).toHaveLength(5);
    expect(codes(run(VOCAB(), POLICY(fig), "2026-01-02", 2)).filter((c) => c === "stale-figure")).toHaveLength(5);
  });

  it("does not call an ended figure stale", () => {
    const ended = POLICY(fig, ", 2025-01-01: {value: null, source: s}");
    const stale = run(VOCAB(), ended, "2040-01-01").filter((d) => d.code === "stale-figure");
    expect(stale.map((d) => d.path)).not.toContain("policy.employee.inpatient.ratio.values.2025-01-01");
  });

  it("counts years back from a leap day to the 28th", () => {
    expect(yearsBefore("2028-02-29", 5)).toBe("2023-02-28");
    expect(yearsBefore("2026-11-22", 5)).toBe("2021-11-22");
  });

  it("points a gap at the version that starts too late", () => {
    // The referral figure starts 2025-01-01, a year after the inpatient figures.
    const late = `    referral: {unit: fraction, values: {2025-01-01: {value: {points: 0.05}, source: s}}}`;
    const gaps = run(VOCAB(), POLICY(late)).filter((d) => d.code === "coverage-gap");
    const gap = gaps.find((d) => d.path === "policy.reductions.referral.values.2025-01-01");
    expect(gap).toMatchObject({ file: "hunan.yaml", line: 10, col: 41 });
    // The three routes with no figure at all point at the reductions the figure belongs in.
    expect(gaps.filter((d) => d.path === "policy.reductions").map((d) => [d.line, d.col, d.hint])).toEqual(
      ["emergency", "temporary", "unfiled"].map((r) => [9, 3, `add reductions.${r} to hunan.yaml`]),
    );
    expect(gap!.message).toBe(
      "no reduction for the referral route in force on 2024-01-01 for 湖南省 (430000), while its employee inpatient figures are: a cross-province referral claim on that date is a rule gap (it starts 2025-01-01)",
    );
  });
});

describe("rules check: one pass over every file", () => {
  it("reports a syntax error in one file and a wrong ratio in another together", () => {
    const texts = readRuleTexts(join(FIXTURES, "ratio-order"));
    texts.push({ file: "broken.yaml", text: "zones:\n  x: [\n" });
    const ds = checkRules(texts, { asOf: AS_OF, staleYears: 5 }).diagnostics;
    expect(codes(ds).sort()).toEqual(["ratio-order", "syntax"]);
  });

  it("leaves out reference errors a broken file could explain, and keeps the others", () => {
    // sources.yaml is broken, so "unknown source s" may be its fault; the unknown region is not.
    const a = analyseRules([
      { file: "sources.yaml", text: "sources:\n  s: {title: S, date: 2024-01-01, confidence: official\n" },
      { file: "zones.yaml", text: 'zones:\n  z:\n    name: {zh: 甲, en: a}\n    between: ["430700", "420500"]\n    unit: flag\n    values:\n      2024-01-01: {value: true, source: s}\n' },
    ]);
    expect(a.broken).toEqual(["sources.yaml"]);
    expect(codes(a.diagnostics).sort()).toEqual(["syntax", "unknown-region", "unknown-region"]);
  });

  it("finds ratio-order exactly when a lower level pays less than the level above it", () => {
    const levels = ["provincial", "3", "2", "1", "community"];
    const vocab = `sources: {s: {title: S, date: 2024-01-01, confidence: official}}
levels: {${levels.map((l) => `"${l}": {zh: x, en: x}`).join(", ")}}
source: s
regions: {"430000": {name: 湖南省, level: province}, "430700": {name: 常德市, level: prefecture, parent: "430000"}}`;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 50, max: 99 }), { minLength: 5, maxLength: 5 }), (pct) => {
        const table = levels.map((l, i) => `"${l}": 0.${pct[i]}`).join(", ");
        const ds = checkRules(
          [
            { file: "v.yaml", text: vocab },
            { file: "p.yaml", text: `region: "430000"\npolicy:\n  employee:\n    inpatient:\n      ratio: {unit: fraction, values: {2024-01-01: {value: {${table}}, source: s}}}\n` },
          ],
          { asOf: AS_OF, staleYears: 5 },
        ).diagnostics;
        const expected = pct.slice(1).filter((p, i) => p < pct[i]!).length;
        expect(ds.filter((d) => d.code === "ratio-order")).toHaveLength(expected);
      }),
      { numRuns: 40, seed: 20261122 },
    );
  });
});

describe("rules check: the shipped rules", () => {
  it("have no errors", () => {
    const r = checkRules(readRuleTexts(join(ROOT, "rules")), { asOf: AS_OF, staleYears: 5 });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.summary.errors).toBe(0);
    expect(r.summary.values).toBe(r.summary.confidence.official + r.summary.confidence.secondary + r.summary.confidence.unverified);
  });

  it("warn that 衡阳's ratio table lacks the provincial level its deductible table has", () => {
    const r = checkRules(readRuleTexts(join(ROOT, "rules")), { asOf: AS_OF, staleYears: 5 });
    const d = r.diagnostics.find((x) => x.code === "level-gap" && x.file === "rules/hunan/hengyang.yaml");
    expect(d).toMatchObject({ severity: "warning", path: "policy.resident.inpatient.ratio.values.2023-01-01.value" });
    expect(d!.message).toContain("has no level provincial");
  });
});
