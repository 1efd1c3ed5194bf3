/**
 * Batch output: JSON Lines (the object of `calc --format json` plus `line`;
 * a failure is `{line, id?, error, problems}`) or CSV (the shared flat
 * columns of src/format/flat.ts, then `line` and `error`). Written in large
 * chunks to standard output or to a temporary file that is renamed over the
 * target only when the run completes.
 */
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { RuleSet } from "../core/model.js";
import type { Settlement } from "../core/settle.js";
import { csvCell } from "../format/csv.js";
import { FLAT_COLUMNS, flatten } from "../format/flat.js";
import { settlementJson } from "../format/json.js";
import type { Lang } from "../format/labels.js";
import { jsonlSerializer } from "./jsonl.js";
import type { Failure } from "./records.js";

/** Where the text goes: standard output, or a file. */
export interface Sink {
  write(s: string): void;
  /** Success: make the output visible (rename the temporary file). */
  commit(): void;
  /** Failure or interruption: leave nothing behind. */
  abort(): void;
}

/** Flushes when this many characters are waiting (small enough that the text waiting dies young). */
const CHUNK = 1 << 18;

export class Buffered {
  private buf = "";
  constructor(private readonly sink: Sink) {}
  write(s: string): void {
    this.buf += s;
    if (this.buf.length >= CHUNK) this.flush();
  }
  flush(): void {
    if (!this.buf) return;
    this.sink.write(this.buf);
    this.buf = "";
  }
}

export function streamSink(out: { write(s: string): unknown }): Sink {
  return { write: (s) => void out.write(s), commit() {}, abort() {} };
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
    write(s) {
      writeSync(fd, s);
    },
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
  settled(line: number, s: Settlement): void;
  failed(f: Failure): void;
  end(): void;
}

export const BATCH_CSV_COLUMNS = [...FLAT_COLUMNS, "line", "error"] as const;

export function jsonlWriter(out: Buffered, rules: RuleSet, lang: Lang): RecordWriter {
  const record = jsonlSerializer(rules, lang); // = JSON.stringify({ line, ...settlementJson(s, rules, lang) })
  return {
    settled(line, s) {
      out.write(record(line, s) + "\n");
    },
    failed(f) {
      out.write(JSON.stringify({ line: f.line, ...(f.id !== undefined ? { id: f.id } : {}), error: f.kind, problems: f.problems }) + "\n");
    },
    end() {
      out.flush();
    },
  };
}

export function csvWriter(out: Buffered, rules: RuleSet, lang: Lang): RecordWriter {
  out.write(BATCH_CSV_COLUMNS.join(",") + "\n");
  const empty = FLAT_COLUMNS.map(() => "");
  const idAt = FLAT_COLUMNS.indexOf("id");
  return {
    settled(line, s) {
      const r = flatten(settlementJson(s, rules, lang));
      let row = "";
      for (const c of FLAT_COLUMNS) row += csvCell(r[c]) + ",";
      out.write(`${row}${line},\n`);
    },
    failed(f) {
      const cells = [...empty];
      if (f.id !== undefined) cells[idAt] = csvCell(f.id);
      const error = `${f.kind}: ${f.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join("; ")}`;
      out.write(`${cells.join(",")},${f.line},${csvCell(error)}\n`);
    },
    end() {
      out.flush();
    },
  };
}
