/**
 * `reimburse rules check`: everything compile checks (syntax, schema,
 * references), plus consistency, national compliance and provenance checks a
 * rule set can pass compile with and still be wrong (src/rules/checks.ts).
 * Pure: rule texts and a check date in, located diagnostics and counts out.
 */
import { analyseRules, type RuleText } from "./compile.js";
import { runChecks, type CheckOptions, type CheckResult } from "./checks.js";
import { checkFiles } from "./docview.js";
import type { Severity } from "../diagnostics.js";

export { CHECKS, LEVEL_ORDER, runChecks, sortDiagnostics, yearsBefore } from "./checks.js";
export type { CheckCode, CheckFile, CheckInput, CheckOptions, CheckResult, CheckSummary, DocView } from "./checks.js";

/** Codes compile reports (and `calc` refuses rules for), for the table in docs/rules.md. */
export const COMPILE_CODES: Readonly<Record<string, readonly [Severity, string]>> = {
  syntax: ["error", "YAML syntax (indentation, tabs, unclosed quotes and brackets)"],
  "duplicate-key": ["error", "a key twice in one mapping (also: two versions with the same date)"],
  "unknown-tag": ["error", "a custom YAML tag (!foo)"],
  "unknown-key": ["error", "a key the schema does not allow, with a did-you-mean"],
  "missing-key": ["error", "a required key is missing (unit, values, source, …)"],
  "invalid-type": ["error", "a value of the wrong type"],
  "invalid-value": ["error", "a value out of range or of the wrong form (unit, date, id, code)"],
  "duplicate-definition": ["error", "a source, region, level, disease, list, cap, zone or region policy defined twice"],
  "zone-self": ["error", "a zone pairing a region with itself"],
  "unknown-region": ["error", "a region code not in the region table"],
  "unknown-source": ["error", "a source cited but not declared"],
  "unknown-level": ["error", "a hospital level not in national.yaml levels"],
  "unknown-disease": ["error", "a disease id not in the catalogue"],
  "unknown-chronic-list": ["error", "a chronic list id not declared"],
  "invalid-fraction": ["error", "a fraction that is not a plain decimal (1e-7, more than 9 decimals)"],
  "confidence-raised": ["warning", "a value claims a higher confidence than its source"],
  "empty-file": ["warning", "a rule file with no content"],
};

export function checkRules(texts: readonly RuleText[], o: CheckOptions): CheckResult {
  const a = analyseRules(texts);
  const { files, raw } = checkFiles(a);
  return runChecks({ rules: a.rules, files, raw, diagnostics: a.diagnostics, unusedSources: a.unusedSources, fileCount: texts.length }, o);
}
