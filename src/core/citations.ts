/**
 * What a settlement cites: every figure it depends on, once each, in the order
 * the stages read them, and its warnings — the plan's, and one more when an
 * unverified figure is among the figures. Kept by the parts a plan is made of
 * (src/core/plan.ts) and shared: a year of claims cites a few hundred lists, and
 * a batch writes the JSON text of each once (frozen: src/format/json.ts).
 */
import { STALE_YEARS, yearsBefore } from "./dates.js";
import type { Plan, Policy } from "./plan.js";
import type { FigureRef, Warning } from "./settlement.js";

export interface Citations {
  readonly figures: readonly FigureRef[];
  readonly warnings: readonly Warning[];
}

export function citations(plan: Plan, policy: Policy, usedShare: boolean, usedRepeat: boolean): Citations {
  // The figures read before the policy's: the zone, the chronic list, the class B share.
  const zone = plan.route.zoneRef;
  const chronic = plan.chronic?.refs;
  const share = usedShare ? plan.share?.ref : undefined;
  // Kept on the policy: by the class B share (or none) when nothing else comes first, else by a key of all.
  const byKey = policy.cited as Map<unknown, Figures[]>;
  const key: unknown = zone || chronic ? `${[zone, ...(chronic ?? []), share].map((r) => (r ? idOf(r) : "")).join(",")}` : (share ?? NONE);
  let kept = byKey.get(key);
  if (!kept) byKey.set(key, (kept = []));
  const figures = (kept[+usedRepeat] ??= figuresOf([...(zone ? [zone] : []), ...(chronic ?? []), ...(share ? [share] : [])], policy, usedRepeat));
  // The plan's warnings (the route's, a chronic claim's own list, missing 大病 figures), then the unverified figures'.
  let planWarnings = plan.route.warnings;
  if (plan.chronic?.warning) planWarnings = withWarning(planWarnings, plan.chronic.warning);
  if (policy.criticalWarning) planWarnings = withWarning(planWarnings, policy.criticalWarning);
  const warnings = !figures.unverified ? planWarnings : planWarnings.length ? withWarning(planWarnings, figures.unverified) : figures.unverifiedOnly!;
  return { figures: figures.list, warnings };
}

/** A figure list, and the warning it brings when some of its figures are unverified. */
interface Figures {
  readonly list: readonly FigureRef[];
  readonly unverified?: Warning;
  /** [unverified]: one list for every settlement without warnings of its own. */
  readonly unverifiedOnly?: readonly Warning[];
}

/** The key of the figure lists with nothing read before the policy's. */
const NONE = {};

/** A number for each object a key is made of (citations, which are kept). */
const ids = new WeakMap<object, number>();
let nextId = 0;
function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = nextId++));
  return id;
}

function figuresOf(before: readonly FigureRef[], policy: Policy, usedRepeat: boolean): Figures {
  const refs = new Map<string, FigureRef>(); // by where they are written: a figure read twice is cited once
  const add = (r: FigureRef | undefined) => {
    const at = r && `${r.at.file}:${r.at.line}:${r.at.col}`;
    if (r && !refs.has(at!)) refs.set(at!, r);
  };
  before.forEach(add);
  add(policy.settleAs?.ref);
  policy.reduction.refs.forEach(add);
  add(policy.deductible.ref);
  if (usedRepeat) add(policy.repeatAdmission?.ref);
  add(policy.deductibleCeiling?.ref);
  policy.ratio.refs.forEach(add);
  add(policy.annualCap?.ref);
  add(policy.countsIn?.ref);
  add(policy.countsIn?.cap.ref);
  const ci = policy.critical;
  if (ci) {
    add(ci.threshold.ref);
    ci.bandRefs.forEach(add);
    add(ci.cap?.ref);
    add(ci.group?.points?.ref);
    add(ci.group?.uncapped);
  }
  // One Figures for each list, whichever policy it comes from (a figure is one object per cell: src/core/lookup.ts cite).
  const key = [...refs.values()].map(idOf).join(",");
  let known = lists.get(key);
  if (!known) {
    if (lists.size >= 65536) lists.clear();
    lists.set(key, (known = figuresWith(Object.freeze([...refs.values()]))));
  }
  return known;
}

/** Every list of figures cited so far, by its figures: a few hundred, each a combination of cells. */
const lists = new Map<string, Figures>();

function figuresWith(list: readonly FigureRef[]): Figures {
  // A figure cited at several cells (a scale's bands) is one figure here.
  const unverified = [...new Map(list.filter((f) => f.confidence === "unverified").map((f) => [`${f.region}\0${f.name}\0${f.from}`, f])).values()];
  if (!unverified.length) return { list };
  const warning: Warning = Object.freeze({
    code: "unverified-figure",
    en: `depends on ${unverified.length} unverified figure(s): ${unverified.map((f) => `${f.name} (${f.source})`).join(", ")}`,
    zh: `结果依赖 ${unverified.length} 项未经核实的数据：${unverified.map((f) => `${f.name}（${f.source}）`).join("、")}`,
  });
  return { list, unverified: warning, unverifiedOnly: Object.freeze([warning]) };
}

/** A plan's warnings and an unverified figure's: one frozen list for each pair (both are kept). */
function withWarning(ws: readonly Warning[], w: Warning): readonly Warning[] {
  if (!Object.isFrozen(ws)) return [...ws, w]; // the plan's own list, made for this claim
  let byWarning = joined.get(ws);
  if (!byWarning) joined.set(ws, (byWarning = new Map()));
  let list = byWarning.get(w);
  if (!list) byWarning.set(w, (list = Object.freeze([...ws, w])));
  return list;
}
const joined = new WeakMap<readonly Warning[], Map<Warning, readonly Warning[]>>();

/**
 * The warnings of a claim's dates: dated after today (when the caller says
 * what today is: the core reads no clock), or resting on a figure whose version
 * in force took effect more than STALE_YEARS before the claim (the rules may
 * not hold the figure of its time).
 */
export function withDateWarnings(warnings: readonly Warning[], figures: readonly FigureRef[], date: string, today: string | undefined): readonly Warning[] {
  const future = today !== undefined && date > today;
  const limit = staleLimit(date);
  const oldest = oldestOf(figures);
  if (!future && !(oldest < limit)) return warnings;
  const added: Warning[] = [];
  if (future)
    added.push({
      code: "future-date",
      en: `the claim is dated ${date}, after today (${today}): it is settled with the figures the rules hold for that date, which may change before then`,
      zh: `结算日期 ${date} 晚于今天（${today}）：按规则中该日期的数据计算，届时政策可能调整`,
    });
  if (oldest < limit) {
    const old = figures.filter((f) => f.from < limit);
    added.push({
      code: "stale-figure",
      en: `depends on ${old.length} figure(s) whose version in force took effect more than ${STALE_YEARS} years before ${date}: ${old.map((f) => `${f.name} (from ${f.from})`).join(", ")}; check them against a current source`,
      zh: `结果依赖 ${old.length} 项生效已超过 ${STALE_YEARS} 年的数据：${old.map((f) => `${f.name}（${f.from} 起）`).join("、")}，请核对现行政策`,
    });
  }
  return [...warnings, ...added];
}

/** The earliest `from` of a figure list (lists are kept and frozen: worked out once each). */
function oldestOf(figures: readonly FigureRef[]): string {
  let o = oldest.get(figures);
  if (o === undefined) {
    o = figures.reduce((m, f) => (f.from < m ? f.from : m), "9999-12-31");
    if (Object.isFrozen(figures)) oldest.set(figures, o);
  }
  return o;
}
const oldest = new WeakMap<readonly FigureRef[], string>();

/** STALE_YEARS before a date, for the dates a year of claims brings (a few hundred). */
function staleLimit(date: string): string {
  let l = limits.get(date);
  if (l === undefined) {
    if (limits.size >= 4096) limits.clear();
    limits.set(date, (l = yearsBefore(date, STALE_YEARS)));
  }
  return l;
}
const limits = new Map<string, string>();
