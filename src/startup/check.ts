/**
 * The quick way through `reimburse rules check` on the shipped rules: answered
 * from the rules snapshot (src/rules/snapshot.ts loadCheckSnapshot: the rule
 * files are read and compared byte for byte with what the snapshot was made
 * from), running every check of src/rules/checks.ts, without loading
 * commander, zod, the yaml library, chalk or cli-table3. It either gives
 * exactly what the CLI gives — the report on stdout, exit 0, or 1 when it found
 * problems — or returns undefined, having written nothing, and the caller runs
 * the CLI as usual: another directory, edited rules, colour, an option it does
 * not know or a value the CLI would refuse (the CLI words the error).
 * test/rules/snapshot-check.test.ts checks it against the CLI.
 */
import { resolve as resolvePath } from "node:path";
import { renderCheck } from "../format/check.js";
import { runChecks } from "../rules/checks.js";
import { loadCheckSnapshot } from "../rules/snapshot.js";
import { isCalendarDate } from "../core/dates.js";
import { today } from "./dates.js";
import { shippedDir } from "./paths.js";

export interface QuickIo {
  readonly stdout: { write(s: string): unknown; isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

const plain = { red: (s: string) => s, yellow: (s: string) => s, bold: (s: string) => s, dim: (s: string) => s };

/** `args` after "rules check". Exit code, or undefined: not handled, nothing written. */
export function quickCheck(args: readonly string[], io: QuickIo): number | undefined {
  let dir: string | undefined;
  let format = "text";
  let strict = false;
  let asOf: string | undefined;
  let staleYears = "5";
  let color = true;
  const value = (i: number): string | undefined => {
    const v = args[i];
    return v === undefined || v.startsWith("-") ? undefined : v;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    let v: string | undefined;
    if (a === "--format" || a === "-f") {
      if ((v = value(++i)) === undefined) return undefined;
      format = v;
    } else if (a.startsWith("--format=")) format = a.slice(9);
    else if (a === "--as-of") {
      if ((v = value(++i)) === undefined) return undefined;
      asOf = v;
    } else if (a.startsWith("--as-of=")) asOf = a.slice(8);
    else if (a === "--stale-years") {
      if ((v = value(++i)) === undefined) return undefined;
      staleYears = v;
    } else if (a.startsWith("--stale-years=")) staleYears = a.slice(14);
    else if (a === "--strict") strict = true;
    else if (a === "--no-color") color = false;
    else if (a.startsWith("-") || dir !== undefined) return undefined; // --help, --, another option, a second directory: the usual way
    else dir = a;
  }
  if (format !== "text" && format !== "json" && format !== "github") return undefined;
  const years = Number(staleYears);
  if (!/^\d+$/.test(staleYears) || !Number.isInteger(years) || years < 1) return undefined;
  if (asOf !== undefined && !isCalendarDate(asOf)) return undefined;
  // Colour as the CLI decides it (src/cli.ts colorOn); with colour, the CLI (chalk) prints.
  if (color && (io.env.NO_COLOR ?? "") === "" && ((io.env.FORCE_COLOR && io.env.FORCE_COLOR !== "0") || io.stdout.isTTY)) return undefined;
  const shipped = shippedDir();
  if (shipped === undefined || (dir !== undefined && resolvePath(dir) !== shipped)) return undefined;
  const input = loadCheckSnapshot(shipped);
  if (!input) return undefined;
  const r = runChecks(input, { asOf: asOf ?? today(), staleYears: years });
  io.stdout.write(renderCheck(r, format, plain));
  return r.summary.errors > 0 || (strict && r.summary.warnings > 0) ? 1 : 0;
}
