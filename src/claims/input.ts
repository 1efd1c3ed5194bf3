/**
 * A claim file as read, before the claim schema: YAML, or JSON (by content),
 * and the positions its messages point at. Nothing here loads the schema
 * library: a valid claim is validated by the compiled validator, and only a
 * claim with problems goes to zod for their wording (src/claims/load.ts).
 */
import { isMap, isPair, isScalar, isSeq } from "yaml";
import type { Claim } from "./schema.js";
import type { ClaimRejectedError } from "../core/errors.js";
import type { Diagnostic } from "../diagnostics.js";
import { DiagnosticsError, EXIT } from "../errors.js";
import { fieldPath, find, locate, parseYaml, partOf, position, type YamlFile } from "../yaml/document.js";
import { parseJson } from "./json.js";
import { validateClaim } from "./validate.js";

/** A claim file parsed once, to be validated and settled (under overrides, for compare). */
export interface RawClaim {
  readonly file: string;
  readonly text: string;
  readonly value: unknown;
  /** The YAML document of a YAML file; a JSON file is parsed as one only when a message needs a position. */
  readonly yaml?: YamlFile;
}

/**
 * A claim file's value. A text that starts as JSON does (`{` or `[`) and reads
 * as JSON is JSON: read by JSON.parse, numbers as JSON numbers. Anything else
 * is YAML (a flow-style YAML mapping starts with `{` too), numbers as written
 * where the claim needs text or exact amounts (AS_WRITTEN). `format` (from
 * --input-format) reads it as that only.
 */
export function readRaw(file: string, source: string, format?: "yaml" | "json"): RawClaim {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source; // BOM
  const first = /\S/.exec(text)?.[0];
  if (format === "json" || (format === undefined && (first === "{" || first === "["))) {
    const r = parseJson(text);
    if ("value" in r) return { file, text, value: r.value };
    const p = r.problem;
    if (p.code === "too-deep") throw new DiagnosticsError([{ code: "syntax", severity: "error", message: p.message, file, line: 1, col: 1, ...(p.zh ? { zh: p.zh } : {}) }], EXIT.claim);
    if (p.at) {
      // Valid JSON with a key written twice, or a number it cannot hold exactly: located as YAML locates it.
      const yaml = parseYaml(file, text).yaml;
      throw new DiagnosticsError([{ code: p.code, severity: "error", message: p.message, file, ...locate(yaml, p.at, p.code === "duplicate-key" ? "key" : "value"), path: p.path, ...(p.zh ? { zh: p.zh } : {}) }], EXIT.claim);
    }
    if (format === "json") {
      // Read as JSON because it was asked to be: JSON's own words, where JSON.parse says (Node 20: "line 2 column 3").
      const at = /line (\d+) column (\d+)/.exec(p.message);
      throw new DiagnosticsError([{ code: "syntax", severity: "error", message: `${p.message.replace(/\s+/g, " ")} (--input-format json)`, file, line: at ? Number(at[1]) : 1, col: at ? Number(at[2]) : 1 }], EXIT.claim);
    }
  }
  const parsed = parseYaml(file, text);
  if (parsed.diagnostics.length) throw new DiagnosticsError(parsed.diagnostics, EXIT.claim);
  if (parsed.value === null || parsed.value === undefined)
    throw new DiagnosticsError([{ code: "empty", severity: "error", message: "the claim file is empty", file, line: 1, col: 1, zh: { message: "申报文件是空的" } }], EXIT.claim);
  numbersAsWritten(parsed.yaml, parsed.value);
  return { file, text, value: parsed.value, yaml: parsed.yaml };
}

/** A claim of a document, and where it starts (a list's item; a document of one claim: 1:1). */
export interface DocumentClaim {
  readonly raw: RawClaim;
  readonly line: number;
  readonly col: number;
}

/**
 * The claims of a YAML or JSON document: one claim, or a list of claims (read
 * by readRaw, once). Each claim of a list is located in the file: its problems
 * are at their own line and column, and its field paths start at the claim.
 */
export function readDocument(file: string, source: string, format?: "yaml" | "json"): { list: boolean; claims: DocumentClaim[] } {
  const whole = readRaw(file, source, format);
  if (!Array.isArray(whole.value)) return { list: false, claims: [{ raw: whole, line: 1, col: 1 }] };
  const yaml = positions(whole); // a JSON list too: each claim's line is its record's line
  const claims = whole.value.map((value: unknown, i): DocumentClaim => {
    const part = partOf(yaml, [i]);
    if (whole.yaml) numbersAsWritten(part, value);
    return { raw: { file, text: whole.text, value, yaml: part }, ...position(yaml, find(yaml, [i]).value) };
  });
  return { list: true, claims };
}

/** The YAML document messages about a claim file are located in (JSON is YAML: the yaml library locates in it). */
export function positions(raw: RawClaim): YamlFile {
  return raw.yaml ?? parseYaml(raw.file, raw.text).yaml;
}

/** The claim of a file: validated by the compiled claim schema, or its problems worded by zod (exit 4). */
export async function claimOf(raw: RawClaim): Promise<Claim> {
  const claim = validateClaim(raw.value);
  if (claim) return claim;
  const { checked } = await import("./load.js");
  return checked(raw);
}

/** A claim the rules reject, located in its file. */
export function rejectionDiagnostic(raw: RawClaim, e: ClaimRejectedError): Diagnostic {
  return { code: "rejected", severity: "error", message: e.message, file: raw.file, ...locate(positions(raw), e.path), path: fieldPath(e.path), ...(e.hint ? { hint: e.hint } : {}), ...(e.zh ? { zh: e.zh } : {}) };
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
  ["history", "*", "fundPaid"],
  ["history", "*", "deductiblePaid"],
  ["history", "criticalIllness", "base"],
  ["history", "criticalIllness", "paid"],
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
