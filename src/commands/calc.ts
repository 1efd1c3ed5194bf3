/** `reimburse calc CLAIM… [--set path=value] [--format table|json|csv|tsv]`: parse, settle, render. */
import { claimsOf, inputText } from "../batch/input.js";
import type { InputFormat } from "../claims/format.js";
import { claimOf, readRaw, rejectionDiagnostic, type RawClaim } from "../claims/input.js";
import type { Override } from "../claims/overrides.js";
import { ClaimRejectedError, PolicyRefusal, RuleGapError } from "../core/errors.js";
import type { RuleSet } from "../core/model.js";
import { findRegion } from "../core/regions.js";
import { findDisease, findLevel, overridesWithIds, valueNameHint, withValueIds } from "../core/vocabulary.js";
import { settle } from "../core/settle.js";
import type { Settlement } from "../core/settlement.js";
import { fieldPath, type Diagnostic } from "../diagnostics.js";
import { DiagnosticsError, EXIT, UsageError } from "../errors.js";
import { FLAT_COLUMNS, flatten } from "../format/flat.js";
import { settlementJson, type SettlementJson } from "../format/json.js";
import type { Colors } from "../format/color.js";
import type { Lang } from "../format/labels.js";
import { today } from "../clock.js";
import { loadRules, rulesDirOf } from "../rules/load.js";
import { plain } from "../format/color.js";
import { formatDiagnostics } from "../format/diagnostics.js";
import type { ReceiptInput } from "./receipt.js";
import { fileTarget, outputTarget, STANDARD_OUTPUT, writeWhole } from "../sink.js";
import { bomFor, checkExplain, json, parseFields, pick, records, warn, type Format, type Io } from "./output.js";

export type { Io } from "./output.js";

export interface CalcOptions {
  readonly rules?: string;
  readonly format: Format;
  readonly explain: boolean;
  readonly lang: Lang;
  /** Terminal columns the table fits in. */
  readonly width: number;
  readonly color: Colors;
  /** `--set path=value`, applied to every claim. */
  readonly set?: readonly string[];
  /** `--fields a,b,c`: csv/tsv columns or json keys. */
  readonly fields?: string;
  /** No warnings on standard error, none under the table. */
  readonly quiet?: boolean;
  /** Print what settled, report the rest, exit as batch does. */
  readonly keepGoing?: boolean;
  /** `--receipt FILE`: what the run read and used (src/commands/receipt.ts). */
  readonly receipt?: string;
  /** `-o FILE`: the result goes there, written whole once everything has succeeded; nothing on stdout. */
  readonly output?: string;
  /** `--input-format`: how every input is read (default: by content, src/claims/format.ts). */
  readonly inputFormat?: InputFormat;
  /** `--bom`: csv/tsv start with a UTF-8 byte-order mark, for Excel. */
  readonly bom?: boolean;
}

/** The top-level keys of the JSON settlement (`--fields` for json). */
export const JSON_KEYS = [
  "schemaVersion", "id", "date", "payable", "personal", "route", "routeForced", "insured", "treatment",
  "breakdown", "criticalIllness", "lines", "steps", "warnings", "figures", "ledger", "rules",
] as const satisfies readonly (keyof SettlementJson)[];
// Every key of the JSON object is listed above (a compile error otherwise).
const everyKey: Exclude<keyof SettlementJson, (typeof JSON_KEYS)[number]> extends never ? true : never = true;
void everyKey;

/** csv/tsv of calc: the shared flat columns, then the claim file. */
export const CALC_COLUMNS = [...FLAT_COLUMNS, "file"] as const;

/** Settles one claim text, turning every problem into located diagnostics (exit 4). */
export function settleText(file: string, text: string, rules: RuleSet, overrides: readonly Override[] = []): Promise<Settlement> {
  return settleClaim(readRaw(file, text), overrides, rules);
}

/** The claim of a file under overrides (--set, compare's scenarios); with none, the quick way (src/claims/input.ts). */
async function claimUnder(raw: RawClaim, overrides: readonly Override[]) {
  if (!overrides.length) return claimOf(raw);
  const { claimWith } = await import("../claims/overrides.js");
  return claimWith(raw, overrides);
}

/**
 * Settles a claim under overrides. The claim's own problems are located
 * diagnostics (exit 4); a problem the overrides cause is a usage error naming
 * the override (exit 2): the command line is wrong, not the file.
 */
export async function settleClaim(raw: RawClaim, given: readonly Override[], rules: RuleSet): Promise<Settlement> {
  // Values written by the names the rules give them (scheme: 职工医保, --set filing=转诊) are read as their ids.
  withValueIds(rules, raw.value);
  const overrides = overridesWithIds(rules, given);
  let claim;
  try {
    claim = await claimUnder(raw, overrides);
  } catch (e) {
    // The file does not read as a claim: with its shape problems, say which of its names the rules do not know.
    if (e instanceof DiagnosticsError && e.exit === EXIT.claim) throw new DiagnosticsError([...e.diagnostics.map((d) => withNameHint(d, raw, rules)), ...unknownNames(raw, rules, e.diagnostics)], EXIT.claim);
    throw e;
  }
  try {
    return settle(claim, rules, claim.history, today());
  } catch (e) {
    if (!(e instanceof ClaimRejectedError)) throw e;
    const path = fieldPath(e.path);
    if (overrides.length) {
      const { covers, overrideProblem } = await import("../claims/overrides.js");
      if (!(e instanceof PolicyRefusal) && (overrides.some((o) => covers(o.path, path)) || (await settles(raw, rules)))) throw new UsageError(overrideProblem(overrides, path, `${e.message}${e.hint ? ` (${e.hint})` : ""}`));
    }
    throw new DiagnosticsError([rejectionDiagnostic(raw, e)], EXIT.claim);
  }
}

/**
 * The regions, level and disease of a claim that does not read as a claim
 * (some other field is wrong) which the rules would refuse once it does:
 * reported with the rest, so one run shows every problem. A field the schema
 * already faults is left to that fault.
 */
function unknownNames(raw: RawClaim, rules: RuleSet, known: readonly Diagnostic[]): Diagnostic[] {
  const checks: [readonly string[], (v: string) => unknown][] = [
    [["insured", "region"], (v) => findRegion(rules, v, ["insured", "region"])],
    [["treatment", "region"], (v) => findRegion(rules, v, ["treatment", "region"])],
    [["treatment", "level"], (v) => findLevel(rules, v)],
    [["treatment", "disease"], (v) => findDisease(rules, v)],
  ];
  const out: Diagnostic[] = [];
  for (const [path, check] of checks) {
    const name = fieldPath(path as string[]);
    if (known.some((d) => d.path === name || d.path?.startsWith(`${name}.`))) continue;
    let v: unknown = raw.value;
    for (const seg of path) v = v && typeof v === "object" && Object.hasOwn(v, seg) ? (v as Record<string, unknown>)[seg] : undefined;
    if (typeof v !== "string" && typeof v !== "number") continue;
    try {
      check(String(v).trim());
    } catch (e) {
      if (e instanceof ClaimRejectedError) out.push(rejectionDiagnostic(raw, e));
      else throw e;
    }
  }
  return out;
}

/** A value the schema refused, written in Chinese: the closest of the names the rules give (职工保险 → 职工医保). */
function withNameHint(d: Diagnostic, raw: RawClaim, rules: RuleSet): Diagnostic {
  const hint = d.path !== undefined && !d.hint ? valueNameHint(rules, raw.value, d.path) : undefined;
  return hint ? { ...d, hint: hint.en, zh: { message: d.zh?.message ?? d.message, hint: hint.zh } } : d;
}

async function settles(raw: RawClaim, rules: RuleSet): Promise<boolean> {
  try {
    settle(await claimOf(raw), rules);
    return true;
  } catch {
    return false;
  }
}

interface Settled {
  readonly results: { file: string; settlement: Settlement }[];
  /** Every failing claim's problems, a rule gap naming its claim file. */
  readonly problems: Diagnostic[];
  /** A claim was invalid or refused (exit 4), not only short of a rule figure (3). */
  claimInvalid: boolean;
  readonly inputs: ReceiptInput[];
  /** The claims read (a file that does not read counts as one). */
  claims: number;
  /** An input of several claims by nature (a list, JSON Lines, CSV): the JSON is an array, even of one. */
  many: boolean;
}

/**
 * Settles every claim of the call, so one bad claim does not hide the others:
 * each file's, and each of a list, JSON Lines or CSV (src/batch/input.ts), as
 * if each were a file of its own.
 */
async function settleAll(args: readonly string[], overrides: readonly Override[], rules: RuleSet, io: Io, receipt: boolean, forced?: InputFormat): Promise<Settled> {
  const s: Settled = { results: [], problems: [], claimInvalid: false, inputs: [], claims: 0, many: false };
  // A failure of one claim: reported with the others, or (one claim file alone) thrown as it is.
  const failed = (e: unknown, file: string, alone: boolean): void => {
    // A rule gap names the claim it stopped, as every other problem of a claim does: `FILE error rule-gap message (hint)`.
    if (e instanceof RuleGapError) s.problems.push({ code: "rule-gap", severity: "error", message: e.message, file, line: 0, col: 0, hint: e.hint, ...(e.zh ? { zh: e.zh } : {}) });
    else if (alone) throw e;
    else if (e instanceof DiagnosticsError && e.exit === EXIT.claim) {
      s.problems.push(...e.diagnostics);
      s.claimInvalid = true;
    } else throw e;
  };
  for (const a of args) {
    let read;
    try {
      const input = inputText(a, io);
      if (receipt) s.inputs.push((await import("./receipt.js")).inputOf(input.file, input.text));
      read = await claimsOf(a, input.file, input.text, forced);
    } catch (e) {
      s.claims++;
      failed(e, a === "-" ? "<stdin>" : a, args.length === 1);
      continue;
    }
    if (read.many) s.many = true;
    for (const entry of read.entries) {
      s.claims++;
      if (entry.problems) {
        failed(new DiagnosticsError(entry.problems, EXIT.claim), entry.label, false);
        continue;
      }
      try {
        s.results.push({ file: entry.label, settlement: await settleClaim(entry.raw!, overrides, rules) });
      } catch (e) {
        failed(e, entry.label, args.length === 1 && !read.many);
      }
    }
  }
  if (!s.claims) throw new UsageError(`no claims in ${args.map((a) => (a === "-" ? "<stdin>" : a)).join(", ")}`);
  return s;
}

/**
 * The results of the call, and its exit code. A claim that fails fails the
 * call, with nothing on stdout, exit 4 if any claim is invalid, else 3 — or,
 * with --keep-going, the claims that settled are printed, the others reported
 * on standard error, and the exit code is batch's (3 or 4).
 */
export async function calc(args: readonly string[], o: CalcOptions, io: Io): Promise<{ text: string; exit: number }> {
  if (!args.length) throw new UsageError("give a claim file (or - for standard input)");
  if (args.filter((a) => a === "-").length > 1) throw new UsageError("standard input (-) can be read once");
  const target = o.output !== undefined ? outputTarget(o.output, args) : STANDARD_OUTPUT;
  const receiptTo = o.receipt !== undefined ? fileTarget(o.receipt, args, "--receipt") : undefined;
  const overrides = o.set?.length ? (await import("../claims/overrides.js")).parseSets(o.set) : [];
  const fields = parseFields(o.fields, o.format === "json" ? JSON_KEYS : CALC_COLUMNS, o.format);
  checkExplain(o.explain, o.format, ["table", "json", "html"]);
  const bom = bomFor(o.bom, o.format);
  const rules = await loadRules(o.rules);
  const settled = await settleAll(args, overrides, rules, io, o.receipt !== undefined, o.inputFormat);
  const exit = settled.problems.length ? (settled.claimInvalid ? EXIT.claim : EXIT.rules) : EXIT.ok;
  if (exit && !o.keepGoing) throw new DiagnosticsError(settled.problems, exit);
  if (exit) io.stderr?.write(formatDiagnostics(settled.problems, plain, o.lang) + "\n");
  const text = bom + (await render(settled.results, settled.many, rules, o, fields, io));
  if (target.kind !== "stdout") writeWhole(target, text);
  // The receipt comes last: it records a run whose result was written (to stdout, once the CLI prints it).
  if (receiptTo) {
    const { writeReceipt } = await import("./receipt.js");
    const records = settled.claims;
    writeReceipt(receiptTo, { rules, rulesDir: rulesDirOf(o.rules), inputs: settled.inputs, dates: settled.results.map((r) => r.settlement.date), results: { records, settled: settled.results.length, failed: records - settled.results.length } });
  }
  return { text: target.kind === "stdout" ? text : "", exit };
}

async function render(results: Settled["results"], many: boolean, rules: RuleSet, o: CalcOptions, fields: string[] | undefined, io: Io): Promise<string> {
  if (!results.length) return "";
  if (o.format === "table") {
    const color = o.color;
    const { renderSettlement } = await import("../format/table.js");
    return results
      .map(({ settlement: s }) => renderSettlement(o.quiet ? { ...s, warnings: [] } : s, rules, { lang: o.lang, color, explain: o.explain, width: o.width }))
      .join("\n");
  }
  if (o.format === "html") {
    // The slip always shows its steps and warnings; --quiet keeps them off standard error only.
    warn(io, !!o.quiet, results.flatMap((r) => r.settlement.warnings.map((w) => `${r.file}: ${w[o.lang]}`)), o.lang);
    const { slipPage } = await import("../format/html.js");
    return slipPage(results.map((r) => r.settlement), rules, o.lang);
  }
  // The steps are in the JSON with --explain, or when --fields asks for them.
  const explain = o.explain || (fields?.includes("steps") ?? false);
  const objs = results.map((r) => ({ file: r.file, json: settlementJson(r.settlement, rules, o.lang, explain) }));
  warn(io, !!o.quiet, objs.flatMap((r) => r.json.warnings.map((w) => `${r.file}: ${w.message}`)), o.lang);
  if (o.format === "json") {
    // One claim: one object (`jq .payable`); several (files, or a list, JSON Lines, CSV): an array in input order.
    const picked = objs.map((r) => pick(r.json, fields));
    return json(picked.length === 1 && !many ? picked[0] : picked);
  }
  return records(
    o.format,
    fields ?? CALC_COLUMNS,
    results.map((r) => ({ ...flatten(r.settlement, rules), file: r.file })),
  );
}
