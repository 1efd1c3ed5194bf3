/**
 * The conversions and checks of claim fields, as named functions: the claim
 * schema (src/claims/schema.ts) is built from them, and its compiled validator
 * (src/claims/validate.ts) calls the same functions by these names. No zod here.
 */
import { isCalendarDate, isIsoDate } from "../core/dates.js";
import { formatYuan as yuan, parseYuan, type Fen } from "../core/money.js";

export { isCalendarDate, isIsoDate };

/** What a check or a conversion is given to report a problem with (zod's context, or the compiled validator's). */
export interface IssueSink {
  addIssue(issue: { code: "custom"; message: string; input?: unknown; path?: (string | number)[] }): void;
}

/** An amount is written as a number or a string. */
export const isAmountInput = (v: unknown): v is number | string => typeof v === "number" || typeof v === "string";

/** Yuan in, fen out: at most 2 decimals, never negative (src/core/money.ts parseYuan). */
export function fenOfYuan(v: number | string, ctx: IssueSink): Fen {
  const r = parseYuan(v);
  if (!r.ok) ctx.addIssue({ code: "custom", message: r.message, input: v });
  return r.ok ? r.value : 0;
}

/** A region code or name, a level or a disease as written, without surrounding blanks. */
export const trimmed = (v: string | number): string => String(v).trim();

/** A string without surrounding blanks; anything else as it is (for the schema to refuse). */
export const trimString = (v: unknown): unknown => (typeof v === "string" ? v.trim() : v);

/** The shape a claim has once each field reads, for the cross-field checks. */
interface CheckedClaim {
  readonly insured: { readonly scheme: string; readonly retired: boolean };
  readonly treatment: { readonly kind: string; readonly disease?: string | undefined };
  readonly costs?: { readonly classA: Fen; readonly classB: Fen; readonly excluded: Fen; readonly prepay?: Fen | undefined; readonly total?: Fen | undefined } | undefined;
  readonly items?: readonly { readonly class: string; readonly amount: Fen; readonly prepay?: Fen | undefined }[] | undefined;
}

/** zod's `.check()` payload: the value, and the issues found so far. */
export interface CheckPayload<T> {
  readonly value: T;
  readonly issues: unknown[];
}

/** The rules between fields, once every field reads on its own. */
export function claimChecks(payload: CheckPayload<CheckedClaim>): void {
  const c = payload.value;
  const issue = (path: (string | number)[], message: string) => payload.issues.push({ code: "custom", path, message, input: c });
  if (c.costs && c.items) issue(["items"], "give either costs or items, not both");
  if (!c.costs && !c.items) issue(["costs"], "is required (or give itemised lines under items)");
  if (c.costs?.total !== undefined) {
    const sum = c.costs.classA + c.costs.classB + c.costs.excluded;
    if (sum !== c.costs.total) issue(["costs", "total"], `is ${yuan(c.costs.total)} but classA + classB + excluded = ${yuan(sum)}`);
  }
  if (c.costs?.prepay !== undefined && c.costs.prepay > c.costs.classB) issue(["costs", "prepay"], `is more than classB (${yuan(c.costs.prepay)} > ${yuan(c.costs.classB)}): the class B prepay is part of class B`);
  c.items?.forEach((it, i) => {
    if (it.prepay !== undefined && it.class !== "B") issue(["items", i, "prepay"], "applies to class B lines only");
    if (it.prepay !== undefined && it.prepay > it.amount) issue(["items", i, "prepay"], `is more than the line's amount (${yuan(it.prepay)} > ${yuan(it.amount)})`);
  });
  if (c.treatment.kind === "chronic" && !c.treatment.disease) issue(["treatment", "disease"], "is required when kind is chronic (an id from the disease catalogue)");
  if (c.treatment.kind !== "chronic" && c.treatment.disease !== undefined) issue(["treatment", "disease"], "applies only when kind is chronic");
  if (c.insured.retired && c.insured.scheme !== "employee") issue(["insured", "retired"], "applies to the employee scheme only (职工医保)");
}
