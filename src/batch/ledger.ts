/**
 * The per-person ledger of a batch: claims of one insured person
 * (`insured.id`) in one calendar year share the annual cap, the admission
 * count and the deductible ceiling, in date order (README, "Annual
 * accumulation").
 *
 * A claim is settled with, for each number of the year (fundPaid, admissions,
 * deductiblePaid, and each other kind's account: src/core/settlement.ts
 * YEAR_FIELDS), the larger of (a) what the person's earlier claims of the
 * year in this batch add up to, starting from the first claim's own history,
 * and (b) the claim's own history. So a history given on the first claim
 * carries the year so far from outside the batch, and a history given on a
 * later claim (a year-to-date known when it was filed) can raise what has
 * been used but never lowers it. A claim without insured.id is settled on its
 * own history alone.
 *
 * Memory: this is what grows with the input under --sorted (one entry per
 * person-year), so it is kept compact and off the JavaScript heap: an
 * open-addressing hash table over columns of typed arrays, each person's id
 * stored once in an arena of bytes (one byte a character when every character
 * is below U+0100, as ids are; two otherwise). Columns and arena grow by whole
 * pages, so growing copies nothing and leaves no slack beyond the last page
 * (16,384 person-years): about 80 bytes a person-year (a Map of objects took
 * ~190), and nothing for the garbage collector to walk.
 */
import type { Claim } from "../claims/schema.js";
import { YEAR_FIELDS, yearField, yearOf, type Year } from "../core/settlement.js";

/** A person-year: the person's id and the year of the claim's date. */
export interface LedgerKey {
  readonly id: string;
  readonly year: number;
}

/** A column of person-year values, in pages: growing allocates a page and copies nothing. */
type Column<T> = T[];

export class Ledgers {
  private size_ = 0;
  private readonly pageBits: number;
  private readonly pageMask: number;
  private table = new Int32Array(1 << 10); // slot + 1, 0 = empty; a power of two, at most 3/4 full
  private readonly hashes: Column<Int32Array> = [];
  private readonly keyAt: Column<Int32Array> = []; //   where the id is: arena page << arenaBits | offset
  private readonly keyLen: Column<Uint16Array> = []; // its length in characters; the top bit: two bytes a character
  private readonly years: Column<Uint16Array> = [];
  private readonly dates: Column<Uint16Array> = []; //  latest date settled into it, month × 32 + day (--sorted checks the order)
  /** The numbers of each person-year, a column for each of YEAR_FIELDS. */
  private readonly numbers: Column<Float64Array>[] = YEAR_FIELDS.map(() => []);
  private readonly arena: Uint8Array[] = [];
  private readonly arenaBits: number;
  private used: number; // bytes used in the last arena page (all: there is none yet)
  // The last person-year looked up and its slot: a claim asks about its key three times in a row.
  private lastKey: LedgerKey | undefined = undefined;
  private lastSlot = -1;

  /**
   * Page sizes as powers of two (tests make them small): `pageBits`, person-years
   * a page of each column holds; `arenaBits`, bytes a page of the id arena holds,
   * at least 400 (an id is at most 200 characters, of two bytes each).
   */
  constructor(pageBits = 14, arenaBits = 16) {
    if (1 << arenaBits < 400) throw new RangeError("an arena page must hold the longest id (400 bytes)");
    this.pageBits = pageBits;
    this.pageMask = (1 << pageBits) - 1;
    this.arenaBits = arenaBits;
    this.used = 1 << arenaBits;
  }

  /** Person-years held (the memory that grows with the input). */
  get size(): number {
    return this.size_;
  }

  static keyOf(claim: Claim): LedgerKey | undefined {
    const id = claim.insured.id;
    const d = claim.date;
    // The date is YYYY-MM-DD (a validated claim's): its year read digit by digit, no string made.
    return id === undefined ? undefined : { id, year: (d.charCodeAt(0) - 48) * 1000 + (d.charCodeAt(1) - 48) * 100 + (d.charCodeAt(2) - 48) * 10 + (d.charCodeAt(3) - 48) };
  }

  /** Whether the person-year has a claim settled after `date` (a date of its year). */
  isAfter(key: LedgerKey, date: string): boolean {
    const s = this.find(key);
    return s >= 0 && this.dates[s >>> this.pageBits]![s & this.pageMask]! > dayOf(date);
  }

  /** The latest date settled for this person-year, if any. */
  lastDate(key: LedgerKey): string | undefined {
    const s = this.find(key);
    if (s < 0) return undefined;
    const p = s >>> this.pageBits;
    const i = s & this.pageMask;
    const d = this.dates[p]![i]!;
    const pad = (n: number, w: number) => String(n).padStart(w, "0");
    return `${pad(this.years[p]![i]!, 4)}-${pad(d >> 5, 2)}-${pad(d & 31, 2)}`;
  }

  /** The history the claim is settled with: its own, raised to the person's year so far. */
  historyFor(claim: Claim, key: LedgerKey | undefined): Claim["history"] {
    const h = claim.history;
    if (key === undefined) return h;
    const s = this.find(key);
    if (s < 0) return h;
    const p = s >>> this.pageBits;
    const i = s & this.pageMask;
    const cols = this.numbers;
    let f = 0;
    while (f < cols.length && cols[f]![p]![i]! <= yearField(h, f)) f++;
    if (f === cols.length) return h; // nothing the claim does not know already: no new object
    return yearOf(cols.map((col, g) => Math.max(col[p]![i]!, yearField(h, g))));
  }

  /** After a claim settled (its date, and the person's year after it): the person's year includes it. */
  record(key: LedgerKey | undefined, date: string, ledger: Year): void {
    if (key === undefined) return;
    const d = dayOf(date);
    let s = this.find(key);
    if (s < 0) s = this.insert(key);
    const p = s >>> this.pageBits;
    const i = s & this.pageMask;
    const dates = this.dates[p]!;
    if (d > dates[i]!) dates[i] = d; // a new person-year starts at 0
    this.numbers.forEach((col, f) => (col[p]![i] = yearField(ledger, f)));
  }

  private static hash(key: LedgerKey): number {
    let h = 0x811c9dc5 ^ key.year;
    const id = key.id;
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
    return h | 0;
  }

  /** The slot of a person-year, or -1. */
  private find(key: LedgerKey): number {
    if (key === this.lastKey) return this.lastSlot;
    const s = this.lookUp(key);
    this.lastKey = key;
    this.lastSlot = s;
    return s;
  }

  private lookUp(key: LedgerKey): number {
    const h = Ledgers.hash(key);
    const mask = this.table.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const e = this.table[i]!;
      if (e === 0) return -1;
      const s = e - 1;
      const p = s >>> this.pageBits;
      const k = s & this.pageMask;
      if (this.hashes[p]![k] === h && this.years[p]![k] === key.year && this.sameId(p, k, key.id)) return s;
    }
  }

  private sameId(p: number, k: number, id: string): boolean {
    const len = this.keyLen[p]![k]!;
    const wide = len >= 0x8000;
    if ((len & 0x7fff) !== id.length) return false;
    const where = this.keyAt[p]![k]!;
    const b = this.arena[where >>> this.arenaBits]!;
    let at = where & ((1 << this.arenaBits) - 1);
    for (let j = 0; j < id.length; j++) {
      const c = wide ? b[at++]! | (b[at++]! << 8) : b[at++]!;
      if (c !== id.charCodeAt(j)) return false;
    }
    return true;
  }

  private insert(key: LedgerKey): number {
    const s = this.size_;
    const p = s >>> this.pageBits;
    const k = s & this.pageMask;
    if (k === 0) this.addPage();
    if ((s + 1) * 4 > this.table.length * 3) this.rehash(this.table.length * 2);
    const id = key.id;
    let wide = false;
    for (let j = 0; j < id.length; j++) if (id.charCodeAt(j) > 0xff) wide = true;
    const need = wide ? id.length * 2 : id.length; // ≤ 400: ids are at most 200 characters (the claim schema)
    if (this.used + need > 1 << this.arenaBits) {
      this.arena.push(new Uint8Array(1 << this.arenaBits));
      this.used = 0;
    }
    const b = this.arena[this.arena.length - 1]!;
    this.keyAt[p]![k] = ((this.arena.length - 1) << this.arenaBits) | this.used;
    this.keyLen[p]![k] = id.length | (wide ? 0x8000 : 0);
    for (let j = 0; j < id.length; j++) {
      const c = id.charCodeAt(j);
      b[this.used++] = c & 0xff;
      if (wide) b[this.used++] = c >> 8;
    }
    const h = Ledgers.hash(key);
    this.hashes[p]![k] = h;
    this.years[p]![k] = key.year;
    this.size_ = s + 1;
    this.place(s, h);
    this.lastKey = key;
    this.lastSlot = s;
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
    for (let s = 0; s < this.size_; s++) this.place(s, this.hashes[s >>> this.pageBits]![s & this.pageMask]!);
  }

  private addPage(): void {
    const n = 1 << this.pageBits;
    this.hashes.push(new Int32Array(n));
    this.keyAt.push(new Int32Array(n));
    this.keyLen.push(new Uint16Array(n));
    this.years.push(new Uint16Array(n));
    this.dates.push(new Uint16Array(n));
    for (const col of this.numbers) col.push(new Float64Array(n));
  }
}

/** A date YYYY-MM-DD (a validated claim's) as month × 32 + day, how a person-year keeps its latest date: read digit by digit, no string made. */
function dayOf(d: string): number {
  return ((d.charCodeAt(5) - 48) * 10 + (d.charCodeAt(6) - 48)) * 32 + (d.charCodeAt(8) - 48) * 10 + (d.charCodeAt(9) - 48);
}
