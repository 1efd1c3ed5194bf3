/**
 * A claim's value → Claim, or every problem at once with file:line:col and
 * field path, worded by the claim schema (zod). A valid claim is answered by the
 * compiled validator without it; this is where a claim that is not valid goes
 * (src/claims/input.ts claimOf).
 */
import type { Diagnostic } from "../diagnostics.js";
import { DiagnosticsError, EXIT } from "../errors.js";
import { parseYaml, type YamlFile } from "../yaml/document.js";
import { zodDiagnostics } from "../yaml/zod.js";
import { positions, type RawClaim } from "./input.js";
import { claimSchema, type Claim } from "./schema.js";
import { validateClaim } from "./validate.js";

export interface LoadedClaim {
  readonly file: string;
  readonly yaml?: YamlFile;
  readonly claim?: Claim;
  readonly diagnostics: Diagnostic[];
}

/** Validates an already-built value (a YAML document's, or a batch record's). */
export function checkClaim(file: string, value: unknown, yaml?: YamlFile): LoadedClaim {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { file, ...(yaml ? { yaml } : {}), diagnostics: [{ code: "invalid-type", severity: "error", message: "a claim must be a mapping of fields (date, insured, treatment, costs, …)", file, line: 1, col: 1, zh: { message: "申报必须是字段的映射（date、insured、treatment、costs……）" } }] };
  const claim = validateClaim(value); // the schema compiled: a valid claim without zod
  if (claim) return { file, ...(yaml ? { yaml } : {}), claim, diagnostics: [] };
  const r = claimSchema.safeParse(value);
  if (r.success) return { file, ...(yaml ? { yaml } : {}), claim: r.data, diagnostics: [] };
  const diagnostics = zodDiagnostics(yaml ?? noPositions(file), r.error.issues, claimSchema, "", value);
  return { file, ...(yaml ? { yaml } : {}), diagnostics };
}

function noPositions(file: string): YamlFile {
  return parseYaml(file, "{}").yaml;
}

/** The claim of a file, or its problems, located (exit 4). */
export function checked(raw: RawClaim): Claim {
  const r = checkClaim(raw.file, raw.value, positions(raw));
  if (!r.claim) throw new DiagnosticsError(r.diagnostics, EXIT.claim);
  return r.claim;
}
