import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatYuan, mulRound, mulRoundSum, mulRoundSum2, parseYuan, roundHalfUp, toYuan } from "../../src/core/money.js";
import { rate } from "../../src/core/rate.js";

describe("parseYuan", () => {
  it("reads numbers and strings to integer fen", () => {
    expect(parseYuan(11100)).toEqual({ ok: true, value: 1_110_000 });
    expect(parseYuan("32.52")).toEqual({ ok: true, value: 3252 });
    expect(parseYuan(31.77)).toEqual({ ok: true, value: 3177 });
    expect(parseYuan("0.5")).toEqual({ ok: true, value: 50 });
    expect(parseYuan(-0)).toEqual({ ok: true, value: 0 });
  });

  it("refuses a third decimal instead of rounding it", () => {
    const r = parseYuan("28.593");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/3 decimals/);
  });

  it.each([
    ["1,000", /thousands separators/],
    ["１０００", /full-width/],
    [-5, /≥ 0/],
    [Number.NaN, /finite/],
    [Number.POSITIVE_INFINITY, /finite/],
    [1e308, /exponent/],
    ["12345678901234", /too large/],
    [true, /amount in yuan/],
    [null, /amount in yuan/],
  ])("refuses %s", (input, message) => {
    const r = parseYuan(input);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(message);
  });
});

describe("roundHalfUp", () => {
  it("rounds halves up and the rest to the nearest", () => {
    expect(roundHalfUp(28593, 1000)).toBe(29); // 28.593 → 29
    expect(roundHalfUp(25, 10)).toBe(3); //       2.5 → 3
    expect(roundHalfUp(24, 10)).toBe(2); //       2.4 → 2
    expect(roundHalfUp(0, 7)).toBe(0);
  });
});

describe("mulRound", () => {
  it("rounds 31.77 × 10% = 3.177 to 3.18 (E1's class B prepay)", () => {
    expect(mulRound(3177, 1, 10)).toBe(318);
  });
  it("rounds 61.11 × 80% = 48.888 to 48.89 (E1's fund)", () => {
    expect(mulRound(6111, 4, 5)).toBe(4889);
  });
  it("stays exact when fen × numerator passes 2^53 (bigint path)", () => {
    // 1,000,000,000,001 fen × 999,999/1,000,000 = 999,999,000,000.999999 → 999,999,000,001
    expect(1_000_000_000_001 * 999_999).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
    expect(mulRound(1_000_000_000_001, 999_999, 1_000_000)).toBe(999_999_000_001);
  });
});

describe("mulRoundSum", () => {
  it("rounds the sum once, not each term: 0.5 fen + 0.5 fen = 1 fen", () => {
    // 1 fen × 1/2 + 1 fen × 1/2 = 1 exactly; rounding each term would give 2.
    expect(mulRoundSum([[1, rate(1, 2)], [1, rate(1, 2)]])).toBe(1);
  });
  it("mixes class A and B ratios: 2,000 × 60% + 2,000 × 50% = 2,200", () => {
    expect(mulRoundSum([[200_000, rate(3, 5)], [200_000, rate(1, 2)]])).toBe(220_000);
  });
  it("agrees with mulRound on a single term", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 1000 }), (fen, n, d) => {
        expect(mulRoundSum([[fen, rate(n, d)]])).toBe(mulRound(fen, rate(n, d).num, rate(n, d).den));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("mulRoundSum: the plain-integer way and the bigint way agree", () => {
  /** The definition, in bigint throughout: Σ fen × num/den, rounded half up once. */
  const exact = (terms: [number, { num: number; den: number }][]): number => {
    const g = (a: bigint, b: bigint): bigint => (b ? g(b, a % b) : a);
    let den = 1n;
    for (const [, r] of terms) den = (den / g(den, BigInt(r.den))) * BigInt(r.den);
    let num = 0n;
    for (const [f, r] of terms) num += BigInt(f) * BigInt(r.num) * (den / BigInt(r.den));
    const q = num / den;
    return Number(2n * (num - q * den) >= den ? q + 1n : q);
  };
  it("on small and huge amounts and rates, up to the limits of exact doubles and beyond", () => {
    const fen = fc.oneof(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));
    const r = fc.oneof(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 100 })), fc.tuple(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 1e9 })));
    fc.assert(
      fc.property(fc.array(fc.tuple(fen, r), { minLength: 1, maxLength: 3 }), (ts) => {
        const terms = ts.map(([f, [n, d]]) => [f, rate(Math.min(n, d), d)] as [number, { num: number; den: number }]);
        expect(mulRoundSum(terms)).toBe(exact(terms));
      }),
      { numRuns: 20_000 },
    );
  });
  it("mulRoundSum2, the two-term form settle uses, is exactly mulRoundSum of its two terms", () => {
    const fen = fc.oneof(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));
    const r = fc.oneof(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 100 })), fc.tuple(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 1e9 })));
    fc.assert(
      fc.property(fen, r, fen, r, (a, [n1, d1], b, [n2, d2]) => {
        const [ra, rb] = [rate(Math.min(n1, d1), d1), rate(Math.min(n2, d2), d2)];
        expect(mulRoundSum2(a, ra, b, rb)).toBe(exact([[a, ra], [b, rb]]));
      }),
      { numRuns: 20_000 },
    );
  });
  it("refuses a negative total either way", () => {
    expect(() => mulRoundSum([[-5, rate(1, 2)]])).toThrow(RangeError);
    expect(() => mulRoundSum([[-(2 ** 52), rate(3, 7)]])).toThrow(RangeError);
  });
});

describe("formatting", () => {
  it("prints fen as yuan with separators", () => {
    expect(formatYuan(1_234_567)).toBe("12,345.67");
    expect(formatYuan(5)).toBe("0.05");
    expect(toYuan(850_012)).toBe(8500.12);
  });
  it("round-trips every amount: parseYuan(String(toYuan(f))) = f", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (fen) => {
        expect(parseYuan(String(toYuan(fen)))).toEqual({ ok: true, value: fen });
      }),
      { numRuns: 5000 },
    );
  });
});
