/**
 * Exact rates (ratios, shares, percentage points) as reduced fractions of
 * integers. 85% is {num: 17, den: 20}; 1 − 0.8 × 0.14 = 0.888 stays exact.
 */
export interface Rate {
  readonly num: number;
  readonly den: number;
}

function gcd(a: number, b: number): number {
  a = Math.abs(a); b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a || 1;
}

export function rate(num: number, den = 1): Rate {
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || den === 0) throw new RangeError(`bad rate ${num}/${den}`);
  if (den < 0) { num = -num; den = -den; }
  const g = gcd(num, den);
  return { num: num / g, den: den / g };
}

export const ZERO: Rate = rate(0);
export const ONE: Rate = rate(1);

/** Reads a rate written as a plain decimal (0.85, "0.85"); exact, no float math. */
export function parseRate(input: number | string): Rate | undefined {
  const text = typeof input === "number" ? (Number.isFinite(input) ? String(input) : "") : input.trim();
  const m = /^(-?)(\d+)(?:\.(\d{1,9}))?$/.exec(text);
  if (!m) return undefined;
  const frac = m[3] ?? "";
  const den = 10 ** frac.length;
  const num = Number(m[2]) * den + Number(frac || "0");
  return rate(m[1] ? -num : num, den);
}

export const add = (a: Rate, b: Rate): Rate => rate(a.num * b.den + b.num * a.den, a.den * b.den);
export const sub = (a: Rate, b: Rate): Rate => rate(a.num * b.den - b.num * a.den, a.den * b.den);
export const mul = (a: Rate, b: Rate): Rate => rate(a.num * b.num, a.den * b.den);
export const cmp = (a: Rate, b: Rate): number => Math.sign(a.num * b.den - b.num * a.den);
export const clamp01 = (r: Rate): Rate => (cmp(r, ZERO) < 0 ? ZERO : cmp(r, ONE) > 0 ? ONE : r);
export const isBetween01 = (r: Rate): boolean => cmp(r, ZERO) >= 0 && cmp(r, ONE) <= 0;

/** For JSON output only: 0.85. Never used for arithmetic. */
export const toNumber = (r: Rate): number => r.num / r.den;

/** "85%", "88.8%", "5 points" style display; exact up to 4 decimals of a percent. */
export function formatPercent(r: Rate): string {
  let byDen = percents.get(r.num);
  let text = byDen?.get(r.den);
  if (text === undefined) {
    const pct = (r.num * 100) / r.den;
    text = `${Number(pct.toFixed(4))}%`;
    if (!byDen) percents.set(r.num, (byDen = new Map()));
    if (byDen.size < 1000) byDen.set(r.den, text);
  }
  return text;
}

/** Percentage points as a number: 5/100 → "5" (so "−5 points", "降低 5 个百分点"; never "5% points"). */
export function formatPoints(r: Rate): string {
  return formatPercent(r).slice(0, -1);
}

/** formatPercent's results: a rule set has few distinct rates, a batch formats each a million times. */
const percents = new Map<number, Map<number, string>>();
