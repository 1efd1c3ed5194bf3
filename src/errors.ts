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
  io: 74, //       EX_IOERR (sysexits.h): a read or a write the system failed (disk full, I/O error)
  hangup: 129, //  stopped by SIGHUP: 128 + 1, as shells report it
  interrupted: 130, // stopped by Ctrl-C (SIGINT): 128 + 2
  brokenPipe: 141, // standard output closed by its reader (`| head`): 128 + SIGPIPE, quietly
  terminated: 143, // stopped by SIGTERM (timeout, docker stop, systemd): 128 + 15
} as const;

/** The signals a batch stops on, cleaning up as it goes, and their exit codes. */
export const STOP_SIGNALS = { SIGHUP: EXIT.hangup, SIGINT: EXIT.interrupted, SIGTERM: EXIT.terminated } as const;
export type StopSignal = keyof typeof STOP_SIGNALS;

export class UsageError extends Error {
  override readonly name = "UsageError";
  /** The message in Chinese, where it is worded (printed with --lang zh). */
  constructor(
    message: string,
    readonly zh?: string,
  ) {
    super(message);
  }
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

/** Stopped by a signal (SIGINT, SIGTERM, SIGHUP): the message says how far it got; partial output files are removed. */
export class Interrupted extends Error {
  override readonly name = "Interrupted";
  constructor(
    message: string,
    readonly signal: StopSignal = "SIGINT",
  ) {
    super(message);
  }
}

/** A read or a write the system failed mid-way (no space left, an I/O error): the message names the file and the error (exit 74). */
export class IoError extends Error {
  override readonly name = "IoError";
  constructor(
    message: string,
    readonly zh?: string,
  ) {
    super(message);
  }
}

/** Standard output (or a pipe given as --output) was closed by its reader, as `| head` does: the run ends quietly. */
export class BrokenPipe extends Error {
  override readonly name = "BrokenPipe";
}

/** Errors of the system that are the user's to fix (a path, a permission) rather than the machine's (a disk, a device). */
const USAGE_ERRNOS = new Set(["ENOENT", "ENOTDIR", "EISDIR", "EACCES", "EPERM", "EROFS", "ELOOP", "ENAMETOOLONG", "EEXIST", "ETXTBSY", "EBUSY"]);

/** Node's system errors (fs, streams) carry an errno code such as "ENOSPC". */
export function isSystemError(e: unknown): e is NodeJS.ErrnoException & { code: string } {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === "string" && /^E[A-Z0-9]+$/.test((e as NodeJS.ErrnoException).code!) && typeof (e as NodeJS.ErrnoException).errno === "number";
}

/** The system's words for an error: "no space left on device (ENOSPC)". */
export function systemReason(e: NodeJS.ErrnoException): string {
  const words = /^E[A-Z0-9]+: ([^,]+)/.exec(e.message)?.[1] ?? e.message;
  return e.code ? `${words} (${e.code})` : words;
}

/**
 * A system error met while reading or writing `name`, as the CLI reports it:
 * a closed pipe ends quietly; a missing path, a permission or a loop of
 * symbolic links is a usage error (exit 2: name another file, or fix it); a
 * full disk or an I/O error is the machine's (exit 74). Anything that is not
 * a system error is returned as it is (a bug: exit 70).
 */
export function systemError(e: unknown, name: string, doing: "read" | "write"): unknown {
  if (!isSystemError(e)) return e;
  if (e.code === "EPIPE" && doing === "write") return new BrokenPipe(`cannot write ${name}: the reader closed it`);
  const notFound = e.code === "ENOENT" && doing === "read";
  const message = notFound ? `file not found: ${name}` : `cannot ${doing} ${name}: ${systemReason(e)}`;
  const zh = notFound ? `找不到文件：${name}` : `无法${doing === "read" ? "读取" : "写入"} ${name}：${systemReason(e)}`;
  return USAGE_ERRNOS.has(e.code) ? new UsageError(message, zh) : new IoError(message, zh);
}

export function exitCodeOf(e: unknown): number {
  if (e instanceof RecordsFailed) return e.exit;
  if (e instanceof Interrupted) return STOP_SIGNALS[e.signal];
  if (e instanceof IoError) return EXIT.io;
  if (e instanceof BrokenPipe) return EXIT.brokenPipe;
  if (e instanceof UsageError) return EXIT.usage;
  if (e instanceof DiagnosticsError) return e.exit;
  if (e instanceof ProblemsFound) return EXIT.problems;
  if (e instanceof RuleGapError) return EXIT.rules;
  if (e instanceof ClaimRejectedError) return EXIT.claim;
  return EXIT.internal;
}
