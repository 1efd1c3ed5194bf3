/**
 * 大病保险 (critical illness insurance): the second layer, after the basic
 * fund, following the insured place's policy (README, "Critical illness").
 *
 *   base      the in-policy amount the person bears after the basic fund:
 *             route prepay + deductible + co-payment + over the basic cap
 *             (not the excluded costs, not the class B prepay)
 *   year      the base accumulates over the calendar year; the threshold is
 *             met once a year
 *   bands     the scale (src/core/scale.ts) on the year's base above the
 *             threshold: this claim pays on its own stretch of it
 *   cap       the annual 大病 cap, less what the layer paid this year
 *
 * A group with figures of its own (insured.group: 特困, 低保, 返贫致贫) has its
 * threshold, points added to every band, and may be uncapped. The policy part
 * is compiled with the claim's plan; the stage is a pure function of amounts.
 */
import { missingFigure, type Missing } from "./gaps.js";
import { cite, citeVersion, resolve } from "./lookup.js";
import type { Fen } from "./money.js";
import type { Kind, RuleSet, Scale, Scheme } from "./model.js";
import type { Rate } from "./rate.js";
import { bandParts, type BandPart } from "./scale.js";
import type { Cited, FigureRef, Warning } from "./settlement.js";

/** The kinds of care the layer pays on: inpatient stays and chronic outpatient care, not general outpatient care (README, "Choices"). */
export const CRITICAL_KINDS: ReadonlySet<Kind> = new Set(["inpatient", "chronic"]);

export interface CriticalPolicy {
  readonly threshold: Cited<Fen>;
  readonly scale: Cited<Scale>;
  /** Each band's citation, by index. */
  readonly bandRefs: readonly FigureRef[];
  /** Absent for a group without a cap (its `uncapped` figure is cited instead). */
  readonly cap?: Cited<Fen>;
  readonly group?: { readonly id: string; readonly points?: Cited<Rate>; readonly uncapped?: FigureRef };
}

/** One person's year in the layer: the base so far, and what the layer paid. */
export interface CriticalAccount {
  readonly base: Fen;
  readonly paid: Fen;
}

/** The layer on one claim. */
export interface CriticalResult {
  /** This claim's base, and the year's before and after it. */
  readonly base: Fen;
  readonly yearBefore: Fen;
  readonly yearAfter: Fen;
  readonly threshold: Fen;
  readonly bands: readonly BandPart[];
  /** Σ bands, before the cap. */
  readonly due: Fen;
  readonly capLeft?: Fen;
  readonly payable: Fen;
  readonly overCap: Fen;
}

/**
 * The insured place's 大病 figures for a scheme (and group) on a date; figures
 * it lacks are added to `missing` (they do not stop the basic fund: the result
 * warns instead, see criticalMissing).
 */
export function compileCritical(rules: RuleSet, pool: string, scheme: Scheme, group: string | undefined, date: string, missing: Missing[]): CriticalPolicy | undefined {
  const name = (f: string) => `${scheme}.criticalIllness.${f}`;
  const need = <V>(f: string, what: string) => {
    const r = resolve<V>(rules, pool, name(f), date);
    if (!r) missing.push(missingFigure(rules, pool, name(f), date, `${scheme} 大病保险 ${what}`));
    return r;
  };
  const g = group ? { threshold: resolve<Fen>(rules, pool, name("groups.threshold"), date), points: resolve<Rate>(rules, pool, name("groups.points"), date), uncapped: resolve<boolean>(rules, pool, name("groups.uncapped"), date) } : undefined;
  const threshold = g?.threshold ?? need<Fen>("threshold", "threshold (起付标准)");
  const scale = need<Scale>("bands", "bands (分段支付比例)");
  const cap = g?.uncapped ? undefined : need<Fen>("annualCap", "annual cap (最高支付限额)");
  if (!threshold || !scale || (!cap && !g?.uncapped)) return undefined;
  const bandRefs = scale.version.value.bands.map((_, i) => citeVersion(scale.figure.name, scale.layer.region, scale.version, scale.version.cells?.[String(i)]));
  const out: { -readonly [K in keyof CriticalPolicy]: CriticalPolicy[K] } = {
    threshold: { value: threshold.version.value, ref: cite(threshold) },
    scale: { value: scale.version.value, ref: cite(scale) },
    bandRefs,
  };
  if (cap) out.cap = { value: cap.version.value, ref: cite(cap) };
  if (group) {
    const gp: { id: string; points?: Cited<Rate>; uncapped?: FigureRef } = { id: group };
    if (g?.points) gp.points = { value: g.points.version.value, ref: cite(g.points) };
    if (g?.uncapped) gp.uncapped = cite(g.uncapped);
    out.group = gp;
  }
  return out;
}

/** The warning of a claim the layer applies to, where the insured place's 大病 figures are missing: its personal share is before any 大病 payment. */
export function criticalMissing(scheme: Scheme, what: readonly string[], place: string): Warning {
  const zh = scheme === "employee" ? "职工" : "居民";
  return {
    code: "critical-illness-missing",
    en: `the rules have no ${scheme} 大病保险 (critical illness) ${what.join(", ")} for ${place}: what the person pays is before any 大病保险 payment`,
    // Each figure is named "threshold (起付标准)": in Chinese, by its Chinese name.
    zh: `规则缺少参保地${place}${zh}大病保险数据（${what.map((w) => /\(([^()]+)\)$/.exec(w)?.[1] ?? w).join("、")}）：个人负担未扣除大病保险支付`,
  };
}

/** The layer on a claim whose base (in policy − basic fund) is `base`, in a year that had `year` so far. Rounding point 5: each band's amount. */
export function criticalIllness(p: CriticalPolicy, year: CriticalAccount, base: Fen): CriticalResult {
  const yearAfter = year.base + base;
  const bands = bandParts(p.scale.value, p.threshold.value, year.base, yearAfter, p.group?.points?.value);
  const due = bands.reduce((s, b) => s + b.amount, 0);
  const capLeft = p.cap ? Math.max(0, p.cap.value - year.paid) : undefined;
  const payable = capLeft === undefined ? due : Math.min(due, capLeft);
  return { base, yearBefore: year.base, yearAfter, threshold: p.threshold.value, bands, due, ...(capLeft !== undefined ? { capLeft } : {}), payable, overCap: due - payable };
}
