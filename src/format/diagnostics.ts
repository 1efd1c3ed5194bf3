/** Diagnostics as text: `file:line:col severity code path: message (hint)`, grouped by file. */
import type { Diagnostic } from "../diagnostics.js";

/** The colours diagnostics use: a chalk instance, or plain text. */
export interface Style {
  red(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

export function formatDiagnostic(d: Diagnostic, c: Style): string {
  const where = d.line ? `${d.file}:${d.line}:${d.col}` : d.file;
  const sev = d.severity === "error" ? c.red("error") : c.yellow("warning");
  const path = d.path ? `${c.bold(d.path)}: ` : "";
  const hint = d.hint ? c.dim(` (${d.hint})`) : "";
  return `${where} ${sev} ${c.dim(d.code)} ${path}${d.message}${hint}`;
}

/** At most this many diagnostics are printed; the rest are counted (a hostile file may hold thousands). */
export const MAX_PRINTED = 100;

export function formatDiagnostics(ds: readonly Diagnostic[], c: Style, max = MAX_PRINTED): string {
  // By file, then position; file-level problems (line 0) last in their file.
  const key = (d: Diagnostic) => (d.line === 0 ? Number.MAX_SAFE_INTEGER : d.line);
  const sorted = [...ds].sort((a, b) => (a.file === b.file ? key(a) - key(b) || a.col - b.col : a.file < b.file ? -1 : 1));
  const shown = sorted.slice(0, max).map((d) => formatDiagnostic(d, c));
  if (sorted.length > max) shown.push(`… and ${sorted.length - max} more problem(s) not shown`);
  return shown.join("\n");
}
