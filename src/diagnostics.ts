/**
 * A problem found in an input file, located to the character. Claim loading,
 * rule loading and `rules check` all speak this one shape; src/format/diagnostics.ts
 * prints it.
 */
export type Severity = "error" | "warning";

export interface Diagnostic {
  readonly code: string; // e.g. "unknown-key", "rules/ratio-range"
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly line: number; // 1-based; 0 when the file as a whole is meant
  readonly col: number; // 1-based
  readonly path?: string; // field path inside the file: costs.classA, items[2].amount
  readonly hint?: string;
  /** The message and hint in Chinese, where the producer words them (printed with --lang zh). */
  readonly zh?: Words;
}

/** A message and its hint, in one language. */
export interface Words {
  readonly message: string;
  readonly hint?: string;
}

export const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === "error");

/** costs.classA, items[2].amount */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}
