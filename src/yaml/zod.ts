/**
 * zod issues → located diagnostics. Unknown keys point at the key and suggest
 * the closest known one; a missing key points at its parent mapping.
 */
import type { z } from "zod";
import { show } from "../core/own.js";
import { closest } from "../core/suggest.js";
import type { Diagnostic } from "../diagnostics.js";
import { fieldPath, find, locate, type YamlFile } from "./document.js";

type AnySchema = z.core.$ZodType;

/** The keys an object schema allows at `path`, looking through wrappers. */
export function knownKeys(schema: AnySchema, path: readonly PropertyKey[]): string[] {
  let s: AnySchema | undefined = schema;
  for (let i = 0; i <= path.length && s; i++) {
    s = unwrap(s);
    const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
    if (i === path.length) return def.type === "object" ? Object.keys(def.shape as object) : [];
    const seg = path[i]!;
    if (def.type === "object") s = Object.hasOwn(def.shape as object, String(seg)) ? (def.shape as Record<string, AnySchema>)[String(seg)] : undefined;
    else if (def.type === "record") s = def.valueType as AnySchema;
    else if (def.type === "array") s = def.element as AnySchema;
    else if (def.type === "union") s = (def.options as AnySchema[]).map(unwrap).find((o) => ["object", "record"].includes(o._zod.def.type));
    else return [];
  }
  return [];
}

function unwrap(s: AnySchema): AnySchema {
  for (;;) {
    const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
    if (["optional", "nullable", "default", "prefault", "readonly", "catch", "nonoptional"].includes(def.type)) s = def.innerType as AnySchema;
    else if (def.type === "pipe") s = def.in as AnySchema;
    else if (def.type === "lazy") s = (def.getter as () => AnySchema)();
    else return s;
  }
}

/** At most this many problems are located per file; the rest are counted. Locating
 * is linear in the size of a mapping, so this bounds the work on hostile files. */
export const MAX_LOCATED = 200;

/** Whether `path` exists in a plain value (own keys only). */
function existsIn(value: unknown, path: readonly PropertyKey[]): boolean {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, seg as string)) return false;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return true;
}

/**
 * `value` is what was validated, when there is one: whether a field is missing
 * is read from it (a batch record has no YAML document to look in).
 */
export function zodDiagnostics(yaml: YamlFile, issues: readonly z.core.$ZodIssue[], schema: AnySchema, codePrefix = "", value?: unknown): Diagnostic[] {
  const out: Diagnostic[] = [];
  let skipped = 0;
  for (const issue of issues) {
    const path = issue.path as PropertyKey[];
    if (out.length >= MAX_LOCATED) {
      skipped += issue.code === "unrecognized_keys" ? issue.keys.length : 1;
      continue;
    }
    if (issue.code === "unrecognized_keys") {
      const known = knownKeys(schema, path);
      const keys = issue.keys.slice(0, MAX_LOCATED - out.length);
      skipped += issue.keys.length - keys.length;
      for (const key of keys) {
        const hint = closest(key, known);
        out.push({
          code: `${codePrefix}unknown-key`,
          severity: "error",
          message: `unknown key "${key}"${known.length ? `; allowed here: ${known.join(", ")}` : ""}`,
          file: yaml.file,
          ...locate(yaml, [...path, key], "key"),
          path: fieldPath([...path, key]),
          ...(hint ? { hint: `did you mean "${hint}"?` } : {}),
        });
      }
      continue;
    }
    const exists = value !== undefined ? existsIn(value, path) : find(yaml, path).complete;
    if (issue.code === "invalid_key") {
      // A mapping key of the wrong form (a version dated 2023-02-30): located at the key.
      const inner = issue.issues[0]?.message ?? issue.message;
      out.push({ code: `${codePrefix}invalid-key`, severity: "error", message: `key ${show(path[path.length - 1])} ${inner}`, file: yaml.file, ...locate(yaml, path, "key"), path: fieldPath(path) });
      continue;
    }
    if (!exists && issue.code !== "custom" && path.length) {
      out.push({
        code: `${codePrefix}missing-key`,
        severity: "error",
        message: `${String(path[path.length - 1])} is required`,
        file: yaml.file,
        ...locate(yaml, path.slice(0, -1), "value"),
        path: fieldPath(path),
      });
      continue;
    }
    out.push({
      code: `${codePrefix}${issue.code === "invalid_type" ? "invalid-type" : "invalid-value"}`,
      severity: "error",
      message: humanise(issue),
      file: yaml.file,
      ...locate(yaml, path, "value"),
      ...(path.length ? { path: fieldPath(path) } : {}),
    });
  }
  if (skipped)
    out.push({ code: `${codePrefix}too-many-problems`, severity: "error", message: `${skipped} more problem(s) not located`, file: yaml.file, line: 0, col: 0 });
  return out;
}

function humanise(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") {
    const m = /expected (\w+), received (\w+)/.exec(issue.message);
    if (m) return `must be ${article(m[1]!)}, got ${article(m[2]!)}`;
  }
  if (issue.code === "invalid_union") return "does not match any allowed form";
  return issue.message;
}

function article(t: string): string {
  const names: Record<string, string> = { record: "a mapping", object: "a mapping", array: "a list", string: "a string", number: "a number", boolean: "true or false", undefined: "nothing", null: "null", bigint: "a number" };
  return names[t] ?? t;
}
