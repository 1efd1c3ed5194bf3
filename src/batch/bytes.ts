/**
 * Bytes waiting to be written, in 1 MB chunks handed to a sink (src/sink.ts),
 * and JSON written straight into them: `json(value)` writes exactly the bytes of
 * `JSON.stringify(value)`, but the text of a frozen object is made once and
 * kept, so the parts a settlement shares with others of its plan — its places,
 * its cited figures with their sources, its warnings — are copied, not
 * serialised again (the figures are most of a record's bytes).
 */
import type { Sink } from "../sink.js";

/** The output buffer's size: the writes the destination sees. */
const CHUNK = 1 << 20;

/**
 * Bytes waiting to be written: records are written straight into it (no
 * string of the whole record is made), and it is handed to the sink when full.
 */
export class ByteOut {
  // Never from Node's shared pool (allocUnsafeSlow): the buffer is handed on whole.
  buf: Buffer;
  pos = 0;
  /** The sink asked to wait (a full pipe). */
  blocked = false;
  /** The sink's first failure (a full disk, a closed pipe): what comes after is dropped, and `drained` throws it. */
  private failure: { readonly error: unknown } | undefined;
  /** Frozen objects being written (their bytes are kept), across a flush. */
  private readonly marks: Mark[] = [];
  /** `chunk`: the size of the writes the sink sees (tests make it small). */
  constructor(
    private readonly sink: Sink,
    private readonly chunk = CHUNK,
  ) {
    this.buf = Buffer.allocUnsafeSlow(chunk);
  }

  /** Room for `n` more bytes in `buf` from `pos`. */
  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafeSlow(n);
  }
  flush(): void {
    if (!this.pos) return;
    for (const m of this.marks) {
      m.parts.push(Buffer.from(this.buf.subarray(m.buf === this.buf ? m.pos : 0, this.pos))); // a copy: the buffer is reused
      m.buf = null; // the rest of it starts at the beginning of the next buffer
    }
    let r: "done" | "queued" | "full" = "done";
    // A record is written in the middle of a settlement: a failed write is kept for the batch to stop on at its next wait.
    if (!this.failure)
      try {
        r = this.sink.write(this.buf.subarray(0, this.pos));
      } catch (error) {
        this.failure = { error };
      }
    if (r === "full") this.blocked = true;
    if (r !== "done" || this.buf.length !== this.chunk) this.buf = Buffer.allocUnsafeSlow(this.chunk); // the destination keeps the old one
    this.pos = 0;
  }
  /** Waits until the sink has taken what it was given, if it asked to; throws the sink's failure. */
  async drained(): Promise<void> {
    if (this.failure) throw this.failure.error;
    if (!this.blocked) return;
    this.blocked = false;
    await this.sink.drained();
  }
  bytes(b: Uint8Array): void {
    const n = b.length;
    if (this.pos + n > this.buf.length) this.room(n);
    this.buf.set(b, this.pos);
    this.pos += n;
  }
  /** Text with characters below U+0080 only. */
  ascii(s: string): void {
    const n = s.length;
    if (this.pos + n > this.buf.length) this.room(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }
  /** Any text, as UTF-8. */
  text(s: string): void {
    for (let i = 0; i < s.length; i++)
      if (s.charCodeAt(i) > 0x7f) {
        this.room(s.length * 3);
        this.pos += this.buf.write(s, this.pos, "utf8");
        return;
      }
    this.ascii(s);
  }

  /** One byte (JSON punctuation). */
  byte(c: number): void {
    if (this.pos >= this.buf.length) this.room(1);
    this.buf[this.pos++] = c;
  }

  /**
   * `JSON.stringify(value)` as UTF-8 (plain data: objects, arrays, strings,
   * finite numbers, booleans, null). A frozen object's bytes are made once.
   */
  json(value: unknown): void {
    if (value === null) return this.ascii("null");
    switch (typeof value) {
      case "string":
        return this.string(value);
      case "number":
        return this.number(value);
      case "boolean":
        return this.ascii(value ? "true" : "false");
      case "object":
        break;
      default:
        throw new TypeError(`json: cannot write a ${typeof value}`);
    }
    const frozen = Object.isFrozen(value);
    if (frozen) {
      const b = texts.get(value);
      if (b) return this.bytes(b);
    }
    const start = frozen ? this.mark() : undefined;
    if (Array.isArray(value)) {
      this.byte(0x5b); // [
      for (let i = 0; i < value.length; i++) {
        if (i) this.byte(0x2c); // ,
        const v: unknown = value[i];
        if (v === undefined || typeof v === "function" || typeof v === "symbol") this.ascii("null");
        else this.json(v);
      }
      this.byte(0x5d); // ]
    } else {
      this.byte(0x7b); // {
      this.members(value);
      this.byte(0x7d); // }
    }
    if (start) texts.set(value, this.since(start));
  }

  /**
   * A number as JSON.stringify (and String) writes it. Amounts in yuan (at most two decimals,
   * below 10^13) are written digit by digit from their fen, which is what
   * String gives for them: a decimal of at most 15 significant digits is the
   * shortest text that reads back as its double. Anything else goes to String.
   */
  number(x: number): void {
    const fen = Math.round(x * 100);
    if (!(fen / 100 === x && x > -1e13 && x < 1e13) || Object.is(x, -0)) return this.ascii(Number.isFinite(x) ? String(x) : "null");
    if (this.pos + 20 > this.buf.length) this.room(20);
    const buf = this.buf;
    let p = this.pos;
    let n = fen;
    if (n < 0) {
      buf[p++] = 0x2d; // -
      n = -n;
    }
    const cents = n % 100;
    const whole = (n - cents) / 100;
    if (whole < 0x80000000) p = digits(buf, p, whole | 0);
    else {
      // Above 2^31 yuan: the high digits, then the low nine, padded.
      const low = whole % 1e9;
      p = digits(buf, p, (whole - low) / 1e9);
      for (let i = 8, l = low; i >= 0; i--, l = Math.floor(l / 10)) buf[p + i] = 0x30 + (l % 10);
      p += 9;
    }
    if (cents) {
      buf[p++] = 0x2e; // .
      buf[p++] = 0x30 + Math.floor(cents / 10);
      if (cents % 10) buf[p++] = 0x30 + (cents % 10);
    }
    this.pos = p;
  }

  /** The members of an object as JSON, without its braces: `"key":value,…`. */
  members(o: object): void {
    let first = true;
    for (const k in o) {
      const v = (o as Record<string, unknown>)[k];
      if (v === undefined || typeof v === "function" || typeof v === "symbol") continue;
      let key = keys.get(k);
      if (key === undefined) keys.set(k, (key = `${JSON.stringify(k)}:`)); // few: the keys of settlements
      if (!first) this.byte(0x2c); // ,
      first = false;
      if (key.length === k.length + 3) this.ascii(key); // written as it is (a key of ASCII letters: most are)
      else this.text(key);
      this.json(v);
    }
  }

  /** A JSON string: as it is when nothing in it needs escaping (an id, a date), else JSON.stringify's. */
  private string(s: string): void {
    if (!PLAIN.test(s)) return this.text(JSON.stringify(s));
    const n = s.length;
    if (this.pos + n + 2 > this.buf.length) this.room(n + 2);
    this.buf[this.pos++] = 0x22;
    this.pos += this.buf.write(s, this.pos, "latin1");
    this.buf[this.pos++] = 0x22;
  }

  /** Where the next byte goes, to take the bytes written since (`since`). */
  private mark(): Mark {
    const m: Mark = { buf: this.buf, pos: this.pos, parts: [] };
    this.marks.push(m);
    return m;
  }
  private since(m: Mark): Buffer {
    this.marks.splice(this.marks.indexOf(m), 1);
    const tail = this.buf.subarray(m.buf === this.buf ? m.pos : 0, this.pos);
    // Kept for the run: a buffer of its own (a slice of Node's shared pool would keep the whole 8 KB slab alive).
    const kept = Buffer.allocUnsafeSlow(m.parts.reduce((n, b) => n + b.length, tail.length));
    let at = 0;
    for (const b of [...m.parts, tail]) at += b.copy(kept, at);
    return kept;
  }
}

/** Where a frozen object's bytes began: in `buf` at `pos` (null: at the start of the current buffer), after `parts` already flushed. */
interface Mark {
  buf: Buffer | null;
  pos: number;
  readonly parts: Buffer[];
}

/** The decimal digits of an integer 0 ≤ n < 2^31 at `p`; where they end. */
function digits(buf: Buffer, p: number, n: number): number {
  let len = 1;
  for (let w = n; w >= 10; w = (w / 10) | 0) len++;
  for (let i = len - 1; i >= 0; i--, n = (n / 10) | 0) buf[p + i] = 0x30 + (n % 10);
  return p + len;
}

/** Printable ASCII but the quote and the backslash: written as it is. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** The JSON text of frozen objects, as bytes; object keys with their colon. */
const texts = new WeakMap<object, Buffer>();
const keys = new Map<string, string>();
