/**
 * The settlement as stable JSON (schemaVersion 2, documented in README "JSON
 * output"). Money in yuan exact to the fen; rates as fractions. The steps
 * (each with its text and citations, half the bytes and more) only when asked
 * for (`--explain`), as in the table.
 */
import { own } from "../core/own.js";
import { toYuan } from "../core/money.js";
import type { Loc, RuleSet } from "../core/model.js";
import { toNumber } from "../core/rate.js";
import type { FigureRef, Settlement } from "../core/settle.js";
import type { Lang } from "./labels.js";

/** 2: `steps` only with --explain (in 1, always). */
export const SCHEMA_VERSION = 2;

const loc = (l: Loc): string => `${l.file}:${l.line}:${l.col}`;

export function settlementJson(s: Settlement, rules: RuleSet, lang: Lang, explain: boolean) {
  const ref = (f: FigureRef) => {
    const src = own(rules.sources, f.source);
    return {
      figure: f.name,
      region: f.region,
      from: f.from,
      rule: loc(f.at),
      source: f.source,
      confidence: f.confidence,
      ...(src ? { title: src.title, ...(src.document ? { document: src.document } : {}), ...(src.url ? { url: src.url } : {}), sourceDate: src.date } : {}),
    };
  };
  return {
    schemaVersion: SCHEMA_VERSION,
    ...(s.id !== undefined ? { id: s.id } : {}),
    date: s.date,
    payable: toYuan(s.fund),
    personal: toYuan(s.personal),
    route: s.route,
    routeForced: s.routeForced,
    insured: s.insured,
    treatment: s.treatment,
    breakdown: {
      total: toYuan(s.total),
      excluded: toYuan(s.excluded),
      prepay: toYuan(s.prepay),
      inPolicy: toYuan(s.inPolicy),
      routePrepay: toYuan(s.routePrepay),
      deductible: toYuan(s.deductible),
      ratio: toNumber(s.ratio),
      ratioClassB: toNumber(s.ratioB),
      reduction: { mechanism: s.reduction.mechanism, rate: toNumber(s.reduction.rate), amount: toYuan(s.reduction.amount) },
      copay: toYuan(s.copay),
      fundBeforeCap: toYuan(s.fundBeforeCap),
      overCap: toYuan(s.overCap),
      fund: toYuan(s.fund),
    },
    ...(s.lines ? { lines: s.lines.map((l) => ({ name: l.name, class: l.class, amount: toYuan(l.amount), prepay: toYuan(l.prepay), inPolicy: toYuan(l.inPolicy) })) } : {}),
    ...(explain
      ? {
          steps: s.steps.map((st) => ({
            id: st.id,
            what: lang === "zh" ? st.zh : st.en,
            ...(st.amount !== undefined ? { amount: toYuan(st.amount) } : {}),
            ...(st.rate !== undefined ? { rate: toNumber(st.rate) } : {}),
            rule: st.figures[0] ? loc(st.figures[0].at) : null,
            source: st.figures[0]?.source ?? null,
            refs: st.figures.map(ref),
          })),
        }
      : {}),
    warnings: s.warnings.map((w) => ({ code: w.code, message: lang === "zh" ? w.zh : w.en })),
    figures: s.figures.map(ref),
    ledger: { fundPaid: toYuan(s.ledger.fundPaid), admissions: s.ledger.admissions, deductiblePaid: toYuan(s.ledger.deductiblePaid) },
    rules: { version: rules.version, date: s.date },
  };
}

export type SettlementJson = ReturnType<typeof settlementJson>;
