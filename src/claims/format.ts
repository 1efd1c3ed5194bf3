/**
 * The format of an input of claims, decided here and nowhere else (docs/input.md):
 * `calc`, `compare`, `batch` and `rules diff --claims` all ask this function.
 *
 * - yaml, json: one document, holding one claim or a list of claims;
 * - jsonl: JSON Lines, one claim per line;
 * - csv: a header of claim fields, one claim per record.
 *
 * `--input-format` forces one. Otherwise the content decides, from its first
 * line that is not blank; where the content does not say (an empty input, one
 * line of one JSON object, a line of one word) the name's extension does, and
 * failing that the command's own default.
 */
import { parseJson } from "./json.js";

export const INPUT_FORMATS = ["yaml", "json", "jsonl", "csv"] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** How messages name each format. */
export const FORMAT_NAMES: { readonly [f in InputFormat]: string } = { yaml: "YAML", json: "JSON", jsonl: "JSON Lines", csv: "CSV" };

/** Whether claims of this format are a document read whole (else a stream of records). */
export const isDocument = (f: InputFormat): f is "yaml" | "json" => f === "yaml" || f === "json";

const BY_EXTENSION: readonly (readonly [RegExp, InputFormat])[] = [
  [/\.ya?ml$/i, "yaml"],
  [/\.json$/i, "json"],
  [/\.(jsonl|ndjson)$/i, "jsonl"],
  [/\.(csv|tsv)$/i, "csv"],
];

export interface FormatChoice {
  /** `--input-format`, when given: it wins. */
  readonly forced?: InputFormat;
  /** Where neither content nor extension says: the command's own default. */
  readonly fallback: InputFormat;
  /** `head` is the whole input (so its first line is whole even without a newline). */
  readonly whole: boolean;
}

/**
 * The format of the input named `name` (a path, or "-" for standard input)
 * whose text starts with `head` (a UTF-8 BOM allowed).
 */
export function inputFormat(name: string, head: string, o: FormatChoice): InputFormat {
  if (o.forced) return o.forced;
  return byContent(head, o.whole) ?? BY_EXTENSION.find(([re]) => re.test(name))?.[1] ?? o.fallback;
}

/** What the content says, or undefined when it does not say. */
export function byContent(head: string, whole: boolean): InputFormat | undefined {
  let start = head.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    const nl = head.indexOf("\n", start);
    const complete = nl >= 0 || whole;
    const line = head.slice(start, nl < 0 ? head.length : nl).trim();
    if (!line) {
      if (nl < 0) return undefined; // blank, or nothing
      start = nl + 1;
      continue;
    }
    const c = line[0]!;
    if (c === "[") return "json"; // a list of claims (JSON, or a YAML flow list: read as one document either way)
    if (c === "{") {
      if (!complete) return "jsonl"; // a first line longer than what was read: no pretty-printed document starts so
      const rest = nl < 0 ? "" : head.slice(nl + 1).trim();
      // A document over several lines (JSON, or YAML flow), unless the next line starts an object again:
      // a pretty-printed document's next line is indented or a key; JSON Lines' next record starts with {.
      if (!isJsonValue(line)) return rest.startsWith("{") && head[nl + 1] === "{" ? "jsonl" : "json";
      return rest ? "jsonl" : undefined; // nothing follows a JSON document; alone, one object on one line is JSON, or JSON Lines of one record
    }
    if (/[\x00-\x08\x0b-\x1f\x7f\uFFFD]/.test(line)) return undefined; // not text (binary, or not UTF-8): nothing to tell by
    if (c === "#" || c === "-" || c === "%" || YAML_KEY.test(line)) return "yaml"; // a comment, a list item, `---`, a directive, `key: value`
    if (/[,;\t|]/.test(line)) return "csv"; // a header (separated by commas, or by something else the CSV reader will name)
    return undefined;
  }
}

/** `key:` then a space or the end of the line: a YAML mapping (a CSV header has no such colon). */
const YAML_KEY = /^("[^"]*"|'[^']*'|[^\s"',{}[\]][^:]*?)\s*:(\s|$)/;

/** Whether a text is one JSON value (a key written twice, or a number too large, is still JSON: refused later, located). */
function isJsonValue(s: string): boolean {
  const r = parseJson(s);
  return "value" in r || r.problem.code !== "syntax";
}
