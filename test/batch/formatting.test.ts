import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatYuan } from "../../src/core/money.js";
import { formatPercent, rate } from "../../src/core/rate.js";

// The batch hot path made these two faster; they must print exactly what they printed before.
const yuanBefore = (fen: number): string => {
  const neg = fen < 0;
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${neg ? "-" : ""}${whole}.${String(abs % 100).padStart(2, "0")}`;
};
const percentBefore = (num: number, den: number): string => `${Number(((num * 100) / den).toFixed(4))}%`;

describe("formatting used on every step of a settlement", () => {
  it("formatYuan prints as the regex version did: 1234567 → 12,345.67", () => {
    expect(formatYuan(1234567)).toBe("12,345.67");
    expect(formatYuan(-100000)).toBe("-1,000.00");
    expect(formatYuan(5)).toBe("0.05");
    fc.assert(fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.constantFrom(0, 99, 100, 99999, 100000, 1e23, -1e22)), (f) => {
        expect(formatYuan(f)).toBe(yuanBefore(f));
      }), { numRuns: 5000 });
  });
  it("formatPercent prints as before, cached or not: 17/20 → 85%", () => {
    expect(formatPercent(rate(17, 20))).toBe("85%");
    expect(formatPercent(rate(111, 125))).toBe("88.8%");
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 100000 }), (n, d) => {
        const r = rate(n, d);
        expect(formatPercent(r)).toBe(percentBefore(r.num, r.den));
        expect(formatPercent(r)).toBe(percentBefore(r.num, r.den));
      }),
      { numRuns: 3000 },
    );
  });
});
