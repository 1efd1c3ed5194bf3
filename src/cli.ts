/**
 * The command line: builds the commander program, runs one command, and maps
 * every failure to an exit code here and nowhere else.
 */
import { readFileSync } from "node:fs";
import { Chalk } from "chalk";
import { Command, CommanderError, Option } from "commander";
import pkg from "../package.json" with { type: "json" };
import { RuleGapError } from "./core/errors.js";
import { DiagnosticsError, EXIT, exitCodeOf, UsageError } from "./errors.js";
import { formatDiagnostics } from "./format/diagnostics.js";
import { langFromEnv, type Lang } from "./format/labels.js";

export interface Streams {
  readonly stdout: { write(s: string): unknown; isTTY?: boolean };
  readonly stderr: { write(s: string): unknown; isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly readStdin: () => string;
}

const EXIT_HELP = `
Exit codes:
  0   ok
  1   checks found problems (rules check, rules test)
  2   usage error (bad option, file not found)
  3   rules invalid, or the rules have no figure for this claim
  4   claim invalid, or rejected by the rules (unknown region, disease not covered)
  70  internal error (a bug in reimburse: please report it)`;

function colorOn(opts: { color?: boolean }, s: Streams["stdout"], env: NodeJS.ProcessEnv): boolean {
  if (opts.color === false || (env.NO_COLOR ?? "") !== "") return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== "0") return true;
  return !!s.isTTY;
}

function langOf(v: string | undefined, env: NodeJS.ProcessEnv): Lang {
  return v === "zh" || v === "en" ? v : langFromEnv(env);
}

export function buildProgram(io: Streams, out: (s: string) => void): Command {
  const program = new Command()
    .name("reimburse")
    .description("Cross-province basic medical-insurance reimbursement (Hunan ↔ Hubei) from cited, dated YAML rules")
    .version(pkg.version, "--version")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText("after", EXIT_HELP);

  program
    .command("calc")
    .description("settle claims: what the fund pays, what the person pays, and why")
    .argument("<claim...>", "claim files (YAML or JSON), or - for standard input")
    .option("--rules <dir>", "rules directory (default: the shipped rules)")
    .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json"]).default("table"))
    .option("--explain", "list every step with its rule location and source", false)
    .addOption(new Option("--lang <lang>", "labels: zh or en (default from LANG)").choices(["zh", "en"]))
    .option("--no-color", "no colour (also NO_COLOR=1; off when not a terminal)")
    .addHelpText("after", EXIT_HELP)
    .action(async (claims: string[], opts: { rules?: string; format: "table" | "json"; explain: boolean; lang?: string; color: boolean }) => {
      const { calc } = await import("./commands/calc.js");
      out(calc(claims, { ...opts, lang: langOf(opts.lang, io.env), color: colorOn(opts, io.stdout, io.env) }, io));
    });

  return program;
}

/** Runs the CLI; resolves to the exit code. Nothing else in the program exits. */
export async function run(argv: readonly string[], io: Streams): Promise<number> {
  let output = "";
  const program = buildProgram(io, (s) => (output += s));
  const c = new Chalk({ level: colorOn({}, io.stderr, io.env) ? 1 : 0 });
  try {
    await program.parseAsync(argv as string[], { from: "user" });
    io.stdout.write(output); // written whole, after success: nothing half-written
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return EXIT.ok;
      return EXIT.usage; // commander has already printed its message
    }
    const code = exitCodeOf(e);
    if (e instanceof DiagnosticsError) io.stderr.write(formatDiagnostics(e.diagnostics, c) + "\n");
    else if (e instanceof RuleGapError) io.stderr.write(`${c.red("error")} rules: ${e.message}\n  ${c.dim(`hint: ${e.hint}`)}\n`);
    else if (e instanceof UsageError) io.stderr.write(`${c.red("error")}: ${e.message}\n`);
    else {
      io.stderr.write(`${c.red("internal error")} (a bug in reimburse, please report it with the input): ${(e as Error)?.message ?? String(e)}\n`);
      if (io.env.REIMBURSE_DEBUG) io.stderr.write(`${(e as Error)?.stack ?? ""}\n`);
    }
    return code;
  }
}

export function readStdin(): string {
  return readFileSync(0, "utf8");
}
