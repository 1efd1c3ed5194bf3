/**
 * Why a claim cannot be settled. The core throws these; the CLI maps them to
 * exit codes in one place (src/cli/errors.ts).
 */

/** A message and its hint in Chinese, beside the English of the error itself (printed with --lang zh). */
export interface InChinese {
  readonly message: string;
  readonly hint?: string;
}

/** The rules have no figure for this claim (a gap, not a bug): exit 3. */
export class RuleGapError extends Error {
  override readonly name = "RuleGapError";
  constructor(
    message: string,
    /** Where a figure would be added, e.g. "rules/hubei/province.yaml: policy.employee.inpatient.deductible". */
    readonly hint: string,
    readonly zh?: InChinese,
  ) {
    super(message);
  }
}

/** The claim names something the rules reject (unknown region, a disease not
 * on any list offered, …): exit 4, located at `path` in the claim. */
export class ClaimRejectedError extends Error {
  override readonly name = "ClaimRejectedError";
  constructor(
    message: string,
    readonly path: readonly (string | number)[],
    readonly hint?: string,
    readonly zh?: InChinese,
  ) {
    super(message);
  }
}

/**
 * A well-formed claim the policy refuses (a chronic disease not on the lists
 * the insured place offers), not a name the rules do not know: under --set or
 * a compare scenario it is the what-if's answer, not a mistake on the command line.
 */
export class PolicyRefusal extends ClaimRejectedError {}
