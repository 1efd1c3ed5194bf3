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
import { accountOf, type Cited, type DeductibleDue, type Line, type Year } from "./settlement.js";

export interface Costs {
  readonly total: Fen;
  readonly excluded: Fen;
  /** 乙类先行自付: what the person pays first of class B. */
  readonly prepay: Fen;
  /** In policy: class A in full, class B less its prepay. */
  readonly inA: Fen;
  readonly inB: Fen;
  readonly lines?: readonly Line[];
  /** Whether the treatment place's share was applied. */
  readonly usedShare: boolean;
  /** Whether a prepay printed on the bill was used (`costs.prepay`, or a line's `prepay`). */
  readonly billed: boolean;
}

/**
 * 1. Catalogue (就医地目录): class A counts in full, class B less its 乙类先行自付
 * — as printed on the bill (`costs.prepay`, or a line's `prepay`), else the
 * treatment place's share — and excluded costs never. `share` is asked for only
 * when a class B amount needs it. Rounding point 1: the prepay from the share,
 * once on costs.classB or once per itemised line.
 */
export function catalogue(claim: Claim, share: () => Cited<Rate>): Costs {
  if (claim.items) {
    const lines: Line[] = [];
    let [excluded, prepay, inA, inB, total] = [0, 0, 0, 0, 0];
    let usedShare = false;
    let billed = false;
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
        } else billed = true;
        prepay += p;
        inB += it.amount - p;
        lines.push({ name: it.name, class: it.class, amount: it.amount, prepay: p, inPolicy: it.amount - p });
      }
    }
    return { total, excluded, prepay, inA, inB, lines, usedShare, billed };
  }
  const c = claim.costs!;
  const total = c.classA + c.classB + c.excluded;
  if (c.classB === 0) return { total, excluded: c.excluded, prepay: 0, inA: c.classA, inB: 0, usedShare: false, billed: false };
  if (c.prepay !== undefined) return { total, excluded: c.excluded, prepay: c.prepay, inA: c.classA, inB: c.classB - c.prepay, usedShare: false, billed: true };
  const s = share().value;
  const prepay = mulRound(c.classB, s.num, s.den);
  return { total, excluded: c.excluded, prepay, inA: c.classA, inB: c.classB - prepay, usedShare: true, billed: false };
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
 * (rounding point 3); never more than what the annual ceiling leaves of the
 * claim's account (the deductibles of its kind of care this year).
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
    const left = Math.max(0, ceil.value - accountOf(history, policy.account).deductiblePaid);
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

/** What the caps leave of a year: the kind's own cap, the inpatient cap its payments count in, and the lesser. */
export interface CapsLeft {
  readonly own?: Fen;
  readonly counted?: Fen;
  readonly left: Fen;
}

/**
 * 6. Annual cap (年度最高支付限额): the fund pays at most what the year's cap
 * leaves of the claim's account — and, where the kind counts in the inpatient
 * cap (`countsIn`), of that one too; the rest is the person's.
 */
export function annualCap(policy: Policy, history: Year, fundBeforeCap: Fen): { caps: CapsLeft; fund: Fen; overCap: Fen } {
  const own = policy.annualCap && Math.max(0, policy.annualCap.value - accountOf(history, policy.account).fundPaid);
  const counted = policy.countsIn && Math.max(0, policy.countsIn.cap.value - history.fundPaid);
  const left = Math.min(own ?? Infinity, counted ?? Infinity);
  const paid = Math.min(fundBeforeCap, left);
  const caps: { -readonly [K in keyof CapsLeft]: CapsLeft[K] } = { left };
  if (own !== undefined) caps.own = own;
  if (counted !== undefined) caps.counted = counted;
  return { caps, fund: paid, overCap: fundBeforeCap - paid };
}

/**
 * The year after a claim: its fund payment and deductible in its account (and
 * the inpatient cap's, where it counts there), an admission for inpatient
 * care, and for the kinds 大病保险 pays on, its base and what the layer paid.
 */
export function yearAfter(history: Year, policy: Policy, kind: Kind, fundPaid: Fen, deductible: Fen, critical?: { readonly base: Fen; readonly paid: Fen }): Year {
  const a = accountOf(history, policy.account);
  const account = { fundPaid: a.fundPaid + fundPaid, deductiblePaid: a.deductiblePaid + deductible };
  const y: { -readonly [K in keyof Year]: Year[K] } = policy.account === "inpatient" ? { ...history, ...account } : { ...history, [policy.account]: account };
  if (policy.countsIn && policy.account !== "inpatient") y.fundPaid += fundPaid;
  if (kind === "inpatient") y.admissions += 1;
  if (critical) y.criticalIllness = { base: history.criticalIllness.base + critical.base, paid: history.criticalIllness.paid + critical.paid };
  return y;
}
