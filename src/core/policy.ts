/**
 * The insured place's policy for a claim (参保地政策): the figures of its
 * pooling region, falling back to its province's, for a scheme, kind, hospital
 * level and retiree status on a date — deductible, repeat-admission factor,
 * annual deductible ceiling, ratio (retiree adjustment and route reduction
 * applied), annual cap — each with its citation. Part of a claim's plan: none
 * of it depends on amounts.
 */
import { RuleGapError } from "./errors.js";
import { missingFigure, missingLevel, type Missing } from "./gaps.js";
import { atLevel, cite, resolve, type Resolved } from "./lookup.js";
import type { Fen } from "./money.js";
import type { Adjustment, ByLevel, Kind, Route, RuleSet, Scheme } from "./model.js";
import { ONE, ZERO, add, clamp01, formatPercent, formatPoints, mul, sub, type Rate } from "./rate.js";
import type { Cited, FigureRef, Reduction, Text, Warning } from "./settlement.js";
import { compileCritical, criticalMissing, CRITICAL_KINDS, type CriticalPolicy } from "./critical.js";

export interface Policy {
  /** 门诊慢特病 参照住院管理: the kind whose figures a kind without its own settles with. */
  readonly settleAs?: Text & { readonly ref: FigureRef };
  /** The route's reduction (降比 in points, or 先行自付 as a prepay). */
  readonly reduction: { readonly mechanism: Reduction["mechanism"]; readonly rate: Rate; readonly refs: readonly FigureRef[] };
  readonly deductible: Cited<Fen>;
  /** From the second inpatient admission of the year: the deductible × this factor. */
  readonly repeatAdmission?: Cited<Rate>;
  /** The deductibles of a year add up to at most this. */
  readonly deductibleCeiling?: Cited<Fen>;
  readonly ratio: Ratios;
  /** The kind's own annual cap; a kind that counts in the inpatient cap may have none of its own. */
  readonly annualCap?: Cited<Fen>;
  /** `countsIn`: the payments count in the inpatient account's cap too (this figure). */
  readonly countsIn?: { readonly ref: FigureRef; readonly cap: Cited<Fen> };
  /** The account of the year the claim settles in: its kind's, or its `settleAs` kind's. */
  readonly account: Kind;
  /** 大病保险, for the kinds it pays on (src/core/critical.ts); where its figures are missing, the warning saying so. */
  readonly critical?: CriticalPolicy;
  readonly criticalWarning?: Warning;
  /** The figure lists of settlements under this policy, as src/core/citations.ts makes them (kept here: a policy is kept). */
  readonly cited: Map<unknown, unknown>;
}

export interface Ratios {
  /** The ratio at the level, class A and class B. */
  readonly level: Rate;
  readonly levelB: Rate;
  /** Whether the rules give class B a ratio of its own (as 宜昌). */
  readonly ownB: boolean;
  /** After the retiree adjustment: how it is written, "own" when the rules give retirees a ratio of their own, or "none" when they have neither. */
  readonly retiree?: { readonly how: string } | "own" | "none";
  /** Before the route reduction. */
  readonly base: Rate;
  readonly baseB: Rate;
  /** What the fund pays at, after the route reduction in points. */
  readonly a: Rate;
  readonly b: Rate;
  readonly refs: readonly FigureRef[];
}

export interface PolicyContext {
  readonly scheme: Scheme;
  readonly kind: Kind;
  readonly level: string;
  readonly retired: boolean;
  readonly route: Route;
  readonly date: string;
  /** insured.group, resolved to its id (src/core/vocabulary.ts findGroup). */
  readonly group?: string;
}

const isFen = (v: unknown): v is Fen => typeof v === "number";
/** The figures a kind's `retired` block may give (src/rules/schema.ts). */
const RETIRED = new Set(["deductible", "ratio", "ratioClassB", "deductibleCeiling", "annualCap"]);
const isRate = (v: unknown): v is Rate => typeof v === "object" && v !== null && "num" in v && "den" in v;

/**
 * The insured place's policy for a claim context, or undefined when figures it
 * needs are missing: each is added to `missing` (src/core/gaps.ts), so a claim's
 * gap names them all at once.
 */
export function compilePolicy(rules: RuleSet, pool: string, c: PolicyContext, missing: Missing[]): Policy | undefined {
  const { scheme, kind, level, date } = c;
  const before = missing.length;
  // A kind without a figure of its own follows its `settleAs` kind (门诊慢特病 参照住院管理).
  const as = kind === "inpatient" ? undefined : resolve<string>(rules, pool, `${scheme}.${kind}.settleAs`, date);
  // A retiree reads the kind's `retired` figures first (README, "Retirees"); then the kind's own; then its settleAs kind's.
  const kinds = as ? [kind, as.version.value] : [kind];
  const may = <V>(name: string, of: readonly string[] = kinds): Resolved<V> | undefined => {
    for (const k of of) {
      const r = (c.retired && RETIRED.has(name) ? resolve<V>(rules, pool, `${scheme}.${k}.retired.${name}`, date) : undefined) ?? resolve<V>(rules, pool, `${scheme}.${k}.${name}`, date);
      if (r) return r;
    }
    return undefined;
  };
  const need = <V>(name: string, what: string): Resolved<V> | undefined => {
    const r = may<V>(name);
    if (!r) missing.push(missingFigure(rules, pool, `${scheme}.${kind}.${name}`, date, `${scheme} ${kind} ${what}`));
    return r;
  };
  const cell = <T>(r: Resolved<ByLevel<T>> | undefined, is: (v: unknown) => v is T, what: string): Cited<T> | undefined => {
    const found = r && atLevel(r, level, is);
    if (r && !found) missing.push(missingLevel(rules, r, level, `${scheme} ${kind} ${what}`));
    return r && found ? { value: found.value, ref: cite(r, found.at) } : undefined;
  };
  const optionalCell = <T>(r: Resolved<ByLevel<T>> | undefined, is: (v: unknown) => v is T): Cited<T> | undefined => {
    const found = r && atLevel(r, level, is);
    return r && found ? { value: found.value, ref: cite(r, found.at) } : undefined;
  };

  const settleAs = as
    ? {
        en: `${kind} care of ${scheme}s settles with the ${as.version.value} figures of the insured place (参照住院管理)`,
        zh: `${kind === "chronic" ? "门诊慢特病" : "门诊"}参照${as.version.value === "inpatient" ? "住院" : as.version.value}政策结算`,
        ref: cite(as),
      }
    : undefined;
  const reduction = reductionOf(rules, pool, c.route, date, missing);
  const deductible = cell(need<ByLevel<Fen>>("deductible", "deductible (起付线)"), isFen, "deductible (起付线)");
  const repeatAdmission = optionalCell(may<ByLevel<Rate>>("repeatAdmission"), isRate);
  const deductibleCeiling = optionalCell(may<ByLevel<Fen>>("deductibleCeiling"), isFen);
  const ratioFigure = need<ByLevel<Rate>>("ratio", "ratio (支付比例)");
  const ratio = ratioFigure && ratiosOf(rules, pool, c, ratioFigure, may<ByLevel<Rate>>("ratioClassB"), reduction, missing);
  // A kind whose payments count in the inpatient cap may have no cap of its own; it is then capped by that one alone.
  const account = (as ? as.version.value : kind) as Kind;
  const counts = account === "inpatient" ? undefined : may<string>("countsIn"); // the inpatient account counts in itself
  const ownCap = counts ? may<ByLevel<Fen>>("annualCap") : need<ByLevel<Fen>>("annualCap", "annual cap (最高支付限额)");
  const annualCap = ownCap && cell(ownCap, isFen, "annual cap (最高支付限额)");
  let countsIn: Policy["countsIn"];
  if (counts) {
    const into = counts.version.value as Kind;
    const r = may<ByLevel<Fen>>("annualCap", [into]);
    if (!r) missing.push(missingFigure(rules, pool, `${scheme}.${into}.annualCap`, date, `${scheme} ${into} annual cap (最高支付限额), which ${kind} payments count in`));
    const cap = r && cell(r, isFen, `${into} annual cap (最高支付限额)`);
    if (cap) countsIn = { ref: cite(counts), cap };
  }
  if (missing.length > before || !reduction || !deductible || !ratio || (!annualCap && !countsIn)) return undefined;
  let critical: CriticalPolicy | undefined;
  let criticalWarning: Warning | undefined;
  if (CRITICAL_KINDS.has(kind)) {
    const lacking: Missing[] = [];
    critical = compileCritical(rules, pool, scheme, c.group, date, lacking);
    if (!critical) criticalWarning = Object.freeze(criticalMissing(scheme, lacking.map((m) => m.what.replace(`${scheme} 大病保险 `, "")), rules.regions[pool]?.name ?? pool));
  }
  return {
    ...(settleAs ? { settleAs } : {}),
    reduction,
    deductible,
    ...(repeatAdmission ? { repeatAdmission } : {}),
    ...(deductibleCeiling ? { deductibleCeiling } : {}),
    ratio,
    ...(annualCap ? { annualCap } : {}),
    ...(countsIn ? { countsIn } : {}),
    account,
    ...(critical ? { critical } : {}),
    ...(criticalWarning ? { criticalWarning } : {}),
    cited: new Map(),
  };
}

/** The ratio at the level (class B's own where the rules give one), the retiree adjustment, then the route reduction in points. */
function ratiosOf(rules: RuleSet, pool: string, c: PolicyContext, ratio: Resolved<ByLevel<Rate>>, ratioB: Resolved<ByLevel<Rate>> | undefined, red: Policy["reduction"] | undefined, missing: Missing[]): Ratios | undefined {
  const a = atLevel(ratio, c.level, isRate);
  if (!a) {
    missing.push(missingLevel(rules, ratio, c.level, `${c.scheme} ${c.kind} ratio (支付比例)`));
    return undefined;
  }
  const refs: FigureRef[] = [cite(ratio, a.at)];
  const b = ratioB && atLevel(ratioB, c.level, isRate);
  if (ratioB && b) refs.push(cite(ratioB, b.at));
  let base = a.value;
  let baseB = b ? b.value : a.value;
  let retiree: Ratios["retiree"];
  if (c.retired && ratio.figure.name.includes(".retired.")) retiree = "own";
  else if (c.retired) {
    const r = resolve<Adjustment>(rules, pool, `${c.scheme}.retiree`, c.date);
    if (r) {
      refs.push(cite(r));
      const adj = r.version.value;
      const apply = (x: Rate): Rate => {
        if ("points" in adj) return clamp01(add(x, adj.points));
        if ("copayFactor" in adj) return clamp01(sub(ONE, mul(adj.copayFactor, sub(ONE, x))));
        throw new RuleGapError(`retiree adjustment must be points or copayFactor, got prepay`, `fix \`${r.figure.name}\` at ${r.version.at.file}:${r.version.at.line}`);
      };
      base = apply(base);
      baseB = apply(baseB);
      retiree = { how: "points" in adj ? `+${formatPoints(adj.points)} points` : "copayFactor" in adj ? `co-pay × ${formatPercent(adj.copayFactor)}` : "" };
    } else retiree = "none";
  }
  const reduce = (r: Rate): Rate => (red?.mechanism === "points" ? clamp01(sub(r, red.rate)) : r);
  return { level: a.value, levelB: b ? b.value : a.value, ownB: !!b, ...(retiree ? { retiree } : {}), base, baseB, a: reduce(base), b: reduce(baseB), refs };
}

/** The insured province's reduction for the route: rules data (points or prepay); none on the routes that carry none. */
function reductionOf(rules: RuleSet, pool: string, route: Route, date: string, missing: Missing[]): Policy["reduction"] | undefined {
  const r = resolve<Adjustment>(rules, pool, `reductions.${route}`, date);
  if (!r) {
    // No figure, and a route that by definition carries none.
    if (route === "local" || route === "in-province" || route === "zone" || route === "long-term") return { mechanism: "none", rate: ZERO, refs: [] };
    missing.push(missingFigure(rules, pool, `reductions.${route}`, date, `reduction for the ${route} route`));
    return undefined;
  }
  const adj = r.version.value;
  const refs = [cite(r)];
  if ("points" in adj) return { mechanism: "points", rate: adj.points, refs };
  if ("prepay" in adj) return { mechanism: "prepay", rate: adj.prepay, refs };
  throw new RuleGapError(`reduction for ${route} must be points or prepay`, `fix \`${r.figure.name}\` at ${r.version.at.file}:${r.version.at.line}`);
}
