/**
 * Output for scripts, shared by `calc` and `compare`: the format names,
 * `--fields` (columns for csv/tsv, top-level keys for json), and warnings on
 * standard error unless `--quiet`.
 */
import { closest } from "../core/suggest.js";
import { UsageError } from "../errors.js";
import { delimited, type Cell } from "../format/csv.js";
import type { Lang } from "../format/labels.js";

export const FORMATS = ["table", "json", "csv", "tsv", "html"] as const;
export type Format = (typeof FORMATS)[number];

export interface Io {
  readonly readStdin: () => string;
  /** Messages (warnings, notes); results go to the returned string. */
  readonly stderr?: { write(s: string): unknown };
}

/** `--fields a,b,c` → the chosen names, in that order, each one known. */
export function parseFields(text: string | undefined, known: readonly string[], format: Format): string[] | undefined {
  if (text === undefined) return undefined;
  if (format === "table" || format === "html") throw new UsageError(`--fields chooses columns of --format csv or tsv, or keys of --format json; the ${format === "html" ? "page" : "table"} has its own layout`);
  const fields = text.split(",").map((f) => f.trim());
  if (fields.some((f) => !f)) throw new UsageError(`--fields ${text}: an empty field name; list names separated by commas`);
  for (const f of fields) {
    if (known.includes(f)) continue;
    const hint = closest(f, known);
    throw new UsageError(`--fields: unknown ${format === "json" ? "key" : "column"} ${JSON.stringify(f)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ""}; known: ${known.join(", ")}`);
  }
  return fields;
}

/** `--explain` where the output has no room for the steps is refused, with where it has (not silently ignored). */
export function checkExplain(explain: boolean | undefined, format: string, shows: readonly string[]): void {
  if (!explain || shows.includes(format)) return;
  const flat = format === "csv" || format === "tsv" ? " (one row per claim)" : "";
  throw new UsageError(`--explain lists the steps in ${shows.join(", ")} output, not in ${format}${flat}: use --format ${shows.includes("json") ? "json" : shows[0]} --explain`);
}

/** An object with only the given keys, in the given order. */
export function pick<T extends object>(o: T, keys: readonly string[] | undefined): Partial<T> {
  if (!keys) return o;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in o) out[k] = (o as Record<string, unknown>)[k];
  return out as Partial<T>;
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

export function records(format: "csv" | "tsv", columns: readonly string[], rows: readonly Record<string, Cell>[]): string {
  return delimited(columns, rows, format === "csv" ? "," : "\t");
}

/**
 * `--bom`: what starts csv or tsv output, a UTF-8 byte-order mark, so that
 * Excel opens it as UTF-8 (without one it reads the ANSI code page: 常德市
 * garbled); "" without --bom. The one way every command (calc, compare,
 * batch, rules coverage) marks its output; refused with another format.
 */
export function bomFor(bom: boolean | undefined, format: string): string {
  if (!bom) return "";
  if (format !== "csv" && format !== "tsv") throw new UsageError(`--bom marks csv or tsv output for Excel; --format ${format} is neither (add --format csv)`);
  return "\uFEFF";
}

/** Writes messages to standard error (not with --quiet). */
export function warn(io: Io, quiet: boolean, lines: readonly string[], lang: Lang = "en"): void {
  if (quiet || !io.stderr) return;
  for (const l of lines) io.stderr.write(`${lang === "zh" ? "警告" : "warning"}: ${l}\n`);
}


