/**
 * JSON claims (a claim file written as JSON, a line of JSON Lines), read by
 * JSON.parse. Three checks it cannot make itself:
 * - a key written twice in an object, where JSON.parse silently keeps the
 *   last (a claim file with a duplicate key is refused);
 * - a number beyond Number.MAX_SAFE_INTEGER, which JSON.parse rounds to the
 *   nearest double: two 18-digit ids would read as one. Node 20's JSON.parse
 *   gives no access to the digits as written, so such a number is refused,
 *   "write it as a string", never read approximately;
 * - nesting deeper than MAX_JSON_DEPTH, which no claim has and which would
 *   exhaust the stack of whatever walks the value next.
 */
import type { Problem } from "../batch/records.js";
import { fieldPath } from "../diagnostics.js";

/** How deep a JSON claim may nest (a claim is 3 deep: items, an item, its fields). */
export const MAX_JSON_DEPTH = 64;

/** What is wrong with a JSON text; `at` is the field the problem is at (none: the text as a whole). */
export interface JsonProblem extends Problem {
  readonly code: "syntax" | "too-deep" | "duplicate-key" | "unsafe-number";
  readonly at?: readonly (string | number)[];
}

/** The value of a JSON text, or the problem with it (`path` "" for the text as a whole). */
export function parseJson(text: string): { value: unknown } | { problem: JsonProblem } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const reason = jsonReason(text, (e as Error).message);
    return { problem: { code: "syntax", path: "", message: `not valid JSON: ${reason}`, zh: { message: `不是有效的 JSON：${reasonZh(reason)}` } } };
  }
  const seen: Scan = { keys: 0, tooDeep: false, unsafe: false };
  scan(value, 0, seen);
  if (seen.tooDeep)
    return { problem: { code: "too-deep", path: "", message: `nesting too deep (more than ${MAX_JSON_DEPTH} levels; a claim has 3): not read`, zh: { message: `嵌套过深（超过 ${MAX_JSON_DEPTH} 层；申报只有 3 层）：未读取` } } };
  // As many keys read as written: no key twice (the usual case, checked cheaply); else find which.
  const dup = keysWritten(text) === seen.keys ? undefined : duplicateKey(text);
  if (dup !== undefined) return { problem: { code: "duplicate-key", path: dup, at: dup.split("."), message: "duplicate key: a key may appear once in an object", zh: { message: "重复的键：一个键在对象中只能出现一次" } } };
  if (seen.unsafe) {
    const at = unsafeAt(value, [])!;
    const read = at.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value) as number;
    return {
      problem: {
        code: "unsafe-number",
        path: fieldPath(at),
        at,
        message: `is a number too large to read exactly (beyond ${Number.MAX_SAFE_INTEGER}; it would read as ${read}): write it as a string, in quotes`,
        zh: { message: `数字过大，无法精确读取（超过 ${Number.MAX_SAFE_INTEGER}；会被读作 ${read}）：请加引号写成文本` },
      },
    };
  }
  return { value };
}

/** JSON.parse's reason in the tool's words: where, as a column (and line), not the engine's 0-based "in JSON at position N". */
function jsonReason(text: string, message: string): string {
  if (/^Unexpected end of JSON input/.test(message)) return "it ends before its value does (an unclosed {, [ or string)";
  const token = /^Unexpected token '(.+?)', .* is not valid JSON$/s.exec(message);
  if (token) return `unexpected ${JSON.stringify(token[1])}`;
  return message.replace(/ in JSON at position (\d+)(?: \(line \d+ column \d+\))?$|(?<= after JSON) at position (\d+)(?: \(line \d+ column \d+\))?$/, (_, a?: string, b?: string) => {
    const at = Number(a ?? b);
    const before = text.slice(0, at);
    const line = before.split("\n").length;
    const col = at - before.lastIndexOf("\n");
    return line > 1 ? ` at line ${line}, column ${col}` : ` at column ${col}`;
  });
}

/** jsonReason in Chinese: where it goes wrong; the engine's own detail stays in the English. */
function reasonZh(reason: string): string {
  if (reason.startsWith("it ends before")) return "在值结束前就结束了（有未闭合的 {、[ 或字符串）";
  const token = /^unexpected (".*")$/.exec(reason);
  if (token) return `意外的 ${token[1]}`;
  const at = /at (?:line (\d+), )?column (\d+)$/.exec(reason);
  return at ? `${at[1] ? `第 ${at[1]} 行` : ""}第 ${at[2]} 列有误` : "格式有误";
}

interface Scan {
  keys: number;
  tooDeep: boolean;
  unsafe: boolean;
}

/** A finite number JSON.parse may have rounded: beyond ±(2^53 − 1) not every integer is a double. */
const unsafe = (v: number): boolean => (v > Number.MAX_SAFE_INTEGER || v < -Number.MAX_SAFE_INTEGER) && Number.isFinite(v);

/** One walk of a parsed value: its keys, numbers that may have been rounded, nesting beyond the bound (not walked). */
function scan(v: unknown, depth: number, s: Scan): void {
  if (typeof v !== "object" || v === null) {
    if (typeof v === "number" && unsafe(v)) s.unsafe = true;
    return;
  }
  if (depth >= MAX_JSON_DEPTH) {
    s.tooDeep = true;
    return;
  }
  if (Array.isArray(v)) {
    for (const x of v) scan(x, depth + 1, s);
    return;
  }
  for (const k in v) {
    s.keys++;
    scan((v as Record<string, unknown>)[k], depth + 1, s);
  }
}

/** The path of the first number `scan` found unsafe (the value is known to be within the depth bound). */
function unsafeAt(v: unknown, path: (string | number)[]): (string | number)[] | undefined {
  if (typeof v === "number") return unsafe(v) ? path : undefined;
  if (typeof v !== "object" || v === null) return undefined;
  for (const k of Array.isArray(v) ? v.keys() : Object.keys(v)) {
    const found = unsafeAt((v as Record<string | number, unknown>)[k], [...path, k]);
    if (found) return found;
  }
  return undefined;
}

/** The keys of the objects of a parsed JSON value (as deep as MAX_JSON_DEPTH). */
export function keysRead(v: unknown): number {
  const s: Scan = { keys: 0, tooDeep: false, unsafe: false };
  scan(v, 0, s);
  return s.keys;
}

/**
 * The keys written in the objects of a valid JSON text. Outside strings, a
 * colon follows a key and nothing else, so this counts the colons between the
 * strings, jumping from quote to quote and colon to colon with indexOf (a
 * native scan: a claim line costs a fraction of a character-by-character
 * loop). Linear: the next colon is looked up once and kept until passed.
 */
export function keysWritten(s: string): number {
  let n = 0;
  let colon = s.indexOf(":");
  let i = 0;
  for (;;) {
    const open = s.indexOf('"', i);
    const end = open < 0 ? s.length : open;
    while (colon >= 0 && colon < end) {
      n++;
      colon = s.indexOf(":", colon + 1);
    }
    if (open < 0) return n;
    // The closing quote: the next one not escaped (preceded by an even number of backslashes).
    let close = open;
    for (;;) {
      close = s.indexOf('"', close + 1);
      if (close < 0) return n; // not valid JSON: the caller parsed it, so never
      let b = close - 1;
      while (s.charCodeAt(b) === 92) b--;
      if ((close - 1 - b) % 2 === 0) break;
    }
    i = close + 1;
    if (colon >= 0 && colon < i) colon = s.indexOf(":", i);
  }
}

/**
 * The path of the first key written twice in one object of a valid JSON text,
 * or undefined: JSON.parse would silently keep the last, where a claim file
 * with a duplicate key is refused. One linear pass over the text.
 */
export function duplicateKey(s: string): string | undefined {
  const objects: { keys: Set<string> | null; path: string; last: string }[] = [];
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) {
      let j = i + 1;
      let escaped = false;
      for (; j < n; j++) {
        const d = s.charCodeAt(j);
        if (d === 92) {
          escaped = true;
          j++;
        } else if (d === 34) break;
      }
      let k = j + 1;
      while (k < n && (s.charCodeAt(k) === 32 || s.charCodeAt(k) === 9 || s.charCodeAt(k) === 13 || s.charCodeAt(k) === 10)) k++;
      const top = objects[objects.length - 1];
      if (top?.keys && s.charCodeAt(k) === 58) {
        const key = escaped ? (JSON.parse(s.slice(i, j + 1)) as string) : s.slice(i + 1, j);
        const path = top.path ? `${top.path}.${key}` : key;
        if (top.keys.has(key)) return path;
        top.keys.add(key);
        top.last = path;
      }
      i = j;
    } else if (c === 123 || c === 91) {
      const parent = objects[objects.length - 1];
      objects.push({ keys: c === 123 ? new Set() : null, path: parent ? parent.last : "", last: parent ? parent.last : "" });
    } else if (c === 125 || c === 93) objects.pop();
  }
  return undefined;
}
