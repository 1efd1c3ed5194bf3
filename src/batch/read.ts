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
    let start = 0; // byte offset of the line in `bytes`
    for (let i = 0; i < lines.length; i++) {
      let s = lines[i]!;
      line++;
      if (bytes) {
        // A line's own bytes: split the raw bytes at the newline (0x0A is never part of an
        // invalid sequence), not at the decoded length, which U+FFFD would make drift.
        const nl = bytes.indexOf(10, start);
        const end = nl < 0 ? bytes.length : nl;
        const ok = isUtf8(bytes.subarray(start, end));
        start = end + 1;
        if (!ok) {
          yield { line, problems: [{ path: "", message: "not valid UTF-8; save the file as UTF-8" }] };
          continue;
        }
      }
      // A UTF-8 line has at most 3 bytes per UTF-16 unit: measure only lines that may be too long.
      if (s.length * 3 > MAX_RECORD_BYTES && Buffer.byteLength(s) > MAX_RECORD_BYTES) {
        yield tooLong(line);
        continue;
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
      const dup = duplicateKey(s);
      if (dup !== undefined) {
        yield { line, problems: [{ path: dup, message: "duplicate key: a key may appear once in an object" }] };
        continue;
      }
      yield { line, value };
    }
  }
}

/**
 * The path of the first key written twice in one object of a valid JSON text,
 * or undefined: JSON.parse would silently keep the last, where a claim file
 * with a duplicate key is refused. One linear pass over the text.
 */
export function duplicateKey(s: string): string | undefined {
  const objects: { keys: Set<string> | null; path: string; last: string }[] = [];
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) {
      let j = i + 1;
      let escaped = false;
      for (; j < n; j++) {
        const d = s.charCodeAt(j);
        if (d === 92) {
          escaped = true;
          j++;
        } else if (d === 34) break;
      }
      let k = j + 1;
      while (k < n && (s.charCodeAt(k) === 32 || s.charCodeAt(k) === 9 || s.charCodeAt(k) === 13 || s.charCodeAt(k) === 10)) k++;
      const top = objects[objects.length - 1];
      if (top?.keys && s.charCodeAt(k) === 58) {
        const key = escaped ? (JSON.parse(s.slice(i, j + 1)) as string) : s.slice(i + 1, j);
        const path = top.path ? `${top.path}.${key}` : key;
        if (top.keys.has(key)) return path;
        top.keys.add(key);
        top.last = path;
      }
      i = j;
    } else if (c === 123 || c === 91) {
      const parent = objects[objects.length - 1];
      objects.push({ keys: c === 123 ? new Set() : null, path: parent ? parent.last : "", last: parent ? parent.last : "" });
    } else if (c === 125 || c === 93) objects.pop();
  }
  return undefined;
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
  // csv-parse decodes leniently (a byte that is not UTF-8 becomes U+FFFD): each chunk is
  // checked strictly before the parser sees it, and once a bad byte has been seen, a
  // record holding U+FFFD is refused like a JSON line of bad UTF-8.
  const strict = new TextDecoder("utf-8", { fatal: true });
  let badUtf8 = false;
  const feed = (async () => {
    try {
      for await (const c of chunks) {
        if (!badUtf8 && typeof c !== "string") {
          try {
            strict.decode(c, { stream: true });
          } catch {
            badUtf8 = true;
          }
        }
        if (!parser.write(c)) await new Promise((r) => parser.once("drain", r));
      }
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
    if (badUtf8 && r.record.some((cell) => cell.includes("\uFFFD"))) {
      group.push({ line: r.info.lines, problems: [{ path: "", message: "not valid UTF-8; save the file as UTF-8" }] });
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
