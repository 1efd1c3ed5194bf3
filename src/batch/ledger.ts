/**
 * The per-person ledger of a batch: claims of one insured person
 * (`insured.id`) in one calendar year share the annual cap, the admission
 * count and the deductible ceiling, in date order (README, "Annual
 * accumulation").
 *
 * A claim is settled with, for each of fundPaid, admissions and
 * deductiblePaid, the larger of (a) what the person's earlier claims of the
 * year in this batch add up to, starting from the first claim's own history,
 * and (b) the claim's own history. So a history given on the first claim
 * carries the year so far from outside the batch, and a history given on a
 * later claim (a year-to-date known when it was filed) can raise what has
 * been used but never lowers it. A claim without insured.id is settled on its
 * own history alone.
 *
 * Memory: this is what grows with the input under --sorted (one entry per
 * person-year), so it is kept compact and off the JavaScript heap: an
 * open-addressing hash table over typed arrays, the person's id stored as
 * UTF-16 code units in one arena. About 60 bytes a person-year (a Map of
 * objects took ~190), and nothing for the garbage collector to walk.
 */
import type { Claim } from "../claims/schema.js";
import type { Fen } from "../core/money.js";

/** A person-year: the person's id and the year of the claim's date. */
export interface LedgerKey {
  readonly id: string;
  readonly year: number;
}

export class Ledgers {
  private size_ = 0;
  private cap = 0; //                     slots allocated in the columns below
  private table = new Int32Array(1 << 10); // slot + 1, 0 = empty; a power of two, at most half full
  private hashes = new Int32Array(0);
  private keyAt = new Int32Array(0); //   where the id starts in `chars`
  private keyLen = new Int32Array(0);
  private years = new Int32Array(0);
  private fund = new Float64Array(0);
  private admissions = new Float64Array(0);
  private deductible = new Float64Array(0);
  private dates = new Int32Array(0); //    latest date settled into it, as YYYYMMDD (--sorted checks the order)
  private chars = new Uint16Array(1 << 12);
  private charsUsed = 0;

  /** Person-years held (the memory that grows with the input). */
  get size(): number {
    return this.size_;
  }

  static keyOf(claim: Claim): LedgerKey | undefined {
    const id = claim.insured.id;
    return id === undefined ? undefined : { id, year: Number(claim.date.slice(0, 4)) };
  }

  /** The latest date settled for this person-year, if any. */
  lastDate(key: LedgerKey): string | undefined {
    const s = this.find(key);
    if (s < 0) return undefined;
    const d = this.dates[s]!;
    const p = (n: number, w: number) => String(n).padStart(w, "0");
    return `${p(Math.floor(d / 10000), 4)}-${p(Math.floor(d / 100) % 100, 2)}-${p(d % 100, 2)}`;
  }

  /** The history the claim is settled with: its own, raised to the person's year so far. */
  historyFor(claim: Claim, key: LedgerKey | undefined): Claim["history"] {
    const h = claim.history;
    if (key === undefined) return h;
    const s = this.find(key);
    if (s < 0) return h;
    const [fundPaid, admissions, deductiblePaid] = [this.fund[s]!, this.admissions[s]!, this.deductible[s]!];
    if (fundPaid <= h.fundPaid && admissions <= h.admissions && deductiblePaid <= h.deductiblePaid) return h;
    return { fundPaid: Math.max(fundPaid, h.fundPaid), admissions: Math.max(admissions, h.admissions), deductiblePaid: Math.max(deductiblePaid, h.deductiblePaid) };
  }

  /** After a claim settled (its date, and the person's year after it): the person's year includes it. */
  record(key: LedgerKey | undefined, date: string, ledger: { readonly fundPaid: Fen; readonly admissions: number; readonly deductiblePaid: Fen }): void {
    if (key === undefined) return;
    const d = dateNumber(date);
    let s = this.find(key);
    if (s < 0) {
      s = this.insert(key);
      this.dates[s] = d;
    } else if (d > this.dates[s]!) this.dates[s] = d;
    this.fund[s] = ledger.fundPaid;
    this.admissions[s] = ledger.admissions;
    this.deductible[s] = ledger.deductiblePaid;
  }

  private static hash(key: LedgerKey): number {
    let h = 0x811c9dc5 ^ key.year;
    const id = key.id;
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
    return h | 0;
  }

  /** The slot of a person-year, or -1. */
  private find(key: LedgerKey): number {
    const h = Ledgers.hash(key);
    const mask = this.table.length - 1;
    const id = key.id;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const e = this.table[i]!;
      if (e === 0) return -1;
      const s = e - 1;
      if (this.hashes[s] !== h || this.years[s] !== key.year || this.keyLen[s] !== id.length) continue;
      const at = this.keyAt[s]!;
      let same = true;
      for (let j = 0; j < id.length; j++)
        if (this.chars[at + j] !== id.charCodeAt(j)) {
          same = false;
          break;
        }
      if (same) return s;
    }
  }

  private insert(key: LedgerKey): number {
    const s = this.size_;
    if (s >= this.cap) this.grow();
    if ((s + 1) * 2 > this.table.length) this.rehash(this.table.length * 2);
    const h = Ledgers.hash(key);
    const id = key.id;
    if (this.charsUsed + id.length > this.chars.length) {
      const c = new Uint16Array(Math.max(this.chars.length * 2, this.charsUsed + id.length));
      c.set(this.chars.subarray(0, this.charsUsed));
      this.chars = c;
    }
    for (let j = 0; j < id.length; j++) this.chars[this.charsUsed + j] = id.charCodeAt(j);
    this.keyAt[s] = this.charsUsed;
    this.keyLen[s] = id.length;
    this.charsUsed += id.length;
    this.hashes[s] = h;
    this.years[s] = key.year;
    this.size_ = s + 1;
    this.place(s, h);
    return s;
  }

  private place(s: number, h: number): void {
    const mask = this.table.length - 1;
    let i = h & mask;
    while (this.table[i] !== 0) i = (i + 1) & mask;
    this.table[i] = s + 1;
  }

  /** A table twice the size, every person-year placed again. */
  private rehash(n: number): void {
    this.table = new Int32Array(n);
    for (let s = 0; s < this.size_; s++) this.place(s, this.hashes[s]!);
  }

  private grow(): void {
    const n = Math.max(1024, this.cap * 2);
    const g = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    const i32 = (k: number) => new Int32Array(k);
    const f64 = (k: number) => new Float64Array(k);
    this.hashes = g(this.hashes, i32);
    this.keyAt = g(this.keyAt, i32);
    this.keyLen = g(this.keyLen, i32);
    this.years = g(this.years, i32);
    this.fund = g(this.fund, f64);
    this.admissions = g(this.admissions, f64);
    this.deductible = g(this.deductible, f64);
    this.dates = g(this.dates, i32);
    this.cap = n;
  }
}

/** "2025-03-09" → 20250309 (dates compare as their numbers do). */
function dateNumber(d: string): number {
  return Number(d.slice(0, 4)) * 10000 + Number(d.slice(5, 7)) * 100 + Number(d.slice(8, 10));
}
