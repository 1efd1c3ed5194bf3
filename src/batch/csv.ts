/**
 * CSV input for `batch`: a header of claim field names, in English (dotted
 * paths: insured.region) or Chinese (参保地), one record per claim (README,
 * "CSV input"; docs/chinese-and-excel.md lists the columns).
 *
 * - Empty cells are absent fields (the schema's defaults apply).
 * - Cells are text, as the claim schema accepts text for amounts, regions,
 *   levels and ids ("007" stays "007"). Cells are converted where a
 *   spreadsheet writes them otherwise than a claim file does, and otherwise
 *   left as text for the schema to refuse with its usual message:
 *   `insured.retired`, `treatment.emergency`: true/false (any case), 1/0, 是/否;
 *   `history.admissions`, `format`: digits;
 *   `date`: also YYYY/M/D and YYYY-M-D (Excel's), read as YYYY-MM-DD;
 *   amounts: also with a comma every three digits (9,800.00), read without.
 *   This is CSV only: a claim file (YAML, JSON, JSON Lines) writes them plainly.
 * - Itemised lines: `items[0].name, items[0].class, items[0].amount,
 *   items[0].prepay, items[1].name, …` (项目[0].名称, 项目[0].类别, 项目[0].金额,
 *   项目[0].先行自付); a line whose cells are all empty is absent.
 */
import { FIELD_NAMES, ITEM_FIELD_NAMES } from "../claims/fields.js";
import { ungrouped } from "../core/money.js";
import { closest } from "../core/suggest.js";
import { DiagnosticsError, EXIT } from "../errors.js";

/** The columns a CSV header may name (besides the items'), each by its claim field path or its Chinese name (src/claims/fields.ts). */
export const CSV_COLUMNS = FIELD_NAMES;
export type CsvField = keyof typeof CSV_COLUMNS;
export const CSV_FIELDS = Object.keys(CSV_COLUMNS) as CsvField[];

/** An item's columns: items[N].name or 项目[N].名称, and so on. */
const ITEM_COLUMNS = ITEM_FIELD_NAMES;
const ITEM_FIELDS = Object.keys(ITEM_COLUMNS) as (keyof typeof ITEM_COLUMNS)[];

/** A column's field by either of its names. */
const BY_NAME = new Map<string, CsvField>(CSV_FIELDS.flatMap((f) => [[f, f] as const, [CSV_COLUMNS[f], f] as const]));
const ITEM_BY_NAME = new Map<string, string>(ITEM_FIELDS.flatMap((f) => [[f, f] as const, [ITEM_COLUMNS[f], f] as const]));

/** Columns without which no record could be a claim. */
const REQUIRED = ["date", "insured.region", "insured.scheme", "treatment.region", "treatment.level", "treatment.kind"] as const satisfies readonly CsvField[];

type Convert = (cell: string) => unknown;

interface Column {
  readonly index: number;
  /** [section, field] or [field]; items: ["items", n, field]. */
  readonly path: readonly (string | number)[];
  readonly convert?: Convert;
}

export interface CsvHeader {
  readonly columns: readonly Column[];
}

const toBoolean: Convert = (c) => {
  const l = c.toLowerCase();
  return l === "true" || l === "1" || l === "是" ? true : l === "false" || l === "0" || l === "否" ? false : c;
};
const toInteger: Convert = (c) => (/^\d{1,15}$/.test(c) ? Number(c) : c);
/** 2025/4/2 and 2025-4-2 (a spreadsheet's dates) → 2025-04-02; anything else as written. */
const toDate: Convert = (c) => {
  const m = /^(\d{4})([/-])(\d{1,2})\2(\d{1,2})$/.exec(c.trim());
  return m ? `${m[1]}-${m[3]!.padStart(2, "0")}-${m[4]!.padStart(2, "0")}` : c;
};
/** 9,800.00 → 9800.00 (a spreadsheet's thousands separators); badly grouped (1,00,0) as written, for the schema to refuse with a hint. */
const toAmount: Convert = (c) => ungrouped(c.trim()) ?? c;

const CONVERT: Partial<Record<CsvField, Convert>> = {
  "insured.retired": toBoolean,
  "treatment.emergency": toBoolean,
  "history.admissions": toInteger,
  format: toInteger,
  date: toDate,
  ...Object.fromEntries(CSV_FIELDS.filter((f) => /^(costs|history)\./.test(f) && f !== "history.admissions").map((f) => [f, toAmount])),
};
const ITEM_CONVERT: Partial<Record<string, Convert>> = { amount: toAmount, prepay: toAmount };

/** Separators a CSV may have been saved with instead of commas, as a hint names them. */
const SEPARATORS: readonly (readonly [string, string, string])[] = [
  [";", "semicolons (;)", "分号（;）"],
  ["\t", "tabs", "制表符"],
  ["|", "vertical bars (|)", "竖线（|）"],
];

/** Reads the header line; an unknown or repeated column is a problem of the file (exit 4). */
export function csvHeader(cells: readonly string[], file: string, line: number): CsvHeader {
  // A header that is not UTF-8 (GBK, Excel's "CSV" in a Chinese locale): every column would be unknown, in garbled words.
  if (cells.some((c) => c.includes("\uFFFD")))
    throw new DiagnosticsError(
      [{ code: "encoding", severity: "error", message: "the header is not valid UTF-8 (GBK?); save the file as UTF-8 (Excel: \"CSV UTF-8\")", file, line, col: 1, zh: { message: "表头不是有效的 UTF-8（GBK？）：请将文件另存为 UTF-8（Excel：“CSV UTF-8”）" } }],
      EXIT.claim,
    );
  const columns: Column[] = [];
  const seen = new Map<string, string>();
  const problems: { en: string; zh: string }[] = [];
  cells.forEach((raw, index) => {
    const name = raw.trim();
    const item = /^(?:items|项目)(?:\[(\d+)\]|\.(\d+))\.(.+)$/.exec(name);
    let key: string;
    if (item) {
      const n = Number(item[1] ?? item[2]);
      const f = ITEM_BY_NAME.get(item[3]!);
      if (!f || n > 99_999) {
        const hint = closest(item[3]!, ITEM_BY_NAME.keys());
        problems.push({
          en: `unknown column ${JSON.stringify(name)}: an item has ${ITEM_FIELDS.map((x) => `${x} (${ITEM_COLUMNS[x]})`).join(", ")}${hint ? ` (did you mean ${hint}?)` : ""}`,
          zh: `未知的列 ${JSON.stringify(name)}：明细的列有 ${ITEM_FIELDS.map((x) => `${ITEM_COLUMNS[x]}（${x}）`).join("、")}${hint ? `（是否指 ${hint}？）` : ""}`,
        });
        return;
      }
      key = `items[${n}].${f}`;
      columns.push({ index, path: ["items", n, f], ...(ITEM_CONVERT[f] ? { convert: ITEM_CONVERT[f] } : {}) });
    } else {
      const f = BY_NAME.get(name);
      if (!f) {
        const hint = closest(name, BY_NAME.keys());
        problems.push({ en: `unknown column ${JSON.stringify(name)}${hint ? ` (did you mean ${hint}?)` : ""}`, zh: `未知的列 ${JSON.stringify(name)}${hint ? `（是否指 ${hint}？）` : ""}` });
        return;
      }
      key = f;
      columns.push({ index, path: f.split("."), ...(CONVERT[f] ? { convert: CONVERT[f] } : {}) });
    }
    const before = seen.get(key);
    if (before !== undefined)
      problems.push(
        before === name
          ? { en: `column ${JSON.stringify(name)} appears twice`, zh: `列 ${JSON.stringify(name)} 出现了两次` }
          : { en: `columns ${JSON.stringify(before)} and ${JSON.stringify(name)} name the same field (${key})`, zh: `列 ${JSON.stringify(before)} 和 ${JSON.stringify(name)} 指同一字段（${key}）` },
      );
    seen.set(key, name);
  });
  const missing = REQUIRED.filter((r) => !seen.has(r));
  if (missing.length)
    problems.push({
      en: `missing column${missing.length > 1 ? "s" : ""} ${missing.map((m) => `${m} (${CSV_COLUMNS[m]})`).join(", ")}: every claim needs ${missing.length > 1 ? "them" : "it"}`,
      zh: `缺少列 ${missing.map((m) => `${CSV_COLUMNS[m]}（${m}）`).join("、")}：每条申报都需要`,
    });
  if (problems.length) {
    // One cell holding the whole header: the file is separated by something else than commas (Excel's semicolons in some locales, tabs).
    const sep = cells.length === 1 ? SEPARATORS.find(([c]) => cells[0]!.includes(c)) : undefined;
    const hint = sep
      ? { en: `the header is separated by ${sep[1]}, and batch reads CSV separated by commas: save the file as CSV with commas (Excel: "CSV UTF-8 (comma delimited)")`, zh: `表头以${sep[2]}分隔，而 batch 读取以逗号分隔的 CSV：请另存为逗号分隔的 CSV（Excel：“CSV UTF-8（逗号分隔）”）` }
      : { en: `the header names claim fields, by path (insured.region) or Chinese name (参保地): docs/chinese-and-excel.md lists the columns`, zh: "表头写申报字段的路径（insured.region）或中文名（参保地）：各列见 docs/chinese-and-excel.md" };
    // The hint once, on the first problem: not the same sentence under each.
    throw new DiagnosticsError(
      problems.map((p, i) => ({ code: "csv-header", severity: "error" as const, message: p.en, file, line, col: 1, ...(i === 0 ? { hint: hint.en } : {}), zh: { message: p.zh, ...(i === 0 ? { hint: hint.zh } : {}) } })),
      EXIT.claim,
    );
  }
  return { columns };
}

/** One CSV record → a claim value for the schema; undefined when every cell is empty. */
export function csvToClaim(h: CsvHeader, cells: readonly string[]): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  let any = false;
  let items: Record<string, unknown>[] | undefined;
  for (const col of h.columns) {
    const cell = cells[col.index];
    if (cell === undefined || cell === "") continue;
    any = true;
    const v = col.convert ? col.convert(cell) : cell;
    const p = col.path;
    if (p.length === 1) out[p[0] as string] = v;
    else if (p[0] === "items") {
      items ??= [];
      (items[p[1] as number] ??= {})[p[2] as string] = v;
    } else {
      let o = out;
      for (const seg of p.slice(0, -1)) o = (o[seg as string] ??= {}) as Record<string, unknown>;
      o[p[p.length - 1] as string] = v;
    }
  }
  if (!any) return undefined;
  if (items) out.items = items.filter((x) => x !== undefined);
  return out;
}
