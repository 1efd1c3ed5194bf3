/**
 * A zod schema compiled to plain JavaScript, generated from the schema's own
 * definition (zod's `_zod.def` tree): for a value the schema accepts, the
 * compiled validator returns exactly what the schema's parse returns; for any
 * other value it returns undefined, "not sure", and the caller asks zod, which
 * decides and words the problems. It never rejects what zod would accept: where
 * it is unsure it says so. The checks and conversions are the schema's own
 * functions, called by reference; nothing about the shape is written here.
 *
 * Used two ways: compiled when first used (`instantiate`: tests, development),
 * and emitted as a module at build time (`emitModule`: the binary), so that a
 * valid claim is validated without loading zod.
 *
 * A schema node this compiler has no form for is an error when compiling,
 * naming its path: extend the compiler, or keep the node out of hot schemas.
 */
import type { z } from "zod";

export interface Compiled {
  /** The body of a function of `fns` that returns the validator. */
  readonly source: string;
  /** The schema's functions the source calls, as fns[i]: refinements, custom checks, transforms. */
  readonly fns: readonly Function[];
}

type Schema = z.core.$ZodType;
interface Def {
  readonly type: string;
  readonly [key: string]: unknown;
}

const defOf = (s: Schema): Def => s._zod.def as unknown as Def;

export function compileSchema(schema: Schema): Compiled {
  const fns: Function[] = [];
  const parts: string[] = [];
  const names = new Map<Schema, string>();
  let sets = 0;
  const ref = (f: unknown, path: string): string => {
    if (typeof f !== "function") throw new Error(`compileSchema: no function at ${path}`);
    let i = fns.indexOf(f);
    if (i < 0) i = fns.push(f) - 1;
    return `fns[${i}]`;
  };

  /** The name of the function that parses `s` (`pN(v)`: its output, or F for "not sure"). */
  const node = (s: Schema, path: string): string => {
    const known = names.get(s);
    if (known) return known;
    const name = `p${names.size}`;
    names.set(s, name);
    const def = defOf(s);
    const checks = (): string => (def.checks as readonly Schema[] | undefined ?? []).map((c) => check(c, `${path} (check)`)).join(" ");
    let body: string;
    switch (def.type) {
      case "string":
        body = `if (typeof v !== "string") return F; ${checks()} return v;`;
        break;
      case "number":
        body = `if (typeof v !== "number" || !Number.isFinite(v)) return F; ${checks()} return v;`;
        break;
      case "boolean":
        body = `if (typeof v !== "boolean") return F; ${checks()} return v;`;
        break;
      case "literal":
        body = `return ${(def.values as readonly unknown[]).map((x) => `v === ${scalar(x, path)}`).join(" || ")} ? v : F;`;
        break;
      case "enum": {
        const values = Object.values(def.entries as object).map((x) => scalar(x, path));
        body = `switch (v) { ${values.map((x) => `case ${x}:`).join(" ")} return v; default: return F; }`;
        break;
      }
      case "custom":
        body = `if (!${ref(def.fn, path)}(v)) return F; ${checks()} return v;`;
        break;
      case "transform":
        body = `C.bad = false; const r = ${ref(def.transform, path)}(v, C); return C.bad ? F : r;`;
        break;
      case "pipe":
        body = `const a = ${node(def.in as Schema, path)}(v); return a === F ? F : ${node(def.out as Schema, path)}(a);`;
        break;
      case "union": // the first option that accepts the value gives the output, as zod's union does
        body = `let r; ${(def.options as readonly Schema[]).map((o, i) => `if ((r = ${node(o, `${path}|${i}`)}(v)) !== F) return r;`).join(" ")} return F;`;
        break;
      case "array":
        body = `if (!Array.isArray(v)) return F; ${checks()} const o = new Array(v.length); for (let i = 0; i < v.length; i++) { const x = ${node(def.element as Schema, `${path}[]`)}(v[i]); if (x === F) return F; o[i] = x; } return o;`;
        break;
      case "object":
        body = object(def, path, checks);
        break;
      default:
        throw new Error(`compileSchema: no compiled form for a ${def.type} schema at ${path || "the root"}`);
    }
    parts.push(`function ${name}(v) { ${body} }`);
    return name;
  };

  /** An object: a plain object with the shape's keys (and, strict, no others), each field parsed in shape order. */
  const object = (def: Def, path: string, checks: () => string): string => {
    const catchall = def.catchall ? defOf(def.catchall as Schema).type : undefined;
    if (catchall !== undefined && catchall !== "never") throw new Error(`compileSchema: no compiled form for an object with a ${catchall} catchall at ${path}`);
    const shape = def.shape as Record<string, Schema>;
    const keys = Object.keys(shape);
    const known = `K${sets++}`;
    parts.push(`const ${known} = new Set(${JSON.stringify(keys)});`);
    let body = `if (typeof v !== "object" || v === null || Array.isArray(v)) return F; const proto = Object.getPrototypeOf(v); if (proto !== Object.prototype && proto !== null) return F; `;
    if (catchall === "never") body += `for (const k in v) if (!${known}.has(k)) return F; `;
    body += "const o = {}; let x; ";
    for (const key of keys) {
      const at = `v[${JSON.stringify(key)}]`;
      const out = `o[${JSON.stringify(key)}]`;
      const p = path ? `${path}.${key}` : key;
      let child = shape[key]!;
      const d = defOf(child);
      // An absent field: nothing (optional), its default (default), or "not sure" (required: zod words it).
      // A field present with the value undefined never comes from JSON, YAML or CSV: not sure.
      let absent = "return F;";
      if (d.type === "optional") {
        child = d.innerType as Schema;
        absent = "";
      } else if (d.type === "default") {
        child = d.innerType as Schema;
        absent = `${out} = ${json(d.defaultValue, p)};`;
      }
      body += `if (${at} === undefined) { if (H.call(v, ${JSON.stringify(key)})) return F; ${absent} } else { if ((x = ${node(child, p)}(${at})) === F) return F; ${out} = x; } `;
    }
    return `${body}v = o; ${checks()} return o;`;
  };

  /** A check on a parsed value: lengths, number formats and bounds, refinements, custom checks. */
  const check = (c: Schema, path: string): string => {
    const d = c._zod.def as unknown as Def & { check: string };
    switch (d.check) {
      case "max_length":
        return `if (v.length > ${Number(d.maximum)}) return F;`;
      case "min_length":
        return `if (v.length < ${Number(d.minimum)}) return F;`;
      case "number_format":
        if (d.format === "safeint") return "if (!Number.isSafeInteger(v)) return F;";
        break;
      case "greater_than":
        return `if (!(v ${d.inclusive ? ">=" : ">"} ${Number(d.value)})) return F;`;
      case "less_than":
        return `if (!(v ${d.inclusive ? "<=" : "<"} ${Number(d.value)})) return F;`;
      case "custom":
        // .refine(fn): fn(value) must hold; .check(fn): fn(payload) pushes the issues it finds.
        if (d.fn) return `if (!${ref(d.fn, path)}(v)) return F;`;
        return `P.value = v; P.issues = []; ${ref((c._zod as { check?: unknown }).check, path)}(P); if (P.issues.length) return F;`;
    }
    throw new Error(`compileSchema: no compiled form for a ${d.check} check at ${path}`);
  };

  const root = node(schema, "");
  const source = [
    '"use strict";',
    "const F = {};", // "not sure"
    "const H = Object.prototype.hasOwnProperty;",
    "const C = { bad: false, addIssue() { C.bad = true; } };", // a transform's context: any issue means not sure
    "const P = { value: undefined, issues: [] };", // a custom check's payload
    ...parts,
    `return function validate(v) { const r = ${root}(v); return r === F ? undefined : r; };`,
  ].join("\n");
  return { source, fns };
}

function scalar(x: unknown, path: string): string {
  if (typeof x === "string" || typeof x === "boolean" || (typeof x === "number" && Number.isFinite(x))) return JSON.stringify(x);
  throw new Error(`compileSchema: no compiled form for the literal ${String(x)} at ${path}`);
}

/** A default value as a literal: a fresh copy at each use, as zod gives. */
function json(x: unknown, path: string): string {
  const text = JSON.stringify(x);
  if (text === undefined || !isPlainJson(x)) throw new Error(`compileSchema: the default at ${path} is not plain JSON`);
  return text;
}

function isPlainJson(x: unknown): boolean {
  if (x === null || typeof x === "string" || typeof x === "boolean") return true;
  if (typeof x === "number") return Number.isFinite(x);
  if (Array.isArray(x)) return x.every(isPlainJson);
  return typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype && Object.values(x as object).every(isPlainJson);
}

/** The validator, compiled now. */
export function instantiate<T>(c: Compiled): (value: unknown) => T | undefined {
  return new Function("fns", c.source)(c.fns) as (value: unknown) => T | undefined;
}

/**
 * The validator as the text of an ES module, for the build: each function is
 * named as an export of `module` (imported from `from`), or as a global such
 * as String. A function that is neither is an error naming it.
 */
export function emitModule(c: Compiled, module: Record<string, unknown>, from: string, exportName: string): string {
  const names = c.fns.map((f) => {
    const found = Object.entries(module).find(([, v]) => v === f)?.[0];
    if (found) return `M.${found}`;
    if (f === String || f === Number || f === Boolean) return f.name;
    throw new Error(`emitModule: a function of the schema is not an export of ${from} (${f.name || "anonymous"}): name it there so the compiled validator can call it`);
  });
  return `import * as M from ${JSON.stringify(from)};\nexport const ${exportName} = (function (fns) {\n${c.source}\n})([${names.join(", ")}]);\n`;
}
