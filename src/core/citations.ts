/**
 * What a settlement cites: every figure it depends on, once each, in the order
 * the stages read them, and its warnings — the plan's, and one more when an
 * unverified figure is among the figures. Made once per combination of plan
 * parts (src/core/plan.ts) and kept with the policy, so the settlements of a
 * year share a few hundred lists (and a batch writes their JSON text once).
 */
import type { Plan, Policy } from "./plan.js";
import type { FigureRef, Warning } from "./settlement.js";

export interface Citations {
  readonly figures: readonly FigureRef[];
  readonly warnings: readonly Warning[];
}

export function citations(plan: Plan, policy: Policy, usedShare: boolean, usedRepeat: boolean): Citations {
  // The figures read before the policy's (the zone, the chronic list, the class B share), and the plan's warnings.
  const before: FigureRef[] = [];
  if (plan.route.zoneRef) before.push(plan.route.zoneRef);
  if (plan.chronic) before.push(...plan.chronic.refs);
  if (usedShare && plan.share) before.push(plan.share.ref);
  const own = plan.chronic?.warning;
  const key = `${+usedRepeat}|${before.map(idOf).join(",")}|${idOf(plan.route.warnings)}|${own ? idOf(own) : ""}`;
  let byKey = kept.get(policy);
  if (!byKey) kept.set(policy, (byKey = new Map()));
  let c = byKey.get(key);
  if (!c) byKey.set(key, (c = make(before, policy, usedRepeat, own ? [...plan.route.warnings, own] : plan.route.warnings)));
  return c;
}

const kept = new WeakMap<Policy, Map<string, Citations>>();

/** A number for each object a key is made of (objects of the plan's parts, which are kept). */
const ids = new WeakMap<object, number>();
let nextId = 0;
function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = nextId++));
  return id;
}

function make(before: readonly FigureRef[], policy: Policy, usedRepeat: boolean, warnings: readonly Warning[]): Citations {
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
  add(policy.annualCap.ref);
  const figures = [...refs.values()];
  const unverified = figures.filter((f) => f.confidence === "unverified");
  if (!unverified.length) return { figures, warnings };
  const warning: Warning = {
    code: "unverified-figure",
    en: `depends on ${unverified.length} unverified figure(s): ${unverified.map((f) => `${f.name} (${f.source})`).join(", ")}`,
    zh: `结果依赖 ${unverified.length} 项未经核实的数据：${unverified.map((f) => `${f.name}（${f.source}）`).join("、")}`,
  };
  return { figures, warnings: [...warnings, warning] };
}
