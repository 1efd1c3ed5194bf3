/**
 * The stages of a settlement, in the order a policy officer names them, each a
 * small pure function of amounts and the figures of the plan (src/core/plan.ts).
 * Rounding happens only in the calls to mulRound / mulRoundSum (README,
 * "Rounding"); everything else is integer addition and subtraction.
 */
import type { Claim } from "../claims/schema.js";
import { mulRound, mulRoundSum2, type Fen } from "./money.js";
import type { Kind } from "./model.js";
import type { Policy, Ratios } from "./policy.js";
import type { Rate } from "./rate.js";
import type { Cited, DeductibleDue, Line, Year } from "./settlement.js";

export interface Costs {
  readonly total: Fen;
  readonly excluded: Fen;
  /** 乙类先行自付: what the person pays first of class B. */
  readonly prepay: Fen;
  /** In policy: class A in full, class B less its prepay. */
  readonly inA: Fen;
  readonly inB: Fen;
  readonly lines?: readonly Line[];
  /** Whether the treatment place's share was applied (not the bill's own prepay). */
  readonly usedShare: boolean;
}

/**
 * 1. Catalogue (就医地目录): class A counts in full, class B less the treatment
 * place's 乙类先行自付 share (or the prepay printed on an itemised line), and
 * excluded costs never. `share` is asked for only when a class B amount needs it.
 * Rounding point 1: the prepay, once on costs.classB or once per itemised line.
 */
export function catalogue(claim: Claim, share: () => Cited<Rate>): Costs {
  if (claim.items) {
    const lines: Line[] = [];
    let [excluded, prepay, inA, inB, total] = [0, 0, 0, 0, 0];
    let usedShare = false;
    for (const it of claim.items) {
      total += it.amount;
      if (it.class === "excluded") {
        excluded += it.amount;
        lines.push({ name: it.name, class: it.class, amount: it.amount, prepay: 0, inPolicy: 0 });
      } else if (it.class === "A") {
        inA += it.amount;
        lines.push({ name: it.name, class: it.class, amount: it.amount, prepay: 0, inPolicy: it.amount });
      } else {
        let p = it.prepay;
        if (p === undefined) {
          const s = share().value;
          p = mulRound(it.amount, s.num, s.den);
          usedShare = true;
        }
        prepay += p;
        inB += it.amount - p;
        lines.push({ name: it.name, class: it.class, amount: it.amount, prepay: p, inPolicy: it.amount - p });
      }
    }
    return { total, excluded, prepay, inA, inB, lines, usedShare };
  }
  const c = claim.costs!;
  const total = c.classA + c.classB + c.excluded;
  if (c.classB === 0) return { total, excluded: c.excluded, prepay: 0, inA: c.classA, inB: 0, usedShare: false };
  const s = share().value;
  const prepay = mulRound(c.classB, s.num, s.den);
  return { total, excluded: c.excluded, prepay, inA: c.classA, inB: c.classB - prepay, usedShare: true };
}

/**
 * 2. Route prepay (异地先行自付): where the insured province words the route's
 * reduction as a prepay, the person first pays that share of the in-policy
 * amount, before the deductible. Rounding point 2.
 */
export function routePrepay(reduction: Policy["reduction"], inPolicy: Fen): Fen {
  return reduction.mechanism === "prepay" ? mulRound(inPolicy, reduction.rate.num, reduction.rate.den) : 0;
}

/**
 * 3. Deductible (起付线): the insured place's figure at the hospital level; from
 * the second inpatient admission of the year times the repeat-admission factor
 * (rounding point 3); never more than what the annual ceiling leaves.
 */
export function deductibleDue(policy: Policy, kind: Kind, history: Year): DeductibleDue {
  const figure = policy.deductible.value;
  let due = figure;
  let repeated: Fen | undefined;
  let ceilingLeft: Fen | undefined;
  const rep = policy.repeatAdmission;
  if (kind === "inpatient" && history.admissions >= 1 && rep) due = repeated = mulRound(due, rep.value.num, rep.value.den);
  const ceil = policy.deductibleCeiling;
  if (ceil) {
    const left = Math.max(0, ceil.value - history.deductiblePaid);
    if (left < due) due = ceilingLeft = left;
  }
  return { figure, repeated, ceilingLeft, due };
}

/** Subtracts `take` from class A first, then class B, neither below zero (README, "Choices"). */
export function takeInOrder([a, b]: readonly [Fen, Fen], take: Fen): [Fen, Fen] {
  const fromA = Math.min(a, take);
  return [a - fromA, Math.max(0, b - (take - fromA))];
}

/**
 * 4.–5. Ratio and fund: (in policy − route prepay − deductible) × ratio, class A
 * and class B each at its ratio, summed exactly and rounded once (rounding
 * point 4). What is deducted comes off class A first.
 */
export function fund(costs: Costs, deducted: Fen, ratio: Pick<Ratios, "a" | "b">): { base: [Fen, Fen]; fund: Fen } {
  const base = takeInOrder([costs.inA, costs.inB], deducted);
  return { base, fund: mulRoundSum2(base[0], ratio.a, base[1], ratio.b) };
}

/** What the route reduction costs: the fund the claim would get without it (no route prepay, the ratio before the reduction) minus the fund it gets. */
export function reductionCost(costs: Costs, policy: Policy, due: Fen, fundBeforeCap: Fen): Fen {
  if (policy.reduction.mechanism === "none") return 0;
  const unreduced = fund(costs, Math.min(due, costs.inA + costs.inB), { a: policy.ratio.base, b: policy.ratio.baseB });
  return unreduced.fund - fundBeforeCap;
}

/** 6. Annual cap (年度最高支付限额): the fund pays at most what the year's cap leaves; the rest is the person's. */
export function annualCap(cap: Fen, history: Year, fundBeforeCap: Fen): { capLeft: Fen; fund: Fen; overCap: Fen } {
  const capLeft = Math.max(0, cap - history.fundPaid);
  const paid = Math.min(fundBeforeCap, capLeft);
  return { capLeft, fund: paid, overCap: fundBeforeCap - paid };
}
