/**
 * What a settlement is: the result of src/core/settle.ts, and the citations it
 * carries. Plain data; the steps of its explanation are rendered from it on
 * request (src/core/explain.ts).
 */
import type { Fen } from "./money.js";
import type { Confidence, Kind, Loc, Route, Scheme } from "./model.js";
import type { Policy, Plan } from "./plan.js";
import type { Rate } from "./rate.js";
import type { CapsLeft, Costs } from "./stages.js";
import type { CriticalAccount, CriticalResult } from "./critical.js";

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
  readonly code: "unverified-figure" | "route-forced" | "filing-missing" | "in-province" | "chronic-own-list" | "future-date" | "stale-figure" | "critical-illness-missing" | "zone-not-started";
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

/** One annual account: the fund's payments and the deductibles of a kind of care so far this year. */
export interface Account {
  readonly fundPaid: Fen;
  readonly deductiblePaid: Fen;
}

/**
 * A person's year so far (a claim's `history`), or after a claim (its
 * `ledger`): the inpatient account (统筹基金, with the admission count) at the
 * top, and an account for each other kind of care. A kind settles in its own
 * account; where the policy counts it in the inpatient cap too (`countsIn`),
 * its payments go into both; a kind that `settleAs` another uses that one's.
 */
export interface Year extends Account {
  readonly admissions: number;
  readonly outpatient: Account;
  readonly chronic: Account;
  /** 大病保险: the base accumulated this year and what the layer paid (src/core/critical.ts). */
  readonly criticalIllness: CriticalAccount;
}

/** The account of a kind of care in a year. */
export const accountOf = (y: Year, kind: Kind): Account => (kind === "inpatient" ? y : y[kind]);

/** The numbers a year is made of, each by its path inside it (history.outpatient.fundPaid): a batch's ledger keeps them in columns. */
export const YEAR_FIELDS: readonly (readonly string[])[] = [
  ["fundPaid"],
  ["admissions"],
  ["deductiblePaid"],
  ["outpatient", "fundPaid"],
  ["outpatient", "deductiblePaid"],
  ["chronic", "fundPaid"],
  ["chronic", "deductiblePaid"],
  ["criticalIllness", "base"],
  ["criticalIllness", "paid"],
];

/** The number at YEAR_FIELDS[i] of a year. */
export function yearField(y: Year, i: number): number {
  let v: unknown = y;
  for (const seg of YEAR_FIELDS[i]!) v = (v as Record<string, unknown>)[seg];
  return v as number;
}

/** A year from its numbers, in the order of YEAR_FIELDS. */
export function yearOf(values: ArrayLike<number>): Year {
  const y: Record<string, unknown> = {};
  YEAR_FIELDS.forEach((path, i) => {
    let o = y;
    for (const seg of path.slice(0, -1)) o = (o[seg] ??= {}) as Record<string, unknown>;
    o[path[path.length - 1]!] = values[i];
  });
  return y as unknown as Year;
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
  /** 大病保险 on this claim; absent where the layer does not apply (outpatient care) or its figures are missing (a warning says so). */
  readonly critical?: CriticalResult;
  readonly personal: Fen; //      个人负担 = excluded + prepay + routePrepay + deductible + copay + overCap − 大病保险
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
  /** What the annual caps left before this claim. */
  readonly caps: CapsLeft;
}
