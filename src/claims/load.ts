/**
 * Claim text → Claim, or every problem at once with file:line:col and field path.
 * YAML and JSON alike (JSON is read by the YAML parser, which keeps positions).
 */
import type { Diagnostic } from "../diagnostics.js";
import { ClaimRejectedError } from "../core/errors.js";
import { fieldPath, locate, parseYaml, type YamlFile } from "../yaml/document.js";
import { zodDiagnostics } from "../yaml/zod.js";
import { claimSchema, type Claim } from "./schema.js";

export interface LoadedClaim {
  readonly file: string;
  readonly yaml?: YamlFile;
  readonly claim?: Claim;
  readonly diagnostics: Diagnostic[];
}

export function parseClaim(file: string, text: string): LoadedClaim {
  const parsed = parseYaml(file, text);
  if (parsed.diagnostics.length) return { file, yaml: parsed.yaml, diagnostics: parsed.diagnostics };
  if (parsed.value === null || parsed.value === undefined)
    return { file, yaml: parsed.yaml, diagnostics: [{ code: "empty", severity: "error", message: "the claim file is empty", file, line: 1, col: 1 }] };
  return checkClaim(file, parsed.value, parsed.yaml);
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
