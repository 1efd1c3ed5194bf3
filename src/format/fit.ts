/**
 * A table (cli-table3) of text cells that fits a terminal: the flexible
 * columns' text folded to the widths src/format/width.ts shares out, the
 * others as they are. Returns a string.
 */
import Table from "cli-table3";
import type { Colors } from "./color.js";
import { cellWidth, fitWidths, fold, longestWord } from "./width.js";

export interface Fit {
  /** Columns whose text may be folded. */
  readonly flexible: readonly number[];
  /** Columns aligned right (amounts). */
  readonly right?: readonly number[];
  /** Terminal columns. */
  readonly width: number;
}

/**
 * A table of text cells within `width` terminal columns: the `flexible` columns'
 * text folded to the widths they are given (src/format/width.ts), the `right`
 * ones aligned right.
 */
export function fitted(c: Colors, head: readonly string[], rows: readonly (readonly string[])[], { flexible, right = [], width }: Fit): string {
  const natural = head.map((h, i) => Math.max(cellWidth(h), ...rows.map((r) => cellWidth(r[i]!))));
  // A word (a path, a source id) is kept whole up to a third of the width: narrower terminals break it.
  const words = head.map((h, i) => Math.min(Math.floor(width / 3), Math.max(longestWord(h), ...rows.map((r) => longestWord(r[i]!)))));
  const widths = fitWidths(natural, width, flexible, words);
  const cell = (text: string, i: number) => (flexible.includes(i) ? fold(text, widths[i]!) : text);
  const t = new Table({ head: head.map((h, i) => c.bold(cell(h, i))), style: { head: [], border: [], compact: true } });
  for (const r of rows) t.push(r.map((text, i) => ({ content: cell(text, i), hAlign: right.includes(i) ? ("right" as const) : ("left" as const) })));
  return t.toString();
}

