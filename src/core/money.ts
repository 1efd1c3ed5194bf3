import { show, showZh } from "./own.js";

/**
 * Money is an integer number of fen (分, 0.01 yuan). No yuan float is ever
 * used for arithmetic: amounts are converted at the edge by `parseYuan` and
 * back for display by `formatYuan` / `toYuan`.
 */
export type Fen = number;

/** The largest single amount a claim may carry: 10,000,000,000.00 yuan. Sums of
 * thousands of such amounts still stay inside Number.MAX_SAFE_INTEGER. */
export const MAX_AMOUNT_FEN = 1_000_000_000_000;

const PLAIN_DECIMAL = /^\d+(?:\.\d+)?$/;

/** A value, or what is wrong with the input, in English and in Chinese. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string; zh: string };

const fail = (message: string, zh: string): { ok: false; message: string; zh: string } => ({ ok: false, message, zh });

/**
 * Reads a yuan amount written as a number (11100, 32.52) or a string
 * ("11100", "32.52"). At most two decimals: a third decimal is an input error,
 * never a silent rounding.
 */
export function parseYuan(input: unknown): ParseResult<Fen> {
  let text: string;
  if (typeof input === "number") {
    if (!Number.isFinite(input)) return fail(`must be a finite amount, got ${String(input)}`, `必须为有限的金额，实际为 ${String(input)}`);
    text = String(input); // shortest round-trip form: 32.52 -> "32.52"
  } else if (typeof input === "string") {
    text = input.trim();
  } else {
    return fail(`must be an amount in yuan (a number or a string like "1234.56"), got ${show(input)}`, `必须为以元为单位的金额（数字，或 "1234.56" 这样的文本），实际为 ${showZh(input)}`);
  }
  const fen = plainFen(text);
  if (fen >= 0) return { ok: true, value: fen };
  // Not a plain amount within bounds: say what is wrong with it.
  if (text.startsWith("-")) return fail(`must be ≥ 0, got ${text}`, `金额不能为负数，实际为 ${text}`);
  if (!PLAIN_DECIMAL.test(text)) {
    const hint = amountHint(text);
    return fail(`must be a plain decimal amount in yuan like 1234.56, got ${JSON.stringify(text)}${hint ? ` (${hint.en})` : ""}`, `必须为 1234.56 这样以元为单位的十进制金额，实际为 ${JSON.stringify(text)}${hint ? `（${hint.zh}）` : ""}`);
  }
  const [, frac = ""] = text.split(".");
  if (frac.length > 2) return fail(`has ${frac.length} decimals; amounts are exact to the fen (at most 2 decimals), got ${text}`, `有 ${frac.length} 位小数；金额精确到分（至多 2 位小数），实际为 ${text}`);
  return fail(`is too large (at most ${formatYuan(MAX_AMOUNT_FEN)} yuan), got ${text}`, `过大（至多 ${formatYuan(MAX_AMOUNT_FEN)} 元），实际为 ${text}`);
}

/**
 * A plain decimal (digits, then at most two decimals after a point) of at most
 * MAX_AMOUNT_FEN, in fen; -1 for anything else. One pass over the characters:
 * a batch reads millions of amounts.
 */
function plainFen(text: string): Fen {
  const n = text.length;
  let whole = 0;
  let digits = 0; // of the whole part, leading zeros left out
  let i = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    if (digits || c) digits++;
    whole = whole * 10 + c;
  }
  if (i === 0 || digits > 11) return -1;
  let frac = 0;
  if (i < n) {
    if (text.charCodeAt(i) !== 46 || n - i - 1 < 1 || n - i - 1 > 2) return -1; // "." and 1 or 2 decimals
    for (let k = i + 1; k < n; k++) {
      const c = text.charCodeAt(k) - 48;
      if (c < 0 || c > 9) return -1;
      frac = frac * 10 + c;
    }
    if (n - i - 1 === 1) frac *= 10;
  }
  const fen = whole * 100 + frac;
  return fen <= MAX_AMOUNT_FEN ? fen : -1;
}

/** An amount with well-formed thousands separators (9,800.00, 1,234,567.5) without them (9800.00); undefined for anything else. */
export function ungrouped(text: string): string | undefined {
  return /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(text) ? text.replace(/,/g, "") : undefined;
}

function amountHint(text: string): { en: string; zh: string } | undefined {
  // Well-formed separators reach here from YAML and JSON only: a CSV cell has had them taken out (src/batch/csv.ts).
  if (ungrouped(text) !== undefined) return { en: "write it without thousands separators", zh: "请去掉千位分隔符" };
  if (/^[\d,]+(\.\d+)?$/.test(text))
    return {
      en: "the commas do not group thousands: write it without them, or, in a CSV cell, with a comma every three digits: 1,234,567.50",
      zh: "逗号不是千位分隔：请去掉逗号，或在 CSV 单元格中每三位一个逗号：1,234,567.50",
    };
  const wan = /^(\d+)(?:\.(\d{1,4}))?\s*万元?$/.exec(text);
  if (wan) {
    const yuan = `${wan[1]}${(wan[2] ?? "").padEnd(4, "0")}`.replace(/^0+(?=\d)/, "");
    return { en: `amounts are in yuan: ${text} is ${yuan}`, zh: `金额以元为单位：${text} 写作 ${yuan}` };
  }
  if (/[０-９．]/.test(text)) return { en: "use ASCII digits 0-9, not full-width ones", zh: "请用半角数字 0-9，不要用全角数字" };
  if (/e/i.test(text)) return { en: "write it without an exponent", zh: "请不要用科学计数法" };
  return undefined;
}

/**
 * THE rounding function: num / den rounded to the nearest integer, halves up.
 * Every rounding point of a settlement goes through here (see README, "Rounding").
 * Both arguments are non-negative integers; den > 0.
 */
export function roundHalfUp(num: number, den: number): number {
  if (!(num >= 0 && den > 0)) throw new RangeError(`roundHalfUp(${num}, ${den}): operands out of range`);
  if (Number.isSafeInteger(num) && Number.isSafeInteger(den)) {
    const q = Math.floor(num / den);
    // q may be off by one when num/den is not exactly representable; correct it.
    let r = num - q * den;
    let qq = q;
    if (r < 0) { qq -= 1; r += den; } else if (r >= den) { qq += 1; r -= den; }
    return 2 * r >= den ? qq + 1 : qq;
  }
  throw new RangeError(`roundHalfUp(${num}, ${den}): operands exceed exact integer range`);
}

/** fen × (num/den), rounded by `roundHalfUp`. Exact for any amount and rate:
 * large products are computed in bigint. */
export function mulRound(fen: Fen, num: number, den: number): Fen {
  const p = fen * num;
  if (Number.isSafeInteger(p)) return roundHalfUp(p, den);
  const P = BigInt(fen) * BigInt(num);
  const D = BigInt(den);
  const q = P / D;
  const r = P - q * D;
  return Number(2n * r >= D ? q + 1n : q);
}

/** Exact yuan value for JSON output: 850012 -> 8500.12 (shortest double that
 * prints as the exact two-decimal amount). */
export function toYuan(fen: Fen): number {
  return fen / 100;
}

/** Display form with thousands separators: 1234567 -> "12,345.67". */
export function formatYuan(fen: Fen): string {
  const neg = fen < 0;
  const abs = Math.abs(fen);
  const digits = Math.floor(abs / 100).toString();
  // Thousands separators by slicing (a batch formats millions of amounts; the
  // regex was a tenth of its time); the regex is kept for exponent forms.
  let whole: string;
  if (digits.length <= 3) whole = digits;
  else if (abs >= 1e21) whole = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  else {
    let i = digits.length % 3 || 3;
    whole = digits.slice(0, i);
    for (; i < digits.length; i += 3) whole += "," + digits.slice(i, i + 3);
  }
  const frac = String(abs % 100).padStart(2, "0");
  return `${neg ? "-" : ""}${whole}.${frac}`;
}

/**
 * Σ fen_i × (num_i / den_i), computed exactly and rounded once by the same
 * half-up rule as `roundHalfUp`. This is how the fund amount is formed when
 * class A and class B are paid at different ratios.
 */
export function mulRoundSum(terms: readonly (readonly [Fen, { readonly num: number; readonly den: number }])[]): Fen {
  // The same sum in plain integers while every product and partial sum is a
  // safe integer (exact in a double): a batch forms a million of these.
  // Anything larger, or negative, goes the bigint way below.
  let d = 1;
  for (const [, r] of terms) d = lcmSafe(d, r.den);
  if (d > 0) {
    let n = 0;
    for (const [fen, r] of terms) {
      const p = fen * r.num * (d / r.den);
      n += p;
      if (!Number.isSafeInteger(fen) || !Number.isSafeInteger(r.num) || !Number.isSafeInteger(fen * r.num) || !Number.isSafeInteger(p) || !Number.isSafeInteger(n)) {
        n = -1;
        break;
      }
    }
    if (n >= 0) return roundHalfUp(n, d);
  }
  let den = 1n;
  for (const [, r] of terms) den = lcm(den, BigInt(r.den));
  let num = 0n;
  for (const [fen, r] of terms) num += BigInt(fen) * BigInt(r.num) * (den / BigInt(r.den));
  if (num < 0n) throw new RangeError("mulRoundSum: negative total");
  const q = num / den;
  return Number(2n * (num - q * den) >= den ? q + 1n : q);
}

/**
 * mulRoundSum([[a, ra], [b, rb]]), without the arrays: a settlement forms two
 * of these. The same plain-integer sum under the same conditions, else the
 * general way.
 */
export function mulRoundSum2(a: Fen, ra: { readonly num: number; readonly den: number }, b: Fen, rb: { readonly num: number; readonly den: number }): Fen {
  const d = lcmSafe(ra.den, rb.den);
  if (d > 0) {
    const p = a * ra.num * (d / ra.den);
    const q = b * rb.num * (d / rb.den);
    const n = p + q;
    const safe =
      Number.isSafeInteger(a) && Number.isSafeInteger(ra.num) && Number.isSafeInteger(a * ra.num) && Number.isSafeInteger(p) &&
      Number.isSafeInteger(b) && Number.isSafeInteger(rb.num) && Number.isSafeInteger(b * rb.num) && Number.isSafeInteger(q) && Number.isSafeInteger(n);
    if (safe && n >= 0) return roundHalfUp(n, d);
  }
  return mulRoundSum([[a, ra], [b, rb]]);
}

/** lcm of two positive safe integers, or 0 when it is not a safe integer (or an operand is not a positive safe integer). */
function lcmSafe(a: number, b: number): number {
  if (!(a > 0 && b > 0 && Number.isSafeInteger(a) && Number.isSafeInteger(b))) return 0;
  let x = a;
  let y = b;
  while (y) {
    const r = x % y;
    x = y;
    y = r;
  }
  const l = (a / x) * b;
  return Number.isSafeInteger(l) ? l : 0;
}

function lcm(a: bigint, b: bigint): bigint {
  let [x, y] = [a, b];
  while (y) [x, y] = [y, x % y];
  return (a / x) * b;
}
