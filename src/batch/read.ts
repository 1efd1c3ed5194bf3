/**
 * Batch input: JSON Lines or CSV, read in large chunks and handed on in
 * groups of records (one group per chunk read), each with its input line.
 * A record that cannot be read (bad JSON, bad UTF-8, a CSV syntax error) is
 * handed on as a problem at its line; reading goes on.
 */
import type { Problem } from "./records.js";
import { csvToClaim, csvHeader, type CsvHeader } from "./csv.js";

export interface InputRecord {
  /** 1-based line of the input where the record starts (CSV: where it ends, when a quoted cell spans lines). */
  readonly line: number;
  /** The record as a plain value (a claim to validate), unless it could not be read. */
  readonly value?: unknown;
  readonly problems?: readonly Problem[];
}

export type Chunks = AsyncIterable<Buffer | string> | Iterable<Buffer | string>;

/** A JSON Lines record longer than this is refused (a claim is a few KB). */
export const MAX_RECORD_BYTES = 10 * 1024 * 1024;

const fatal = new TextDecoder("utf-8", { fatal: true });

/**
 * JSON Lines: one claim per line; blank lines are skipped (and counted). A
 * group is the lines of one chunk read; each line is parsed only when the
 * group is iterated, so a parsed claim lives as long as its settlement takes
 * (the garbage collector frees it young) rather than as long as the chunk.
 */
export async function* jsonLines(chunks: Chunks): AsyncGenerator<Iterable<InputRecord>> {
  let line = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skipping = false; // inside an over-long line
  let first = true;
  for await (const raw of chunks) {
    let buf = typeof raw === "string" ? Buffer.from(raw, "utf8") : raw;
    if (first && buf.length) {
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3); // BOM
      first = false;
    }
    const last = buf.lastIndexOf(10);
    if (last < 0) {
      if (!skipping) {
        pending.push(buf);
        pendingBytes += buf.length;
        if (pendingBytes > MAX_RECORD_BYTES) [pending, pendingBytes, skipping] = [[], 0, true];
      }
      continue;
    }
    const head = buf.subarray(0, last);
    const whole = pending.length ? Buffer.concat([...pending, head]) : head;
    let group: LineGroup | undefined;
    if (skipping) {
      // The over-long line ends at the first newline of this chunk.
      const nl = whole.indexOf(10);
      line++;
      group = nl < 0 ? new LineGroup([tooLong(line)], undefined, line) : new LineGroup([tooLong(line)], whole.subarray(nl + 1), line);
      skipping = false;
    } else group = new LineGroup([], whole, line);
    line = group.last;
    pending = [buf.subarray(last + 1)];
    pendingBytes = buf.length - last - 1;
    if (!group.empty) yield group;
  }
  if (skipping) yield new LineGroup([tooLong(++line)], undefined, line);
  else if (pendingBytes) {
    const group = new LineGroup([], Buffer.concat(pending), line);
    if (!group.empty) yield group;
  }
}

function tooLong(line: number): InputRecord {
  return { line, problems: [{ path: "", message: `the line is longer than ${MAX_RECORD_BYTES / 1024 / 1024} MB; a claim is a few KB` }] };
}

/** Complete lines (no trailing newline in `bytes`) after `before` (the line number before them), read when iterated. */
class LineGroup implements Iterable<InputRecord> {
  private readonly lines: readonly string[];
  /** The bytes, kept only when a line may not be UTF-8 (checked line by line). */
  private readonly bytes: Buffer | undefined;
  /** The number of the group's last line. */
  readonly last: number;

  constructor(
    private readonly pre: readonly InputRecord[],
    bytes: Buffer | undefined,
    private readonly before: number,
  ) {
    const text = bytes ? bytes.toString("utf8") : "";
    this.lines = bytes ? text.split("\n") : [];
    // U+FFFD may stand for a byte that is not UTF-8: then check line by line.
    this.bytes = bytes && text.includes("\uFFFD") ? bytes : undefined;
    this.last = before + this.lines.length;
  }

  get empty(): boolean {
    return !this.pre.length && !this.lines.length;
  }

  *[Symbol.iterator](): Iterator<InputRecord> {
    yield* this.pre;
    const { lines, bytes } = this;
    let line = this.before;
    let offset = 0;
    for (let i = 0; i < lines.length; i++) {
      let s = lines[i]!;
      line++;
      if (bytes) {
        const len = Buffer.byteLength(s);
        const ok = isUtf8(bytes.subarray(offset, offset + len));
        offset += len + 1;
        if (!ok) {
          yield { line, problems: [{ path: "", message: "not valid UTF-8; save the file as UTF-8" }] };
          continue;
        }
      }
      if (s.charCodeAt(s.length - 1) === 13) s = s.slice(0, -1); // CRLF
      if (isBlank(s)) continue;
      let value: unknown;
      try {
        value = JSON.parse(s);
      } catch (e) {
        yield { line, problems: [{ path: "", message: `not valid JSON: ${(e as Error).message}` }] };
        continue;
      }
      yield { line, value };
    }
  }
}

function isUtf8(b: Uint8Array): boolean {
  try {
    fatal.decode(b);
    return true;
  } catch {
    return false;
  }
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/**
 * CSV with a header line of dotted claim field names (README, "CSV input"),
 * parsed by csv-parse. Empty cells are absent fields. A record csv-parse
 * cannot read (a stray quote, a wrong number of cells) is a problem at its line.
 */
export async function* csvRecords(chunks: Chunks, file: string): AsyncGenerator<InputRecord[]> {
  const { parse } = await import("csv-parse");
  const skipped: InputRecord[] = [];
  const parser = parse({
    bom: true,
    trim: true,
    info: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    relax_column_count: false,
  });
  parser.on("skip", (e: Error & { lines?: number; code?: string }) => {
    skipped.push({ line: e.lines ?? 0, problems: [{ path: "", message: `CSV: ${csvMessage(e)}` }] });
  });
  const feed = (async () => {
    try {
      for await (const c of chunks) if (!parser.write(c)) await new Promise((r) => parser.once("drain", r));
      parser.end();
    } catch (e) {
      parser.destroy(e as Error);
    }
  })();
  let header: CsvHeader | undefined;
  let group: InputRecord[] = [];
  for await (const r of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (skipped.length) group.push(...skipped.splice(0));
    if (!header) {
      header = csvHeader(r.record, file, r.info.lines);
      continue;
    }
    const value = csvToClaim(header, r.record);
    if (value !== undefined) group.push({ line: r.info.lines, value });
    if (group.length >= 1024) {
      yield group;
      group = [];
    }
  }
  await feed;
  if (skipped.length) group.push(...skipped.splice(0));
  if (group.length) yield group;
}

function csvMessage(e: Error & { code?: string }): string {
  const m = e.message.replace(/\s+/g, " ").trim();
  return e.code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH" ? `the record does not have one cell per header column (${m})` : m;
}
