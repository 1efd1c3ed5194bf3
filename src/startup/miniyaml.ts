/**
 * A reader for the plain subset of YAML that claim files are written in —
 * block mappings, block sequences of mappings, plain and simply quoted
 * scalars, comments — so that `calc` on a typical claim does not load the
 * yaml library (about 15 ms of a ~100 ms start-up).
 *
 * It returns what the yaml library (YAML 1.2, core schema, as
 * src/yaml/document.ts reads it) returns for the same text, or `undefined`
 * for anything outside the subset or in doubt: tabs, CR, flow collections,
 * anchors, tags, block scalars, multi-line scalars, escapes, duplicate keys,
 * numbers in forms other than -12 and 12.5, True/NULL spellings… The caller
 * then goes the usual way, through the yaml library, which also words every
 * error. test/batch/miniyaml.test.ts checks the agreement on generated texts.
 */

// The core schema's patterns (yaml/dist/schema/core): a plain scalar matching
// one is not a string.
const CORE_NULL = /^(?:~|[Nn]ull|NULL)?$/;
const CORE_BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const CORE_INT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const CORE_FLOAT = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/;
// The forms read here; any other number form is left to the library. No sign: a claim has no
// negative number, and the CLI reads -0 as written (src/claims/load.ts numbersAsWritten), not as 0.
const INT = /^(?:0|[1-9][0-9]{0,14})$/;
const FLOAT = /^(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}$/;
const KEY = /^([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?$/;
/** Control characters, BOMs inside, surrogates: the library's business. */
const ODD = /[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ud800-\udfff]/;

class Outside {}
const OUTSIDE = new Outside();

interface Line {
  readonly indent: number;
  readonly text: string; // without indentation and trailing spaces; comments still in
}

export function miniYaml(source: string): unknown {
  try {
    return read(source);
  } catch (e) {
    if (e === OUTSIDE) return undefined;
    throw e;
  }
}

function read(source: string): unknown {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  if (text.includes("\t") || text.includes("\r") || ODD.test(text)) throw OUTSIDE;
  const lines: Line[] = [];
  for (const raw of text.split("\n")) {
    const trimmed = raw.trimEnd();
    let indent = 0;
    while (trimmed.charCodeAt(indent) === 32) indent++;
    const body = trimmed.slice(indent);
    if (body === "" || body.startsWith("#")) continue;
    if (indent === 0 && (body.startsWith("---") || body.startsWith("...") || body.startsWith("%"))) throw OUTSIDE;
    lines.push({ indent, text: body });
  }
  if (!lines.length || lines[0]!.indent !== 0) throw OUTSIDE;
  const p = { lines, i: 0 };
  const value = block(p, 0);
  if (p.i !== lines.length) throw OUTSIDE;
  if (!isMapping(value)) throw OUTSIDE;
  return value;
}

function isMapping(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

interface P {
  readonly lines: readonly Line[];
  i: number;
}

/** The block (mapping or sequence) whose lines start at exactly `indent`. */
function block(p: P, indent: number): unknown {
  const first = p.lines[p.i]!;
  if (first.indent !== indent) throw OUTSIDE;
  return first.text === "-" || first.text.startsWith("- ") ? sequence(p, indent) : mapping(p, indent, undefined);
}

/** A mapping at `indent`; `firstText` is its first entry when it opens a sequence item ("- key: v"). */
function mapping(p: P, indent: number, firstText: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let text = firstText;
  if (text === undefined) text = p.lines[p.i++]!.text;
  for (;;) {
    const m = KEY.exec(text);
    if (!m) throw OUTSIDE;
    const key = m[1]!;
    if (Object.prototype.hasOwnProperty.call(out, key) || key === "__proto__" || CORE_NULL.test(key) || CORE_BOOL.test(key)) throw OUTSIDE;
    const rest = m[2] === undefined ? "" : stripComment(m[2]);
    if (rest === "") {
      // A nested block: more indented, or a sequence at the same indentation ("items:\n- …").
      const next = p.lines[p.i];
      if (next && (next.indent > indent || (next.indent === indent && (next.text === "-" || next.text.startsWith("- "))))) out[key] = block(p, next.indent);
      else out[key] = null;
    } else {
      out[key] = scalar(rest);
      const next = p.lines[p.i];
      if (next && next.indent > indent) throw OUTSIDE; // a multi-line scalar, or worse
    }
    const next = p.lines[p.i];
    if (!next || next.indent < indent) return out;
    if (next.indent > indent) throw OUTSIDE;
    if (next.text === "-" || next.text.startsWith("- ")) {
      // A sequence at the same indentation ends a mapping only when the mapping is a sequence item.
      if (firstText !== undefined) return out;
      throw OUTSIDE;
    }
    text = next.text;
    p.i++;
  }
}

function sequence(p: P, indent: number): unknown[] {
  const out: unknown[] = [];
  for (;;) {
    const line = p.lines[p.i]!;
    if (line.text === "-") throw OUTSIDE; // an item on the following lines: leave it to the library
    let spaces = 1;
    while (line.text.charCodeAt(spaces) === 32) spaces++;
    const item = line.text.slice(spaces);
    p.i++;
    if (item.startsWith("- ") || item === "-" || item.startsWith("#")) throw OUTSIDE;
    if (KEY.test(item)) out.push(mapping(p, indent + spaces, item));
    else {
      out.push(scalar(stripComment(item)));
      const next = p.lines[p.i];
      if (next && next.indent > indent) throw OUTSIDE;
    }
    const next = p.lines[p.i];
    if (!next || next.indent < indent) return out;
    if (next.indent > indent || !(next.text === "-" || next.text.startsWith("- "))) {
      if (next.indent === indent) return out; // a sibling key of the mapping holding this compact sequence
      throw OUTSIDE;
    }
  }
}

/** A value's text without a trailing comment (" #…"); quoted values keep their quotes. */
function stripComment(v: string): string {
  const q = v[0];
  if (q === '"' || q === "'") {
    const end = v.indexOf(q, 1);
    if (end < 0) throw OUTSIDE;
    const after = v.slice(end + 1);
    if (after !== "" && !/^ +(#.*)?$/.test(after)) throw OUTSIDE;
    return v.slice(0, end + 1);
  }
  const hash = v.indexOf(" #");
  return (hash < 0 ? v : v.slice(0, hash)).trimEnd();
}

/** A one-line flow mapping of plain scalars: {name: x, class: A, amount: 12.5}. */
function flowMapping(v: string): Record<string, unknown> {
  const inner = v.slice(1, -1);
  if (/[{}[\]"'#]/.test(inner)) throw OUTSIDE;
  const out: Record<string, unknown> = {};
  if (inner.trim() === "") return out;
  for (const part of inner.split(",")) {
    const m = /^ *([A-Za-z_][A-Za-z0-9_-]*): +(.*?) *$/.exec(part);
    if (!m || m[2] === "") throw OUTSIDE;
    const key = m[1]!;
    if (Object.prototype.hasOwnProperty.call(out, key) || key === "__proto__" || CORE_NULL.test(key) || CORE_BOOL.test(key)) throw OUTSIDE;
    out[key] = scalar(m[2]!);
  }
  return out;
}

function scalar(v: string): unknown {
  const q = v[0];
  if (q === "{" && v.endsWith("}")) return flowMapping(v);
  if (q === '"') {
    const s = v.slice(1, -1);
    if (s.includes("\\") || s.includes('"')) throw OUTSIDE;
    return s;
  }
  if (q === "'") {
    const s = v.slice(1, -1);
    if (s.includes("'")) throw OUTSIDE;
    return s;
  }
  if (v === "true") return true;
  if (v === "false") return false;
  if (INT.test(v)) return Number(v);
  if (FLOAT.test(v)) return Number(v);
  if (CORE_NULL.test(v) || CORE_BOOL.test(v) || CORE_INT.test(v) || CORE_FLOAT.test(v)) throw OUTSIDE;
  // A plain string: no indicator first, no ": " inside, no ":" last.
  if ("-?:,[]{}#&*!|>'\"%@`".includes(v[0]!)) throw OUTSIDE;
  if (v.includes(": ") || v.endsWith(":") || v.includes(" #")) throw OUTSIDE;
  return v;
}
