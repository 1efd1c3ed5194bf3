/**
 * The one place where a failure becomes an exit code (README, "Exit codes").
 * Commands throw; src/cli.ts catches and calls `exitCodeOf`.
 */
import { ClaimRejectedError, RuleGapError } from "./core/errors.js";
import type { Diagnostic } from "./diagnostics.js";

export const EXIT = {
  ok: 0,
  problems: 1, // checks found problems (rules check, rules test)
  usage: 2, //    bad command line or override
  rules: 3, //    rules invalid, or no figure for this claim
  claim: 4, //    claim invalid or rejected
  internal: 70, // a bug
  interrupted: 130, // stopped by Ctrl-C (SIGINT): 128 + 2, as shells report it
} as const;

export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Problems found in input files; `exit` says whose (rules 3, claim 4, checks 1). */
export class DiagnosticsError extends Error {
  override readonly name = "DiagnosticsError";
  constructor(
    readonly diagnostics: readonly Diagnostic[],
    readonly exit: number,
  ) {
    super(`${diagnostics.length} problem(s)`);
  }
}

/** A run that worked but found problems (checks, tests): exit 1, output already written. */
export class ProblemsFound extends Error {
  override readonly name = "ProblemsFound";
}

/**
 * A batch (or a comparison) that ran to its end with records (scenarios) that
 * failed, already reported in the output and on standard error: `exit` is 4 (a
 * bad or refused record), 3 (only rule gaps) or 70 (a bug met on some record).
 */
export class RecordsFailed extends Error {
  override readonly name = "RecordsFailed";
  constructor(readonly exit: number) {
    super("some records failed");
  }
}

/** Stopped by SIGINT: the message says how far it got; partial output files are removed. */
export class Interrupted extends Error {
  override readonly name = "Interrupted";
}

export function exitCodeOf(e: unknown): number {
  if (e instanceof RecordsFailed) return e.exit;
  if (e instanceof Interrupted) return EXIT.interrupted;
  if (e instanceof UsageError) return EXIT.usage;
  if (e instanceof DiagnosticsError) return e.exit;
  if (e instanceof ProblemsFound) return EXIT.problems;
  if (e instanceof RuleGapError) return EXIT.rules;
  if (e instanceof ClaimRejectedError) return EXIT.claim;
  return EXIT.internal;
}
