/**
 * The caches plans are made from (src/core/plan.ts): values kept by two
 * strings and a number, as maps within maps. No key string is built: a claim's
 * context has a dozen fields, and a batch looks one up for every claim (a key
 * joined from them was most of the lookup's time). Each cache is emptied whole
 * when it holds `max` values, so memory stays flat however many contexts come.
 */
import { ClaimRejectedError, RuleGapError } from "./errors.js";

export class Keyed<T> {
  private root = new Map<string, Map<string, Map<number, T>>>();
  private size = 0;
  constructor(private readonly max: number) {}

  get(a: string, b: string, n: number): T | undefined {
    return this.root.get(a)?.get(b)?.get(n);
  }

  set(a: string, b: string, n: number, value: T): T {
    if (this.size >= this.max) {
      this.root = new Map();
      this.size = 0;
    }
    let ma = this.root.get(a);
    if (!ma) this.root.set(a, (ma = new Map()));
    let mb = ma.get(b);
    if (!mb) ma.set(b, (mb = new Map()));
    if (!mb.has(n)) this.size++;
    mb.set(n, value);
    return value;
  }
}

/**
 * The value kept for the keys, or made and kept. A refusal or a rule gap is
 * kept too and thrown again: only for parts whose messages name no date (a
 * message naming the claim's date is worded for each claim).
 */
export function kept<T>(cache: Keyed<T | Error>, a: string, b: string, n: number, make: () => T): T {
  let v = cache.get(a, b, n);
  if (v === undefined) {
    try {
      v = make();
    } catch (e) {
      if (!(e instanceof ClaimRejectedError || e instanceof RuleGapError)) throw e;
      v = e;
    }
    cache.set(a, b, n, v);
  }
  if (v instanceof Error) throw v;
  return v;
}

/** The position of a value among the values it may take (the claim's enumerated fields), for a number key. */
export function indexIn(values: readonly (string | undefined)[], v: string | undefined): number {
  const i = values.indexOf(v);
  if (i < 0) throw new RangeError(`indexIn: ${String(v)} is not one of ${values.join(", ")}`);
  return i;
}
