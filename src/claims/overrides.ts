/**
 * `--set path=value`: changes to a claim made on the command line (and by
 * `compare` scenarios). Overrides apply to the raw claim value, before the
 * claim schema, so the schema parses them exactly as it parses the file: a bad
 * path or a bad value is the command line's fault (exit 2), not the file's.
 */
import { isScalar, parseDocument } from "yaml";
import { closest } from "../core/suggest.js";
import { fieldPath } from "../diagnostics.js";
import { DiagnosticsError, EXIT, UsageError } from "../errors.js";
import { humanise, knownKeys } from "../yaml/zod.js";
import { positions, readAsWritten, type RawClaim } from "./input.js";
import { checkClaim, checked } from "./load.js";
import { claimSchema, type Claim } from "./schema.js";

export type Segment = string | number;

export interface Override {
  /** Canonical field path: treatment.level, items[0].amount. */
  readonly path: string;
  readonly segments: readonly Segment[];
  /** The value as YAML reads it (2, true, "none"); null removes the field. */
  readonly value: unknown;
  /** The value as written, for messages and for string fields given a number. */
  readonly text: string;
  /** Where it was given, for messages: `--set treatment.level=2`, `scenario "cheap"`. */
  readonly origin: string;
}

/** `path=value` (one --set, or one assignment of a scenario). */
export function parseAssignment(arg: string, origin: string): Override {
  const eq = arg.indexOf("=");
  if (eq <= 0) throw new UsageError(`${origin}: expected path=value (e.g. treatment.level=2), got ${JSON.stringify(arg)}`);
  const text = arg.slice(eq + 1);
  return override(arg.slice(0, eq).trim(), scalar(text), text, origin);
}

/** One `--set path=value`. */
export function parseSet(arg: string): Override {
  return parseAssignment(arg, `--set ${arg}`);
}

/** Every `--set`, in order. */
export function parseSets(args: readonly string[]): Override[] {
  return args.map(parseSet);
}

/** An override from a path and an already-parsed value (a scenarios file). */
export function override(path: string, value: unknown, text: string, origin: string): Override {
  const segments = parsePath(path, origin);
  // --set id=007, costs.classA=1.1e4: as written, as in a file (src/claims/load.ts numbersAsWritten).
  const asWritten = typeof value === "number" && readAsWritten(segments);
  return { path: fieldPath(segments), segments, value: asWritten ? text.trim() : value, text, origin };
}

/**
 * `treatment.level`, `items[0].amount` or `items.0.amount` → segments, each
 * checked against the claim schema (with a did-you-mean), so a typo fails
 * before any claim is read.
 */
export function parsePath(path: string, origin: string): Segment[] {
  if (!/^[A-Za-z][\w]*(?:\.\w+|\[\d+\])*$/.test(path))
    throw new UsageError(`${origin}: ${JSON.stringify(path)} is not a claim field path (write it like treatment.level or items[0].amount)`);
  const segments: Segment[] = [];
  for (const m of path.matchAll(/(\w+)|\[(\d+)\]/g)) segments.push(m[2] !== undefined ? Number(m[2]) : /^\d+$/.test(m[1]!) ? Number(m[1]) : m[1]!);
  segments.forEach((seg, i) => {
    const parent = segments.slice(0, i);
    if (typeof seg === "number") {
      if (!isList(parent)) throw new UsageError(`${origin}: ${fieldPath(parent) || "the claim"} is not a list, so ${fieldPath(segments.slice(0, i + 1))} does not exist`);
      return;
    }
    const known = knownKeys(claimSchema, parent);
    if (known.includes(seg)) return;
    const where = parent.length ? fieldPath(parent) : "a claim";
    const hint = closest(seg, known) ?? (i === 0 ? leafNamed(seg) : undefined);
    throw new UsageError(
      `${origin}: unknown claim field ${JSON.stringify(fieldPath(segments))}: ${known.length ? `${where} has no field "${seg}"; its fields: ${known.join(", ")}` : `${where} is a single value, not a mapping`}` +
        (hint ? ` (did you mean ${JSON.stringify(i === 0 && !known.includes(hint) ? hint : fieldPath([...parent, hint]))}?)` : ""),
    );
  });
  return segments;
}

/** The value text as a YAML scalar: 2 → 2, true → true, none → "none";
 * empty or null removes the field; anything that is not a scalar stays text. */
export function scalar(text: string): unknown {
  if (text.trim() === "") return null;
  const doc = parseDocument(text, { version: "1.2", strict: true });
  if (doc.errors.length || !isScalar(doc.contents)) return text;
  return doc.contents.value;
}

/** A copy of `value` with the overrides applied in order (null deletes). */
export function applyOverrides(value: unknown, overrides: readonly Override[]): unknown {
  const root = structuredClone(value) as Record<string, unknown>;
  for (const o of overrides) {
    const origin = o.origin;
    let node: Record<string | number, unknown> = root;
    const pastEnd = (list: unknown[]) => new UsageError(`${origin}: ${o.path} is past the end of the list (${list.length} item(s))`);
    for (let i = 0; i < o.segments.length - 1; i++) {
      const seg = o.segments[i]!;
      if (Array.isArray(node) && (typeof seg !== "number" || seg >= node.length)) throw pastEnd(node);
      let next = node[seg];
      if (next === undefined || next === null) {
        if (typeof o.segments[i + 1] === "number")
          throw new UsageError(`${origin}: ${fieldPath(o.segments.slice(0, i + 1))} is not in the claim, so ${o.path} cannot be set`);
        next = node[seg] = {};
      }
      if (typeof next !== "object") throw new UsageError(`${origin}: ${fieldPath(o.segments.slice(0, i + 1))} is not a mapping in the claim, so ${o.path} cannot be set`);
      node = next as Record<string | number, unknown>;
    }
    const last = o.segments[o.segments.length - 1]!;
    if (Array.isArray(node) && (typeof last !== "number" || last >= node.length)) throw pastEnd(node);
    if (o.value === null) {
      if (Array.isArray(node)) throw new UsageError(`${origin}: list items cannot be removed (${o.path})`);
      delete node[last];
    } else node[last] = o.value;
  }
  return root;
}

/**
 * The claim under `overrides`. With none, the file's own problems are located
 * diagnostics (exit 4). With some, a claim that only fails because of them is
 * a usage error naming the path and the schema's message (exit 2).
 */
export function claimWith(raw: RawClaim, overrides: readonly Override[]): Claim {
  if (!overrides.length) return checked(raw);
  const r = claimSchema.safeParse(applyOverrides(raw.value, overrides));
  if (r.success) return r.data;
  // A string field given a number (`treatment.hospital=301`): retry with the text as written.
  const asText = overrides.map((o) => (typeof o.value !== "string" && o.value !== null && blames(o, r.error.issues) ? { ...o, value: o.text } : o));
  if (asText.some((o, i) => o !== overrides[i])) {
    const again = claimSchema.safeParse(applyOverrides(raw.value, asText));
    if (again.success) return again.data;
  }
  const issues = r.error.issues.map((i) => ({ path: fieldPath(i.path as Segment[]), message: humanise(i) + mappingHint(overrides, i) }));
  const blamed = issues.filter((i) => overrides.some((o) => covers(o.path, i.path)));
  if (!blamed.length) {
    const plain = checkClaim(raw.file, raw.value, positions(raw));
    if (!plain.claim) throw new DiagnosticsError(plain.diagnostics, EXIT.claim); // the file is wrong either way
  }
  throw new UsageError((blamed.length ? blamed : issues).map((i) => overrideProblem(overrides, i.path, i.message)).join("\n"));
}

/** "invalid value for treatment.level (--set treatment.level=x): must be …", or,
 * for a problem the overrides cause elsewhere, "treatment.disease: … (after --set …)". */
export function overrideProblem(overrides: readonly Override[], path: string, message: string): string {
  const o = [...overrides].reverse().find((x) => covers(x.path, path));
  if (o) return `invalid value for ${path} (${o.origin}): ${message}`;
  return `${path ? `${path}: ` : ""}${message} (after ${[...new Set(overrides.map((x) => x.origin))].join(", ")})`;
}

/** A mapping or list written as the value of one --set (`history={…}`): it is text; a --set gives one field. */
function mappingHint(overrides: readonly Override[], issue: { code: string; path: readonly PropertyKey[] }): string {
  const o = overrides.find((x) => x.path === fieldPath(issue.path as Segment[]));
  if (!o || issue.code !== "invalid_type" || !/^\s*[[{]/.test(o.text)) return "";
  const field = knownKeys(claimSchema, o.segments)[0];
  return `; a --set gives one field its value: set the fields one by one${field ? `, e.g. ${o.origin.startsWith("--set") ? "--set " : ""}${o.path}.${field}=…` : ""}`;
}

/** Whether a problem at `problem` is about the field `path` sets. */
export function covers(path: string, problem: string): boolean {
  return problem === path || problem.startsWith(`${path}.`) || problem.startsWith(`${path}[`);
}

export function describeOverrides(overrides: readonly Override[]): string {
  return overrides.map((o) => `${o.path}=${o.text}`).join(" ");
}

function blames(o: Override, issues: readonly { path: readonly PropertyKey[] }[]): boolean {
  return issues.some((i) => covers(o.path, fieldPath(i.path as Segment[])));
}

function isList(path: readonly Segment[]): boolean {
  // knownKeys sees through an array to its element's keys; a list is a field
  // whose own keys are empty but whose element (index 0) has some.
  return path.length > 0 && knownKeys(claimSchema, path).length === 0 && knownKeys(claimSchema, [...path, 0]).length > 0;
}

/** `level` → `treatment.level`: a field of some mapping named like the segment. */
function leafNamed(seg: string): string | undefined {
  const found: string[] = [];
  for (const top of knownKeys(claimSchema, [])) for (const k of knownKeys(claimSchema, [top])) if (k === seg) found.push(`${top}.${k}`);
  return found.length === 1 ? found[0] : undefined;
}
