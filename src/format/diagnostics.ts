/** Diagnostics as text: `file:line:col severity code path: message (hint)`, grouped by file. */
import type { ChalkInstance } from "chalk";
import type { Diagnostic } from "../diagnostics.js";

export function formatDiagnostic(d: Diagnostic, c: ChalkInstance): string {
  const where = d.line ? `${d.file}:${d.line}:${d.col}` : d.file;
  const sev = d.severity === "error" ? c.red("error") : c.yellow("warning");
  const path = d.path ? `${c.bold(d.path)}: ` : "";
  const hint = d.hint ? c.dim(` (${d.hint})`) : "";
  return `${where} ${sev} ${c.dim(d.code)} ${path}${d.message}${hint}`;
}

export function formatDiagnostics(ds: readonly Diagnostic[], c: ChalkInstance): string {
  const sorted = [...ds].sort((a, b) => (a.file === b.file ? a.line - b.line || a.col - b.col : a.file < b.file ? -1 : 1));
  return sorted.map((d) => formatDiagnostic(d, c)).join("\n");
}
