/**
 * `reimburse compare CLAIM`: settle one claim under several scenarios and show
 * what each changes against the base (the claim as written, or --base NAME).
 */
import { fieldNameZh } from "../claims/fields.js";
import type { RawClaim } from "../claims/input.js";
import { claimWith, covers, overrideProblem, parseSet, type Override } from "../claims/overrides.js";
import { BASE, checkNames, checkScenarioCount, compareRows, namedScenario, routeScenarios, scenariosFile, varyScenarios, type Scenario, type ScenarioFailure } from "../claims/scenarios.js";
import { ClaimRejectedError, PolicyRefusal, RuleGapError } from "../core/errors.js";
import type { Route, RuleSet } from "../core/model.js";
import { findRegion } from "../core/regions.js";
import { decideRoute } from "../core/route.js";
import { overridesWithIds, withValueIds } from "../core/vocabulary.js";
import { settle } from "../core/settle.js";
import type { Settlement } from "../core/settlement.js";
import { fieldPath } from "../diagnostics.js";
import { DiagnosticsError, EXIT, UsageError } from "../errors.js";
import { COMPARE_COLUMNS, comparisonFailures, comparisonJson, comparisonNotes, comparisonRecord, renderComparison } from "../format/compare.js";
import type { Colors } from "../format/color.js";
import type { Lang } from "../format/labels.js";
import { today } from "../clock.js";
import { loadRules } from "../rules/load.js";
import { JSON_KEYS, settleClaim } from "./calc.js";
import { claimsOf, inputText } from "../batch/input.js";
import type { InputFormat } from "../claims/format.js";
import { outputTarget, STANDARD_OUTPUT, writeWhole } from "../sink.js";
import { bomFor, checkExplain, json, parseFields, pick, records, warn, type Format, type Io } from "./output.js";

export interface CompareOptions {
  readonly rules?: string;
  readonly format: Format;
  readonly lang: Lang;
  readonly color: Colors;
  readonly quiet?: boolean;
  /** `--set path=value`: applied to every scenario, the base included. */
  readonly set?: readonly string[];
  /** `--vary path=v1,v2`: several give the cross product. */
  readonly vary?: readonly string[];
  /** `--scenario name:path=value,…` */
  readonly scenario?: readonly string[];
  /** `--scenarios FILE`: a YAML list of {name, set: {path: value}}. */
  readonly scenarios?: string;
  readonly base?: string;
  readonly fields?: string;
  /** The bar chart under the table (--no-chart). */
  readonly chart?: boolean;
  /** JSON: the steps of each scenario. */
  readonly explain?: boolean;
  /** `-o FILE`: the comparison goes there, written whole at the end; nothing on stdout. */
  readonly output?: string;
  /** `--input-format`: how the claim is read (default: by content, src/claims/format.ts). */
  readonly inputFormat?: InputFormat;
  /** `--bom`: csv/tsv start with a UTF-8 byte-order mark, for Excel. */
  readonly bom?: boolean;
}

/** Top-level keys of each compare JSON element (`--fields` for json). */
export const COMPARE_JSON_KEYS = ["scenario", "set", "base", "delta", ...JSON_KEYS, "error", "problems"] as const;

/**
 * The comparison, and its exit code: 0, or as batch's (src/errors.ts RecordsFailed) when
 * scenarios did not settle: 4 when the rules refused one, else 3 (rule gaps only).
 */
export async function compare(arg: string, o: CompareOptions, io: Io): Promise<{ text: string; exit: number }> {
  if (arg === "-" && o.scenarios === "-") throw new UsageError("standard input (-) can be read once: give the claim or the scenarios file as a path");
  const setArgs = (o.set ?? []).map(parseSet);
  const scenarioArgs: Scenario[] = [
    ...(o.scenarios !== undefined ? readScenarios(o.scenarios, io) : []),
    ...(o.scenario ?? []).map(namedScenario),
    ...varyScenarios(o.vary ?? []),
  ];
  checkScenarioCount(scenarioArgs.length, "--vary, --scenario and --scenarios together");
  checkNames(scenarioArgs);
  const target = o.output !== undefined ? outputTarget(o.output, [arg, ...(o.scenarios !== undefined ? [o.scenarios] : [])]) : STANDARD_OUTPUT;
  const fields = parseFields(o.fields, o.format === "json" ? COMPARE_JSON_KEYS : COMPARE_COLUMNS, o.format);
  checkExplain(o.explain, o.format, ["json"]);
  const bom = bomFor(o.bom, o.format);
  const rules = await loadRules(o.rules);
  const raw = await oneClaim(arg, io, o.inputFormat);
  // Values written by the names the rules give them (filing: 转诊, --set filing=转诊) are read as their ids.
  withValueIds(rules, raw.value);
  const global = overridesWithIds(rules, setArgs);
  const explicit = scenarioArgs.map((s) => ({ ...s, set: overridesWithIds(rules, s.set) }));

  const written = await settleClaim(raw, global, rules);
  const defaults = explicit.length ? { scenarios: [], notes: [] } : routeScenarios(rules, claimWith(raw, global), written.route, (set) => routeOf(raw, [...global, ...set], rules));
  const scenarios = explicit.length ? explicit : defaults.scenarios;
  const rows = compareRows(
    [{ name: BASE, set: [], settlement: written }, ...scenarios.map((s) => ({ ...s, ...settleScenario(raw, global, s, rules) }))],
    o.base ?? BASE,
  );
  const notes = [...defaults.notes.map((n) => n[o.lang]), ...comparisonNotes(rows, o.lang, rules)];
  const failures = comparisonFailures(rows, rules, o.lang);
  const exit = rows.some((r) => r.failure?.kind === "rejected") ? EXIT.claim : rows.some((r) => r.failure) ? EXIT.rules : EXIT.ok;
  const out = bom + (await render());
  if (target.kind === "stdout") return { text: out, exit };
  writeWhole(target, out); // with rows that did not settle too: the comparison stands, as on stdout
  return { text: "", exit };

  async function render(): Promise<string> {
    if (o.format === "table")
      return renderComparison(rows, rules, { lang: o.lang, color: o.color, chart: o.chart !== false, notes: [...failures, ...(o.quiet ? [] : notes)] });
    for (const f of failures) io.stderr?.write(`${o.lang === "zh" ? "错误" : "error"}: ${f}\n`);
    warn(io, !!o.quiet, notes, o.lang);
    if (o.format === "html") {
      const { comparisonPage } = await import("../format/html-compare.js");
      return comparisonPage(rows, rules, { lang: o.lang, notes: [...failures, ...notes] });
    }
    const objs = rows.map((r) => comparisonJson(r, rules, o.lang, !!o.explain || (fields?.includes("steps") ?? false)));
    // Always an array, one element per scenario, the base first.
    if (o.format === "json") return json(objs.map((j) => pick(j, fields)));
    return records(o.format, fields ?? COMPARE_COLUMNS, rows.map((r, i) => comparisonRecord(r, objs[i]!, rules)));
  }
}

/**
 * A scenario's settlement, or why it has none: the rules lack a figure for it,
 * or refuse the claim it makes (a disease off the lists on the scenario's
 * date): a row of its own, the other scenarios still compared. A value the
 * rules do not know in the field the scenario sets (treatment.level=9) is the
 * scenario's mistake, a usage error, as is one that makes the claim invalid
 * (src/claims/overrides.ts claimWith).
 */
function settleScenario(raw: RawClaim, global: readonly Override[], s: Scenario, rules: RuleSet): { settlement: Settlement } | { failure: ScenarioFailure } {
  const overrides = [...global, ...s.set];
  const claim = claimWith(raw, overrides);
  try {
    return { settlement: settle(claim, rules, claim.history, today()) };
  } catch (e) {
    if (e instanceof RuleGapError) return { failure: { kind: "rules", message: e.message, hint: e.hint, ...(e.zh ? { zh: e.zh } : {}) } };
    if (!(e instanceof ClaimRejectedError)) throw e;
    const path = fieldPath(e.path);
    if (!(e instanceof PolicyRefusal) && overrides.some((o) => covers(o.path, path))) throw new UsageError(overrideProblem(overrides, path, `${e.message}${e.hint ? ` (${e.hint})` : ""}`));
    const zh = e.zh && { message: `${fieldNameZh(path)}：${e.zh.message}`, ...(e.zh.hint ? { hint: e.zh.hint } : {}) };
    return { failure: { kind: "rejected", message: `${path}: ${e.message}`, ...(e.hint ? { hint: e.hint } : {}), ...(zh ? { zh } : {}) } };
  }
}

/** The route a claim takes under overrides: its what-if `route`, or the derived one. */
function routeOf(raw: RawClaim, overrides: readonly Override[], rules: RuleSet): Route {
  const c = claimWith(raw, overrides);
  if (c.route) return c.route;
  const insured = findRegion(rules, c.insured.region, ["insured", "region"]);
  const treated = findRegion(rules, c.treatment.region, ["treatment", "region"]);
  return decideRoute(rules, c, insured, treated).route;
}

/**
 * The claim compared: any input of claims (src/batch/input.ts) that holds
 * exactly one. A list, JSON Lines or CSV of several is a usage error (exit 2):
 * the command was given the wrong input, not a wrong claim.
 */
async function oneClaim(arg: string, io: Io, forced?: InputFormat): Promise<RawClaim> {
  const { file, text } = inputText(arg, io);
  const read = await claimsOf(arg, file, text, forced);
  const [entry, ...more] = read.entries;
  if (!entry || more.length)
    throw new UsageError(`compare settles one claim; ${file} holds ${read.entries.length} (${read.format === "csv" ? "CSV records" : read.format === "jsonl" ? "JSON Lines" : "a list"}): compare one of them, or settle them all with reimburse calc or batch`);
  if (entry.problems) throw new DiagnosticsError(entry.problems, EXIT.claim);
  return entry.raw!;
}

function readScenarios(path: string, io: Io): Scenario[] {
  try {
    const { file, text } = inputText(path, io);
    return scenariosFile(file, text);
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(e.message.replace(/^claim file/, "scenarios file").replace("a claim file", "a scenarios file"));
    // Not UTF-8 (GBK), too large: a problem of the command line's file, as its other problems are (exit 2, not the claim's 4).
    if (e instanceof DiagnosticsError && e.exit !== EXIT.usage)
      throw new DiagnosticsError(e.diagnostics.map((d) => ({ ...d, message: d.message.replace("a claim file", "a scenarios file") })), EXIT.usage);
    throw e;
  }
}
