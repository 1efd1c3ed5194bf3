/**
 * Claim text → Claim, or every problem at once with file:line:col and field path.
 * YAML and JSON alike (JSON is read by the YAML parser, which keeps positions).
 */
import type { Diagnostic } from "../diagnostics.js";
import { ClaimRejectedError } from "../core/errors.js";
import { isMap, isPair, isScalar, isSeq } from "yaml";
import { fieldPath, locate, parseYaml, type YamlFile } from "../yaml/document.js";
import { zodDiagnostics } from "../yaml/zod.js";
import { claimSchema, type Claim } from "./schema.js";
import { validateClaim } from "./validate.js";

export interface LoadedClaim {
  readonly file: string;
  readonly yaml?: YamlFile;
  readonly claim?: Claim;
  readonly diagnostics: Diagnostic[];
}

/**
 * Fields whose number is read as written, not as YAML reads it: ids are text
 * (`id: 007` is "007", an insurance number with leading zeros, not 7), and
 * amounts are plain decimals, as in CSV (`classA: 0x2B5C` or `1.1e4` is
 * refused, not 11,100 or 11,000). "*" is any key or index.
 */
const AS_WRITTEN: readonly (readonly string[])[] = [
  ["id"],
  ["insured", "id"],
  ["costs", "*"],
  ["items", "*", "amount"],
  ["items", "*", "prepay"],
  ["history", "fundPaid"],
  ["history", "deductiblePaid"],
];

/** Whether a field path (an override's, say) is one of AS_WRITTEN. */
export function readAsWritten(path: readonly (string | number)[]): boolean {
  return AS_WRITTEN.some((p) => p.length === path.length && p.every((seg, i) => seg === "*" || seg === path[i]));
}

/** Sets the AS_WRITTEN fields of `value` (the document's value, changed in place) to the text of their plain numbers. */
export function numbersAsWritten(yaml: YamlFile, value: unknown): void {
  const walk = (node: unknown, v: unknown, pattern: readonly string[]): void => {
    if (!v || typeof v !== "object") return;
    const [seg, ...rest] = pattern;
    const children: [string | number, unknown][] = isMap(node)
      ? node.items.filter(isPair).map((p) => [String(isScalar(p.key) ? p.key.value : p.key), p.value])
      : isSeq(node)
        ? node.items.map((n, i) => [i, n])
        : [];
    for (const [key, child] of children) {
      if (seg !== "*" && seg !== key) continue;
      const own = v as Record<string | number, unknown>;
      if (rest.length) walk(child, own[key], rest);
      else if (isScalar(child) && typeof child.value === "number" && child.source !== undefined) own[key] = child.source;
    }
  };
  for (const p of AS_WRITTEN) walk(yaml.doc.contents, value, p);
}

/** Validates an already-built value (a YAML document's, or a batch record's). */
export function checkClaim(file: string, value: unknown, yaml?: YamlFile): LoadedClaim {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { file, ...(yaml ? { yaml } : {}), diagnostics: [{ code: "invalid-type", severity: "error", message: "a claim must be a mapping of fields (date, insured, treatment, costs, …)", file, line: 1, col: 1 }] };
  const claim = validateClaim(value); // the schema compiled: a valid claim without zod
  if (claim) return { file, ...(yaml ? { yaml } : {}), claim, diagnostics: [] };
  const r = claimSchema.safeParse(value);
  if (r.success) return { file, ...(yaml ? { yaml } : {}), claim: r.data, diagnostics: [] };
  const diagnostics = zodDiagnostics(yaml ?? noPositions(file), r.error.issues, claimSchema, "", value);
  return { file, ...(yaml ? { yaml } : {}), diagnostics };
}

/** A claim the rules reject, located in its file. */
export function rejectionDiagnostic(loaded: LoadedClaim, e: ClaimRejectedError): Diagnostic {
  const pos = loaded.yaml ? locate(loaded.yaml, e.path) : { line: 0, col: 0 };
  return { code: "rejected", severity: "error", message: e.message, file: loaded.file, ...pos, path: fieldPath(e.path), ...(e.hint ? { hint: e.hint } : {}) };
}

function noPositions(file: string): YamlFile {
  return parseYaml(file, "{}").yaml;
}
