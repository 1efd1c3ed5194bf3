/** What a batch record turns into: a settlement, or a failure with its problems. */
import type { Words } from "../diagnostics.js";

/** One problem of a record: the field path inside the claim ("" for the record as a whole) and a message. */
export interface Problem {
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
  /** The message and hint in Chinese, where the producer words them (standard error with --lang zh). */
  readonly zh?: Words;
}

/**
 * Why a record was not settled:
 * - invalid: not a claim (bad JSON or CSV, a field the schema refuses) — exit 4
 * - rejected: a claim the rules refuse (unknown region, disease not covered) — exit 4
 * - order: with --sorted, a claim dated before an earlier claim of the same person and year — exit 4
 * - rules: the rules have no figure for it (a rule gap) — exit 3
 * - internal: a bug in reimburse — exit 70
 */
export type FailureKind = "invalid" | "rejected" | "order" | "rules" | "internal";

/** Each kind as standard error names it in Chinese (in English: the kind itself). */
export const FAILURE_ZH: Readonly<Record<FailureKind, string>> = { invalid: "无效", rejected: "被拒", order: "顺序错误", rules: "规则缺口", internal: "内部错误" };

export interface Failure {
  readonly line: number;
  readonly id?: string;
  readonly kind: FailureKind;
  readonly problems: readonly Problem[];
}

/** The record's own id (when it has a readable one), so a failure can be matched by id as well as line. */
export function idOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const id = (value as { id?: unknown }).id;
  return typeof id === "string" ? id.slice(0, 200) : typeof id === "number" && Number.isFinite(id) ? String(id) : undefined;
}
