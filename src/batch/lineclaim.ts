/**
 * A JSON Lines line straight to a claim, for the common case: the claim read
 * from the line's UTF-8 bytes in one pass, exactly what
 * `fastClaim(JSON.parse(line))` (src/batch/fastclaim.ts) gives for a line that
 * src/batch/read.ts readLine reads without a problem (valid UTF-8 and JSON, no
 * key twice) — or undefined whenever it is not sure, and the caller reads the
 * line that way, which decides and words any problem. Like fastClaim, it may
 * only ever say "valid, and here is the claim"; it never rejects.
 *
 * It reads the forms claim files use and nothing else: every key known and
 * written without escapes, no null, numbers written plainly (no sign, exponent
 * or more decimals than an amount has). test/batch/fastclaim.test.ts checks
 * the agreement with JSON.parse and fastClaim on generated lines.
 *
 * Why: decoding a line, JSON.parse, the duplicate-key check and fastClaim cost
 * ~10 µs a line and build a tree of objects only to copy it; this reads each
 * byte once and makes only the claim. The values claims repeat (dates, region
 * codes, levels, hospitals, diseases) are decoded once and kept (a small
 * table of fixed size), so most lines make no string but their ids.
 */
import type { Claim } from "../claims/schema.js";
import { MAX_AMOUNT_FEN, type Fen } from "../core/money.js";

type Obj = Record<string, unknown>;

/** Not sure: let JSON.parse and fastClaim decide. */
class Unsure {}
const UNSURE = new Unsure();

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

// Keys, by object: their bytes, in the order of the index the reader returns.
const TOP = ["format", "id", "date", "insured", "treatment", "filing", "route", "costs", "items", "history"].map(utf8);
const INSURED = ["id", "region", "scheme", "retired"].map(utf8);
const TREATMENT = ["region", "hospital", "level", "kind", "disease", "emergency"].map(utf8);
const COSTS = ["classA", "classB", "excluded", "total"].map(utf8);
const ITEM = ["name", "class", "amount", "prepay"].map(utf8);
const HISTORY = ["fundPaid", "admissions", "deductiblePaid"].map(utf8);

/** Enumerated values: their bytes and the string (one string each: no string is made a line). */
interface Choices {
  readonly bytes: readonly Uint8Array[];
  readonly values: readonly string[];
}
const choices = (values: readonly string[]): Choices => ({ bytes: values.map(utf8), values });
const SCHEMES = choices(["employee", "resident"]);
const KINDS = choices(["inpatient", "outpatient", "chronic"]);
const FILINGS = choices(["long-term", "referral", "emergency", "temporary", "none"]);
const ROUTES = choices(["local", "in-province", "zone", "long-term", "referral", "emergency", "temporary", "unfiled"]);
const CLASSES = choices(["A", "B", "excluded"]);

/** Strings kept by their bytes: a direct-mapped table (an entry is replaced on a collision), so its size is fixed. */
const KEPT = 1024;
/** Only strings this short are kept (ids and other long texts are made each time). */
const KEPT_BYTES = 48;
const keptBytes: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(KEPT).fill(undefined);
const keptText: string[] = new Array<string>(KEPT).fill("");

/** Valid dates by their digits (yyyymmdd), so the calendar is checked once a date; bounded like the kept strings. */
const dates = new Map<number, string>();

/**
 * The reader: one, reused (reading is synchronous). A string value scanned by
 * `scan` is described by the fields `ss`, `se` (its bytes, without the quotes),
 * `plain` (ASCII, no escape), `escaped` and `hash` (of its bytes).
 */
class Reader {
  b: Uint8Array = new Uint8Array(0);
  i = 0;
  end = 0;
  ss = 0;
  se = 0;
  plain = true;
  escaped = false;
  hash = 0;

  /** Skips JSON whitespace: space, tab, CR (and LF, which a line never holds). */
  ws(): void {
    const b = this.b;
    let i = this.i;
    for (; i < this.end; i++) {
      const c = b[i]!;
      if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) break;
    }
    this.i = i;
  }

  /** The byte at `i` (-1 past the line: no byte beyond `end` is ever read). */
  at(i: number): number {
    return i < this.end ? this.b[i]! : -1;
  }

  /** The next byte after whitespace, taken: it must be `c`. */
  take(c: number): void {
    this.ws();
    if (this.at(this.i) !== c) throw UNSURE;
    this.i++;
  }

  /** After `{` or `[`: whether the object or array is empty (its closing byte taken). */
  empty(close: number): boolean {
    this.ws();
    if (this.at(this.i) !== close) return false;
    this.i++;
    return true;
  }

  /** After a member or element: true for a comma (another follows), false for the closing byte. */
  more(close: number): boolean {
    this.ws();
    const c = this.at(this.i++);
    if (c === 0x2c) return true;
    if (c === close) return false;
    throw UNSURE;
  }

  /**
   * A key of `names`, and its colon: its index. Any other key, or one with an
   * escape, is not read here. The names are tried from `from` on (the one after
   * the last key read: keys mostly come in the same order).
   */
  key(names: readonly Uint8Array[], from: number): number {
    this.ws();
    if (this.at(this.i) !== 0x22) throw UNSURE;
    const k = this.match(this.i + 1, names, from);
    this.take(0x3a); // :
    this.ws();
    return k;
  }

  /**
   * The index of the name of `names` (tried from `from` on) whose bytes, then a
   * quote, are at `s`; the reader after that quote. A name has no backslash, so
   * the quote after it ends the string.
   */
  match(s: number, names: readonly Uint8Array[], from: number): number {
    const b = this.b;
    const count = names.length;
    for (let t = 0; t < count; t++) {
      const k = from + t < count ? from + t : from + t - count;
      const name = names[k]!;
      const n = name.length;
      if (s + n >= this.end || b[s + n] !== 0x22) continue;
      let j = 0;
      while (j < n && b[s + j] === name[j]) j++;
      if (j === n) {
        this.i = s + n + 1;
        return k;
      }
    }
    throw UNSURE;
  }

  /**
   * A string value at the current byte (after whitespace): its bytes scanned
   * (see the class), the reader after its closing quote. A control character
   * (not JSON) or a quote that never closes is not read here.
   */
  scan(): void {
    const b = this.b;
    if (this.at(this.i) !== 0x22) throw UNSURE;
    const s = this.i + 1;
    let plain = true;
    let escaped = false;
    let h = 0x811c9dc5;
    let e = s;
    for (; e < this.end; e++) {
      const c = b[e]!;
      if (c === 0x22) break;
      if (c < 0x20) throw UNSURE;
      if (c === 0x5c) {
        // An escape: skip the escaped character (a quote may be it); JSON.parse decodes the string.
        escaped = true;
        plain = false;
        e++;
        continue;
      }
      if (c >= 0x80) plain = false;
      h = Math.imul(h ^ c, 0x01000193);
    }
    if (e >= this.end) throw UNSURE;
    this.ss = s;
    this.se = e;
    this.plain = plain;
    this.escaped = escaped;
    this.hash = h;
    this.i = e + 1;
  }

  /** The scanned string, decoded. */
  decode(): string {
    const { ss, se } = this;
    const buf = asBuffer(this.b);
    if (this.plain) return ascii(this.b, ss, se);
    // With an escape: the string with its quotes, for JSON.parse to decode.
    const text = this.escaped ? buf.toString("utf8", ss - 1, se + 1) : buf.toString("utf8", ss, se);
    // Bytes that are not UTF-8 decode to U+FFFD: then the line's reader decides (it reports them).
    if (text.includes("\uFFFD")) throw UNSURE;
    if (!this.escaped) return text;
    try {
      return JSON.parse(text) as string;
    } catch {
      throw UNSURE; // a bad escape: not JSON
    }
  }

  /** The scanned string, decoded once and kept when short (a value claims repeat). */
  text(): string {
    const n = this.se - this.ss;
    if (this.escaped || n > KEPT_BYTES) return this.decode();
    const h = this.hash;
    const slot = (h ^ (h >>> 15)) & (KEPT - 1);
    const kept = keptBytes[slot];
    const b = this.b;
    const s = this.ss;
    if (kept !== undefined && kept.length === n) {
      let j = 0;
      while (j < n && b[s + j] === kept[j]) j++;
      if (j === n) return keptText[slot]!;
    }
    const text = this.decode(); // throws for bytes that are not UTF-8: nothing is kept
    const copy = new Uint8Array(n); // a copy: the line's buffer is reused for the next chunk
    copy.set(b.subarray(s, this.se));
    keptBytes[slot] = copy;
    keptText[slot] = text;
    return text;
  }

  /** A string value. */
  string(): string {
    this.scan();
    return this.text();
  }

  /** A string value of `choices`: its string. Any other (or one written with an escape) is not read here. */
  choice(c: Choices): string {
    if (this.at(this.i) !== 0x22) throw UNSURE;
    return c.values[this.match(this.i + 1, c.bytes, 0)]!;
  }

  /** true or false. */
  bool(): boolean {
    const b = this.b;
    const i = this.i;
    if (i + 4 <= this.end && b[i] === 0x74 && b[i + 1] === 0x72 && b[i + 2] === 0x75 && b[i + 3] === 0x65) {
      this.i = i + 4;
      return true;
    }
    if (i + 5 <= this.end && b[i] === 0x66 && b[i + 1] === 0x61 && b[i + 2] === 0x6c && b[i + 3] === 0x73 && b[i + 4] === 0x65) {
      this.i = i + 5;
      return false;
    }
    throw UNSURE;
  }

  /**
   * The digits of a number written as a whole number: 1 to 15 digits, no sign,
   * fraction or exponent, no leading zero (JSON has none). Its value then is a
   * safe integer and String(value) is exactly the digits as written. The
   * reader is left after them; `ss`, `se` are their bytes.
   */
  digits(): number {
    const b = this.b;
    const s = this.i;
    let i = s;
    let n = 0;
    for (; i < this.end; i++) {
      const c = b[i]! - 48;
      if (c < 0 || c > 9) break;
      n = n * 10 + c;
    }
    const len = i - s;
    if (len === 0 || len > 15 || (b[s] === 48 && len > 1)) throw UNSURE;
    const c = this.at(i);
    if (c === 0x2e || c === 0x65 || c === 0x45) throw UNSURE; // . e E: not a plain whole number
    this.ss = s;
    this.se = i;
    this.i = i;
    return n;
  }

  /** A whole number written plainly, as a string (String(value) of what JSON.parse reads: see `digits`). */
  digitText(): string {
    this.digits();
    return ascii(this.b, this.ss, this.se);
  }

  /**
   * An amount in fen, written as a number or a string of 1 to 11 digits and at
   * most 2 decimals, at most MAX_AMOUNT_FEN: what fastClaim's amount() makes of
   * the value JSON.parse reads.
   *
   * A string is read as fastClaim reads it (plainFen: leading zeros allowed).
   * A number: JSON.parse gives the double nearest to the decimal written, and
   * fastClaim reads String(that double), the shortest decimal that reads back
   * as it. A decimal of at most 15 significant digits (here at most 13) is the
   * only one of its length or shorter that reads back as its double, so
   * String() gives the decimal written, less trailing zeros of its fraction
   * (and a bare point): the same fen as the digits read here. Anything else —
   * a sign, an exponent, a third decimal — is left to fastClaim.
   */
  amount(): Fen {
    const b = this.b;
    const quoted = this.at(this.i) === 0x22;
    let i = quoted ? this.i + 1 : this.i;
    const s = i;
    let whole = 0;
    for (; i < this.end; i++) {
      const c = b[i]! - 48;
      if (c < 0 || c > 9) break;
      whole = whole * 10 + c;
    }
    const n = i - s;
    if (n === 0 || n > 11 || (!quoted && b[s] === 48 && n > 1)) throw UNSURE;
    let frac = 0;
    if (this.at(i) === 0x2e) {
      const d1 = this.at(i + 1) - 48;
      if (d1 < 0 || d1 > 9) throw UNSURE;
      const d2 = this.at(i + 2) - 48;
      if (d2 >= 0 && d2 <= 9) {
        frac = d1 * 10 + d2;
        i += 3;
      } else {
        frac = d1 * 10;
        i += 2;
      }
    }
    const c = this.at(i);
    if (quoted) {
      if (c !== 0x22) throw UNSURE;
      i++;
    } else if ((c >= 48 && c <= 57) || c === 0x2e || c === 0x65 || c === 0x45) throw UNSURE;
    const fen = whole * 100 + frac;
    if (fen > MAX_AMOUNT_FEN) throw UNSURE;
    this.i = i;
    return fen;
  }

  /** An id: a string of at most 200 characters, or a whole number (as its digits). */
  id(): string {
    if (this.at(this.i) !== 0x22) return this.digitText();
    this.scan();
    const v = this.decode(); // ids differ from claim to claim: none is kept
    if (v.length > 200) throw UNSURE;
    return v;
  }

  /** A region: a string, trimmed, or a whole number (as its digits). */
  code(): string {
    return this.at(this.i) === 0x22 ? this.string().trim() : this.digitText();
  }

  /** A level: a string as written, or a whole number (as its digits). */
  level(): string {
    return this.at(this.i) === 0x22 ? this.string() : this.digitText();
  }

  /** A string of `min` to `max` characters. */
  bounded(min: number, max: number): string {
    const v = this.string();
    if (v.length < min || v.length > max) throw UNSURE;
    return v;
  }

  /** A date YYYY-MM-DD that is on the calendar (as fastClaim's date()). */
  date(): string {
    this.scan();
    const { b, ss } = this;
    if (this.se - ss !== 10 || b[ss + 4] !== 0x2d || b[ss + 7] !== 0x2d) throw UNSURE;
    let key = 0;
    for (let j = 0; j < 10; j++) {
      if (j === 4 || j === 7) continue;
      const c = b[ss + j]! - 48;
      if (c < 0 || c > 9) throw UNSURE;
      key = key * 10 + c;
    }
    let d = dates.get(key);
    if (d === undefined) {
      const y = Math.floor(key / 10000);
      const mo = Math.floor(key / 100) % 100;
      const day = key % 100;
      if (mo < 1 || mo > 12 || day < 1) throw UNSURE;
      const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
      if (day > [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!) throw UNSURE;
      if (dates.size >= 4096) dates.clear(); // a few years of dates at most, in a real file
      dates.set(key, (d = this.decode()));
    }
    return d;
  }
}

const R = new Reader();

/**
 * ASCII bytes as a string. One or two calls of String.fromCharCode for the
 * short ones (ids, codes: several times faster than a decoder's call into the
 * runtime); a decoder for the rest.
 */
function ascii(b: Uint8Array, s: number, e: number): string {
  const n = e - s;
  if (n > 16) return asBuffer(b).toString("latin1", s, e); // latin1 is ASCII for bytes below 0x80
  const head = n >= 8 ? String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!) : "";
  let i = n >= 8 ? s + 8 : s;
  let tail = "";
  for (; i + 4 <= e; i += 4) tail += String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!);
  for (; i < e; i++) tail += String.fromCharCode(b[i]!);
  return head + tail;
}

/** The bytes as a Buffer (no copy), for its decoders. */
function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** The claim on the bytes `start` to `end` of `b` (one line, no newline), or undefined (see the module). */
export function lineClaim(b: Uint8Array, start: number, end: number): Claim | undefined {
  R.b = b;
  R.i = start;
  R.end = end;
  try {
    return readClaim(R);
  } catch (e) {
    if (e === UNSURE) return undefined;
    throw e;
  }
}

function readClaim(r: Reader): Claim {
  r.take(0x7b); // {
  let format = false;
  let id: string | undefined;
  let date: string | undefined;
  let insured: Obj | undefined;
  let treatment: Obj | undefined;
  let filing: string | undefined;
  let route: string | undefined;
  let costs: { classA: Fen; classB: Fen; excluded: Fen; total?: Fen } | undefined;
  let items: Obj[] | undefined;
  let history: Obj | undefined;
  let seen = 0; // keys read, as bits: a key twice is left to the line's reader
  let next = 0; // the key likely next
  if (!r.empty(0x7d))
    do {
      const k = r.key(TOP, next);
      next = k + 1 < TOP.length ? k + 1 : 0;
      if (seen & (1 << k)) throw UNSURE;
      seen |= 1 << k;
      switch (k) {
        case 0:
          // format: 1, exactly (fastClaim takes no other value).
          if (r.digits() !== 1) throw UNSURE;
          format = true;
          break;
        case 1:
          id = r.id();
          break;
        case 2:
          date = r.date();
          break;
        case 3:
          insured = readInsured(r);
          break;
        case 4:
          treatment = readTreatment(r);
          break;
        case 5:
          filing = r.choice(FILINGS);
          break;
        case 6:
          route = r.choice(ROUTES);
          break;
        case 7:
          costs = readCosts(r);
          break;
        case 8:
          items = readItems(r);
          break;
        default:
          history = readHistory(r);
      }
    } while (r.more(0x7d));
  r.ws();
  if (r.i !== r.end) throw UNSURE; // more after the object
  if (date === undefined || insured === undefined || treatment === undefined) throw UNSURE;
  if ((costs === undefined) === (items === undefined)) throw UNSURE; // exactly one of costs, items

  // The claim as fastClaim builds it: the same keys in the same order.
  const out: Obj = {};
  if (format) out.format = 1;
  if (id !== undefined) out.id = id;
  out.date = date;
  out.insured = insured;
  out.treatment = treatment;
  if (filing !== undefined) out.filing = filing;
  if (route !== undefined) out.route = route;
  if (costs !== undefined) out.costs = costs;
  if (items !== undefined) out.items = items;
  out.history = history ?? { fundPaid: 0, admissions: 0, deductiblePaid: 0 };

  // The schema's cross-field rules.
  if (treatment.kind === "chronic" && !treatment.disease) throw UNSURE;
  if (treatment.kind !== "chronic" && treatment.disease !== undefined) throw UNSURE;
  if (insured.retired && insured.scheme !== "employee") throw UNSURE;
  return out as unknown as Claim;
}

function readInsured(r: Reader): Obj {
  r.take(0x7b);
  let id: string | undefined;
  let region: string | undefined;
  let scheme: string | undefined;
  let retired = false;
  let seen = 0;
  let next = 0;
  if (!r.empty(0x7d))
    do {
      const k = r.key(INSURED, next);
      next = k + 1 < INSURED.length ? k + 1 : 0;
      if (seen & (1 << k)) throw UNSURE;
      seen |= 1 << k;
      if (k === 0) id = r.id();
      else if (k === 1) region = r.code();
      else if (k === 2) scheme = r.choice(SCHEMES);
      else retired = r.bool();
    } while (r.more(0x7d));
  if (region === undefined || scheme === undefined) throw UNSURE;
  const insured: Obj = {};
  if (id !== undefined) insured.id = id;
  insured.region = region;
  insured.scheme = scheme;
  insured.retired = retired;
  return insured;
}

function readTreatment(r: Reader): Obj {
  r.take(0x7b);
  let region: string | undefined;
  let hospital: string | undefined;
  let level: string | undefined;
  let kind: string | undefined;
  let disease: string | undefined;
  let emergency = false;
  let seen = 0;
  let next = 0;
  if (!r.empty(0x7d))
    do {
      const k = r.key(TREATMENT, next);
      next = k + 1 < TREATMENT.length ? k + 1 : 0;
      if (seen & (1 << k)) throw UNSURE;
      seen |= 1 << k;
      if (k === 0) region = r.code();
      else if (k === 1) hospital = r.bounded(0, 500);
      else if (k === 2) level = r.level();
      else if (k === 3) kind = r.choice(KINDS);
      else if (k === 4) disease = r.string();
      else emergency = r.bool();
    } while (r.more(0x7d));
  if (region === undefined || level === undefined || kind === undefined) throw UNSURE;
  const treatment: Obj = {};
  treatment.region = region;
  if (hospital !== undefined) treatment.hospital = hospital;
  treatment.level = level;
  treatment.kind = kind;
  if (disease !== undefined) treatment.disease = disease;
  treatment.emergency = emergency;
  return treatment;
}

function readCosts(r: Reader): { classA: Fen; classB: Fen; excluded: Fen; total?: Fen } {
  r.take(0x7b);
  let [classA, classB, excluded, total] = [0, 0, 0, -1];
  let seen = 0;
  let next = 0;
  if (!r.empty(0x7d))
    do {
      const k = r.key(COSTS, next);
      next = k + 1 < COSTS.length ? k + 1 : 0;
      if (seen & (1 << k)) throw UNSURE;
      seen |= 1 << k;
      const fen = r.amount();
      if (k === 0) classA = fen;
      else if (k === 1) classB = fen;
      else if (k === 2) excluded = fen;
      else total = fen;
    } while (r.more(0x7d));
  const costs: { classA: Fen; classB: Fen; excluded: Fen; total?: Fen } = { classA, classB, excluded };
  if (total >= 0) {
    costs.total = total;
    if (classA + classB + excluded !== total) throw UNSURE;
  }
  return costs;
}

function readItems(r: Reader): Obj[] {
  r.take(0x5b); // [
  const items: Obj[] = [];
  if (r.empty(0x5d)) throw UNSURE; // at least one item
  do {
    r.take(0x7b);
    let name: string | undefined;
    let cls: string | undefined;
    let amount = -1;
    let prepay = -1;
    let seen = 0;
    let next = 0;
    if (!r.empty(0x7d))
      do {
        const k = r.key(ITEM, next);
        next = k + 1 < ITEM.length ? k + 1 : 0;
        if (seen & (1 << k)) throw UNSURE;
        seen |= 1 << k;
        if (k === 0) name = r.bounded(1, 500);
        else if (k === 1) cls = r.choice(CLASSES);
        else if (k === 2) amount = r.amount();
        else prepay = r.amount();
      } while (r.more(0x7d));
    if (name === undefined || cls === undefined || amount < 0) throw UNSURE;
    const o: Obj = { name, class: cls, amount };
    if (prepay >= 0) {
      if (cls !== "B" || prepay > amount) throw UNSURE;
      o.prepay = prepay;
    }
    items.push(o);
    if (items.length > 100_000) throw UNSURE;
  } while (r.more(0x5d));
  return items;
}

function readHistory(r: Reader): Obj {
  r.take(0x7b);
  let [fundPaid, admissions, deductiblePaid] = [0, 0, 0];
  let seen = 0;
  let next = 0;
  if (!r.empty(0x7d))
    do {
      const k = r.key(HISTORY, next);
      next = k + 1 < HISTORY.length ? k + 1 : 0;
      if (seen & (1 << k)) throw UNSURE;
      seen |= 1 << k;
      if (k === 0) fundPaid = r.amount();
      else if (k === 1) admissions = r.digits();
      else deductiblePaid = r.amount();
    } while (r.more(0x7d));
  return { fundPaid, admissions, deductiblePaid };
}
