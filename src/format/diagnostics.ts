/** Diagnostics as text: `file:line:col severity code path: message (hint)`, grouped by file. */
import type { Diagnostic } from "../diagnostics.js";
import type { Lang } from "./labels.js";

/** The colours diagnostics use: a chalk instance, or plain text. */
export interface Style {
  red(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

/** In Chinese (`--lang zh`): the severity, and the message and hint where the producer worded them. */
export function formatDiagnostic(d: Diagnostic, c: Style, lang: Lang = "en"): string {
  const where = d.line ? `${d.file}:${d.line}:${d.col}` : d.file;
  const zh = lang === "zh";
  const sev = d.severity === "error" ? c.red(zh ? "错误" : "error") : c.yellow(zh ? "警告" : "warning");
  const path = d.path ? `${c.bold(d.path)}: ` : "";
  // A producer that words the message in Chinese but not its hint: the hint in English, in Chinese brackets.
  const words = zh && d.zh ? { message: d.zh.message, hint: d.zh.hint ?? d.hint } : d;
  const hint = words.hint ? c.dim(words !== d ? `（${words.hint}）` : ` (${words.hint})`) : "";
  return `${where} ${sev} ${c.dim(d.code)} ${path}${words.message}${hint}`;
}

/** At most this many diagnostics are printed; the rest are counted (a hostile file may hold thousands). */
export const MAX_PRINTED = 100;

export function formatDiagnostics(ds: readonly Diagnostic[], c: Style, lang: Lang = "en", max = MAX_PRINTED): string {
  // By file, then position; file-level problems (line 0) last in their file.
  const key = (d: Diagnostic) => (d.line === 0 ? Number.MAX_SAFE_INTEGER : d.line);
  const sorted = [...ds].sort((a, b) => (a.file === b.file ? key(a) - key(b) || a.col - b.col : a.file < b.file ? -1 : 1));
  const shown = sorted.slice(0, max).map((d) => formatDiagnostic(d, c, lang));
  if (sorted.length > max) shown.push(lang === "zh" ? `……另有 ${sorted.length - max} 个问题未列出` : `… and ${sorted.length - max} more problem(s) not shown`);
  return shown.join("\n");
}
