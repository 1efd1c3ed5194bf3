/**
 * Batch output records: JSON Lines (the object of `calc --format json` plus
 * `line`; a failure is `{line, id?, error, problems}`) or CSV (the shared flat
 * columns of src/format/flat.ts, then `line` and `error`).
 */
import type { RuleSet } from "../core/model.js";
import type { Settlement } from "../core/settlement.js";
import { csvCell } from "../format/csv.js";
import { FLAT_COLUMNS, flatten } from "../format/flat.js";
import { settlementJson } from "../format/json.js";
import type { Lang } from "../format/labels.js";
import type { ByteOut } from "./bytes.js";
import type { Failure } from "./records.js";

export interface RecordWriter {
  settled(line: number, s: Settlement): void;
  failed(f: Failure): void;
  end(): void;
}

export const BATCH_CSV_COLUMNS = [...FLAT_COLUMNS, "line", "error"] as const;

export function jsonlWriter(out: ByteOut, rules: RuleSet, lang: Lang, explain: boolean): RecordWriter {
  return {
    settled(line, s) {
      out.ascii(`{"line":${line},`);
      out.members(settlementJson(s, rules, lang, explain));
      out.ascii("}\n");
    },
    failed(f) {
      // The problems as the record gives them; their Chinese words are for standard error (--lang zh).
      out.text(JSON.stringify({ line: f.line, ...(f.id !== undefined ? { id: f.id } : {}), error: f.kind, problems: f.problems.map(({ zh: _zh, ...p }) => p) }) + "\n");
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
    settled(line, s) {
      // The cells written straight out: a number or a boolean as String gives it (never quoted), text quoted as needed.
      const r = flatten(s, rules);
      for (const c of FLAT_COLUMNS) {
        const v = r[c];
        if (typeof v === "number") out.number(v);
        else if (typeof v === "boolean") out.ascii(v ? "true" : "false");
        else out.text(csvCell(v));
        out.byte(0x2c); // ,
      }
      out.number(line);
      out.ascii(",\n");
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
