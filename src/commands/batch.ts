/**
 * `reimburse batch FILE|-`: settle a year of claims (JSON Lines or CSV) with
 * annual accumulation per person, streaming the results (README, "A year of
 * claims"). A bad record is reported and the rest settle.
 */
import { createReadStream, statSync } from "node:fs";
import { checkClaim } from "../claims/load.js";
import type { Claim } from "../claims/schema.js";
import { ClaimRejectedError, RuleGapError } from "../core/errors.js";
import { formatYuan } from "../core/money.js";
import { settleParts } from "../core/settle.js";
import { V } from "../core/settle.js";
import { fieldPath } from "../diagnostics.js";
import { parseYaml, type YamlFile } from "../yaml/document.js";
import { EXIT, Interrupted, RecordsFailed, UsageError } from "../errors.js";
import type { Lang } from "../format/labels.js";
import { loadRules } from "../rules/load.js";
import { fastClaim } from "../batch/fastclaim.js";
import { Ledgers, type LedgerKey } from "../batch/ledger.js";
import { csvRecords, jsonLines, type Chunks, type InputRecord } from "../batch/read.js";
import { idOf, type Failure, type FailureKind, type Problem } from "../batch/records.js";
import { ByteOut, csvWriter, fileSink, jsonlWriter, streamSink, type RecordWriter, type Sink } from "../batch/write.js";

export interface BatchOptions {
  readonly rules?: string;
  /** Input format; default from the file name (.csv → csv), else jsonl. */
  readonly inputFormat?: "jsonl" | "csv";
  /** Output format. */
  readonly format: "jsonl" | "csv";
  readonly output?: string;
  /** The input lists each person's claims of a year in date order: settle as read. */
  readonly sorted: boolean;
  readonly lang: Lang;
  readonly quiet: boolean;
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
  const rules = loadRules(o.rules);
  const format = o.inputFormat ?? (/\.csv$/i.test(input) ? "csv" : "jsonl");
  const chunks: Chunks = input === "-" ? (io.stdin?.() ?? [io.readStdin()]) : createReadStream(input, { highWaterMark: 1 << 20 });
  const reader = format === "csv" ? csvRecords(chunks, file) : jsonLines(chunks);

  let sink: Sink;
  try {
    sink = o.output !== undefined ? fileSink(o.output) : streamSink(io.stdout);
  } catch (e) {
    throw new UsageError(`cannot write --output ${o.output}: ${(e as Error).message}`);
  }
  const out = new ByteOut(sink);
  const writer: RecordWriter = o.format === "csv" ? csvWriter(out, rules, o.lang) : jsonlWriter(out, rules, o.lang);
  const ledgers = new Ledgers();
  const progress = new Progress(io.stderr, !o.quiet && !!io.stderr.isTTY);
  const failed: Record<FailureKind, number> = { invalid: 0, rejected: 0, order: 0, rules: 0, internal: 0 };
  let [records, settled, payable, lastLine] = [0, 0, 0, 0];
  const buffer: { line: number; claim: Claim }[] = [];

  const fail = (f: Failure): void => {
    failed[f.kind]++;
    writer.failed(f);
    if (o.quiet) return;
    progress.clear();
    for (const p of f.problems)
      io.stderr.write(`${file}:${f.line}: ${f.kind}: ${p.path ? `${p.path}: ` : ""}${p.message}\n${p.hint ? `  hint: ${p.hint}\n` : ""}`);
  };

  const settleNow = (line: number, claim: Claim, key: LedgerKey | undefined): void => {
    if (o.sorted && key !== undefined) {
      const last = ledgers.lastDate(key);
      if (last !== undefined && claim.date < last)
        return fail({
          line,
          ...(claim.id !== undefined ? { id: claim.id } : {}),
          kind: "order",
          problems: [
            {
              path: "date",
              message: `${claim.date} comes after a claim of ${last} of the same person (insured.id ${claim.insured.id}) and year: with --sorted each person's claims must come in date order`,
              hint: "sort the input by person and date, or leave out --sorted",
            },
          ],
        });
    }
    try {
      const p = settleParts(claim, rules, ledgers.historyFor(claim, key));
      const v = p.v;
      ledgers.record(key, p.date, { fundPaid: v[V.ledgerFundPaid]!, admissions: v[V.ledgerAdmissions]!, deductiblePaid: v[V.ledgerDeductiblePaid]! });
      settled++;
      payable += v[V.fund]!;
      writer.settled(line, p);
    } catch (e) {
      const id = claim.id !== undefined ? { id: claim.id } : {};
      if (e instanceof ClaimRejectedError) fail({ line, ...id, kind: "rejected", problems: [{ path: fieldPath(e.path), message: e.message, ...(e.hint ? { hint: e.hint } : {}) }] });
      else if (e instanceof RuleGapError) fail({ line, ...id, kind: "rules", problems: [{ path: "", message: e.message, hint: e.hint }] });
      else fail({ line, ...id, kind: "internal", problems: [{ path: "", message: `internal error (a bug in reimburse, please report it with this record): ${(e as Error)?.message ?? String(e)}` }] });
    }
  };

  let noPositions: YamlFile | undefined;
  const take = (r: InputRecord): void => {
    records++;
    lastLine = r.line;
    if (r.problems) return fail({ line: r.line, kind: "invalid", problems: r.problems });
    let claim = fastClaim(r.value);
    if (!claim) {
      // A record has no YAML document to locate problems in: one empty document for them all
      // (what checkClaim makes for each otherwise).
      noPositions ??= parseYaml(file, "{}").yaml;
      const checked = checkClaim(file, r.value, noPositions);
      if (!checked.claim) {
        const id = idOf(r.value);
        const problems: Problem[] = checked.diagnostics.map((d) => ({ path: d.path ?? "", message: d.message, ...(d.hint ? { hint: d.hint } : {}) }));
        return fail({ line: r.line, ...(id !== undefined ? { id } : {}), kind: "invalid", problems });
      }
      claim = checked.claim;
    }
    const key = Ledgers.keyOf(claim);
    if (key === undefined || o.sorted) settleNow(r.line, claim, key);
    else buffer.push({ line: r.line, claim });
  };

  let interrupted = false;
  const onInt = (): void => {
    interrupted = true;
  };
  process.on("SIGINT", onInt);
  const stopIfInterrupted = (): void => {
    if (!interrupted) return;
    progress.clear();
    throw new Interrupted(
      `interrupted after ${records.toLocaleString("en")} records (input line ${lastLine}); ${settled.toLocaleString("en")} settled` +
        (o.output !== undefined ? `; ${o.output} not written` : ""),
    );
  };
  const started = Date.now();
  try {
    for await (const group of reader) {
      for (const r of group) take(r);
      stopIfInterrupted();
      progress.tick(records, started);
      await out.drained(); // a full pipe: wait, rather than hold the output in memory
    }
    // Unsorted input: each person's claims in date order (then input order).
    buffer.sort((a, b) => (a.claim.date < b.claim.date ? -1 : a.claim.date > b.claim.date ? 1 : a.line - b.line));
    for (let i = 0; i < buffer.length; i++) {
      const { line, claim } = buffer[i]!;
      buffer[i] = undefined as never; // let it go once settled
      settleNow(line, claim, Ledgers.keyOf(claim));
      if (i % YIELD_EVERY === YIELD_EVERY - 1) {
        await out.drained();
        await new Promise((r) => setImmediate(r));
        stopIfInterrupted();
        progress.tick(records, started, `settling ${i + 1}/${buffer.length}`);
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

  const nFailed = Object.values(failed).reduce((a, b) => a + b, 0);
  const parts = (Object.entries(failed) as [FailureKind, number][]).filter(([, n]) => n).map(([k, n]) => `${n.toLocaleString("en")} ${k}`);
  const secs = (Date.now() - started) / 1000;
  io.stderr.write(
    `batch: ${records.toLocaleString("en")} records: ${settled.toLocaleString("en")} settled, ${nFailed.toLocaleString("en")} failed${parts.length ? ` (${parts.join(", ")})` : ""}; ` +
      `total payable ${formatYuan(payable)} yuan` +
      (secs >= 1 ? `; ${secs.toFixed(1)} s, ${Math.round(records / secs).toLocaleString("en")} records/s` : "") +
      (o.output !== undefined ? `; written to ${o.output}` : "") +
      "\n",
  );
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
