/**
 * 大病保险 and the scale it pays by (src/core/scale.ts, src/core/critical.ts),
 * with the figures of domain-2.md §7–8; every amount worked out by hand above
 * its assertion.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rate } from "../../src/core/rate.js";
import { bandParts } from "../../src/core/scale.js";
import type { Scale } from "../../src/core/model.js";
import { settle } from "../../src/core/settle.js";
import { claim, shippedRules } from "../helpers.js";

const fen = (yuan: number) => Math.round(yuan * 100);
/** 武汉: bands on the base itself, from the 12,000 threshold: 60% to 30,000, 65% to 100,000, 75% above. */
const WUHAN: Scale = {
  measure: "base",
  bands: [
    { from: fen(12000), to: fen(30000), rate: rate(60, 100) },
    { from: fen(30000), to: fen(100000), rate: rate(65, 100) },
    { from: fen(100000), rate: rate(75, 100) },
  ],
};
/** Hunan: bands counting the part above the threshold: 60% to 30,000, 65% to 80,000, 75% to 150,000, 85% above. */
const HUNAN: Scale = {
  measure: "aboveThreshold",
  bands: [
    { from: 0, to: fen(30000), rate: rate(60, 100) },
    { from: fen(30000), to: fen(80000), rate: rate(65, 100) },
    { from: fen(80000), to: fen(150000), rate: rate(75, 100) },
    { from: fen(150000), rate: rate(85, 100) },
  ],
};
const amounts = (parts: ReturnType<typeof bandParts>) => parts.map((p) => [p.base / 100, p.amount / 100]);

describe("the scale", () => {
  it("domain-2 §8: 150,000 after the basic fund, threshold 12,000: 18,000 × 60% + 70,000 × 65% + 50,000 × 75% = 93,800", () => {
    const parts = bandParts(WUHAN, fen(12000), 0, fen(150000));
    expect(amounts(parts)).toEqual([
      [18000, 10800],
      [70000, 45500],
      [50000, 37500],
    ]);
    expect(parts.reduce((s, p) => s + p.amount, 0)).toBe(fen(93800));
  });
  it("Hunan counts above the threshold: 70,780 with 16,000 → 30,000 × 60% + 24,780 × 65% = 18,000 + 16,107", () => {
    expect(amounts(bandParts(HUNAN, fen(16000), 0, fen(70780)))).toEqual([
      [30000, 18000],
      [24780, 16107],
    ]);
  });
  it("a later stretch of the year pays only its own part: 70,780 → 78,170 is 7,390 in the 65% band = 4,803.50", () => {
    expect(amounts(bandParts(HUNAN, fen(16000), fen(70780), fen(78170)))).toEqual([[7390, 4803.5]]);
  });
  it("below the threshold nothing is paid; points are added to every band (+5: 65%, 70%)", () => {
    expect(bandParts(HUNAN, fen(16000), 0, fen(15999.99))).toEqual([]);
    // threshold 8,000: 62,780 above it → 30,000 × 65% + 32,780 × 70% = 19,500 + 22,946
    expect(amounts(bandParts(HUNAN, fen(8000), 0, fen(70780), rate(5, 100)))).toEqual([
      [30000, 19500],
      [32780, 22946],
    ]);
  });
  it("splitting a year into claims pays, in total, what the year pays at once (to the fen per band)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: fen(60000) }), { minLength: 1, maxLength: 8 }), (bases) => {
        let year = 0;
        let paid = 0;
        for (const b of bases) {
          paid += bandParts(WUHAN, fen(12000), year, year + b).reduce((s, p) => s + p.amount, 0);
          year += b;
        }
        const once = bandParts(WUHAN, fen(12000), 0, year).reduce((s, p) => s + p.amount, 0);
        // Each claim rounds each band once: at most half a fen per band and claim apart.
        expect(Math.abs(paid - once)).toBeLessThanOrEqual(bases.length * WUHAN.bands.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe("the 大病保险 layer in a settlement", () => {
  const rules = shippedRules();
  const stay = (over: Record<string, unknown> = {}) =>
    claim({ date: "2025-12-01", insured: { region: "430700", scheme: "resident" }, treatment: { region: "420100", level: 3, kind: "inpatient" }, filing: "long-term", costs: { classA: 200000 }, ...over });
  it("常德 resident in 武汉, 200,000: basic 129,220; base 70,780; 大病 34,107; the person 36,673", () => {
    const s = settle(stay(), rules);
    expect([s.fund, s.critical!.base, s.critical!.payable, s.personal]).toEqual([fen(129220), fen(70780), fen(34107), fen(36673)]);
    expect(s.fund + s.critical!.payable + s.personal).toBe(s.total);
    expect(s.ledger.criticalIllness).toEqual({ base: fen(70780), paid: fen(34107) });
  });
  it("the annual 大病 cap: 400,000 − 390,000 paid leaves 10,000 of the 34,107", () => {
    const s = settle(stay({ history: { criticalIllness: { paid: 390000 } } }), rules);
    expect([s.critical!.payable, s.critical!.overCap]).toEqual([fen(10000), fen(24107)]);
  });
  it("outpatient care is not paid by the layer, and its base does not accumulate", () => {
    const s = settle(claim({ date: "2025-12-01", insured: { region: "430700", scheme: "employee" }, treatment: { region: "420100", level: 3, kind: "outpatient" }, filing: "long-term", costs: { classA: 1300 } }), rules);
    expect(s.critical).toBeUndefined();
    expect(s.ledger.criticalIllness).toEqual({ base: 0, paid: 0 });
    expect(s.warnings.map((w) => w.code)).not.toContain("critical-illness-missing");
  });
  it("without the insured place's figures (employees), the basic fund settles and a warning says so; the base still accumulates", () => {
    const s = settle(stay({ insured: { region: "430700", scheme: "employee" } }), rules);
    expect(s.critical).toBeUndefined();
    expect(s.warnings.find((w) => w.code === "critical-illness-missing")!.en).toBe(
      "the rules have no employee 大病保险 (critical illness) threshold (起付标准), bands (分段支付比例), annual cap (最高支付限额) for 常德市: what the person pays is before any 大病保险 payment",
    );
    expect(s.ledger.criticalIllness.base).toBe(s.inPolicy - s.fund);
  });
  it("an unknown group is refused, naming the groups the rules declare", () => {
    expect(() => settle(stay({ insured: { region: "430700", scheme: "resident", group: "poor" } }), rules)).toThrow(/unknown group "poor": the rules declare extreme-poverty, subsistence, relapse-poverty/);
  });
});
