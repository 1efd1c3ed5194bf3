/**
 * `reimburse rules check | test | show | schema | diff`: read the files,
 * call src/rules/, render. Each returns its output; `failed` asks the CLI
 * for exit 1 (problems found) once the output is written.
 */
import { cpSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve as resolvePath } from "node:path";
import { plain, type Colors } from "../format/color.js";
import { fileChunks } from "../batch/read.js";
import { claimsOf, formatOfFile, inputText, streamedClaims, type ClaimEntry } from "../batch/input.js";
import { isDocument, type InputFormat } from "../claims/format.js";
import { positions } from "../claims/input.js";
import { checkClaim } from "../claims/load.js";
import type { Claim } from "../claims/schema.js";
import type { RuleSet, Scheme } from "../core/model.js";
import { withValueIds } from "../core/vocabulary.js";
import type { Diagnostic } from "../diagnostics.js";
import { DiagnosticsError, EXIT, systemError, systemReason, UsageError } from "../errors.js";
import { renderCheck, renderDiff, renderTests } from "../format/rules.js";
import { renderShow } from "../format/show.js";
import type { Lang } from "../format/labels.js";
import { isCalendarDate, ISO_DATE } from "../schemas.js";
import { show } from "../core/own.js";
import { matchesName, parseCases, runCase, type RuleCase } from "../rules/cases.js";
import { checkRules, runChecks } from "../rules/check.js";
import { loadCheckSnapshot } from "../rules/snapshot.js";
import { today } from "../clock.js";
import { claimEffects, diffRules, type Effects } from "../rules/diff.js";
import { formatDiagnostics } from "../format/diagnostics.js";
import { ruleJsonSchemaText } from "../rules/jsonschema.js";
import { STALE_YEARS } from "../core/dates.js";
import { walkRulesDir } from "../rules/files.js";
import { displayPath, loadRules, readRuleTexts, shippedRulesDir, TEST_FILE } from "../rules/load.js";
import { showPolicy } from "../rules/show.js";
import { bomFor } from "./output.js";
import { outputTarget, writeWhole } from "../sink.js";

export interface Report {
  readonly text: string;
  /** Problems were found: exit 1 after writing `text`. */
  readonly failed: boolean;
}

export interface Io {
  readonly readStdin: () => string;
  readonly stderr?: { write(s: string): unknown };
}

export { today };

function dateOption(v: string | undefined, flag: string): string {
  if (v === undefined) return today();
  if (!ISO_DATE.test(v)) throw new UsageError(`${flag} must be a date written YYYY-MM-DD, got ${show(v)}`);
  if (!isCalendarDate(v)) throw new UsageError(`${flag} is not a calendar date: ${v}`);
  return v;
}


// ── check ──

export interface CheckOptions {
  readonly format: "text" | "json" | "github";
  readonly strict: boolean;
  readonly asOf?: string;
  readonly staleYears?: string;
  readonly color: Colors;
  readonly lang: Lang;
}

export function rulesCheck(dir: string | undefined, o: CheckOptions): Report {
  const staleYears = o.staleYears === undefined ? STALE_YEARS : Number(o.staleYears);
  if (!Number.isInteger(staleYears) || staleYears < 1) throw new UsageError(`--stale-years must be a whole number of years ≥ 1, got ${JSON.stringify(o.staleYears)}`);
  const asOf = dateOption(o.asOf, "--as-of");
  const d = dir ?? shippedRulesDir();
  // The shipped rules, while their files are those the snapshot was made from: every check runs on the snapshot's rule set and documents, without parsing the files again.
  const snap = resolvePath(d) === shippedRulesDir() ? loadCheckSnapshot(d) : undefined;
  const texts = snap ? undefined : readRuleTexts(d); // a directory that is not there: a usage error here
  const ignored = walkRulesDir(d).ignored.map((rel) => displayPath(join(d, rel)));
  const r = snap ? runChecks(snap, { asOf, staleYears, ignored }) : checkRules(texts!, { asOf, staleYears, ignored });
  return { text: renderCheck(r, o.format, o.color, o.lang), failed: r.summary.errors > 0 || (o.strict && r.summary.warnings > 0) };
}

// ── test ──

export interface TestOptions {
  readonly format: "text" | "json" | "junit";
  readonly name?: string;
  readonly color: Colors;
}

/** The `*.test.yaml` files under a rules directory, sorted; one that cannot be read is its problem (a failure of the run: exit 1). */
export function readCaseTexts(dir: string): { file: string; text: string; problem?: Diagnostic }[] {
  return walkRulesDir(dir, (name) => TEST_FILE.test(name)).files.map((f) => {
    if (f.problem) return { file: f.problem.file, text: "", problem: f.problem };
    const file = displayPath(f.path);
    try {
      return { file, text: readFileSync(f.path, "utf8") };
    } catch (e) {
      const err = systemError(e, file, "read");
      if (!(err instanceof UsageError)) throw err; // an I/O error (exit 74)
      return { file, text: "", problem: { code: "unreadable", severity: "error", message: `cannot read it: ${systemReason(e as NodeJS.ErrnoException)}`, file, line: 0, col: 0 } };
    }
  });
}

export async function rulesTest(dir: string | undefined, o: TestOptions): Promise<Report> {
  const d = dir ?? shippedRulesDir();
  const rules = await loadRules(d);
  const texts = readCaseTexts(d);
  if (!texts.length) throw new UsageError(`no test case files (*.test.yaml) under ${d}`);
  const cases: RuleCase[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const t of texts) {
    if (t.problem) {
      diagnostics.push(t.problem);
      continue;
    }
    const loaded = parseCases(t.file, t.text, rules);
    cases.push(...loaded.cases);
    diagnostics.push(...loaded.diagnostics);
  }
  const chosen = cases.filter((c) => matchesName(c, o.name));
  if (o.name !== undefined && !chosen.length && !diagnostics.length) throw new UsageError(`no test case name contains ${JSON.stringify(o.name)} (${cases.length} cases in ${texts.length} files)`);
  const results = chosen.map((c) => runCase(rules, c));
  const report = { version: rules.version, files: texts.map((t) => t.file), results, diagnostics, skipped: cases.length - chosen.length };
  return { text: renderTests(report, o.format, o.color), failed: diagnostics.length > 0 || results.some((r) => !r.passed) };
}

// ── show ──

export interface ShowOptions {
  readonly region: string;
  readonly date?: string;
  readonly scheme?: string;
  readonly format: "table" | "json";
  readonly rules?: string;
  readonly color: Colors;
  readonly lang: Lang;
  /** Terminal columns the tables fit in. */
  readonly width: number;
}

export async function rulesShow(o: ShowOptions): Promise<string> {
  const rules = await loadRules(o.rules);
  const p = showPolicy(rules, o.region, dateOption(o.date, "--date"), o.scheme as Scheme | undefined);
  return renderShow(p, rules, o);
}

// ── init ──

/**
 * `rules init DIR`: a copy of the shipped rules to edit (the shipped ones may be
 * inside an installed package), used with --rules DIR. A directory that holds
 * anything already is refused, so nothing is overwritten.
 */
export function rulesInit(dir: string): string {
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new UsageError(`cannot use ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (entries.length) throw new UsageError(`${dir} is not empty: give a new or empty directory for the copy of the rules`);
  cpSync(shippedRulesDir(), dir, { recursive: true });
  const n = walkRulesDir(dir).files.length;
  return `copied ${n} rule files (and their test cases) to ${dir}\nedit them there, check them with \`reimburse rules check ${dir}\`, and settle with \`--rules ${dir}\`\n`;
}

// ── coverage ──

export interface CoverageOptions {
  readonly date?: string;
  readonly format: "text" | "json" | "csv";
  readonly rules?: string;
  /** `--bom`: csv starts with a UTF-8 byte-order mark, for Excel. */
  readonly bom?: boolean;
  /** The text's language (json and csv keep ids). */
  readonly lang?: Lang;
}

/** `rules coverage`: which claims settle on a date, and what the others lack (src/core/coverage.ts). */
export async function rulesCoverage(o: CoverageOptions): Promise<string> {
  const date = dateOption(o.date, "--date");
  const bom = bomFor(o.bom, o.format);
  const rules = await loadRules(o.rules);
  const { coverage } = await import("../core/coverage.js");
  const { coverageCsv, coverageJson, coverageText } = await import("../format/coverage.js");
  const c = coverage(rules, date);
  return o.format === "json" ? coverageJson(c, rules.version) : o.format === "csv" ? bom + coverageCsv(c) : coverageText(c, rules.version, rules, o.lang);
}

// ── new-region ──

/**
 * `rules new-region <code|name>`: the skeleton of the region's own rule file
 * (src/rules/skeleton.ts), on standard output or written to `-o FILE`, which
 * must not exist yet (a skeleton never replaces figures).
 */
export async function rulesNewRegion(ref: string, o: { readonly rules?: string; readonly output?: string }): Promise<string> {
  const rules = await loadRules(o.rules);
  const { regionSkeleton } = await import("../rules/skeleton.js");
  const s = regionSkeleton(rules, ref);
  if (o.output === undefined || o.output === "-") return s.text;
  const target = outputTarget(o.output, []);
  if (target.kind === "file" && existsSync(target.path)) throw new UsageError(`${o.output} exists already: a skeleton never replaces a rule file; edit it, or give another name`);
  if (target.kind !== "stdout") writeWhole(target, s.text);
  const elsewhere = displayPath(resolvePath(o.output)) === s.file ? "" : `; rule-gap hints name it ${s.file}`;
  return `wrote ${o.output}: ${s.missing} figures of ${s.name}, each declared missing${elsewhere}\nfill them in, then \`reimburse rules check${o.rules !== undefined ? ` ${o.rules}` : ""}\` and \`reimburse rules coverage${o.rules !== undefined ? ` --rules ${o.rules}` : ""}\`\n`;
}

// ── schema ──

export function rulesSchema(): string {
  return ruleJsonSchemaText();
}

// ── diff ──

export interface DiffOptions {
  readonly claims?: string;
  /** `--input-format` of the claims (default: by content, src/claims/format.ts). */
  readonly inputFormat?: InputFormat;
  readonly format: "text" | "json";
  readonly top?: string;
  readonly color: Colors;
}

export async function rulesDiff(oldDir: string, newDir: string, o: DiffOptions, io: Io): Promise<string> {
  const top = o.top === undefined ? 10 : Number(o.top);
  if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top must be a whole number ≥ 1, got ${JSON.stringify(o.top)}`);
  const [before, after] = [await loadRules(oldDir), await loadRules(newDir)];
  const changes = diffRules(before, after);
  let effects: Effects | undefined;
  if (o.claims !== undefined) {
    const sample = await readClaims(o.claims, io, after, o.inputFormat);
    // Skipped, not fatal: a year of real claims has some bad records, and the rest still tell the effect.
    if (sample.invalid.length) io.stderr?.write(formatDiagnostics(sample.invalid, plain) + "\n");
    effects = { ...claimEffects(sample.claims, before, after, top), invalid: sample.invalid.length };
  }
  return renderDiff(changes, effects, before, after, o.format, o.color);
}

/**
 * A sample of claims: any input of claims (src/batch/input.ts), one claim or
 * many. JSON Lines and CSV in a file are streamed, as batch reads them; a
 * document or standard input is read whole, bounded as a claim file is
 * (/dev/zero is refused, not read into memory). An invalid claim is skipped
 * and reported, located, as a warning; only an input with no valid claim at
 * all fails (exit 4).
 */
export async function readClaims(arg: string, io: Io, rules: RuleSet, forced?: InputFormat): Promise<{ claims: { id: string; claim: Claim }[]; invalid: Diagnostic[] }> {
  const file = arg === "-" ? "<stdin>" : arg;
  const streamed = arg === "-" ? undefined : formatOfFile(arg, forced, "yaml");
  let groups: AsyncIterable<ClaimEntry[]> | ClaimEntry[][];
  let stream = streamed === "jsonl" || streamed === "csv";
  if (streamed === "jsonl" || streamed === "csv") groups = streamedClaims(file, fileChunks(arg, 1 << 20, streamed === "csv"), streamed);
  else {
    const { text } = inputText(arg, io, { what: "a list of claims", hint: "give more claims as JSON Lines (.jsonl), which is read as a stream" });
    const read = await claimsOf(arg, file, text, forced);
    stream = !isDocument(read.format);
    groups = [read.entries as ClaimEntry[]];
  }
  const claims: { id: string; claim: Claim }[] = [];
  const invalid: Diagnostic[] = [];
  // A record's problems as they were always reported: `FILE:LINE:1 warning invalid-claim PATH: skipped: …`.
  const skipped = (d: Diagnostic): void =>
    void invalid.push(stream ? { code: "invalid-claim", severity: "warning", message: `skipped: ${d.message}`, file, line: d.line, col: 1, ...(d.path ? { path: d.path } : {}) } : { ...d, severity: "warning", message: `skipped: ${d.message}` });
  let n = 0;
  for await (const group of groups)
    for (const e of group) {
      n++;
      if (e.problems) {
        e.problems.forEach(skipped);
        continue;
      }
      const r = checkClaim(file, withValueIds(rules, e.raw!.value), positions(e.raw!)); // 职工医保 → employee: the names the rules give
      if (r.claim) claims.push({ id: r.claim.id ?? (stream ? `line ${e.line}` : `#${n}`), claim: r.claim });
      else r.diagnostics.forEach(skipped);
    }
  if (!claims.length) {
    if (invalid.length) throw new DiagnosticsError(invalid.map((d) => ({ ...d, severity: "error", message: d.message.replace(/^skipped: /, "") })), EXIT.claim);
    throw new UsageError(`no claims in ${file}`);
  }
  return { claims, invalid };
}
