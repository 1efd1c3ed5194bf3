/**
 * A comparison of scenarios: the table (one row per scenario, with the deltas
 * against the base), the bar chart of what the fund pays, the notes; and the
 * JSON and flat records of the same rows. Returns strings and plain data.
 */
import type { ChalkInstance } from "chalk";
import Table from "cli-table3";
import type { ComparedRow } from "../claims/scenarios.js";
import { formatYuan, toYuan, type Fen } from "../core/money.js";
import type { RuleSet } from "../core/model.js";
import { barChart } from "./chart.js";
import { FLAT_COLUMNS, flatten, type FlatRecord } from "./flat.js";
import { settlementJson } from "./json.js";
import type { Lang } from "./labels.js";

const LABELS = {
  scenario: { en: "Scenario", zh: "情形" },
  changes: { en: "Changes", zh: "变更" },
  asWritten: { en: "(as written)", zh: "（原结算单）" },
  route: { en: "Route", zh: "结算路径" },
  payable: { en: "Fund pays", zh: "统筹基金支付" },
  personal: { en: "Person pays", zh: "个人负担" },
  deltaFund: { en: "Δ fund", zh: "基金差额" },
  deltaPersonal: { en: "Δ person", zh: "个人差额" },
  chart: { en: "Fund pays, by scenario (yuan)", zh: "统筹基金支付（元，按情形）" },
  notes: { en: "Notes", zh: "说明" },
  claim: { en: "Claim", zh: "结算单" },
  vs: { en: "vs", zh: "对比" },
} as const;

export interface ComparisonOptions {
  readonly lang: Lang;
  readonly color: ChalkInstance;
  readonly chart: boolean;
  readonly notes: readonly string[];
}

/** "+500.00", "−1,000.00", "0.00". */
export function signedYuan(fen: Fen): string {
  return fen > 0 ? `+${formatYuan(fen)}` : fen < 0 ? `−${formatYuan(-fen)}` : formatYuan(0);
}

export function changesText(row: ComparedRow): string {
  return row.set.map((o) => `${o.path}=${o.text}`).join(" ");
}

export function renderComparison(rows: readonly ComparedRow[], rules: RuleSet, o: ComparisonOptions): string {
  const { lang, color: c } = o;
  const L = (k: keyof typeof LABELS) => LABELS[k][lang];
  const base = rows.find((r) => r.isBase)!;
  const first = rows[0]!.settlement;
  const lvl = rules.levels[first.treatment.level];
  const out: string[] = [
    c.bold(`${first.id ? `${L("claim")} ${first.id} · ` : ""}${first.date}`) +
      `  ${first.insured.name} (${first.insured.region}) ${first.insured.scheme}${first.insured.retired ? " retired" : ""} → ${first.treatment.name} (${first.treatment.region}) ${lvl ? lvl[lang] : first.treatment.level}, ${first.treatment.kind}`,
  ];
  const vs = `${L("vs")} ${base.name}`;
  const t = new Table({
    head: [L("scenario"), L("changes"), L("route"), L("payable"), L("personal"), `${L("deltaFund")} ${vs}`, `${L("deltaPersonal")} ${vs}`].map((h) => c.bold(h)),
    style: { head: [], border: [], compact: true },
    colAligns: ["left", "left", "left", "right", "right", "right", "right"],
  });
  for (const r of rows) {
    const s = r.settlement;
    const name = r.isBase ? c.bold(r.name) : r.name;
    const delta = (fen: Fen, good: boolean) => (r.isBase ? c.dim("—") : fen === 0 ? formatYuan(0) : good ? c.green(signedYuan(fen)) : c.red(signedYuan(fen)));
    t.push([
      name,
      r.set.length ? changesText(r) : c.dim(r.name === "base" ? L("asWritten") : ""),
      s.route,
      formatYuan(s.fund),
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
        rows.map((r) => ({ label: r.name, value: r.settlement.fund, strong: r.isBase, ...(r.isBase || r.delta.fund === 0 ? {} : { note: signedYuan(r.delta.fund) }) })),
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
export function comparisonNotes(rows: readonly ComparedRow[], lang: Lang): string[] {
  const byMessage = new Map<string, string[]>();
  let whatIf = false;
  for (const r of rows) {
    for (const w of r.settlement.warnings) {
      if (w.code === "route-forced" && r.set.some((o) => o.path === "route")) {
        whatIf = true;
        continue;
      }
      const m = lang === "zh" ? w.zh : w.en;
      byMessage.set(m, [...(byMessage.get(m) ?? []), r.name]);
    }
  }
  const notes = [...byMessage].map(([m, names]) => (names.length === rows.length ? m : `${names.join(", ")}: ${m}`));
  if (whatIf)
    notes.unshift(
      lang === "zh"
        ? "route=… 为假设情形：按该结算路径计算；改变备案类型不会使本结算单走该路径"
        : "route=… rows are what-ifs: the claim settled as if it took that route; no change of filing would put this claim on it",
    );
  return notes;
}

/** The JSON of one compared scenario: the settlement (with its steps if `explain`) plus the scenario and its deltas. */
export function comparisonJson(r: ComparedRow, rules: RuleSet, lang: Lang, explain: boolean) {
  const { schemaVersion, ...settlement } = settlementJson(r.settlement, rules, lang, explain);
  return {
    schemaVersion,
    scenario: r.name,
    set: Object.fromEntries(r.set.map((o) => [o.path, o.value])),
    base: r.isBase,
    delta: { payable: toYuan(r.delta.fund), personal: toYuan(r.delta.personal) },
    ...settlement,
  };
}

export type ComparisonJson = ReturnType<typeof comparisonJson>;

/** csv/tsv columns of compare: the scenario, then the shared flat columns. */
export const COMPARE_COLUMNS = ["scenario", "changes", "base", "deltaPayable", "deltaPersonal", ...FLAT_COLUMNS] as const;
export type CompareColumn = (typeof COMPARE_COLUMNS)[number];

export function comparisonRecord(r: ComparedRow, j: ComparisonJson): Record<CompareColumn, string | number | boolean> {
  const flat: FlatRecord = flatten(j);
  return { scenario: r.name, changes: changesText(r), base: r.isBase, deltaPayable: j.delta.payable, deltaPersonal: j.delta.personal, ...flat };
}
