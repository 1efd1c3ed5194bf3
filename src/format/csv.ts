/**
 * Records as CSV (RFC 4180 quoting) or TSV: a header line, then one line per
 * record, each ending in "\n". Returns a string.
 *
 * CSV quotes a cell when it holds a comma, a double quote, a line break or
 * leading/trailing spaces, doubling inner quotes. TSV cannot quote, so a tab,
 * a line break or a backslash inside a cell is escaped as \t, \n, \r, \\.
 */
export type Cell = string | number | boolean | null | undefined;
export type Separator = "," | "\t";

export function cellText(v: Cell): string {
  if (v === null || v === undefined) return "";
  return typeof v === "string" ? v : String(v);
}

export function csvCell(v: Cell): string {
  const s = cellText(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function tsvCell(v: Cell): string {
  return cellText(v).replace(/[\\\t\n\r]/g, (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c]!);
}

export function delimited<K extends string>(columns: readonly K[], records: readonly Readonly<Record<K, Cell>>[], sep: Separator): string {
  const cell = sep === "," ? csvCell : tsvCell;
  const line = (cells: readonly Cell[]) => cells.map(cell).join(sep) + "\n";
  return line(columns) + records.map((r) => line(columns.map((c) => r[c]))).join("");
}
