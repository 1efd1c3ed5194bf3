/**
 * Batch input: JSON Lines or CSV, read in large chunks and handed on in
 * groups of records (one group per chunk read), each with its input line.
 * A record that cannot be read (bad JSON, bad UTF-8, a CSV syntax error) is
 * handed on as a problem at its line; reading goes on.
 */
import { open } from "node:fs/promises";
import type { Problem } from "./records.js";
import { systemError } from "../errors.js";
import { parseJson } from "../claims/json.js";
import { csvToClaim, csvHeader, type CsvHeader } from "./csv.js";

export interface InputRecord {
  /** 1-based line of the input where the record starts (CSV: where it ends, when a quoted cell spans lines). */
  readonly line: number;
  /** The record as a plain value (a claim to validate), unless it could not be read. */
  readonly value?: unknown;
  readonly problems?: readonly Problem[];
}

export type Chunks = AsyncIterable<Buffer | string> | Iterable<Buffer | string>;

/**
 * A file's bytes in chunks of `size`, read into one buffer again and again:
 * each chunk is valid until the next is asked for (jsonLines reads it whole
 * before). No new buffer a chunk: memory stays flat however large the file.
 * `fresh`: a new buffer a chunk instead, for a reader that keeps them (csv-parse).
 * `stop`: aborted, the file is read no further.
 * A failed read is the file's error, named (src/errors.ts systemError): not
 * found or no permission (exit 2), an I/O error (exit 74).
 */
export async function* fileChunks(path: string, size = 1 << 20, fresh = false, stop?: AbortSignal): AsyncGenerator<Buffer> {
  let fh;
  try {
    fh = await open(path, "r");
  } catch (e) {
    throw systemError(e, path, "read");
  }
  try {
    let buf = Buffer.allocUnsafe(size);
    // `stop`: the reader gives up (a signal): no more reads, even inside a line that never ends (/dev/zero).
    while (!stop?.aborted) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await fh.read(buf, 0, size, null));
      } catch (e) {
        throw systemError(e, path, "read");
      }
      if (!bytesRead) return;
      yield buf.subarray(0, bytesRead);
      if (fresh) buf = Buffer.allocUnsafe(size);
    }
  } finally {
    await fh.close();
  }
}

/** A JSON Lines record longer than this is refused (a claim is a few KB). */
export const MAX_RECORD_BYTES = 10 * 1024 * 1024;

const fatal = new TextDecoder("utf-8", { fatal: true });

/**
 * JSON Lines: one claim per line; blank lines are skipped (and counted). A
 * group is the lines of one chunk read; each line is parsed only when the
 * group is iterated, so a parsed claim lives as long as its settlement takes
 * (the garbage collector frees it young) rather than as long as the chunk.
 *
 * A chunk's bytes are read in place (no copy of the chunk), and only while its
 * group is iterated: the reader may reuse its buffer for the next chunk (what
 * is kept across chunks, the start of a line, is copied).
 */
export async function* jsonLines(chunks: Chunks): AsyncGenerator<Iterable<InputRecord>> {
  for await (const c of lineChunks(chunks)) yield new LineGroup(c.pre, c.segments, c.before);
}

/**
 * The lines of a chunk read, not yet decoded: records made before (a line too
 * long), then runs of whole lines (`segments`: their bytes, newlines inside,
 * none at either end), after line `before`. Valid until the next is asked for.
 */
export interface LineChunk {
  readonly pre: readonly InputRecord[];
  readonly segments: readonly Buffer[];
  readonly before: number;
}

export async function* lineChunks(chunks: Chunks): AsyncGenerator<LineChunk & { readonly last: number }> {
  let line = 0;
  let pending: Buffer[] = []; // copies: the start of the line the last chunk ended in
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
        pending.push(Buffer.from(buf));
        pendingBytes += buf.length;
        if (pendingBytes > MAX_RECORD_BYTES) {
          // Refused as soon as it passes the bound, not at its newline (which may never come: /dev/zero).
          [pending, pendingBytes, skipping] = [[], 0, true];
          line++;
          yield { pre: [tooLong(line)], segments: [], before: line, last: line };
        }
      }
      continue;
    }
    const nl = buf.indexOf(10); // the end of the line the chunk starts in
    let group: LineGroup;
    if (skipping) {
      // The rest of the over-long line (refused already) ends at the first newline of this chunk.
      group = new LineGroup([], nl < last ? [buf.subarray(nl + 1, last)] : [], line);
      skipping = false;
    } else if (pendingBytes + nl > MAX_RECORD_BYTES) {
      // It passes the bound in the chunk where it ends: refused without putting it together.
      line++;
      group = new LineGroup([tooLong(line)], nl < last ? [buf.subarray(nl + 1, last)] : [], line);
    } else {
      // Its first line (joined to what the last chunk ended with), then the chunk's whole lines.
      const firstLine = pending.length ? Buffer.concat([...pending, buf.subarray(0, nl)]) : buf.subarray(0, nl);
      group = new LineGroup([], nl < last ? [firstLine, buf.subarray(nl + 1, last)] : [firstLine], line);
    }
    line = group.last;
    pending = last + 1 < buf.length ? [Buffer.from(buf.subarray(last + 1))] : [];
    pendingBytes = buf.length - last - 1;
    if (!group.empty) yield { pre: group.pre, segments: group.segments, before: group.before, last: group.last };
  }
  if (!skipping && pendingBytes) {
    const group = new LineGroup([], [Buffer.concat(pending)], line);
    if (!group.empty) yield { pre: group.pre, segments: group.segments, before: group.before, last: group.last };
  }
}

function tooLong(line: number): InputRecord {
  const mb = MAX_RECORD_BYTES / 1024 / 1024;
  return { line, problems: [{ path: "", message: `the line is longer than ${mb} MB; a claim is a few KB`, zh: { message: `该行超过 ${mb} MB；一条申报只有几 KB` } }] };
}

/**
 * Complete lines (no trailing newline in `bytes`) after `before` (the line
 * number before them), read when iterated: each line is decoded from the bytes
 * on its own, so no string of the whole chunk is made (it would outlive the
 * garbage collector's young generation and grow the heap on a long run).
 */
class LineGroup implements Iterable<InputRecord> {
  /** The number of the group's last line. */
  readonly last: number;

  /** `segments`: byte runs of whole lines, one after the other (each has its newlines inside; none at either end). */
  constructor(
    readonly pre: readonly InputRecord[],
    readonly segments: readonly Buffer[],
    readonly before: number,
  ) {
    let lines = 0;
    for (const b of segments) {
      lines++;
      for (let i = -1; (i = b.indexOf(10, i + 1)) >= 0; ) lines++;
    }
    this.last = before + lines;
  }

  get empty(): boolean {
    return !this.pre.length && this.last === this.before;
  }

  *[Symbol.iterator](): Iterator<InputRecord> {
    yield* this.pre;
    let line = this.before;
    for (const bytes of this.segments)
      for (let start = 0; start <= bytes.length; ) {
        // A line's own bytes: split at the newline (0x0A is never part of a UTF-8 sequence).
        const nl = bytes.indexOf(10, start);
        const end = nl < 0 ? bytes.length : nl;
        line++;
        const r = readLine(bytes, start, end, line);
        start = end + 1;
        if (r) yield r;
      }
  }
}

/** One line of JSON Lines (its bytes from `start` to `end`, no newline): a record, or undefined for a blank line. */
export function readLine(bytes: Buffer, start: number, end: number, line: number): InputRecord | undefined {
  let s = bytes.toString("utf8", start, end);
  // U+FFFD may stand for a byte that is not UTF-8 (or be written as such): check the bytes.
  if (s.includes("\uFFFD") && !isUtf8(bytes.subarray(start, end))) return { line, problems: [{ path: "", message: "not valid UTF-8; save the file as UTF-8", zh: { message: "不是有效的 UTF-8：请将文件另存为 UTF-8" } }] };
  // A UTF-8 line has at most 3 bytes per UTF-16 unit: measure only lines that may be too long.
  if (s.length * 3 > MAX_RECORD_BYTES && Buffer.byteLength(s) > MAX_RECORD_BYTES) return tooLong(line);
  if (s.charCodeAt(s.length - 1) === 13) s = s.slice(0, -1); // CRLF
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1); // a BOM inside the file: files put end to end, each with its own
  if (isBlank(s)) return undefined;
  const r = parseJson(s);
  return "value" in r ? { line, value: r.value } : { line, problems: [{ path: r.problem.path, message: r.problem.message, ...(r.problem.zh ? { zh: r.problem.zh } : {}) }] };
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
    const words = csvMessage(e);
    skipped.push({ line: e.lines ?? 0, problems: [{ path: "", message: `CSV: ${words.en}`, zh: { message: `CSV：${words.zh}` } }] });
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
  // The parser reports a bad record (skip) as soon as it reads it, while the good records
  // before it may still wait in its buffer: each goes into the group in line order.
  const skippedBefore = (line: number): void => {
    while (skipped.length && skipped[0]!.line < line) group.push(skipped.shift()!);
  };
  for await (const r of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    skippedBefore(r.info.lines);
    if (!header) {
      header = csvHeader(r.record, file, r.info.lines);
      continue;
    }
    // A BOM before a record (CSV files put end to end, each with its own): not part of its first cell.
    if (r.record[0]?.charCodeAt(0) === 0xfeff) r.record[0] = r.record[0].slice(1).trim();
    if (badUtf8 && r.record.some((cell) => cell.includes("\uFFFD"))) {
      group.push({ line: r.info.lines, problems: [{ path: "", message: "not valid UTF-8; save the file as UTF-8", zh: { message: "不是有效的 UTF-8：请将文件另存为 UTF-8" } }] });
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

/** What csv-parse found, in the tool's words ("Invalid Opening Quote: a quote is found on field 6" is the library's). */
function csvMessage(e: Error & { code?: string; column?: number }): { en: string; zh: string } {
  const m = e.message.replace(/\s+/g, " ").trim();
  const col = typeof e.column === "number" ? e.column + 1 : undefined;
  const cell = col !== undefined ? `cell ${col}` : "a cell";
  const cellZh = col !== undefined ? `第 ${col} 个单元格` : "某个单元格";
  switch (e.code) {
    case "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH": {
      const n = /expect (\d+), got (\d+)/.exec(m);
      return {
        en: `the record does not have one cell per header column${n ? `: ${n[2]} cells, the header has ${n[1]}` : ""} (a value holding a comma is written in quotes)`,
        zh: `这条记录的单元格数与表头列数不符${n ? `：${n[2]} 个单元格，表头有 ${n[1]} 列` : ""}（含逗号的值要加引号）`,
      };
    }
    case "CSV_QUOTE_NOT_CLOSED":
      return {
        en: `a quote opened in ${cell} is never closed: the input ends inside it (close it, or double a quote inside a quoted value: "")`,
        zh: `${cellZh}的引号没有闭合：输入在引号内结束（请闭合它；引号内的引号要写两次：""）`,
      };
    case "INVALID_OPENING_QUOTE":
      return { en: `a quote inside the unquoted ${cell}: quote the whole value and double the quote inside it ("1""1")`, zh: `没有引号的${cellZh}中出现了引号：请给整个值加引号，并把其中的引号写两次（"1""1"）` };
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return { en: `text after the closing quote of ${cell}: quote the whole value, and double a quote inside it ("")`, zh: `${cellZh}的闭合引号后还有文字：请给整个值加引号，并把其中的引号写两次（""）` };
    default:
      return { en: m, zh: `CSV 格式有误：${m}` };
  }
}
