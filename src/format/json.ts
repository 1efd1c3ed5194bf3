/**
 * The settlement as stable JSON (schemaVersion 3, documented in
 * docs/output.md). Money in yuan exact to the fen; rates as fractions. The steps
 * (each with its text and citations, half the bytes and more) only when asked
 * for (`--explain`), as in the table.
 */
import { own } from "../core/own.js";
import { toYuan } from "../core/money.js";
import type { Loc, RuleSet, Source } from "../core/model.js";
import { toNumber } from "../core/rate.js";
import { explain as stepsOf } from "../core/explain.js";
import type { Account, FigureRef, Settlement, Warning } from "../core/settlement.js";
import type { CriticalResult } from "../core/critical.js";
import type { Lang } from "./labels.js";

/**
 * 3: `criticalIllness` (大病保险) and `personal` after both layers
 * (payable + criticalIllness.payable + personal = breakdown.total); the ledger
 * holds every account. 2: `steps` only with --explain (in 1, always).
 */
export const SCHEMA_VERSION = 3;

const accountJson = (a: Account) => ({ fundPaid: toYuan(a.fundPaid), deductiblePaid: toYuan(a.deductiblePaid) });

/** 大病保险 on a claim: this claim's base, the year's after it, the threshold, each band reached, what it pays and what the cap left unpaid. */
const criticalJson = (c: CriticalResult) => ({
  base: toYuan(c.base),
  yearBase: toYuan(c.yearAfter),
  threshold: toYuan(c.threshold),
  bands: c.bands.map((b) => ({ from: toYuan(b.from), to: b.to === undefined ? null : toYuan(b.to), rate: toNumber(b.rate), base: toYuan(b.base), amount: toYuan(b.amount) })),
  payable: toYuan(c.payable),
  overCap: toYuan(c.overCap),
});

const loc = (l: Loc): string => `${l.file}:${l.line}:${l.col}`;

/** A cited figure as JSON, with its source. */
const refJson = (f: FigureRef, src: Source | undefined) => ({
  figure: f.name,
  region: f.region,
  from: f.from,
  rule: loc(f.at),
  source: f.source,
  confidence: f.confidence,
  ...(src ? { title: src.title, ...(src.document ? { document: src.document } : {}), ...(src.url ? { url: src.url } : {}), sourceDate: src.date } : {}),
});

/**
 * The JSON of a figure or a warning is made once and frozen: settlements of one
 * plan share them, and a batch then writes their text once (src/batch/bytes.ts).
 * A figure belongs to one rule set.
 */
const refs = new WeakMap<FigureRef, Readonly<ReturnType<typeof refJson>>>();
const warnings = { en: new WeakMap<Warning, Readonly<{ code: string; message: string }>>(), zh: new WeakMap<Warning, Readonly<{ code: string; message: string }>>() };

/** A list as JSON, each element by `each`: made once and frozen when the list itself is frozen (shared). */
function list<T extends object, J>(xs: readonly T[], each: (x: T) => J, kind: string): readonly J[] {
  if (!Object.isFrozen(xs)) return xs.map(each);
  let byKind = lists.get(xs);
  if (!byKind) lists.set(xs, (byKind = {}));
  return (byKind[kind] ??= Object.freeze(xs.map(each))) as readonly J[];
}
const lists = new WeakMap<object, Record<string, readonly unknown[]>>();

function once<K extends object, V>(map: WeakMap<K, Readonly<V>>, key: K, make: () => V): Readonly<V> {
  let v = map.get(key);
  if (!v) map.set(key, (v = Object.freeze(make())));
  return v;
}

/**
 * A field the settlement does not have is undefined, which JSON leaves out:
 * every settlement's object has one shape (an optional key spread in made
 * objects that V8 keeps in its slow dictionary form).
 */
export function settlementJson(s: Settlement, rules: RuleSet, lang: Lang, explain: boolean) {
  const ref = (f: FigureRef) => once(refs, f, () => refJson(f, own(rules.sources, f.source)));
  return {
    schemaVersion: SCHEMA_VERSION,
    id: s.id,
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
    criticalIllness: s.critical ? criticalJson(s.critical) : null,
    lines: s.lines?.map((l) => ({ name: l.name, class: l.class, amount: toYuan(l.amount), prepay: toYuan(l.prepay), inPolicy: toYuan(l.inPolicy) })),
    steps: explain
      ? stepsOf(s).map((st) => ({
          id: st.id,
          what: lang === "zh" ? st.zh : st.en,
          amount: st.amount !== undefined ? toYuan(st.amount) : undefined,
          rate: st.rate !== undefined ? toNumber(st.rate) : undefined,
          rule: st.figures[0] ? loc(st.figures[0].at) : null,
          source: st.figures[0]?.source ?? null,
          refs: st.figures.map(ref),
        }))
      : undefined,
    warnings: list(s.warnings, (w) => once(warnings[lang], w, () => ({ code: w.code as string, message: w[lang] })), lang),
    figures: list(s.figures, ref, "figures"),
    ledger: {
      fundPaid: toYuan(s.ledger.fundPaid),
      admissions: s.ledger.admissions,
      deductiblePaid: toYuan(s.ledger.deductiblePaid),
      outpatient: accountJson(s.ledger.outpatient),
      chronic: accountJson(s.ledger.chronic),
      criticalIllness: { base: toYuan(s.ledger.criticalIllness.base), paid: toYuan(s.ledger.criticalIllness.paid) },
    },
    rules: { version: rules.version, date: s.date },
  };
}

export type SettlementJson = ReturnType<typeof settlementJson>;
