/**
 * What a settlement is: the result of src/core/settle.ts, and the citations it
 * carries. Plain data; the steps of its explanation are rendered from it on
 * request (src/core/explain.ts).
 */
import type { Fen } from "./money.js";
import type { Confidence, Kind, Loc, Route, Scheme } from "./model.js";
import type { Policy, Plan } from "./plan.js";
import type { Rate } from "./rate.js";
import type { Costs } from "./stages.js";

/** A figure the result depends on, with where it is written and its source. */
export interface FigureRef {
  readonly name: string;
  readonly region: string; // the layer's region code
  readonly from: string;
  readonly at: Loc;
  readonly source: string;
  readonly confidence: Confidence;
}

/** A value read from the rules, with its citation. */
export interface Cited<T> {
  readonly value: T;
  readonly ref: FigureRef;
}

export interface Warning {
  readonly code: "unverified-figure" | "route-forced" | "filing-missing" | "in-province" | "chronic-own-list";
  readonly en: string;
  readonly zh: string;
}

/** Words in both languages. */
export interface Text {
  readonly en: string;
  readonly zh: string;
}

export interface Line {
  readonly name: string;
  readonly class: "A" | "B" | "excluded";
  readonly amount: Fen;
  readonly prepay: Fen;
  readonly inPolicy: Fen;
}

export interface Reduction {
  readonly mechanism: "none" | "points" | "prepay";
  readonly rate: Rate;
  /** What the reduction costs the person: fund without it minus fund with it, before the cap. */
  readonly amount: Fen;
}

/** A person's year so far (a claim's `history`), or after a claim (its `ledger`). */
export interface Year {
  readonly fundPaid: Fen;
  readonly admissions: number;
  readonly deductiblePaid: Fen;
}

/** The deductible borne on a claim, and how it was reached (for the explanation). */
export interface DeductibleDue {
  /** The figure at the hospital level. */
  readonly figure: Fen;
  /** After the repeat-admission factor, when it applied. */
  readonly repeated?: Fen;
  /** What the annual ceiling left, when that was less. */
  readonly ceilingLeft?: Fen;
  /** What is due: the least of the above. */
  readonly due: Fen;
}

export interface Settlement {
  readonly id?: string;
  readonly date: string;
  readonly route: Route;
  readonly routeForced: boolean;
  /** The insured person (`id` as the claim gives it: the annual ledger's key) and place. */
  readonly insured: { readonly id?: string; readonly region: string; readonly name: string; readonly pool: string; readonly scheme: Scheme; readonly retired: boolean };
  /** The treatment place, the hospital as the claim names it, and the care. */
  readonly treatment: { readonly region: string; readonly name: string; readonly pool: string; readonly hospital?: string; readonly level: string; readonly kind: Kind; readonly disease?: string };
  readonly total: Fen;
  readonly excluded: Fen;
  readonly prepay: Fen; //        乙类先行自付
  readonly inPolicy: Fen; //      政策范围内费用 = total − excluded − prepay
  readonly routePrepay: Fen; //   reduction by the prepay mechanism
  readonly deductible: Fen; //    起付线 borne on this claim
  readonly ratio: Rate; //        effective ratio for class A (and B unless ratioB differs)
  readonly ratioB: Rate;
  readonly reduction: Reduction;
  readonly copay: Fen; //         the person's share above the deductible
  readonly fundBeforeCap: Fen;
  readonly overCap: Fen;
  readonly fund: Fen; //          统筹基金支付 (payable)
  readonly personal: Fen; //      个人负担 = excluded + prepay + routePrepay + deductible + copay + overCap
  readonly lines?: readonly Line[];
  readonly warnings: readonly Warning[];
  readonly figures: readonly FigureRef[];
  /** The person's year after this claim: feed it to the next claim's history. */
  readonly ledger: Year;
  /** How it was reached, for the explanation (src/core/explain.ts). */
  readonly trace: Trace;
}

/** What the explanation of a settlement reads besides its amounts. */
export interface Trace {
  readonly plan: Plan;
  readonly policy: Policy;
  readonly history: Year;
  /** The catalogue stage: in policy by class, and whether the treatment place's share was applied. */
  readonly costs: Costs;
  readonly deductibleDue: DeductibleDue;
  /** In policy after the route prepay and the deductible, class A and class B. */
  readonly base: readonly [Fen, Fen];
  readonly capLeft: Fen;
}
