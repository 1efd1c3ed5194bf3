/**
 * `reimburse batch FILE|-`: settle a year of claims (JSON Lines or CSV) with
 * annual accumulation per person, streaming the results (README, "A year of
 * claims"). A bad record is reported and the rest settle.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import type { Readable } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { formatYuan } from "../core/money.js";
import { EXIT, Interrupted, isSystemError, RecordsFailed, STOP_SIGNALS, systemError, UsageError, type StopSignal } from "../errors.js";
import type { Lang } from "../format/labels.js";
import { today } from "../clock.js";
import { loadRules, rulesDirOf } from "../rules/load.js";
import { csvRecords, fileChunks, jsonLines, type Chunks } from "../batch/read.js";
import type { FailureKind } from "../batch/records.js";
import { failureText, Settler } from "../batch/settler.js";
import { ByteOut } from "../batch/bytes.js";
import { fileTarget, outputTarget, STANDARD_OUTPUT, streamSink, targetSink, type OutputTarget, type Sink } from "../sink.js";
import { csvWriter, jsonlWriter, type RecordWriter } from "../batch/write.js";
import { bomFor } from "./output.js";

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
  /** `--bom`: csv output starts with a UTF-8 byte-order mark, for Excel. */
  readonly bom?: boolean;
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

/** How often the loop yields while settling buffered claims (lets a signal in). */
const YIELD_EVERY = 8192;

export async function batch(input: string, o: BatchOptions, io: BatchIo): Promise<BatchSummary> {
  const file = input === "-" ? "<stdin>" : input;
  const bom = bomFor(o.bom, o.format); // a usage error before the input is looked at
  let regular = false; // a regular file: read twice (the format hint), opened up front
  if (input !== "-") {
    let st;
    try {
      st = statSync(input);
    } catch (e) {
      throw systemError(e, input, "read");
    }
    if (st.isDirectory()) throw new UsageError(`is a directory, not a claims file: ${input}`);
    regular = st.isFile();
    // Unreadable (no permission): said now, as calc says it, not after the rules are loaded.
    if (regular)
      try {
        closeSync(openSync(input, "r"));
      } catch (e) {
        throw systemError(e, input, "read");
      }
  }
  // Where the results go, checked before anything is read: -o '' or a missing directory is exit 2 now, not after the run.
  const target: OutputTarget = o.output !== undefined ? outputTarget(o.output, [input]) : STANDARD_OUTPUT;
  const receiptTo = o.receipt !== undefined ? fileTarget(o.receipt, [input], "--receipt") : undefined;
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
  const mismatch = regular && o.inputFormat === undefined ? formatMismatch(input, format) : undefined;
  if (mismatch) io.stderr.write(`hint: ${mismatch}\n`); // every record will fail: say why once, first (even with --quiet)
  // A file of JSON Lines is read into one buffer again and again (src/batch/read.ts fileChunks);
  // csv-parse may keep the bytes it was given, so CSV gets a new buffer a chunk.
  const stdin = input === "-" ? (io.stdin?.() ?? [io.readStdin()]) : undefined;
  const giveUp = new AbortController(); // on a signal: read no more of the file
  const chunks: Chunks = stdin ?? fileChunks(input, 1 << 20, format === "csv", giveUp.signal);
  const receipt = o.receipt !== undefined ? await import("./receipt.js") : undefined;
  const digest = receipt?.newHash(); // the input's SHA-256, as it is read
  const source = digest ? receipt!.hashing(chunks, digest) : chunks;
  const reader = (format === "csv" ? csvRecords(source, file) : jsonLines(source))[Symbol.asyncIterator]();

  // SIGINT (Ctrl-C), SIGTERM (timeout, docker stop, systemd) and SIGHUP stop the run at the
  // next chunk, or at once while it waits for input; the temporary file is removed. Listened
  // to before the temporary file exists, so that no signal can leave it behind.
  let stop: StopSignal | undefined;
  let wake!: () => void;
  const stopped = new Promise<undefined>((r) => (wake = () => r(undefined)));
  const listeners = (Object.keys(STOP_SIGNALS) as StopSignal[]).map((sig) => {
    const on = (): void => {
      stop ??= sig;
      wake();
    };
    process.on(sig, on);
    return [sig, on] as const;
  });
  const unlisten = (): void => {
    for (const [sig, on] of listeners) process.off(sig, on);
  };

  let sink: Sink;
  try {
    sink = target.kind === "stdout" ? streamSink(io.stdout) : targetSink(target);
  } catch (e) {
    unlisten();
    throw e;
  }
  const out = new ByteOut(sink);
  if (bom) out.text(bom);
  const progress = new Progress(io.stderr, !o.quiet && !!io.stderr.isTTY);
  const writer: RecordWriter = o.format === "csv" ? csvWriter(out, rules, o.lang) : jsonlWriter(out, rules, o.lang, !!o.explain);
  const st = new Settler(rules, { sorted: o.sorted, file, today: today() }, writer, (f) => {
    if (o.quiet) return;
    progress.clear();
    io.stderr.write(failureText(file, f));
  });

  const stopIfInterrupted = (): void => {
    if (!stop) return;
    progress.clear();
    const what = stop === "SIGINT" ? "interrupted" : stop === "SIGTERM" ? "terminated (SIGTERM)" : "hung up (SIGHUP)";
    const left = o.output === undefined || target.kind === "stdout" ? "" : sink.atomic ? `; ${o.output} not written` : `; what was written to ${o.output} is incomplete`;
    throw new Interrupted(`${what} after ${st.records.toLocaleString("en")} records (input line ${st.lastLine}); ${st.settled.toLocaleString("en")} settled${left}`, stop);
  };
  const started = Date.now();
  try {
    for (;;) {
      const next = await Promise.race([reader.next(), stopped]);
      if (!next) stopIfInterrupted(); // stopped while waiting for input
      if (next!.done) break;
      for (const r of next!.value) st.take(r);
      stopIfInterrupted();
      progress.tick(st.records, started);
      await out.drained(); // a full pipe: wait, rather than hold the output in memory; a failed write: stop
    }
    // Unsorted input: each person's claims in date order (then input order).
    st.sortBuffer();
    const n = st.buffer.length;
    for (let i = 0; i < n; i++) {
      st.settleKept(i);
      if (i % YIELD_EVERY === YIELD_EVERY - 1) {
        await out.drained();
        await new Promise((r) => setImmediate(r));
        stopIfInterrupted();
        progress.tick(st.records, started, `settling ${i + 1}/${n}`);
      }
    }
    writer.end();
    await out.drained();
    await sink.commit(); // written whole (a full disk says so here), before the summary says it was
  } catch (e) {
    sink.abort();
    // Let go of the input, so that nothing keeps the process alive: a read still waiting on
    // standard input, or one inside a line that never ends (/dev/zero), and the open file.
    giveUp.abort();
    if (stdin && typeof (stdin as Partial<Readable>).destroy === "function") (stdin as Readable).destroy();
    void reader.return?.(undefined).catch(() => undefined);
    throw isSystemError(e) ? systemError(e, file, "read") : e; // a read of standard input that failed
  } finally {
    unlisten();
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
      (o.output !== undefined && target.kind !== "stdout" ? `; written to ${o.output}` : "") +
      "\n",
  );
  if (receipt && digest && receiptTo)
    receipt.writeReceipt(receiptTo, { rules, rulesDir: rulesDirOf(o.rules), inputs: [{ file, sha256: digest.hash.digest("hex"), bytes: digest.bytes }], dates: st.dates, results: { records, settled, failed: nFailed } });
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
