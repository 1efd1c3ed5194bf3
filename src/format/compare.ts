/**
 * A comparison of scenarios: the table (one row per scenario, with the deltas
 * against the base), the bar chart of what the fund pays, the notes; and the
 * JSON and flat records of the same rows. Returns strings and plain data.
 */
import { levelZh } from "../core/figure-words.js";
import type { Colors } from "./color.js";
import Table from "cli-table3";
import { fieldNameZh } from "../claims/fields.js";
import { BASE, type ComparedRow, type ScenarioFailure, type SettledRow } from "../claims/scenarios.js";
import { formatYuan, toYuan, type Fen } from "../core/money.js";
import { ROUTE_NAMES, type Route, type RuleSet } from "../core/model.js";
import { own } from "../core/own.js";
import { valueFieldAt } from "../core/vocabulary.js";
import type { Settlement } from "../core/settlement.js";
import { barChart } from "./chart.js";
import { claimHeadline } from "./table.js";
import { FLAT_COLUMNS, flatten, type FlatRecord } from "./flat.js";
import { SCHEMA_VERSION, settlementJson } from "./json.js";
import type { Lang } from "./labels.js";

const LABELS = {
  scenario: { en: "Scenario", zh: "情形" },
  changes: { en: "Changes", zh: "变更" },
  asWritten: { en: "(as written)", zh: "（未变更）" },
  base: { en: BASE, zh: "原结算单" },
  route: { en: "Route", zh: "结算路径" },
  payable: { en: "Fund pays", zh: "统筹基金支付" },
  criticalIllness: { en: "大病保险 pays", zh: "大病保险支付" },
  personal: { en: "Person pays", zh: "个人负担" },
  deltaFund: { en: "Δ fund", zh: "基金差额" },
  deltaPersonal: { en: "Δ person", zh: "个人差额" },
  chart: { en: "Fund pays, by scenario (yuan)", zh: "统筹基金支付（元，按情形）" },
  notes: { en: "Notes", zh: "说明" },
  vs: { en: "vs", zh: "对比" },
  rules: { en: "no rule", zh: "无规则" },
  rejected: { en: "refused", zh: "不予结算" },
} as const;

/** Each scenario that did not settle: "scenario: message (hint)", in Chinese where the core gives it. Errors: printed even with --quiet. */
export function comparisonFailures(rows: readonly ComparedRow[], rules: RuleSet, lang: Lang = "en"): string[] {
  return rows.flatMap((r) => {
    if (!r.failure) return [];
    const zh = lang === "zh" ? r.failure.zh : undefined;
    const hint = zh?.hint ?? r.failure.hint;
    return [zh ? `${scenarioName(r, rules, lang)}：${zh.message}${hint ? `（${hint}）` : ""}` : `${r.name}: ${r.failure.message}${hint ? ` (${hint})` : ""}`];
  });
}

export interface ComparisonOptions {
  readonly lang: Lang;
  readonly color: Colors;
  readonly chart: boolean;
  readonly notes: readonly string[];
}

/** "+500.00", "−1,000.00", "0.00". */
export function signedYuan(fen: Fen): string {
  return fen > 0 ? `+${formatYuan(fen)}` : fen < 0 ? `−${formatYuan(-fen)}` : formatYuan(0);
}

export function changesText(row: Pick<ComparedRow, "set">): string {
  return row.set.map((o) => `${o.path}=${o.text}`).join(" ");
}

/**
 * The changes of a row for people reading `lang`: in Chinese, each field by
 * its Chinese name (备案类型) and each value the rules name (异地转诊, 二级,
 * 是) by that name; anything else (a code, an amount) as written.
 */
export function changesIn(row: Pick<ComparedRow, "set">, rules: RuleSet, lang: Lang): string {
  if (lang !== "zh") return changesText(row);
  const value = (o: ComparedRow["set"][number]): string => {
    const field = valueFieldAt(o.segments);
    if (field && typeof o.value === "string") return own(rules.values[field], o.value)?.zh ?? o.text;
    if (o.path === "treatment.level") return own(rules.levels, String(o.value)) ? levelZh(rules, String(o.value)) : o.text;
    return typeof o.value === "boolean" ? (o.value ? "是" : "否") : o.text;
  };
  return row.set.map((o) => `${fieldNameZh(o.path)}=${value(o)}`).join(" ");
}

/** A row's name for people reading `lang`: a name made from the route or the changes is said in that language; a name given is as given. */
export function scenarioName(row: Pick<ComparedRow, "name" | "set" | "made">, rules: RuleSet, lang: Lang): string {
  if (lang !== "zh") return row.name;
  if (row.name === BASE && !row.set.length) return LABELS.base.zh;
  if (row.made === "route") return ROUTE_NAMES[row.name as Route]?.zh ?? row.name;
  if (row.made === "changes") return changesIn(row, rules, lang);
  return row.name;
}

export function renderComparison(rows: readonly ComparedRow[], rules: RuleSet, o: ComparisonOptions): string {
  const { lang, color: c } = o;
  const L = (k: keyof typeof LABELS) => LABELS[k][lang];
  const base = rows.find((r) => r.isBase)!;
  const first = (rows.find((r) => r.settlement) as SettledRow).settlement; // the claim as written always settles
  const out: string[] = [claimHeadline(first, rules, lang, c)];
  const name = (r: ComparedRow) => scenarioName(r, rules, lang);
  const vs = `${L("vs")} ${name(base)}`;
  // A 大病保险 column where some scenario has the layer (the person's share is after it either way).
  const layered = rows.some((r) => r.settlement?.critical);
  const ci = (s: Settlement): string[] => (layered ? [formatYuan(s.critical?.payable ?? 0)] : []);
  const t = new Table({
    head: [L("scenario"), L("changes"), L("route"), L("payable"), ...(layered ? [L("criticalIllness")] : []), L("personal"), `${L("deltaFund")} ${vs}`, `${L("deltaPersonal")} ${vs}`].map((h) => c.bold(h)),
    style: { head: [], border: [], compact: true },
    colAligns: ["left", "left", "left", "right", ...(layered ? ["right" as const] : []), "right", "right", "right"],
  });
  for (const r of rows) {
    const shown = r.isBase ? c.bold(name(r)) : name(r);
    const changes = r.set.length ? changesIn(r, rules, lang) : c.dim(r.name === BASE ? L("asWritten") : "");
    if (r.failure) {
      const none = c.dim("—");
      t.push([shown, changes, c.red(L(r.failure.kind)), none, ...(layered ? [none] : []), none, none, none]);
      continue;
    }
    const s = r.settlement;
    const delta = (fen: Fen, good: boolean) => (r.isBase ? c.dim("—") : fen === 0 ? formatYuan(0) : good ? c.green(signedYuan(fen)) : c.red(signedYuan(fen)));
    t.push([
      shown,
      changes,
      lang === "zh" ? ROUTE_NAMES[s.route].zh : s.route,
      formatYuan(s.fund),
      ...ci(s),
      formatYuan(s.personal),
      delta(r.delta.fund, r.delta.fund > 0),
      delta(r.delta.personal, r.delta.personal < 0),
    ]);
  }
  out.push(t.toString());
  if (o.chart) {
    out.push("");
    out.push(
      barChart(
        rows.flatMap((r) => (r.failure ? [] : [{ label: name(r), value: r.settlement.fund, strong: r.isBase, ...(r.isBase || r.delta.fund === 0 ? {} : { note: signedYuan(r.delta.fund) }) }])),
        { color: c, title: L("chart") },
      ).trimEnd(),
    );
  }
  if (o.notes.length) {
    out.push("", c.yellow(`${L("notes")}:`));
    for (const n of o.notes) out.push(c.yellow(`  ! ${n}`));
  }
  return out.join("\n") + "\n";
}

/**
 * Notes for a comparison: each distinct warning once, with the scenarios it
 * applies to; a what-if route (route=…) is said once, not per row.
 */
export function comparisonNotes(rows: readonly ComparedRow[], lang: Lang, rules: RuleSet): string[] {
  const byMessage = new Map<string, string[]>();
  let whatIf = false;
  for (const r of rows) {
    if (r.failure) continue;
    for (const w of r.settlement.warnings) {
      if (w.code === "route-forced" && r.set.some((o) => o.path === "route")) {
        whatIf = true;
        continue;
      }
      const m = lang === "zh" ? w.zh : w.en;
      byMessage.set(m, [...(byMessage.get(m) ?? []), scenarioName(r, rules, lang)]);
    }
  }
  const notes = [...byMessage].map(([m, names]) => (names.length === rows.length ? m : `${names.join(", ")}: ${m}`));
  if (whatIf)
    notes.unshift(
      lang === "zh"
        ? "结算路径=… 为假设情形：按该结算路径计算；改变备案类型不会使本结算单走该路径"
        : "route=… rows are what-ifs: the claim settled as if it took that route; no change of filing would put this claim on it",
    );
  return notes;
}

/**
 * The JSON of one compared scenario: the settlement (with its steps if `explain`) plus the scenario and its deltas;
 * for a scenario that did not settle, `error` (rules or rejected) and its `problems`, as a failed batch record.
 */
export function comparisonJson(r: ComparedRow, rules: RuleSet, lang: Lang, explain: boolean): ComparisonJson {
  if (r.failure)
    return {
      schemaVersion: SCHEMA_VERSION,
      scenario: r.name,
      set: setOf(r),
      base: r.isBase,
      error: r.failure.kind,
      problems: [{ message: r.failure.message, ...(r.failure.hint ? { hint: r.failure.hint } : {}) }],
    };
  return settledJson(r, rules, lang, explain);
}

const setOf = (r: ComparedRow) => Object.fromEntries(r.set.map((o) => [o.path, o.value]));

function settledJson(r: SettledRow, rules: RuleSet, lang: Lang, explain: boolean) {
  const { schemaVersion, ...settlement } = settlementJson(r.settlement, rules, lang, explain);
  return {
    schemaVersion,
    scenario: r.name,
    set: setOf(r),
    base: r.isBase,
    delta: { payable: toYuan(r.delta.fund), personal: toYuan(r.delta.personal) },
    ...settlement,
  };
}

export type ComparisonJson =
  | ReturnType<typeof settledJson>
  | { schemaVersion: number; scenario: string; set: Record<string, unknown>; base: boolean; error: ScenarioFailure["kind"]; problems: { message: string; hint?: string }[] };

/** csv/tsv columns of compare: the scenario, the shared flat columns, then `error` (`rules: …` or `rejected: …`; empty when settled). */
export const COMPARE_COLUMNS = ["scenario", "changes", "base", "deltaPayable", "deltaPersonal", ...FLAT_COLUMNS, "error"] as const;
export type CompareColumn = (typeof COMPARE_COLUMNS)[number];

export function comparisonRecord(r: ComparedRow, j: ComparisonJson, rules: RuleSet): Partial<Record<CompareColumn, string | number | boolean>> {
  const head = { scenario: r.name, changes: changesText(r), base: r.isBase };
  if ("error" in j || !r.settlement) return { ...head, error: "error" in j ? `${j.error}: ${j.problems[0]!.message}` : "" };
  const flat: FlatRecord = flatten(r.settlement, rules);
  return { ...head, deltaPayable: j.delta.payable, deltaPersonal: j.delta.personal, ...flat, error: "" };
}
