/**
 * The command line: builds the commander program, runs one command, and maps
 * every failure to an exit code here and nowhere else.
 */
import { readText } from "./io.js";
import { Command, CommanderError, Option } from "commander";
import pkg from "../package.json" with { type: "json" };
import { RuleGapError } from "./core/errors.js";
import { BrokenPipe, DiagnosticsError, EXIT, exitCodeOf, Interrupted, IoError, isSystemError, ProblemsFound, RecordsFailed, systemError, UsageError } from "./errors.js";
import { flushed, watch } from "./streams.js";
import { colors } from "./format/color.js";
import { formatDiagnostics } from "./format/diagnostics.js";
import { langFromEnv, type Lang } from "./format/labels.js";
import { commanderZh } from "./format/commander-zh.js";
import { addHelp, helpConfig } from "./help.js";
import { INPUT_FORMATS, type InputFormat } from "./claims/format.js";

export interface Streams {
  readonly stdout: { write(s: string): unknown; isTTY?: boolean; columns?: number };
  readonly stderr: { write(s: string): unknown; isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly readStdin: () => string;
  /** Standard input as a stream, for commands that read it record by record (batch); a
   * function, so that process.stdin is not touched (made non-blocking) unless it is used. */
  readonly stdin?: () => AsyncIterable<Buffer | string>;
}


function colorOn(opts: { color?: boolean }, s: Streams["stdout"], env: NodeJS.ProcessEnv): boolean {
  if (opts.color === false || (env.NO_COLOR ?? "") !== "") return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== "0") return true;
  return !!s.isTTY;
}

/**
 * The columns tables fit in: the terminal's; else COLUMNS (set by shells, or by
 * hand for a file); else 100 (README, "Tables").
 */
function termWidth(io: Streams): number {
  if (io.stdout.isTTY && io.stdout.columns) return io.stdout.columns;
  const env = Number(io.env.COLUMNS);
  return Number.isInteger(env) && env >= 40 ? env : 100;
}

/** `--input-format`, the same on every command that reads claims (docs/input.md). */
function inputFormatOption(of = "the claims"): Option {
  return new Option("--input-format <format>", `how to read ${of} (default: by content, then by extension)`).choices(INPUT_FORMATS);
}

/** A repeatable option's values, in order. */
const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

function langOf(v: string | undefined, env: NodeJS.ProcessEnv): Lang {
  return v === "zh" || v === "en" ? v : langFromEnv(env);
}

export function buildProgram(io: Streams, out: (s: string) => void, lang: Lang = "en"): Command {
  const program = new Command()
    .name("reimburse")
    .description("Cross-province basic medical-insurance reimbursement (Hunan ↔ Hubei) from cited, dated YAML rules")
    .version(pkg.version, "-V, --version")
    .configureHelp(helpConfig)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(lang === "zh" ? commanderZh(s) : s) })
    .showHelpAfterError("(run with --help for usage)");

  program
    .command("calc")
    .description("settle claims: what the fund pays, what the person pays, and why")
    .argument("<claim...>", "claim files: a claim or a list of claims (YAML, JSON), JSON Lines or CSV; - for standard input")
    .option("--rules <dir>", "rules directory (default: the shipped rules)")
    .addOption(inputFormatOption())
    .addOption(new Option("-f, --format <format>", "output format (json: one object per claim, an array for several; html: a printable settlement slip)").choices(["table", "json", "csv", "tsv", "html"]).default("table"))
    .option("-o, --output <file>", "write the result to this file (whole, once everything has succeeded) instead of standard output")
    .option("--bom", "csv/tsv: start with a UTF-8 byte-order mark, so Excel reads the Chinese right")
    .option("--set <path=value>", "change a claim field before settling, e.g. filing=none or treatment.level=2 (repeatable)", collect)
    .option("--fields <list>", "csv/tsv: columns to print; json: top-level keys (comma-separated)")
    .option("-q, --quiet", "no warnings on standard error (or under the table)", false)
    .option("--explain", "list every step with its rule location and source (table and json; html always does)", false)
    .option("--keep-going", "with several claims: print those that settle, report the others on standard error, exit 3 or 4 as batch does", false)
    .option("--receipt <file>", "write a JSON record of the run: rules version and directory, tool version, each input's SHA-256, the dates used, the count of results")
    .addOption(new Option("--lang <lang>", "labels: zh or en (default from LANG)").choices(["zh", "en"]))
    .option("--no-color", "no colour (also NO_COLOR=1; off when not a terminal)")
    .action(async (claims: string[], opts: { rules?: string; inputFormat?: InputFormat; format: "table" | "json" | "csv" | "tsv" | "html"; output?: string; set?: string[]; fields?: string; quiet: boolean; explain: boolean; keepGoing: boolean; receipt?: string; lang?: string; color: boolean }) => {
      const { calc } = await import("./commands/calc.js");
      const r = await calc(claims, { ...opts, lang: langOf(opts.lang, io.env), width: termWidth(io), color: await colors(colorOn(opts, io.stdout, io.env)) }, io);
      out(r.text);
      if (r.exit) throw new RecordsFailed(r.exit); // --keep-going: claims that did not settle, reported; the output stands
    });

  // Policy staff (README "For policy staff"): a report is written whole, then exit 1 if it found problems.
  const report = (r: { text: string; failed: boolean }): void => {
    out(r.text);
    if (r.failed) throw new ProblemsFound();
  };
  const rules = program
    .command("rules")
    .description("for policy staff: check, test, show and diff rule files; print their JSON Schema");
  rules
    .command("check")
    .description("every problem in a rules directory, located: syntax, schema, references, dates, consistency, national caps; provenance counts")
    .argument("[dir]", "rules directory (default: the shipped rules)")
    .addOption(new Option("-f, --format <format>", "output format (github: workflow annotations)").choices(["text", "json", "github"]).default("text"))
    .option("--strict", "exit 1 on warnings too", false)
    .option("--as-of <date>", "the date stale figures are measured from (default: today)")
    .option("--stale-years <n>", "a figure whose latest version is older than this many years is stale", "5")
    .addOption(new Option("--lang <lang>", "findings and tally in zh or en (default from LANG; json stays English)").choices(["zh", "en"]))
    .option("--no-color", "no colour (also NO_COLOR=1; off when not a terminal)")
    .action(async (dir: string | undefined, opts: { format: "text" | "json" | "github"; strict: boolean; asOf?: string; staleYears?: string; lang?: string; color: boolean }) => {
      const { rulesCheck } = await import("./commands/rules.js");
      report(rulesCheck(dir, { ...opts, lang: langOf(opts.lang, io.env), color: await colors(colorOn(opts, io.stdout, io.env)) }));
    });
  rules
    .command("test")
    .description("run the test cases beside the rules (*.test.yaml): expected payable and other fields")
    .argument("[dir]", "rules directory holding rules and test cases (default: the shipped rules)")
    .addOption(new Option("-f, --format <format>", "output format (junit: JUnit XML)").choices(["text", "json", "junit"]).default("text"))
    .option("-n, --name <text>", "only the cases whose name contains this text")
    .option("--no-color", "no colour (also NO_COLOR=1; off when not a terminal)")
    .action(async (dir: string | undefined, opts: { format: "text" | "json" | "junit"; name?: string; color: boolean }) => {
      const { rulesTest } = await import("./commands/rules.js");
      report(await rulesTest(dir, { ...opts, color: await colors(colorOn(opts, io.stdout, io.env)) }));
    });
  rules
    .command("show")
    .description("the policy of a region on a date: every figure, where it comes from (file:line), its source and confidence")
    .requiredOption("--region <code|name>", "region, e.g. 420100 or 武汉市 (a county shows its pooling region's policy)")
    .option("--date <date>", "the date (default: today)")
    .addOption(new Option("--scheme <scheme>", "only this scheme's figures").choices(["employee", "resident"]))
    .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json"]).default("table"))
    .option("--rules <dir>", "rules directory (default: the shipped rules)")
    .addOption(new Option("--lang <lang>", "labels: zh or en (default from LANG)").choices(["zh", "en"]))
    .option("--no-color", "no colour (also NO_COLOR=1; off when not a terminal)")
    .action(async (opts: { region: string; date?: string; scheme?: string; format: "table" | "json"; rules?: string; lang?: string; color: boolean }) => {
      const { rulesShow } = await import("./commands/rules.js");
      out(await rulesShow({ ...opts, lang: langOf(opts.lang, io.env), width: termWidth(io), color: await colors(colorOn(opts, io.stdout, io.env)) }));
    });
  rules
    .command("coverage")
    .description("which claims settle on a date: every pooling region × scheme × kind × level, on each route, and what the others lack")
    .option("--date <date>", "the date (default: today)")
    .addOption(new Option("-f, --format <format>", "output format (json and csv: every combination and route)").choices(["text", "json", "csv"]).default("text"))
    .option("--bom", "csv: start with a UTF-8 byte-order mark, so Excel reads the Chinese right")
    .option("--rules <dir>", "rules directory (default: the shipped rules)")
    .addOption(new Option("--lang <lang>", "text in zh or en (default from LANG; json and csv keep ids)").choices(["zh", "en"]))
    .action(async (opts: { date?: string; format: "text" | "json" | "csv"; rules?: string; lang?: string }) => {
      const { rulesCoverage } = await import("./commands/rules.js");
      out(await rulesCoverage({ ...opts, lang: langOf(opts.lang, io.env) }));
    });
  rules
    .command("init")
    .description("copy the shipped rules into a directory, to edit them there and settle with --rules DIR")
    .argument("<dir>", "a new or empty directory")
    .action(async (dir: string) => {
      const { rulesInit } = await import("./commands/rules.js");
      out(rulesInit(dir));
    });
  rules
    .command("new-region")
    .description("the skeleton of a region's own rule file: every figure its claims need, each declared and marked missing, to fill in")
    .argument("<region>", "region code or name, e.g. 420200 or 黄石市")
    .option("--rules <dir>", "rules directory (default: the shipped rules)")
    .option("-o, --output <file>", "write the skeleton to this new file (e.g. rules/hubei/huangshi.yaml) instead of standard output")
    .action(async (region: string, opts: { rules?: string; output?: string }) => {
      const { rulesNewRegion } = await import("./commands/rules.js");
      out(await rulesNewRegion(region, opts));
    });
  rules
    .command("schema")
    .description("print the JSON Schema (draft-07) of a rule file, for editors (rules/schema.json)")
    .action(async () => {
      const { rulesSchema } = await import("./commands/rules.js");
      out(rulesSchema());
    });
  rules
    .command("diff")
    .description("what changed between two rules directories, figure by figure; with --claims, what it does to those claims")
    .argument("<old>", "rules directory before the change")
    .argument("<new>", "rules directory after the change")
    .option("--claims <file>", "claims to settle under both: a claim or a list of claims (YAML, JSON), JSON Lines or CSV; - for standard input")
    .addOption(inputFormatOption("--claims"))
    .option("--top <n>", "how many of the largest changes to list", "10")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("--no-color", "no colour (also NO_COLOR=1; off when not a terminal)")
    .action(async (before: string, after: string, opts: { claims?: string; inputFormat?: InputFormat; top?: string; format: "text" | "json"; color: boolean }) => {
      const { rulesDiff } = await import("./commands/rules.js");
      out(await rulesDiff(before, after, { ...opts, color: await colors(colorOn(opts, io.stdout, io.env)) }, io));
    });

  const claim = program.command("claim").description("the claim file: its JSON Schema, for editors, and a template to fill in");
  claim
    .command("schema")
    .description("print the JSON Schema (draft-07) of a claim file, for editors (examples/claim.schema.json)")
    .action(async () => {
      const { claimSchema } = await import("./commands/claim.js");
      out(claimSchema());
    });
  claim
    .command("new")
    .description("print a claim to fill in, every field explained in Chinese and English: reimburse claim new > claim.yaml")
    .action(async () => {
      const { claimNew } = await import("./commands/claim.js");
      out(claimNew());
    });

  program
    .command("compare")
    .description("settle one claim under several scenarios (by default: every route it could take) and show the differences")
    .argument("<claim>", "claim file (YAML, JSON; or a list, JSON Lines or CSV holding one claim), or - for standard input")
    .addOption(inputFormatOption())
    .option("--vary <path=v1,v2>", "one scenario per value, e.g. treatment.level=1,2,3; several --vary: every combination", collect)
    .option("--scenario <name:path=value,...>", "a named scenario, e.g. cheap:treatment.level=2,filing=referral (repeatable)", collect)
    .option("--scenarios <file>", "scenarios file: a YAML list of {name, set: {path: value}}")
    .option("--base <name>", "the scenario the deltas are measured against (default: base, the claim as written)")
    .option("--set <path=value>", "change a claim field in every scenario, the base included (repeatable)", collect)
    .option("--rules <dir>", "rules directory (default: the shipped rules)")
    .addOption(new Option("-f, --format <format>", "output format (json: an array, one element per scenario; html: a printable page, the scenarios side by side)").choices(["table", "json", "csv", "tsv", "html"]).default("table"))
    .option("-o, --output <file>", "write the comparison to this file (whole, at the end) instead of standard output")
    .option("--bom", "csv/tsv: start with a UTF-8 byte-order mark, so Excel reads the Chinese right")
    .option("--fields <list>", "csv/tsv: columns to print; json: top-level keys (comma-separated)")
    .option("--no-chart", "no bar chart under the table")
    .option("--explain", "json: every scenario's steps, with their rule locations and sources", false)
    .option("-q, --quiet", "no notes or warnings (on standard error, or under the table)", false)
    .addOption(new Option("--lang <lang>", "labels: zh or en (default from LANG)").choices(["zh", "en"]))
    .option("--no-color", "no colour (also NO_COLOR=1; off when not a terminal)")
    .action(async (claim: string, opts: { inputFormat?: InputFormat; vary?: string[]; scenario?: string[]; scenarios?: string; base?: string; set?: string[]; rules?: string; format: "table" | "json" | "csv" | "tsv" | "html"; output?: string; fields?: string; chart: boolean; explain: boolean; quiet: boolean; lang?: string; color: boolean }) => {
      const { compare } = await import("./commands/compare.js");
      const r = await compare(claim, { ...opts, lang: langOf(opts.lang, io.env), color: await colors(colorOn(opts, io.stdout, io.env)) }, io);
      out(r.text);
      if (r.exit) throw new RecordsFailed(r.exit); // scenarios that did not settle: rows of their own, the output stands
    });

  program
    .command("batch")
    .description("settle a year of claims (JSON Lines, CSV or a YAML/JSON list), each person's claims of a year sharing cap, admissions and deductible ceiling")
    .argument("<claims>", "claims file: JSON Lines (one claim per line), CSV (a header of claim fields), or a YAML/JSON list of claims; - for standard input")
    .addOption(inputFormatOption())
    .addOption(new Option("-f, --format <format>", "output format: jsonl (the calc JSON object plus line) or csv").choices(["jsonl", "csv"]).default("jsonl"))
    .option("-o, --output <file>", "write to this file (whole, at the end: an interrupted or failed run leaves none)")
    .option("--bom", "csv/tsv: start with a UTF-8 byte-order mark, so Excel reads the Chinese right")
    .option("--sorted", "each person's claims come in date order: settle as read, memory one ledger per person-year", false)
    .option("--receipt <file>", "write a JSON record of the run: rules version and directory, tool version, the input's SHA-256, the dates used, the count of results")
    .option("--explain", "jsonl: each settlement's steps, with their rule locations and sources (about 2.3 times the bytes)", false)
    .option("--rules <dir>", "rules directory (default: the shipped rules)")
    .addOption(new Option("--lang <lang>", "labels: zh or en (default from LANG)").choices(["zh", "en"]))
    .option("-q, --quiet", "no progress line, no per-record messages on standard error (the summary stays)", false)
    .action(async (input: string, opts: { inputFormat?: InputFormat; format: "jsonl" | "csv"; output?: string; sorted: boolean; receipt?: string; explain: boolean; rules?: string; lang?: string; quiet: boolean }) => {
      const { batch } = await import("./commands/batch.js");
      await batch(input, { ...opts, lang: langOf(opts.lang, io.env) }, io);
    });

  addHelp(program);
  return program;
}

/** Runs the CLI; resolves to the exit code. Nothing else in the program exits. */
export async function run(argv: readonly string[], io: Streams): Promise<number> {
  watch(io.stdout); // a failed write is reported below, not thrown as an unhandled 'error' event
  watch(io.stderr);
  const code = await attempt(argv, io);
  // What was written must reach its destination: a full disk or an I/O error is the run's
  // failure (exit 74) whatever it did; a reader that closed the pipe (`| head`) ends it quietly.
  try {
    await flushed(io.stdout);
    return code;
  } catch (e) {
    return report(systemError(e, "standard output", "write"), io, "", argv);
  }
}

async function attempt(argv: readonly string[], io: Streams): Promise<number> {
  let output = "";
  const program = buildProgram(io, (s) => (output += s), langOfArgv(argv, io.env));
  try {
    await program.parseAsync(argv as string[], { from: "user" });
    io.stdout.write(output); // written whole, after success: nothing half-written
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; help shown because no command was given is a usage error.
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return EXIT.usage; // commander has already printed its message
    }
    // A system error no command turned into its own (it would otherwise read as a bug).
    return report(isSystemError(e) ? systemError(e, e.path ?? "a file", e.syscall === "write" ? "write" : "read") : e, io, output, argv);
  }
}

/** The language messages are printed in: the command's --lang, else LANG (a failure may come before commander has read the options). */
function langOfArgv(argv: readonly string[], env: NodeJS.ProcessEnv): Lang {
  let given: string | undefined;
  argv.forEach((a, i) => {
    if (a === "--lang") given = argv[i + 1];
    else if (a.startsWith("--lang=")) given = a.slice("--lang=".length);
  });
  return langOf(given, env);
}

/** Prints a failure as its kind is printed, and gives its exit code (src/errors.ts exitCodeOf). */
async function report(e: unknown, io: Streams, output: string, argv: readonly string[]): Promise<number> {
  const code = exitCodeOf(e);
  const c = await colors(colorOn({}, io.stderr, io.env));
  const lang = langOfArgv(argv, io.env);
  // The output stands: the report of what was found (rules check, rules test), or a comparison with rows that did not settle.
  if (e instanceof ProblemsFound || e instanceof RecordsFailed) io.stdout.write(output);
  else if (e instanceof DiagnosticsError) io.stderr.write(formatDiagnostics(e.diagnostics, c, lang) + "\n");
  else if (e instanceof RuleGapError) {
    // As a diagnostic, with no file to name.
    const zh = lang === "zh" && e.zh;
    io.stderr.write(`${c.red(lang === "zh" ? "错误" : "error")} ${c.dim("rule-gap")} ${zh ? zh.message : e.message}${c.dim(zh ? `（${zh.hint ?? e.hint}）` : ` (${e.hint})`)}\n`);
  }
  else if (e instanceof UsageError || e instanceof IoError) io.stderr.write(lang === "zh" ? `${c.red("错误")}：${e.zh ?? e.message}\n` : `${c.red("error")}: ${e.message}\n`);
  else if (e instanceof BrokenPipe) {
    /* the reader has all it wanted: nothing to say */
  } else if (e instanceof Interrupted) io.stderr.write(`${c.red("interrupted")}: ${e.message}\n`);
  else {
    io.stderr.write(`${c.red("internal error")} (a bug in reimburse, please report it with the input): ${(e as Error)?.message ?? String(e)}\n`);
    if (io.env.REIMBURSE_DEBUG) io.stderr.write(`${(e as Error)?.stack ?? ""}\n`);
  }
  return code;
}

/** Standard input, bounded and strictly UTF-8 like any claim file. */
export function readStdin(): string {
  return readText("-").text;
}
