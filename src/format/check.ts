/**
 * Output of `reimburse rules check`: diagnostics as text, JSON or GitHub
 * annotations. Its own module, without the table library src/format/rules.ts
 * uses.
 */
import type { Diagnostic } from "../diagnostics.js";
import type { CheckResult } from "../rules/checks.js";
import { formatDiagnostic, type Style } from "./diagnostics.js";

export const RULES_SCHEMA_VERSION = 1;

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function renderCheck(r: CheckResult, format: "text" | "json" | "github", c: Style): string {
  const s = r.summary;
  const held = s.heldBack ? ` (${plural(s.heldBack, "cross-file warning")} held back until the errors are fixed)` : "";
  const summary = `${plural(s.files, "file")}, ${plural(s.errors, "error")}, ${plural(s.warnings, "warning")}${held}; ${plural(s.values, "dated value")} by confidence: ${s.confidence.official} official, ${s.confidence.secondary} secondary, ${s.confidence.unverified} unverified`;
  if (format === "json") return JSON.stringify({ schemaVersion: RULES_SCHEMA_VERSION, rulesVersion: r.version, summary: s, diagnostics: r.diagnostics }, null, 2) + "\n";
  if (format === "github") return r.diagnostics.map(githubAnnotation).concat(summary).join("\n") + "\n";
  const groups: string[] = [];
  let current = "";
  for (const d of r.diagnostics) {
    if (d.file !== current) groups.push("");
    current = d.file;
    groups[groups.length - 1] += formatDiagnostic(d, c) + "\n";
  }
  const tally = `${plural(s.files, "file")}, ${s.errors ? c.red(plural(s.errors, "error")) : plural(s.errors, "error")}, ${s.warnings ? c.yellow(plural(s.warnings, "warning")) : plural(s.warnings, "warning")}`;
  const line = `${tally}${held}; ${plural(s.values, "dated value")} by confidence: ${s.confidence.official} official, ${s.confidence.secondary} secondary, ${s.confidence.unverified} unverified`;
  return [...groups, line].join("\n") + "\n";
}

/** `::error file=…,line=…,col=…,title=code::message` (GitHub Actions workflow command). */
export function githubAnnotation(d: Diagnostic): string {
  const data = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const prop = (s: string) => data(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
  const msg = `${d.path ? `${d.path}: ` : ""}${d.message}${d.hint ? ` (${d.hint})` : ""}`;
  return `::${d.severity} file=${prop(d.file)},line=${d.line},col=${d.col},title=${prop(d.code)}::${data(msg)}`;
}

