/**
 * Settlement of one claim, stage by stage (README, "What it computes"):
 *
 *   plan (places, route, figures in force)  src/core/plan.ts, src/core/policy.ts
 *   1. catalogue: in policy, class B prepay  src/core/stages.ts
 *   2. route prepay
 *   3. deductible
 *   4. ratio (in the plan: retiree adjustment, route reduction)
 *   5. fund
 *   6. annual cap
 *   7. 大病保险 on what the basic fund left        src/core/critical.ts, src/core/scale.ts
 *   8. personal: what is left is the person's, in parts that add up
 *
 * The plan is what does not depend on the amounts; it is compiled once per claim
 * context and cached. The explanation (steps with their texts) is rendered
 * from a settlement when asked (src/core/explain.ts).
 */
import type { Claim } from "../claims/schema.js";
import { ROUTE_NAMES, type RuleSet } from "./model.js";
import { citations, withDateWarnings } from "./citations.js";
import { gapError, type Missing } from "./gaps.js";
import { planFor, policyOf, shareOf, type Plan } from "./plan.js";
import { zoneLater } from "./route.js";
import type { Settlement, Text, Year } from "./settlement.js";
import { criticalIllness, CRITICAL_KINDS } from "./critical.js";
import { annualCap, catalogue, deductibleDue, fund, reductionCost, routePrepay, yearAfter } from "./stages.js";

/** The treatment as shown, with the hospital the claim names (after the place, before the care). */
function atHospital(t: Settlement["treatment"], hospital: string): Settlement["treatment"] {
  const { region, name, pool, level, kind, disease } = t;
  return disease === undefined ? { region, name, pool, hospital, level, kind } : { region, name, pool, hospital, level, kind, disease };
}

/** An inpatient stay between the two sides of a zone that starts after its date: said first, with the zone's name and start (the route is not the zone's). */
function zoneNotYet(rules: RuleSet, claim: Claim, plan: Plan): Text | undefined {
  const [insured, treated] = [rules.regions[plan.insured.region], rules.regions[plan.treatment.region]];
  if (plan.route.forced || plan.treatment.kind !== "inpatient" || !insured || !treated) return undefined;
  const later = zoneLater(rules, insured, treated, claim.date);
  if (!later) return undefined;
  const route = ROUTE_NAMES[plan.route.route];
  return {
    en: `the 互认区域 ${later.zone.name.zh} (${later.zone.name.en}) starts ${later.from}: a stay on ${claim.date} is not in the zone but on the ${plan.route.route} route`,
    zh: `互认区域 ${later.zone.name.zh} 自 ${later.from} 起实施：${claim.date} 的住院不在互认区域内，按${route.zh}路径结算`,
  };
}

/**
 * `today`, when given, is the caller's date (the core reads no clock): a claim
 * dated after it settles with a warning.
 */
export function settle(claim: Claim, rules: RuleSet, history: Year = claim.history, today?: string): Settlement {
  const plan = planFor(rules, claim);
  const missing: Missing[] = []; // figures the rules lack on the date: the claim's rule gap names them all
  const costs = catalogue(claim, () => shareOf(plan, rules, claim.date, missing));
  const policy = policyOf(plan, rules, claim.date, missing);
  if (missing.length || !policy) throw gapError(rules, claim.date, missing, zoneNotYet(rules, claim, plan));
  const inPolicy = costs.inA + costs.inB;

  const prepaid = routePrepay(policy.reduction, inPolicy);
  const due = deductibleDue(policy, plan.treatment.kind, history);
  const deductible = Math.min(due.due, inPolicy - prepaid);
  const { base, fund: fundBeforeCap } = fund(costs, prepaid + deductible, policy.ratio);
  const cap = annualCap(policy, history, fundBeforeCap);
  const copay = inPolicy - prepaid - deductible - fundBeforeCap;
  // 7. 大病保险: on the in-policy amount the basic fund left to the person, for the kinds it pays on.
  const layered = CRITICAL_KINDS.has(plan.treatment.kind);
  const leftInPolicy = inPolicy - cap.fund;
  const critical = layered && policy.critical ? criticalIllness(policy.critical, history.criticalIllness, leftInPolicy) : undefined;
  const personal = costs.excluded + costs.prepay + prepaid + deductible + copay + cap.overCap - (critical?.payable ?? 0);

  const usedRepeat = due.repeated !== undefined;
  const cited = citations(plan, policy, costs.usedShare, usedRepeat);
  const s: { -readonly [K in keyof Settlement]: Settlement[K] } = {
    date: claim.date,
    route: plan.route.route,
    routeForced: plan.route.forced,
    insured: claim.insured.id === undefined ? plan.insured : { id: claim.insured.id, ...plan.insured },
    treatment: claim.treatment.hospital === undefined ? plan.treatment : atHospital(plan.treatment, claim.treatment.hospital),
    total: costs.total,
    excluded: costs.excluded,
    prepay: costs.prepay,
    inPolicy,
    routePrepay: prepaid,
    deductible,
    ratio: policy.ratio.a,
    ratioB: policy.ratio.b,
    reduction: { mechanism: policy.reduction.mechanism, rate: policy.reduction.rate, amount: reductionCost(costs, policy, due.due, fundBeforeCap) },
    copay,
    fundBeforeCap,
    overCap: cap.overCap,
    fund: cap.fund,
    ...(critical ? { critical } : {}),
    personal,
    warnings: withDateWarnings(cited.warnings, cited.figures, claim.date, today),
    figures: cited.figures,
    ledger: yearAfter(history, policy, plan.treatment.kind, cap.fund, deductible, layered ? { base: leftInPolicy, paid: critical?.payable ?? 0 } : undefined),
    trace: { plan, policy, history, costs, deductibleDue: due, base, caps: cap.caps },
  };
  if (claim.id !== undefined) s.id = claim.id;
  if (costs.lines) s.lines = costs.lines;
  return s;
}

