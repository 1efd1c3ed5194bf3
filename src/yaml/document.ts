/**
 * YAML (and JSON, a subset of it) with positions: parse once, keep the
 * Document and its LineCounter, and map any field path back to line:col.
 * Hostile input is bounded: aliases are capped, unknown tags and duplicate
 * keys are errors, only one document per file.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type Pair, type YAMLMap } from "yaml";
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
  let lines: string[] | undefined; // split only when a problem needs them
  const linesAt = (line: number): string => {
    lines ??= text.split("\n");
    return `${lines[line - 2] ?? ""}\n${lines[line - 1] ?? ""}`;
  };
  for (const e of [...doc.errors, ...doc.warnings]) {
    const code = e.code === "DUPLICATE_KEY" ? "duplicate-key" : e.code === "TAG_RESOLVE_FAILED" ? "unknown-tag" : "syntax";
    const where = at(e.pos[0]);
    const hint = code === "syntax" ? syntaxHint(linesAt(where.line)) : undefined;
    const zh = { message: yamlMessageZh(e.code, e.message), ...(hint ? { hint: hint.zh } : {}) };
    diagnostics.push({ code, severity: "error", message: yamlMessage(e.code, e.message), file, ...where, ...(hint ? { hint: hint.en } : {}), zh });
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
    Alias(_, alias) {
      // An alias inside the node it names (`&a [*a]`) makes a cyclic value: no claim or rule has one.
      const target = alias.resolve(yaml.doc);
      const [start] = alias.range ?? [0];
      if (target?.range && start >= target.range[0] && start < target.range[2]) {
        out.push({ code: "syntax", severity: "error", message: `recursive alias *${alias.source}: a value cannot contain itself`, zh: { message: `递归的别名 *${alias.source}：一个值不能包含它自己` }, file: yaml.file, ...position(yaml, alias as unknown as Node) });
        if (out.length >= 100) return visit.BREAK;
      }
      return undefined;
    },
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const k = pair.key;
        if (k !== null && !isScalar(k)) {
          // A list or mapping as a key (`? [a, b]`): no claim or rule has one, and yaml would stringify it.
          out.push({ code: "syntax", severity: "error", message: "a mapping key must be a plain value, not a list or mapping", zh: { message: YAML_ZH.NON_STRING_KEY! }, file: yaml.file, ...position(yaml, k as Node) });
          continue;
        }
        const id = isScalar(k) ? `s:${String(k.value)}` : "null";
        if (seen.has(id)) {
          const p = position(yaml, k as Node);
          out.push({ code: "duplicate-key", severity: "error", message: "duplicate key: a key may appear once in a mapping", file: yaml.file, ...p, zh: { message: `重复的字段 ${JSON.stringify(String(isScalar(k) ? k.value : null))}：一个字段在映射中只能出现一次` } });
          if (out.length >= 100) return visit.BREAK;
        }
        seen.add(id);
      }
      return undefined;
    },
  });
}

/**
 * What a syntax error likely is, when the yaml library's words do not say,
 * from the lines where it was found (that line and the one before): a
 * full-width colon (：, typed with a Chinese input method) is part of the
 * text, not a key's colon.
 */
function syntaxHint(near: string): { en: string; zh: string } | undefined {
  if (near.includes("\uFF1A")) return { en: 'a full-width colon "：" does not separate a key from its value: write an ASCII colon and a space, "key: value"', zh: "全角冒号“：”不能分隔键和值：请写半角冒号加空格，“key: value”" };
  return undefined;
}

function yamlMessage(code: string, message: string): string {
  if (code === "DUPLICATE_KEY") return "duplicate key: a key may appear once in a mapping";
  if (code === "TAG_RESOLVE_FAILED") return `${message}: custom YAML tags are not allowed`;
  if (code === "TAB_AS_INDENT") return "tab used for indentation: indent with spaces";
  if (code === "MULTIPLE_DOCS") return "a second YAML document starts here (after a --- line): a file holds one document; remove the line (several claims are written as a list, each item starting with \"- \")";
  if (/call stack/i.test(message)) return "nesting too deep";
  return message.replace(/\s+at line \d+, column \d+.*$/s, "");
}

/** The YAML problem in Chinese, by the yaml library's error code (its own wording stays in the English message). */
const YAML_ZH: Readonly<Record<string, string>> = {
  ALIAS_PROPS: "别名（*name）不能带锚点或标签",
  BAD_ALIAS: "别名（*name）所指的锚点不存在",
  BAD_DIRECTIVE: "无法识别的 % 指令",
  BAD_DQ_ESCAPE: "双引号字符串中的转义序列无效",
  BAD_INDENT: "缩进不正确",
  BAD_PROP_ORDER: "锚点和标签必须写在值之前",
  BAD_SCALAR_START: "值不能以这个字符开头：请加引号",
  BLOCK_AS_IMPLICIT_KEY: "块结构不能用作键",
  BLOCK_IN_FLOW: "花括号或方括号内不能有块结构",
  DUPLICATE_KEY: "重复的键：一个键在映射中只能出现一次",
  KEY_OVER_1024_CHARS: "键过长（超过 1024 个字符）",
  MISSING_CHAR: "缺少字符（例如未闭合的 }、] 或引号）",
  MULTILINE_IMPLICIT_KEY: "键不能跨行",
  MULTIPLE_ANCHORS: "一个值只能有一个锚点",
  MULTIPLE_DOCS: "这里开始了第二个 YAML 文档（--- 行之后）：一个文件只能有一个文档；请删除该行（多条申报写成列表，每项以 \"- \" 开头）",
  MULTIPLE_TAGS: "一个值只能有一个标签",
  NON_STRING_KEY: "键必须是普通值，不能是列表或映射",
  TAB_AS_INDENT: "缩进用了制表符：请用空格缩进",
  TAG_RESOLVE_FAILED: "不允许自定义 YAML 标签",
  UNEXPECTED_TOKEN: "意外的符号",
  BAD_COLLECTION_TYPE: "集合的类型不正确",
};

function yamlMessageZh(code: string, message: string): string {
  if (/call stack/i.test(message)) return "嵌套过深";
  const close = /end with an? ([}\]])/.exec(message)?.[1]; // a flow collection left open
  return `${YAML_ZH[code] ?? "YAML 语法错误"}${close ? `，或缺少结尾的 ${close}` : ""}`;
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
      const pair = pairOf(node, String(seg));
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

/** The scalar written at `path` in the document, if a scalar is there. */
export function scalarAt(yaml: YamlFile, path: readonly PropertyKey[]): unknown {
  const node = find(yaml, path).value;
  return node && isScalar(node) ? node.value : undefined;
}

/** A mapping with more keys than this is indexed on its first lookup. */
const INDEX_FROM = 16;
/** Key → first pair of each large mapping: locating every key of a mapping of n
 * keys (rules check on a file of 20,000 sources) costs O(n), not O(n²). The
 * documents are never changed after parsing, so the index stays valid. */
const indexes = new WeakMap<YAMLMap, Map<string, Pair>>();
const keyText = (p: Pair): string => String(isScalar(p.key) ? p.key.value : p.key);

function pairOf(map: YAMLMap, seg: string): Pair | undefined {
  if (map.items.length <= INDEX_FROM) return map.items.find((p) => isPair(p) && keyText(p) === seg);
  let index = indexes.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items) if (isPair(p) && !index.has(keyText(p))) index.set(keyText(p), p);
    indexes.set(map, index);
  }
  return index.get(seg);
}

/**
 * Keys named `__proto__` in a built value, located at the key. The value holds
 * them as own properties (the yaml library defines them so), but a zod record
 * skips such a key silently, and an object literal assignment would set a
 * prototype instead of a key: a key that would vanish is refused instead.
 * Walked without recursion; at most `max` reported.
 */
export function reservedKeys(yaml: YamlFile, value: unknown, max = 100): Diagnostic[] {
  const out: Diagnostic[] = [];
  const stack: [unknown, readonly PropertyKey[]][] = [[value, []]];
  const seen = new Set<object>(); // aliases share nodes: visit each once
  while (stack.length && out.length < max) {
    const [v, path] = stack.pop()!;
    if (v === null || typeof v !== "object" || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push([v[i], [...path, i]]);
      continue;
    }
    for (const k of Object.keys(v)) {
      const p = [...path, k];
      if (k === "__proto__")
        out.push({
          code: "invalid-key",
          severity: "error",
          message: 'key "__proto__" is not allowed: it is reserved in JavaScript objects, and the value would be dropped',
          file: yaml.file,
          ...locate(yaml, p, "key"),
          path: fieldPath(p),
        });
      stack.push([(v as Record<string, unknown>)[k], p]);
    }
  }
  return out;
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

/**
 * The part of a document at `path` (a claim in a list of claims), as a
 * document of its own: paths are found from there, and positions are the
 * file's (the same text, the same line counter).
 */
export function partOf(yaml: YamlFile, path: readonly PropertyKey[]): YamlFile {
  const node = find(yaml, path).value ?? null;
  const doc = Object.create(yaml.doc, { contents: { value: node, enumerable: true } }) as Document.Parsed;
  return { file: yaml.file, doc, lc: yaml.lc };
}

/**
 * A document with nothing in it whose every position is `line`, column 1: a
 * record of JSON Lines or CSV, whose problems are located at its line.
 */
export function atLine(file: string, line: number): YamlFile {
  const empty = (emptyDoc ??= parseYaml("", "{}").yaml);
  const lc = Object.create(empty.lc, { linePos: { value: () => ({ line, col: 1 }) } }) as LineCounter;
  return { file, doc: empty.doc, lc };
}
let emptyDoc: YamlFile | undefined;
