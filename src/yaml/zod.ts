/**
 * zod issues → located diagnostics. Unknown keys point at the key and suggest
 * the closest known one; a missing key points at its parent mapping.
 */
import { zhOf } from "../words.js";
import type { z } from "zod";
import { show } from "../core/own.js";
import { closest } from "../core/suggest.js";
import type { Diagnostic } from "../diagnostics.js";
import { fieldPath, find, locate, scalarAt, type YamlFile } from "./document.js";

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
  const queue = [...issues];
  const input = (path: readonly PropertyKey[]): unknown => (value !== undefined ? valueIn(value, path) : scalarAt(yaml, path));
  for (let q = 0; q < queue.length; q++) {
    const issue = queue[q]!;
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
          zh: { message: `未知字段 "${key}"${known.length ? `；此处可填：${known.join("、")}` : ""}`, ...(hint ? { hint: `是否指 "${hint}"？` } : {}) },
        });
      }
      continue;
    }
    const exists = value !== undefined ? existsIn(value, path) : find(yaml, path).complete;
    if (issue.code === "invalid_union") {
      // The form the value was meant to have, when it shows: its problems, located, instead of "does not match any allowed form".
      const meant = meantBranch(issue, (p) => (value !== undefined ? existsIn(value, p) : find(yaml, p).complete), input(path));
      if (meant) {
        queue.splice(q + 1, 0, ...meant.map((i) => ({ ...i, path: [...path, ...i.path] }) as z.core.$ZodIssue));
        continue;
      }
    }
    if (issue.code === "invalid_key") {
      // A mapping key of the wrong form (a version dated 2023-02-30): located at the key.
      const words = issue.issues[0] ? issueWords(issue.issues[0]) : { en: "is not valid here", zh: "在此处无效" };
      const [inner, innerZh] = [words.en, words.zh ?? words.en];
      const key = show(path[path.length - 1]);
      out.push({ code: `${codePrefix}invalid-key`, severity: "error", message: `key ${key} ${inner}`, file: yaml.file, ...locate(yaml, path, "key"), path: fieldPath(path), zh: { message: `键 ${key} ${innerZh}` } });
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
        zh: { message: `缺少必填字段 ${String(path[path.length - 1])}` },
      });
      continue;
    }
    const { en: message, zh } = issueWords(issue);
    const hint = hintFor(issue, input(path));
    out.push({
      code: `${codePrefix}${issue.code === "invalid_type" ? "invalid-type" : "invalid-value"}`,
      severity: "error",
      message,
      file: yaml.file,
      ...locate(yaml, path, "value"),
      ...(path.length ? { path: fieldPath(path) } : {}),
      ...(hint ? { hint: hint.en } : {}),
      ...(zh || hint ? { zh: { message: zh ?? message, ...(hint ? { hint: hint.zh } : {}) } } : {}),
    });
  }
  if (skipped)
    out.push({ code: `${codePrefix}too-many-problems`, severity: "error", message: `${skipped} more problem(s) not located`, file: yaml.file, line: 0, col: 0, zh: { message: `另有 ${skipped} 个问题未定位` } });
  return out;
}

/** The value at `path` in a plain value (own keys only). */
function valueIn(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, seg as string)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/**
 * Of a union's forms, the one the value was meant to have: the one whose
 * problems lie deepest inside what was written (a table by level with a bad
 * cell, `{points: "5%"}`), or, for text where a number is allowed, the number's.
 * Undefined when no form stands out.
 */
function meantBranch(issue: z.core.$ZodIssue & { code: "invalid_union" }, exists: (p: readonly PropertyKey[]) => boolean, input: unknown): readonly z.core.$ZodIssue[] | undefined {
  const branches = issue.errors.filter((b) => b.length);
  const depth = (b: readonly z.core.$ZodIssue[]): number => Math.max(...b.map((i) => (i.path.length && exists([...issue.path, ...i.path]) ? i.path.length : 0)));
  const depths = branches.map(depth);
  const deepest = Math.max(0, ...depths);
  if (deepest > 0 && depths.filter((d) => d === deepest).length === 1) return branches[depths.indexOf(deepest)];
  if (typeof input === "string") {
    const numeric = branches.filter((b) => b.length === 1 && b[0]!.code === "invalid_type" && b[0]!.expected === "number" && !b[0]!.path.length);
    if (numeric.length === 1) return numeric[0];
  }
  return undefined;
}

/** Digits moved `places` to the left (86 → 0.86) or right (2.4 → 24000): exact, no floating point. */
function shift(digits: string, places: number): string {
  const [int, frac = ""] = digits.split(".");
  const all = int! + frac;
  const point = int!.length + places;
  const padded = point <= 0 ? "0".repeat(1 - point) + all : point > all.length ? all + "0".repeat(point - all.length) : all;
  const at = Math.max(point, 1);
  const out = `${padded.slice(0, at)}.${padded.slice(at)}`.replace(/^0+(?=\d)/, "").replace(/\.?0*$/, "");
  return out || "0";
}

/**
 * A number written as text — a percentage, 万, a quoted number, thousands
 * separators, 元 — where a number is wanted: what to write instead.
 */
export function numberHint(text: string): { en: string; zh: string } | undefined {
  const t = text.trim();
  let m = /^(\d+(?:\.\d+)?)\s*[%％]$/.exec(t);
  if (m) return { en: `did you mean ${shift(m[1]!, -2)}? ${t} is written as the fraction ${shift(m[1]!, -2)}`, zh: `是否指 ${shift(m[1]!, -2)}？${t} 应写成小数 ${shift(m[1]!, -2)}` };
  m = /^(\d+(?:\.\d+)?)\s*万元?$/.exec(t);
  if (m) return { en: `did you mean ${shift(m[1]!, 4)}? amounts are in yuan: ${t} is ${shift(m[1]!, 4)}`, zh: `是否指 ${shift(m[1]!, 4)}？金额以元计：${t} 即 ${shift(m[1]!, 4)}` };
  m = /^(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*元?$/.exec(t);
  const plain = m?.[1]!.replace(/,/g, "");
  if (m) return { en: `did you mean ${plain}? a number is written without quotes${/[,元]/.test(t) ? ", separators or 元" : ""}`, zh: `是否指 ${plain}？数字不加引号${/[,元]/.test(t) ? "、分隔符或“元”" : ""}` };
  return undefined;
}

/** A did-you-mean for text where a number is wanted. */
function hintFor(issue: z.core.$ZodIssue, input: unknown): { en: string; zh: string } | undefined {
  if (issue.code !== "invalid_type" || issue.expected !== "number" || typeof input !== "string") return undefined;
  return numberHint(input);
}

/** What each JSON type is called, in English and in Chinese. */
const TYPE_NAMES: Readonly<Record<string, readonly [string, string]>> = {
  record: ["a mapping", "映射（字段: 值）"],
  object: ["a mapping", "映射（字段: 值）"],
  array: ["a list", "列表"],
  tuple: ["a list", "列表"],
  string: ["a string", "文本"],
  number: ["a number", "数字"],
  bigint: ["a number", "数字"],
  boolean: ["true or false", "true 或 false"],
  undefined: ["nothing", "未填写"],
  null: ["null", "null"],
};
const typeName = (t: string, lang: 0 | 1): string => TYPE_NAMES[t]?.[lang] ?? t;

/**
 * A zod issue in the tool's words ("must be a mapping, got a string"), never
 * the library's ("Invalid input: expected object, received string"), in
 * English and in Chinese. The schemas' own messages are kept, with the Chinese
 * they were written with (src/words.ts), where they were.
 */
export function issueWords(issue: z.core.$ZodIssue): { readonly en: string; readonly zh?: string } {
  if (issue.code === "invalid_union") return { en: "does not match any allowed form", zh: "格式不符合要求" };
  if (!/^(Invalid|Too (small|big)|Unrecognized)\b/.test(issue.message)) {
    const zh = zhOf(issue.message);
    return zh === undefined ? { en: issue.message } : { en: issue.message, zh };
  }
  const count = (origin: string, n: unknown) =>
    origin === "string" ? { en: `${String(n)} character(s)`, zh: `${String(n)} 个字符` } : origin === "array" || origin === "set" ? { en: `${String(n)} item(s)`, zh: `${String(n)} 项` } : { en: String(n), zh: String(n) };
  const bound = (op: string, n: unknown) => ({ en: `must be ${op} ${String(n)}`, zh: `必须 ${op} ${String(n)}` });
  const numeric = (origin: string) => origin === "number" || origin === "bigint" || origin === "date";
  switch (issue.code) {
    case "invalid_type": {
      const m = /expected (\w+), received (\w+)/.exec(issue.message);
      return { en: m ? `must be ${typeName(m[1]!, 0)}, got ${typeName(m[2]!, 0)}` : `must be ${typeName(issue.expected, 0)}`, zh: `必须为${typeName(issue.expected, 1)}` };
    }
    case "too_small": {
      if (numeric(issue.origin)) return bound(issue.inclusive === false ? ">" : "≥", issue.minimum);
      if (Number(issue.minimum) === 1 && issue.origin === "string") return { en: "must not be empty", zh: "不能为空" };
      const n = count(issue.origin, issue.minimum);
      return { en: `must have at least ${n.en}`, zh: `至少要有 ${n.zh}` };
    }
    case "too_big": {
      if (numeric(issue.origin)) return bound(issue.inclusive === false ? "<" : "≤", issue.maximum);
      const n = count(issue.origin, issue.maximum);
      return { en: `must have at most ${n.en}`, zh: `至多 ${n.zh}` };
    }
    case "invalid_value": {
      const values = issue.values.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
      return issue.values.length === 1
        ? { en: `must be ${JSON.stringify(issue.values[0])}`, zh: `必须为 ${JSON.stringify(issue.values[0])}` }
        : { en: `must be one of: ${values.join(", ")}`, zh: `必须为其中之一：${values.join("、")}` };
    }
    case "invalid_format": {
      const form = "pattern" in issue && issue.pattern ? String(issue.pattern) : issue.format;
      return { en: `is not of the allowed form (${form})`, zh: `格式不符合要求（${form}）` };
    }
    default:
      return { en: "is not valid here", zh: "在此处无效" };
  }
}

/** issueWords in English. */
export const humanise = (issue: z.core.$ZodIssue): string => issueWords(issue).en;
