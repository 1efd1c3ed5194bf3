/**
 * YAML (and JSON, a subset of it) with positions: parse once, keep the
 * Document and its LineCounter, and map any field path back to line:col.
 * Hostile input is bounded: aliases are capped, unknown tags and duplicate
 * keys are errors, only one document per file.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from "yaml";
import type { Diagnostic } from "../diagnostics.js";
import { fieldPath } from "../diagnostics.js";

export interface YamlFile {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lc: LineCounter;
}

export interface Parsed {
  readonly yaml: YamlFile;
  readonly value: unknown;
  readonly diagnostics: Diagnostic[];
}

/** At most this many alias dereferences while building the value ("billion laughs"). */
const MAX_ALIAS_COUNT = 100;

export function parseYaml(file: string, source: string): Parsed {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source; // BOM
  const lc = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lc,
    prettyErrors: false,
    uniqueKeys: false, // checked below in linear time (yaml's own check is quadratic)
    strict: true,
    version: "1.2",
    merge: false,
  });
  const yaml: YamlFile = { file, doc, lc };
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number | undefined) => {
    const p = lc.linePos(offset ?? 0);
    return { line: p.line, col: p.col };
  };
  for (const e of [...doc.errors, ...doc.warnings]) {
    const code = e.code === "DUPLICATE_KEY" ? "duplicate-key" : e.code === "TAG_RESOLVE_FAILED" ? "unknown-tag" : "syntax";
    diagnostics.push({ code, severity: "error", message: yamlMessage(e.code, e.message), file, ...at(e.pos[0]) });
  }
  if (!diagnostics.length) duplicateKeys(yaml, diagnostics);
  if (diagnostics.length) return { yaml, value: undefined, diagnostics };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const m = (e as Error).message;
    const why = /alias/i.test(m) ? `too many aliases (more than ${MAX_ALIAS_COUNT}): refused as a resource-exhaustion attack` : /call stack/i.test(m) ? "nesting too deep" : m;
    diagnostics.push({ code: "syntax", severity: "error", message: `cannot build the document: ${why}`, file, line: 1, col: 1 });
  }
  return { yaml, value, diagnostics };
}

/** A key may appear once in a mapping: one Set per mapping, so n keys cost O(n). */
function duplicateKeys(yaml: YamlFile, out: Diagnostic[]): void {
  visit(yaml.doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const k = pair.key;
        const id = isScalar(k) ? `s:${String(k.value)}` : k === null ? "null" : `n:${String(k)}`;
        if (seen.has(id)) {
          const p = position(yaml, k as Node);
          out.push({ code: "duplicate-key", severity: "error", message: "duplicate key: a key may appear once in a mapping", file: yaml.file, ...p });
          if (out.length >= 100) return visit.BREAK;
        }
        seen.add(id);
      }
      return undefined;
    },
  });
}

function yamlMessage(code: string, message: string): string {
  if (code === "DUPLICATE_KEY") return "duplicate key: a key may appear once in a mapping";
  if (code === "TAG_RESOLVE_FAILED") return `${message}: custom YAML tags are not allowed`;
  if (code === "TAB_AS_INDENT") return "tab used for indentation: indent with spaces";
  if (/call stack/i.test(message)) return "nesting too deep";
  return message.replace(/\s+at line \d+, column \d+.*$/s, "");
}

interface Found {
  readonly key?: Node;
  readonly value?: Node;
  /** The deepest existing node on the way, when the path does not fully exist. */
  readonly nearest: Node;
  readonly complete: boolean;
}

/** Walks a field path through the document: keys compare as strings (so the
 * YAML key 1 matches the path segment "1"). */
export function find(yaml: YamlFile, path: readonly PropertyKey[]): Found {
  let node = yaml.doc.contents as Node | null;
  let key: Node | undefined;
  let nearest: Node = node ?? (yaml.doc as unknown as Node);
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && String(isScalar(p.key) ? p.key.value : p.key) === String(seg));
      if (!pair) return { nearest, complete: false };
      key = pair.key as Node;
      node = pair.value as Node | null;
      nearest = node ?? key;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg] as Node | undefined;
      if (!item) return { nearest, complete: false };
      key = undefined;
      node = item;
      nearest = item;
    } else {
      return { nearest, complete: false };
    }
  }
  return { ...(key ? { key } : {}), ...(node ? { value: node } : {}), nearest, complete: true };
}

export function position(yaml: YamlFile, node: Node | undefined): { line: number; col: number } {
  const offset = node?.range?.[0] ?? 0;
  const p = yaml.lc.linePos(offset);
  return { line: p.line, col: p.col };
}

/** Location of a path's value (or its key with `on: "key"`); for a path that
 * does not exist, the nearest existing parent. */
export function locate(yaml: YamlFile, path: readonly PropertyKey[], on: "key" | "value" = "value"): { line: number; col: number } {
  const f = find(yaml, path);
  if (!f.complete) return position(yaml, f.nearest);
  return position(yaml, on === "key" ? (f.key ?? f.value) : (f.value ?? f.key));
}

export { fieldPath };
