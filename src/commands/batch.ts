/**
 * `reimburse batch FILE|-`: settle a year of claims (JSON Lines or CSV) with
 * annual accumulation per person, streaming the results (README, "A year of
 * claims"). A bad record is reported and the rest settle.
 */
import { closeSync, openSync, statSync } from "node:fs";
import type { Readable } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { formatYuan } from "../core/money.js";
import { EXIT, Interrupted, isSystemError, RecordsFailed, STOP_SIGNALS, systemError, UsageError, type StopSignal } from "../errors.js";
import type { Lang } from "../format/labels.js";
import { today } from "../clock.js";
import { loadRules, rulesDirOf } from "../rules/load.js";
import { csvRecords, fileChunks, jsonLines, type Chunks, type InputRecord } from "../batch/read.js";
import { formatOfFile, headText, peek } from "../batch/input.js";
import { byContent, FORMAT_NAMES, inputFormat, isDocument, type InputFormat } from "../claims/format.js";
import { readDocument } from "../claims/input.js";
import { headOf, MAX_CLAIM_BYTES, readText, refuseUtf16, textOfChunks } from "../io.js";
import { FAILURE_ZH, type FailureKind } from "../batch/records.js";
import { failureText, Settler } from "../batch/settler.js";
import { ByteOut } from "../batch/bytes.js";
import { bomFor, checkExplain } from "./output.js";
import { fileTarget, outputTarget, STANDARD_OUTPUT, streamSink, targetSink, type OutputTarget, type Sink } from "../sink.js";
import { csvWriter, jsonlWriter, type RecordWriter } from "../batch/write.js";

export interface BatchOptions {
  readonly rules?: string;
  /** `--input-format`; default: by content, then by the file name, else jsonl (src/claims/format.ts). */
  readonly inputFormat?: InputFormat;
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
  checkExplain(o.explain, o.format, ["jsonl"]);
  const file = input === "-" ? "<stdin>" : input;
  const bom = bomFor(o.bom, o.format); // a usage error before the input is looked at
  let regular = false; // a regular file: its first bytes read apart (the format), opened up front
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
  // The format (src/claims/format.ts), from the first bytes: of a regular file, read apart; of standard
  // input or a pipe, the first chunk, handed on after. UTF-16 is refused there, before any record.
  const giveUp = new AbortController(); // on a signal: read no more of the file
  let format = regular ? formatOfFile(input, o.inputFormat, "jsonl")! : undefined;
  let chunks: Chunks;
  let head: Buffer | undefined;
  const stdin = input === "-" ? (io.stdin?.() ?? [io.readStdin()]) : undefined;
  if (format) chunks = fileChunks(input, 1 << 20, format === "csv", giveUp.signal);
  else {
    // A file of JSON Lines is read into one buffer again and again (src/batch/read.ts fileChunks); csv-parse may keep
    // the bytes it was given, so CSV gets a new buffer a chunk, as does a pipe (its format is known after its first chunk).
    const peeked = await peek(stdin ?? fileChunks(input, 1 << 20, true, giveUp.signal));
    head = peeked.head;
    refuseUtf16(file, head);
    format = inputFormat(input, headText(head), { forced: o.inputFormat, fallback: "jsonl", whole: false });
    chunks = peeked.chunks;
  }
  if (o.inputFormat) {
    // Forced to a format its content is not: every record will fail; say why once, first (even with --quiet).
    const seen = byContent(headText(head ?? headOf(input) ?? Buffer.alloc(0)), false);
    if (seen && seen !== o.inputFormat && !(isDocument(seen) && isDocument(o.inputFormat)))
      io.stderr.write(`hint: ${file} reads as ${FORMAT_NAMES[seen]} by its content, but --input-format ${o.inputFormat} reads it as ${FORMAT_NAMES[o.inputFormat]}\n`);
  }
  const receipt = o.receipt !== undefined ? await import("./receipt.js") : undefined;
  const digest = receipt?.newHash(); // the input's SHA-256, as it is read
  let reader: AsyncIterator<Iterable<InputRecord>>;
  if (isDocument(format)) {
    // A YAML or JSON document (a list of claims, or one) is read whole, bounded as a claim file is; each claim is a
    // record at the line where it starts.
    const tooLarge = { what: "a list of claims", hint: "give more claims as JSON Lines (.jsonl), which is read as a stream" };
    const text = input === "-" || head ? await textOfChunks(file, chunks, MAX_CLAIM_BYTES, EXIT.claim, tooLarge) : readText(input, MAX_CLAIM_BYTES, EXIT.claim, tooLarge).text;
    if (digest) digest.hash.update(text), (digest.bytes += Buffer.byteLength(text));
    const doc = readDocument(file, text, o.inputFormat && isDocument(o.inputFormat) ? o.inputFormat : undefined);
    const records = doc.claims.map((c): InputRecord => ({ line: c.line, value: c.raw.value }));
    reader = (async function* () {
      yield records;
    })();
  } else {
    const source = digest ? receipt!.hashing(chunks, digest) : chunks;
    reader = (format === "csv" ? csvRecords(source, file) : jsonLines(source))[Symbol.asyncIterator]();
  }

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
    io.stderr.write(failureText(file, f, o.lang));
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
  const secs = (Date.now() - started) / 1000;
  const n = (x: number) => x.toLocaleString("en");
  const kinds = (Object.entries(failed) as [FailureKind, number][]).filter(([, k]) => k);
  const written = o.output !== undefined && target.kind !== "stdout" ? o.output : undefined;
  io.stderr.write(
    o.lang === "zh"
      ? `batch：共 ${n(records)} 条记录：结算 ${n(settled)} 条，失败 ${n(nFailed)} 条${kinds.length ? `（${kinds.map(([k, x]) => `${FAILURE_ZH[k]} ${n(x)}`).join("，")}）` : ""}；` +
          `统筹基金合计支付 ${formatYuan(payable)} 元` +
          (secs >= 1 ? `；${secs.toFixed(1)} 秒，每秒 ${n(Math.round(records / secs))} 条` : "") +
          (written !== undefined ? `；已写入 ${written}` : "") +
          "\n"
      : `batch: ${n(records)} record${records === 1 ? "" : "s"}: ${n(settled)} settled, ${n(nFailed)} failed${kinds.length ? ` (${kinds.map(([k, x]) => `${n(x)} ${k}`).join(", ")})` : ""}; ` +
          `total payable ${formatYuan(payable)} yuan` +
          (secs >= 1 ? `; ${secs.toFixed(1)} s, ${n(Math.round(records / secs))} records/s` : "") +
          (written !== undefined ? `; written to ${written}` : "") +
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
