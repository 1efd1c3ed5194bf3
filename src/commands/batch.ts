/**
 * `reimburse batch FILE|-`: settle a year of claims (JSON Lines or CSV) with
 * annual accumulation per person, streaming the results (README, "A year of
 * claims"). A bad record is reported and the rest settle.
 */
import { closeSync, createReadStream, openSync, readSync, statSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { formatYuan } from "../core/money.js";
import { EXIT, Interrupted, RecordsFailed, UsageError } from "../errors.js";
import type { Lang } from "../format/labels.js";
import { loadRules, rulesDirOf } from "../rules/load.js";
import { csvRecords, fileChunks, jsonLines, type Chunks } from "../batch/read.js";
import type { FailureKind } from "../batch/records.js";
import { failureText, Settler } from "../batch/settler.js";
import { ByteOut } from "../batch/bytes.js";
import { fileSink, streamSink, type Sink } from "../batch/sink.js";
import { csvWriter, jsonlWriter, type RecordWriter } from "../batch/write.js";

export interface BatchOptions {
  readonly rules?: string;
  /** Input format; default from the file name (.csv → csv), else jsonl. */
  readonly inputFormat?: "jsonl" | "csv";
  /** Output format. */
  readonly format: "jsonl" | "csv";
  readonly output?: string;
  /** The input lists each person's claims of a year in date order: settle as read. */
  readonly sorted: boolean;
  /** JSON Lines: each settlement's steps too (as calc --explain). */
  readonly explain?: boolean;
  readonly lang: Lang;
  readonly quiet: boolean;
  /** `--receipt FILE`: what the run read and used (src/commands/receipt.ts). */
  readonly receipt?: string;
}

export interface BatchIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown; isTTY?: boolean };
  readonly readStdin: () => string;
  /** Standard input as a stream (the binary); tests give readStdin only. */
  readonly stdin?: () => Chunks;
}

export interface BatchSummary {
  readonly records: number;
  readonly settled: number;
  readonly failed: { readonly [k in FailureKind]: number };
  /** Total the fund pays, fen. */
  readonly payable: number;
}

/** How often the loop yields while settling buffered claims (lets SIGINT in). */
const YIELD_EVERY = 8192;

export async function batch(input: string, o: BatchOptions, io: BatchIo): Promise<BatchSummary> {
  const file = input === "-" ? "<stdin>" : input;
  if (input !== "-") {
    let st;
    try {
      st = statSync(input);
    } catch {
      throw new UsageError(`file not found: ${input}`);
    }
    if (st.isDirectory()) throw new UsageError(`is a directory, not a claims file: ${input}`);
  }
  if (o.output !== undefined) {
    try {
      const out = statSync(o.output);
      if (out.isDirectory()) throw new UsageError(`--output ${o.output} is a directory; name a file`);
      // The results would replace the claims being read: refuse, before anything is read or written.
      const src = input !== "-" ? statSync(input) : undefined;
      if (src && src.dev === out.dev && src.ino === out.ino) throw new UsageError(`--output ${o.output} is the input file; write the results to another file`);
    } catch (e) {
      if (e instanceof UsageError) throw e; // otherwise: it does not exist yet, fine
    }
  }
  // A batch allocates short-lived objects at a high rate (a parsed claim, its settlement, for
  // each record) and keeps next to nothing: V8 would still grow its young generation from
  // 2 MB to 32 MB over a long run, memory that only ever holds garbage. Keep it at its first
  // size (a flag V8 reads each time it would grow it; measured: no slower, ~25 MB less).
  setFlagsFromString("--semi-space-growth-factor=1");
  // --sorted promises memory flat in the number of claims (the ledger aside). The live heap is
  // flat (~15 MB after each full collection), but V8 let the old generation fill with
  // garbage to 50–60 MB between full collections, and where in that cycle a run ended
  // decided its peak: 135–185 MB over runs of the same million claims. Sized for memory,
  // V8 collects sooner: 112 MB for a million, 84 MB for 10,000, at a cost within the run-to-run
  // noise of this machine. Not without --sorted: there the live heap holds every claim.
  if (o.sorted) setFlagsFromString("--optimize-for-size");
  const rules = await loadRules(o.rules);
  const format = o.inputFormat ?? (/\.csv$/i.test(input) ? "csv" : "jsonl");
  const mismatch = input !== "-" && o.inputFormat === undefined ? formatMismatch(input, format) : undefined;
  if (mismatch) io.stderr.write(`hint: ${mismatch}\n`); // every record will fail: say why once, first (even with --quiet)
  // A file of JSON Lines is read into one buffer again and again (src/batch/read.ts fileChunks);
  // csv-parse may keep the bytes it was given, so CSV gets a new buffer a chunk.
  const chunks: Chunks =
    input === "-" ? (io.stdin?.() ?? [io.readStdin()]) : format === "csv" ? createReadStream(input, { highWaterMark: 1 << 20 }) : fileChunks(input);
  const receipt = o.receipt !== undefined ? await import("./receipt.js") : undefined;
  const digest = receipt?.newHash(); // the input's SHA-256, as it is read
  const source = digest ? receipt!.hashing(chunks, digest) : chunks;
  const reader = format === "csv" ? csvRecords(source, file) : jsonLines(source);

  let sink: Sink;
  try {
    sink = o.output !== undefined ? fileSink(o.output) : streamSink(io.stdout);
  } catch (e) {
    throw new UsageError(`cannot write --output ${o.output}: ${(e as Error).message}`);
  }
  const out = new ByteOut(sink);
  const progress = new Progress(io.stderr, !o.quiet && !!io.stderr.isTTY);
  const writer: RecordWriter = o.format === "csv" ? csvWriter(out, rules, o.lang) : jsonlWriter(out, rules, o.lang, !!o.explain);
  const st = new Settler(rules, { sorted: o.sorted, file }, writer, (f) => {
    if (o.quiet) return;
    progress.clear();
    io.stderr.write(failureText(file, f));
  });

  let interrupted = false;
  const onInt = (): void => {
    interrupted = true;
  };
  process.on("SIGINT", onInt);
  const stopIfInterrupted = (t: { records: number; lastLine: number; settled: number }): void => {
    if (!interrupted) return;
    progress.clear();
    throw new Interrupted(
      `interrupted after ${t.records.toLocaleString("en")} records (input line ${t.lastLine}); ${t.settled.toLocaleString("en")} settled` +
        (o.output !== undefined ? `; ${o.output} not written` : ""),
    );
  };
  const started = Date.now();
  try {
    for await (const group of reader) {
      for (const r of group) st.take(r);
      stopIfInterrupted(st);
      progress.tick(st.records, started);
      await out.drained(); // a full pipe: wait, rather than hold the output in memory
    }
    // Unsorted input: each person's claims in date order (then input order).
    st.sortBuffer();
    const n = st.buffer.length;
    for (let i = 0; i < n; i++) {
      st.settleKept(i);
      if (i % YIELD_EVERY === YIELD_EVERY - 1) {
        await out.drained();
        await new Promise((r) => setImmediate(r));
        stopIfInterrupted(st);
        progress.tick(st.records, started, `settling ${i + 1}/${n}`);
      }
    }
    writer.end();
    sink.commit();
  } catch (e) {
    sink.abort();
    throw e;
  } finally {
    process.off("SIGINT", onInt);
    progress.clear();
  }
  const { records, settled, failed, payable } = st;

  const nFailed = Object.values(failed).reduce((a, b) => a + b, 0);
  const parts = (Object.entries(failed) as [FailureKind, number][]).filter(([, n]) => n).map(([k, n]) => `${n.toLocaleString("en")} ${k}`);
  const secs = (Date.now() - started) / 1000;
  io.stderr.write(
    `batch: ${records.toLocaleString("en")} record${records === 1 ? "" : "s"}: ${settled.toLocaleString("en")} settled, ${nFailed.toLocaleString("en")} failed${parts.length ? ` (${parts.join(", ")})` : ""}; ` +
      `total payable ${formatYuan(payable)} yuan` +
      (secs >= 1 ? `; ${secs.toFixed(1)} s, ${Math.round(records / secs).toLocaleString("en")} records/s` : "") +
      (o.output !== undefined ? `; written to ${o.output}` : "") +
      "\n",
  );
  if (receipt && digest)
    receipt.writeReceipt(o.receipt!, { rules, rulesDir: rulesDirOf(o.rules), inputs: [{ file, sha256: digest.hash.digest("hex"), bytes: digest.bytes }], dates: st.dates, results: { records, settled, failed: nFailed } });
  const summary: BatchSummary = { records, settled, failed, payable };
  if (failed.internal) throw new RecordsFailed(EXIT.internal);
  if (failed.invalid || failed.rejected || failed.order) throw new RecordsFailed(EXIT.claim);
  if (failed.rules) throw new RecordsFailed(EXIT.rules);
  return summary;
}

/** A progress line on standard error, only when it is a terminal (and not --quiet). */
class Progress {
  private last = 0;
  private shown = false;
  constructor(
    private readonly err: { write(s: string): unknown },
    private readonly on: boolean,
  ) {}
  tick(records: number, started: number, extra = ""): void {
    if (!this.on) return;
    const now = Date.now();
    if (now - this.last < 250) return;
    this.last = now;
    const rate = Math.round(records / Math.max(0.001, (now - started) / 1000));
    this.err.write(`\r\x1b[Kbatch: ${records.toLocaleString("en")} records read, ${rate.toLocaleString("en")}/s${extra ? `, ${extra}` : ""}`);
    this.shown = true;
  }
  clear(): void {
    if (this.shown) this.err.write("\r\x1b[K");
    this.shown = false;
  }
}

/**
 * Why a file read by its name's format will fail record by record: a CSV
 * header in a file read as JSON Lines, or JSON in a .csv file. Undefined when
 * its first line looks like what it is read as.
 */
export function formatMismatch(file: string, format: "jsonl" | "csv"): string | undefined {
  const head = Buffer.alloc(4096);
  let n: number;
  try {
    const fd = openSync(file, "r");
    try {
      n = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined; // the reader will say what is wrong with the file
  }
  const first = head.toString("utf8", 0, n).replace(/^\uFEFF/, "").split(/\r?\n/).find((l) => l.trim())?.trim() ?? "";
  if (format === "jsonl" && !first.startsWith("{") && /^[\w.]+(,[\w.]+)+$/.test(first) && first.split(",").includes("date"))
    return `${file} starts with a CSV header (${first.slice(0, 60)}${first.length > 60 ? "…" : ""}) but is read as JSON Lines: name it .csv or pass --input-format csv`;
  if (format === "csv" && first.startsWith("{")) return `${file} starts with a JSON object but is read as CSV (.csv): pass --input-format jsonl`;
  return undefined;
}
