/**
 * Every way to give claims, for every command that reads them (docs/input.md):
 * a YAML or JSON claim, a YAML/JSON list of claims, JSON Lines, or CSV, from
 * a file or standard input (`-`). The format is decided in one place
 * (src/claims/format.ts); each format has its one reader: the yaml library
 * and JSON.parse for documents (src/claims/input.ts), the JSON Lines and CSV
 * readers of batch (./read.ts).
 */
import { inputFormat, isDocument, type InputFormat } from "../claims/format.js";
import { readDocument, type RawClaim } from "../claims/input.js";
import type { Diagnostic } from "../diagnostics.js";
import { EXIT } from "../errors.js";
import { headOf, MAX_CLAIM_BYTES, readText, refuseUtf16, type TooLarge } from "../io.js";
import { atLine } from "../yaml/document.js";
import { csvRecords, jsonLines, type Chunks, type InputRecord } from "./read.js";

/** A claim of an input, or why a record of it could not be read. */
export interface ClaimEntry {
  /** How results and messages name it: the file (one claim), or FILE:LINE of a record among several (FILE:LINE:COL when records share a line). */
  readonly label: string;
  /** The input line where it starts (1 for a file of one claim). */
  readonly line: number;
  readonly raw?: RawClaim;
  /** A record that could not be read (bad JSON, bad UTF-8, a CSV syntax error), located at its line. */
  readonly problems?: readonly Diagnostic[];
}

export interface ClaimsRead {
  readonly file: string;
  /** The input's text (what a receipt hashes). */
  readonly text: string;
  readonly format: InputFormat;
  /** Several claims by nature (a list, JSON Lines, CSV), however many it holds: results are an array. */
  readonly many: boolean;
  readonly entries: readonly ClaimEntry[];
}

/** The text of an argument (a path, or "-"), bounded and strictly UTF-8 as a claim file is (UTF-16 refused: src/io.ts). */
export function inputText(arg: string, io: { readStdin: () => string }, tooLarge: TooLarge = { what: "a claim file" }): { file: string; text: string } {
  if (arg === "-") return { file: "<stdin>", text: io.readStdin() };
  return readText(arg, MAX_CLAIM_BYTES, EXIT.claim, tooLarge);
}

/**
 * The claims of an input read whole (`arg` names it, for its extension): calc,
 * compare, and rules diff for a document or standard input. A document that
 * does not read is a DiagnosticsError (exit 4); a record of JSON Lines or CSV
 * that does not is an entry with its problems.
 */
export async function claimsOf(arg: string, file: string, text: string, forced?: InputFormat): Promise<ClaimsRead> {
  const format = inputFormat(arg, text, { forced, fallback: "yaml", whole: true });
  if (isDocument(format)) {
    const doc = readDocument(file, text, forced && isDocument(forced) ? forced : undefined);
    const shared = sharedLines(doc.claims.map((c) => c.line));
    const entries = doc.claims.map((c) => ({ label: doc.list ? `${file}:${c.line}${shared.has(c.line) ? `:${c.col}` : ""}` : file, line: c.line, raw: c.raw }));
    return { file, text, format, many: doc.list, entries };
  }
  const entries: ClaimEntry[] = [];
  for await (const group of streamedClaims(file, [text], format)) entries.push(...group);
  return { file, text, format, many: true, entries };
}

/**
 * The claims of JSON Lines or CSV, record by record, as batch reads them: each
 * claim's problems are located at its line (src/yaml/document.ts atLine).
 */
export async function* streamedClaims(file: string, chunks: Chunks, format: "jsonl" | "csv"): AsyncGenerator<ClaimEntry[]> {
  for await (const group of format === "csv" ? csvRecords(chunks, file) : jsonLines(chunks)) {
    const out: ClaimEntry[] = [];
    for (const r of group) out.push(entryOf(file, r));
    yield out;
  }
}

function entryOf(file: string, r: InputRecord): ClaimEntry {
  const label = `${file}:${r.line}`;
  if (r.problems)
    return { label, line: r.line, problems: r.problems.map((p) => ({ code: "invalid-record", severity: "error", message: p.message, file, line: r.line, col: 1, ...(p.path ? { path: p.path } : {}), ...(p.hint ? { hint: p.hint } : {}) })) };
  return { label, line: r.line, raw: { file, text: "", value: r.value, yaml: atLine(file, r.line) } };
}

function sharedLines(lines: readonly number[]): Set<number> {
  const seen = new Set<number>();
  const shared = new Set<number>();
  for (const l of lines) (seen.has(l) ? shared : seen).add(l);
  return shared;
}

/**
 * A file's format and encoding, from its first bytes, before it is streamed
 * (rules diff, batch): undefined when it is not a regular file (a pipe, a
 * device: read once, so not peeked at here).
 */
export function formatOfFile(path: string, forced: InputFormat | undefined, fallback: InputFormat): InputFormat | undefined {
  const head = headOf(path);
  if (!head) return undefined;
  refuseUtf16(path, head);
  return inputFormat(path, headText(head), { forced, fallback, whole: false });
}

/** The first bytes of an input as text (a multi-byte character cut at the end is dropped, not refused). */
export function headText(head: Uint8Array): string {
  return Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString("utf8").replace(/\uFFFD$/, "");
}

/**
 * The first chunk of a stream (standard input, a pipe), and the stream as it
 * was: the chunk, then the rest. One more step per chunk, none per record.
 */
export async function peek(chunks: Chunks): Promise<{ head: Buffer; chunks: Chunks }> {
  const it = (Symbol.asyncIterator in chunks ? (chunks as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]() : (chunks as Iterable<Buffer | string>)[Symbol.iterator]()) as AsyncIterator<Buffer | string> | Iterator<Buffer | string>;
  const first = await it.next();
  if (first.done) return { head: Buffer.alloc(0), chunks: [] };
  const c = first.value;
  const head = typeof c === "string" ? Buffer.from(c, "utf8") : c;
  async function* replay(): AsyncGenerator<Buffer | string> {
    yield c;
    for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
  }
  return { head, chunks: replay() };
}
