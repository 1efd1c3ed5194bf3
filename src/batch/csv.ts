/**
 * CSV input for `batch`: a header of dotted claim field names, one record per
 * claim (README, "CSV input").
 *
 * - Empty cells are absent fields (the schema's defaults apply).
 * - Cells are text, as the claim schema accepts text for amounts, regions,
 *   levels and ids ("007" stays "007"). Cells of fields that must be numbers
 *   or booleans are converted when they read as one, and otherwise left as
 *   text for the schema to refuse with its usual message:
 *   `insured.retired`, `treatment.emergency`: true/false (any case), 1/0;
 *   `history.admissions`, `format`: digits.
 * - Itemised lines: `items[0].name, items[0].class, items[0].amount,
 *   items[0].prepay, items[1].name, …`; a line whose cells are all empty is
 *   absent.
 */
import { closest } from "../core/suggest.js";
import { DiagnosticsError, EXIT } from "../errors.js";

/** The columns a CSV header may name (besides items[N].name|class|amount|prepay). */
export const CSV_FIELDS = [
  "format",
  "id",
  "date",
  "insured.id",
  "insured.region",
  "insured.scheme",
  "insured.retired",
  "insured.group",
  "treatment.region",
  "treatment.hospital",
  "treatment.level",
  "treatment.kind",
  "treatment.disease",
  "treatment.emergency",
  "filing",
  "route",
  "costs.classA",
  "costs.classB",
  "costs.excluded",
  "costs.prepay",
  "costs.total",
  "history.fundPaid",
  "history.admissions",
  "history.deductiblePaid",
  "history.outpatient.fundPaid",
  "history.outpatient.deductiblePaid",
  "history.chronic.fundPaid",
  "history.chronic.deductiblePaid",
  "history.criticalIllness.base",
  "history.criticalIllness.paid",
] as const;

/** Columns without which no record could be a claim. */
const REQUIRED = ["date", "insured.region", "insured.scheme", "treatment.region", "treatment.level", "treatment.kind"] as const;

const ITEM_FIELDS = ["name", "class", "amount", "prepay"] as const;
const BOOLEAN = new Set(["insured.retired", "treatment.emergency"]);
const INTEGER = new Set(["history.admissions", "format"]);

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
  return l === "true" || l === "1" ? true : l === "false" || l === "0" ? false : c;
};
const toInteger: Convert = (c) => (/^\d{1,15}$/.test(c) ? Number(c) : c);

/** Separators a CSV may have been saved with instead of commas, as a hint names them. */
const SEPARATORS: readonly (readonly [string, string])[] = [
  [";", "semicolons (;)"],
  ["\t", "tabs"],
  ["|", "vertical bars (|)"],
];

/** Reads the header line; an unknown or repeated column is a problem of the file (exit 4). */
export function csvHeader(cells: readonly string[], file: string, line: number): CsvHeader {
  const columns: Column[] = [];
  const seen = new Set<string>();
  const problems: string[] = [];
  cells.forEach((raw, index) => {
    const name = raw.trim();
    const item = /^items(?:\[(\d+)\]|\.(\d+))\.(\w+)$/.exec(name);
    let key = name;
    if (item) {
      const n = Number(item[1] ?? item[2]);
      const f = item[3]!;
      if (!(ITEM_FIELDS as readonly string[]).includes(f) || n > 99_999) {
        problems.push(`unknown column ${JSON.stringify(name)}: an item has ${ITEM_FIELDS.join(", ")}`);
        return;
      }
      key = `items[${n}].${f}`;
      columns.push({ index, path: ["items", n, f] });
    } else if ((CSV_FIELDS as readonly string[]).includes(name)) {
      columns.push({ index, path: name.split("."), ...(BOOLEAN.has(name) ? { convert: toBoolean } : INTEGER.has(name) ? { convert: toInteger } : {}) });
    } else {
      const hint = closest(name, CSV_FIELDS);
      problems.push(`unknown column ${JSON.stringify(name)}${hint ? ` (did you mean ${hint}?)` : ""}`);
      return;
    }
    if (seen.has(key)) problems.push(`column ${JSON.stringify(name)} appears twice`);
    seen.add(key);
  });
  const missing = REQUIRED.filter((r) => !seen.has(r));
  if (missing.length) problems.push(`missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}: every claim needs ${missing.length > 1 ? "them" : "it"}`);
  if (problems.length) {
    // One cell holding the whole header: the file is separated by something else than commas (Excel's semicolons in some locales, tabs).
    const sep = cells.length === 1 ? SEPARATORS.find(([c]) => cells[0]!.includes(c)) : undefined;
    const hint = sep
      ? `the header is separated by ${sep[1]}, and batch reads CSV separated by commas: save the file as CSV with commas (Excel: "CSV UTF-8 (comma delimited)")`
      : `the header names claim fields: ${CSV_FIELDS.join(", ")}, items[N].name|class|amount|prepay`;
    throw new DiagnosticsError(
      problems.map((message) => ({ code: "csv-header", severity: "error" as const, message, file, line, col: 1, hint })),
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
