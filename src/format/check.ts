/**
 * Output of `reimburse rules check`: diagnostics as text, JSON or GitHub
 * annotations. Its own module, without the table library src/format/rules.ts
 * uses.
 */
import type { Diagnostic } from "../diagnostics.js";
import type { CheckResult } from "../rules/checks.js";
import { formatDiagnostic, type Style } from "./diagnostics.js";
import type { Lang } from "./labels.js";

export const RULES_SCHEMA_VERSION = 1;

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The closing tally, in English or Chinese; `tint` colours the counts of errors and warnings when there are any. */
function tally(s: CheckResult["summary"], lang: Lang, tint: Style | undefined): string {
  const red = (n: number, t: string) => (tint && n ? tint.red(t) : t);
  const yellow = (n: number, t: string) => (tint && n ? tint.yellow(t) : t);
  if (lang === "zh") {
    const held = s.heldBack ? `（另有 ${s.heldBack} 个跨文件警告待错误修正后再报）` : "";
    return `${s.files} 个文件，${red(s.errors, `${s.errors} 个错误`)}，${yellow(s.warnings, `${s.warnings} 个警告`)}${held}；${s.values} 个带日期的数值，按可信度：官方 ${s.confidence.official}，转引 ${s.confidence.secondary}，未核实 ${s.confidence.unverified}`;
  }
  const held = s.heldBack ? ` (${plural(s.heldBack, "cross-file warning")} held back until the errors are fixed)` : "";
  return `${plural(s.files, "file")}, ${red(s.errors, plural(s.errors, "error"))}, ${yellow(s.warnings, plural(s.warnings, "warning"))}${held}; ${plural(s.values, "dated value")} by confidence: ${s.confidence.official} official, ${s.confidence.secondary} secondary, ${s.confidence.unverified} unverified`;
}

/** With --lang zh the text, the annotations and the tally are Chinese; JSON keeps the English messages, as every JSON output does. */
export function renderCheck(r: CheckResult, format: "text" | "json" | "github", c: Style, lang: Lang = "en"): string {
  const s = r.summary;
  if (format === "json") return JSON.stringify({ schemaVersion: RULES_SCHEMA_VERSION, rulesVersion: r.version, summary: s, diagnostics: r.diagnostics.map(({ zh: _, ...d }) => d) }, null, 2) + "\n";
  if (format === "github") return r.diagnostics.map((d) => githubAnnotation(lang === "zh" && d.zh ? { ...d, message: d.zh.message, hint: d.zh.hint ?? d.hint } : d)).concat(tally(s, lang, undefined)).join("\n") + "\n";
  const groups: string[] = [];
  let current = "";
  for (const d of r.diagnostics) {
    if (d.file !== current) groups.push("");
    current = d.file;
    groups[groups.length - 1] += formatDiagnostic(d, c, lang) + "\n";
  }
  return [...groups, tally(s, lang, c)].join("\n") + "\n";
}

/** `::error file=…,line=…,col=…,title=code::message` (GitHub Actions workflow command). */
export function githubAnnotation(d: Diagnostic): string {
  const data = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const prop = (s: string) => data(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
  const msg = `${d.path ? `${d.path}: ` : ""}${d.message}${d.hint ? ` (${d.hint})` : ""}`;
  return `::${d.severity} file=${prop(d.file)},line=${d.line},col=${d.col},title=${prop(d.code)}::${data(msg)}`;
}

