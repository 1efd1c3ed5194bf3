/**
 * Claim text → Claim, or every problem at once with file:line:col and field path.
 * YAML and JSON alike (JSON is read by the YAML parser, which keeps positions).
 */
import type { Diagnostic } from "../diagnostics.js";
import { ClaimRejectedError } from "../core/errors.js";
import { isScalar } from "yaml";
import { fieldPath, find, locate, parseYaml, type YamlFile } from "../yaml/document.js";
import { zodDiagnostics } from "../yaml/zod.js";
import { claimSchema, type Claim } from "./schema.js";

export interface LoadedClaim {
  readonly file: string;
  readonly yaml?: YamlFile;
  readonly claim?: Claim;
  readonly diagnostics: Diagnostic[];
}

/** Where a claim holds an id: text, even when written as a number (idsAsWritten). */
export const ID_PATHS: readonly (readonly string[])[] = [["id"], ["insured", "id"]];

/**
 * An id written as a plain number (`id: 007`, an insurance number with leading
 * zeros) is the text as written, "007", not the number 7 that YAML reads.
 * Changes `value` (the document's value) in place.
 */
export function idsAsWritten(yaml: YamlFile, value: unknown): void {
  for (const path of ID_PATHS) {
    const f = find(yaml, path);
    if (!f.complete || !isScalar(f.value) || typeof f.value.value !== "number" || f.value.source === undefined) continue;
    let parent = value;
    for (const seg of path.slice(0, -1)) parent = parent && typeof parent === "object" ? (parent as Record<string, unknown>)[seg] : undefined;
    if (parent && typeof parent === "object") (parent as Record<string, unknown>)[path.at(-1)!] = f.value.source;
  }
}

/** Validates an already-built value (a YAML document's, or a batch record's). */
export function checkClaim(file: string, value: unknown, yaml?: YamlFile): LoadedClaim {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { file, ...(yaml ? { yaml } : {}), diagnostics: [{ code: "invalid-type", severity: "error", message: "a claim must be a mapping of fields (date, insured, treatment, costs, …)", file, line: 1, col: 1 }] };
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
