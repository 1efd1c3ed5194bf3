/**
 * JSON claims (a claim file written as JSON, a line of JSON Lines), read by
 * JSON.parse. One check it cannot make itself: a key written twice in an
 * object, where JSON.parse silently keeps the last (a claim file with a
 * duplicate key is refused).
 */
import type { Problem } from "../batch/records.js";

/** The value of a JSON text, or the problem with it (`path` "" for the text as a whole). */
export function parseJson(text: string): { value: unknown } | { problem: Problem } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { problem: { path: "", message: `not valid JSON: ${(e as Error).message}` } };
  }
  // As many keys read as written: no key twice (the usual case, checked cheaply); else find which.
  const dup = keysWritten(text) === keysRead(value) ? undefined : duplicateKey(text);
  if (dup !== undefined) return { problem: { path: dup, message: "duplicate key: a key may appear once in an object" } };
  return { value };
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

/** The keys of the objects of a parsed JSON value. */
export function keysRead(v: unknown): number {
  if (typeof v !== "object" || v === null) return 0;
  let n = 0;
  if (Array.isArray(v)) {
    for (const x of v) n += keysRead(x);
    return n;
  }
  for (const k in v) n += 1 + keysRead((v as Record<string, unknown>)[k]);
  return n;
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
