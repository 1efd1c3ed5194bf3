/** The settlement as a readable table (cli-table3); returns a string. */
import { own } from "../core/own.js";
import type { Colors } from "./color.js";
import Table from "cli-table3";
import { formatYuan } from "../core/money.js";
import type { RuleSet } from "../core/model.js";
import { cmp, formatPercent, formatPoints } from "../core/rate.js";
import { explain } from "../core/explain.js";
import type { FigureRef, Settlement } from "../core/settlement.js";
import { CLASS_NAMES, CONFIDENCE_NAMES, KIND_NAMES, label, ROUTE_NAMES, SCHEME_NAMES, type Lang } from "./labels.js";
import { fitted } from "./fit.js";
import { fold } from "./width.js";

export interface TableOptions {
  readonly lang: Lang;
  readonly color: Colors;
  readonly explain: boolean;
  /** Terminal columns the tables fit in (long step texts and sources are folded). */
  readonly width: number;
}

function table(c: Colors, head?: string[]): Table.Table {
  return new Table({
    ...(head ? { head: head.map((h) => c.bold(h)) } : {}),
    style: { head: [], border: [], compact: true },
  });
}

/**
 * "Claim seed-zone · 2025-03-09  insured P-001, 常德市 (430700) employee → 宜昌市 (420500) 宜昌市中心人民医院, level-3 hospital, inpatient",
 * in the language asked for; the person and the hospital when the claim names them.
 */
export function claimHeadline(s: Settlement, rules: RuleSet, lang: Lang, c: Colors): string {
  const lvl = own(rules.levels, s.treatment.level);
  const who = s.insured.id !== undefined ? `${label("insuredId", lang)} ${s.insured.id}, ` : "";
  const hospital = s.treatment.hospital !== undefined ? ` ${s.treatment.hospital},` : "";
  return (
    c.bold(`${s.id ? `${label("claim", lang)} ${s.id} · ` : ""}${s.date}`) +
    `  ${who}${s.insured.name} (${s.insured.region}) ${SCHEME_NAMES[s.insured.scheme]?.[lang] ?? s.insured.scheme}${s.insured.retired ? (lang === "zh" ? " 退休" : " retired") : ""} → ${s.treatment.name} (${s.treatment.region})${hospital} ${lvl ? lvl[lang] : s.treatment.level}, ${KIND_NAMES[s.treatment.kind]?.[lang] ?? s.treatment.kind}${s.treatment.disease ? ` (${own(rules.diseases, s.treatment.disease)?.[lang] ?? s.treatment.disease})` : ""}`
  );
}

export function renderSettlement(s: Settlement, rules: RuleSet, o: TableOptions): string {
  const { lang, color: c } = o;
  const L = (k: Parameters<typeof label>[0]) => label(k, lang);
  const out: string[] = [];
  out.push(fold(claimHeadline(s, rules, lang, c), o.width));
  out.push(fold(`${L("route")}: ${c.cyan(ROUTE_NAMES[s.route]?.[lang] ?? s.route)}${c.dim(` — ${s.trace.plan.route.why[lang]}`)}`, o.width));

  const t = table(c);
  const money = (k: Parameters<typeof label>[0], fen: number, strong = false) => t.push([L(k), { hAlign: "right", content: strong ? c.bold(formatYuan(fen)) : formatYuan(fen) }]);
  money("total", s.total);
  money("excluded", s.excluded);
  money("prepay", s.prepay);
  money("inPolicy", s.inPolicy);
  if (s.routePrepay) money("routePrepay", s.routePrepay);
  money("deductible", s.deductible);
  const ratio = formatPercent(s.ratio) + (cmp(s.ratio, s.ratioB) ? ` / B ${formatPercent(s.ratioB)}` : "");
  t.push([L("ratio"), { hAlign: "right", content: ratio }]);
  const red =
    s.reduction.mechanism === "none"
      ? L("none")
      : s.reduction.mechanism === "points"
        ? `−${formatPoints(s.reduction.rate)} ${L("points")} (−${formatYuan(s.reduction.amount)})`
        : lang === "zh"
          ? `异地先行自付 ${formatPercent(s.reduction.rate)}（−${formatYuan(s.reduction.amount)}）`
          : `${formatPercent(s.reduction.rate)} prepay (−${formatYuan(s.reduction.amount)})`;
  t.push([L("reduction"), { hAlign: "right", content: red }]);
  money("copay", s.copay);
  money("overCap", s.overCap);
  if (s.critical) money("criticalIllness", s.critical.payable);
  money("personal", s.personal, true);
  t.push([c.bold(L("payable")), { hAlign: "right", content: c.bold.green(formatYuan(s.fund)) }]);
  out.push(t.toString());

  if (o.explain) {
    if (s.lines?.length) {
      const lines = s.lines.map((l, i) => [String(i + 1), l.name, CLASS_NAMES[l.class]?.[lang] ?? l.class, formatYuan(l.amount), formatYuan(l.prepay), formatYuan(l.inPolicy)]);
      out.push(fitted(c, ["#", L("item"), L("class"), L("amount"), L("prepay"), L("inPolicy")], lines, { flexible: [1, 2, 3, 4, 5], right: [3, 4, 5], width: o.width }));
    }
    // A figure's place and source on one line, so that a narrow terminal folds them between the two.
    const conf = (k: "unverified" | "secondary") => (lang === "zh" ? `（${CONFIDENCE_NAMES[k]!.zh}）` : ` (${k})`);
    const ref = (f: FigureRef) => `${f.at.file}:${f.at.line} ${f.source}${f.confidence === "unverified" ? c.yellow(conf("unverified")) : f.confidence === "secondary" ? c.dim(conf("secondary")) : ""}`;
    const steps = explain(s).map((step, i) => [
      String(i + 1),
      lang === "zh" ? step.zh : step.en,
      step.amount !== undefined ? formatYuan(step.amount) : step.rate ? formatPercent(step.rate) : "",
      step.figures.map(ref).join("\n"),
    ]);
    out.push(fitted(c, ["#", L("step"), L("amount"), `${L("rule")} · ${L("source")}`], steps, { flexible: [1, 3], right: [2], width: o.width }));
  }
  if (s.warnings.length) {
    out.push(c.yellow(`${L("warnings")}:`));
    for (const w of s.warnings) out.push(c.yellow(`  ! ${fold(lang === "zh" ? w.zh : w.en, o.width - 4).replaceAll("\n", "\n    ")}`));
  }
  const yuan = lang === "zh" ? "元" : "yuan";
  out.push(`${c.bold(L("payable"))}: ${c.bold.green(formatYuan(s.fund))} ${yuan}${s.critical ? `; ${L("criticalIllness")}: ${c.bold.green(formatYuan(s.critical.payable))} ${yuan}` : ""}`);
  return out.join("\n") + "\n";
}
