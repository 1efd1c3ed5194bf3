/**
 * Batch output: JSON Lines (the object of `calc --format json` plus `line`;
 * a failure is `{line, id?, error, problems}`) or CSV (the shared flat
 * columns of src/format/flat.ts, then `line` and `error`). Written as bytes in
 * 1 MB chunks to standard output (with backpressure: the batch waits for a
 * full pipe to drain) or to a temporary file that is renamed over the target
 * only when the run completes.
 */
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { Writable } from "node:stream";
import type { RuleSet } from "../core/model.js";
import { settlementOf, type Parts } from "../core/settle.js";
import { csvCell } from "../format/csv.js";
import { FLAT_COLUMNS, flatten } from "../format/flat.js";
import { settlementJson } from "../format/json.js";
import type { Lang } from "../format/labels.js";
import { jsonlRecord } from "./jsonl.js";
import type { Failure } from "./records.js";

/** Where the bytes go: standard output, or a file. */
export interface Sink {
  /**
   * Writes the bytes: "done" (written, the buffer may be reused), "queued"
   * (the destination keeps the buffer for now) or "full" (queued, and the
   * writer should wait for `drained` before writing much more).
   */
  write(b: Buffer): "done" | "queued" | "full";
  /** Resolves when the destination has taken what it was given (at once for a file). */
  drained(): Promise<void>;
  /** Success: make the output visible (rename the temporary file). */
  commit(): void;
  /** Failure or interruption: leave nothing behind. */
  abort(): void;
}

/** The output buffer's size: the writes the destination sees. */
const CHUNK = 1 << 20;

/**
 * Bytes waiting to be written: records are written straight into it (no
 * string of the whole record is made), and it is handed to the sink when full.
 */
export class ByteOut {
  // Never from Node's shared pool (allocUnsafeSlow): the buffer is handed on whole.
  buf: Buffer = Buffer.allocUnsafeSlow(CHUNK);
  pos = 0;
  /** The sink asked to wait (a full pipe). */
  blocked = false;
  constructor(private readonly sink: Sink) {}

  /** Room for `n` more bytes in `buf` from `pos`. */
  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafeSlow(n);
  }
  flush(): void {
    if (!this.pos) return;
    const r = this.sink.write(this.buf.subarray(0, this.pos));
    if (r === "full") this.blocked = true;
    if (r !== "done" || this.buf.length !== CHUNK) this.buf = Buffer.allocUnsafeSlow(CHUNK); // the destination keeps the old one
    this.pos = 0;
  }
  /** Waits until the sink has taken what it was given, if it asked to. */
  async drained(): Promise<void> {
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
}

/**
 * Standard output. A real stream (the binary's process.stdout) takes the bytes,
 * with backpressure; anything else (tests) is given text, decoded across
 * chunk boundaries.
 */
export function streamSink(out: { write(s: string): unknown }): Sink {
  if (out instanceof Writable) {
    const w = out;
    return {
      write(b) {
        const ok = w.write(b);
        // A file or (on Linux) a pipe is written synchronously: nothing is left queued.
        return w.writableLength === 0 ? "done" : ok ? "queued" : "full";
      },
      drained: () => (w.writableNeedDrain ? new Promise<void>((r) => w.once("drain", () => r())) : Promise.resolve()),
      commit() {},
      abort() {},
    };
  }
  const dec = new StringDecoder("utf8");
  return {
    write(b) {
      const s = dec.write(b);
      if (s) out.write(s);
      return "done";
    },
    drained: () => Promise.resolve(),
    commit() {
      const s = dec.end();
      if (s) out.write(s);
    },
    abort() {},
  };
}

/**
 * `--output FILE`: written to `.FILE.<pid>.tmp` beside it (same directory,
 * so the rename is atomic) and renamed over FILE at the end.
 */
export function fileSink(target: string): Sink & { readonly temp: string } {
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const fd = openSync(temp, "wx");
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    temp,
    write(b) {
      for (let off = 0; off < b.length; ) off += writeSync(fd, b, off, b.length - off);
      return "done";
    },
    drained: () => Promise.resolve(),
    commit() {
      close();
      renameSync(temp, target);
    },
    abort() {
      close();
      try {
        unlinkSync(temp);
      } catch {
        /* already gone */
      }
    },
  };
}

export interface RecordWriter {
  settled(line: number, p: Parts): void;
  failed(f: Failure): void;
  end(): void;
}

export const BATCH_CSV_COLUMNS = [...FLAT_COLUMNS, "line", "error"] as const;

export function jsonlWriter(out: ByteOut, rules: RuleSet, lang: Lang, explain: boolean): RecordWriter {
  const record = jsonlRecord(rules, lang, explain); // = JSON.stringify({ line, ...settlementJson(settle(claim), rules, lang, explain) }), as bytes
  return {
    settled(line, p) {
      const [buf, start] = [out.buf, out.pos];
      try {
        record(out, line, p); // with its newline
      } catch (e) {
        if (out.buf === buf) out.pos = start; // no half record (unless it was already flushed: a record over 1 MB)
        throw e;
      }
    },
    failed(f) {
      out.text(JSON.stringify({ line: f.line, ...(f.id !== undefined ? { id: f.id } : {}), error: f.kind, problems: f.problems }) + "\n");
    },
    end() {
      out.flush();
    },
  };
}

export function csvWriter(out: ByteOut, rules: RuleSet, lang: Lang): RecordWriter {
  out.text(BATCH_CSV_COLUMNS.join(",") + "\n");
  const empty = FLAT_COLUMNS.map(() => "");
  const idAt = FLAT_COLUMNS.indexOf("id");
  return {
    settled(line, p) {
      const r = flatten(settlementJson(settlementOf(p), rules, lang, false));
      let row = "";
      for (const c of FLAT_COLUMNS) row += csvCell(r[c]) + ",";
      out.text(`${row}${line},\n`);
    },
    failed(f) {
      const cells = [...empty];
      if (f.id !== undefined) cells[idAt] = csvCell(f.id);
      const error = `${f.kind}: ${f.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join("; ")}`;
      out.text(`${cells.join(",")},${f.line},${csvCell(error)}\n`);
    },
    end() {
      out.flush();
    },
  };
}
