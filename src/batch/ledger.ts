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
 * open-addressing hash table over typed arrays, each person's id stored once
 * in an arena of bytes (one byte a character when every character is below
 * U+0100, as ids are; two otherwise). About 50 bytes a person-year (a Map of
 * objects took ~190), and nothing for the garbage collector to walk.
 */
import type { Claim } from "../claims/schema.js";
import type { Fen } from "../core/money.js";

/** A person-year: the person's id and the year of the claim's date. */
export interface LedgerKey {
  readonly id: string;
  readonly year: number;
}

/** Columns grow by half: less slack than doubling. */
const grown = (n: number): number => Math.max(1024, Math.ceil(n * 1.5));

export class Ledgers {
  private size_ = 0;
  private cap = 0; //                         person-years the columns below have room for
  private table = new Int32Array(1 << 10); // slot + 1, 0 = empty; a power of two, at most 3/4 full
  private hashes = new Int32Array(0);
  private keyAt = new Int32Array(0); //       where the id starts in `bytes`
  private keyLen = new Uint16Array(0); //     its length in characters; the top bit: two bytes a character
  private years = new Uint16Array(0);
  private dates = new Uint16Array(0); //      latest date settled into it, month × 32 + day (--sorted checks the order)
  private fund = new Float64Array(0);
  private admissions = new Float64Array(0);
  private deductible = new Float64Array(0);
  private bytes = new Uint8Array(1 << 12);
  private used = 0;

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
    return `${p(this.years[s]!, 4)}-${p(d >> 5, 2)}-${p(d & 31, 2)}`;
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
    const d = Number(date.slice(5, 7)) * 32 + Number(date.slice(8, 10));
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
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const e = this.table[i]!;
      if (e === 0) return -1;
      const s = e - 1;
      if (this.hashes[s] === h && this.years[s] === key.year && this.sameId(s, key.id)) return s;
    }
  }

  private sameId(s: number, id: string): boolean {
    const len = this.keyLen[s]!;
    const wide = len >= 0x8000;
    if ((len & 0x7fff) !== id.length) return false;
    const b = this.bytes;
    let at = this.keyAt[s]!;
    for (let j = 0; j < id.length; j++) {
      const c = wide ? b[at++]! | (b[at++]! << 8) : b[at++]!;
      if (c !== id.charCodeAt(j)) return false;
    }
    return true;
  }

  private insert(key: LedgerKey): number {
    const s = this.size_;
    if (s >= this.cap) this.grow();
    if ((s + 1) * 4 > this.table.length * 3) this.rehash(this.table.length * 2);
    const id = key.id;
    let wide = false;
    for (let j = 0; j < id.length; j++) if (id.charCodeAt(j) > 0xff) wide = true;
    const need = wide ? id.length * 2 : id.length;
    if (this.used + need > this.bytes.length) {
      const b = new Uint8Array(Math.max(grown(this.bytes.length), this.used + need));
      b.set(this.bytes.subarray(0, this.used));
      this.bytes = b;
    }
    this.keyAt[s] = this.used;
    this.keyLen[s] = id.length | (wide ? 0x8000 : 0); // ids are at most 200 characters (the claim schema)
    for (let j = 0; j < id.length; j++) {
      const c = id.charCodeAt(j);
      this.bytes[this.used++] = c & 0xff;
      if (wide) this.bytes[this.used++] = c >> 8;
    }
    const h = Ledgers.hash(key);
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
    const n = grown(this.cap);
    const g = <T extends Int32Array | Uint16Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    const [i32, u16, f64] = [(k: number) => new Int32Array(k), (k: number) => new Uint16Array(k), (k: number) => new Float64Array(k)];
    this.hashes = g(this.hashes, i32);
    this.keyAt = g(this.keyAt, i32);
    this.keyLen = g(this.keyLen, u16);
    this.years = g(this.years, u16);
    this.dates = g(this.dates, u16);
    this.fund = g(this.fund, f64);
    this.admissions = g(this.admissions, f64);
    this.deductible = g(this.deductible, f64);
    this.cap = n;
  }
}
