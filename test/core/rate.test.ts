import { describe, expect, it } from "vitest";
import { add, clamp01, cmp, formatPercent, mul, ONE, parseRate, rate, sub, toNumber } from "../../src/core/rate.js";

describe("rates", () => {
  it("parse decimals exactly: 0.85 = 17/20", () => {
    expect(parseRate(0.85)).toEqual({ num: 17, den: 20 });
    expect(parseRate("0.888")).toEqual({ num: 111, den: 125 });
    expect(parseRate("1e-3")).toBeUndefined();
  });
  it("compute the Wuhan retiree ratio exactly: 1 − 0.8 × (1 − 0.86) = 0.888", () => {
    const r = sub(ONE, mul(rate(4, 5), sub(ONE, rate(86, 100))));
    expect(r).toEqual(rate(888, 1000));
    expect(toNumber(r)).toBe(0.888);
  });
  it("subtract percentage points: 85% − 5 points = 80%", () => {
    expect(sub(rate(85, 100), rate(5, 100))).toEqual(rate(4, 5));
  });
  it("clamp to [0, 1]: 3% − 5 points = 0; 99% + 2 points = 1", () => {
    expect(clamp01(sub(rate(3, 100), rate(5, 100)))).toEqual(rate(0));
    expect(clamp01(add(rate(99, 100), rate(2, 100)))).toEqual(rate(1));
  });
  it("compare and print", () => {
    expect(cmp(rate(1, 3), rate(33, 100))).toBe(1);
    expect(formatPercent(rate(888, 1000))).toBe("88.8%");
  });
});
