/**
 * The checks of `reimburse rules check` (src/rules/check.ts) on rules already
 * read: the compiled rule set, each file's parsed value and a view of its
 * document that locates a field path (line:col). No YAML library here, on
 * purpose: the shipped rules are checked from their build-time snapshot
 * (src/rules/snapshot.ts) without loading it, and from the YAML documents
 * otherwise (src/rules/docview.ts). Pure: rules and a check date in, located
 * diagnostics and counts out.
 */
import { inBoth, SAY } from "./check-words.js";
import { CONFIDENCES, type Confidence, type Figure, type RuleSet } from "../core/model.js";
export { yearsBefore } from "../core/dates.js";
import type { Diagnostic, Severity } from "../diagnostics.js";
import { Checker } from "./checker.js";
import type { DocView } from "./docindex.js";

export { indexView, type DocIndex, type DocView, type IndexNode, type IndexPos } from "./docindex.js";

/** The checks this module adds to compile's, with their severity and what they catch (docs/rules.md, "Check codes"). */
export const CHECKS = {
  "fraction-as-percent": ["error", "a fraction written as a percentage: 85 where 0.85 is meant"],
  "amount-decimals": ["error", "an amount in yuan with more than 2 decimals"],
  "version-order": ["warning", "the versions of a figure are not listed oldest first"],
  "duplicate-version": ["warning", "a version repeats the previous one (same value, same source)"],
  "stale-figure": ["warning", "a figure's latest version took effect more than --stale-years (5) before --as-of (today)"],
  "region-starts-late": ["warning", "a region's figure starts after the province's: between the two dates the province value applies"],
  "coverage-gap": ["warning", "on a date other figures use, a figure a claim needs is not in force (not yet started, or ended by null)"],
  "level-gap": ["warning", "a by-level table lacks a level that another table of the same policy (or the province's) has"],
  "ratio-order": ["warning", "a ratio does not rise as the hospital level falls (provincial, 3, 2, 1, community)"],
  "deductible-order": ["warning", "a deductible does not fall as the hospital level falls"],
  "ceiling-contradiction": ["error", "the deductible ceiling or the annual cap is below a single deductible"],
  "band-order": ["error", "the bands of a scale are out of order, overlap, leave a gap, or do not start at the threshold"],
  "threshold-above-cap": ["error", "the 大病保险 annual cap is below its threshold"],
  "invalid-adjustment": ["error", "an adjustment settle cannot apply: retiree as prepay, a route reduction as copayFactor"],
  "ignored-figure": ["warning", "a figure settle never reads (repeatAdmission outside inpatient, settleAs or countsIn on inpatient, resident.retiree, a resident kind's retired figures)"],
  "reduction-cap": ["error", "a route reduction above the national cap (医保发〔2022〕22号: referral/emergency 10 points, other temporary 20)"],
  "reduction-uncapped": ["warning", "a route reduction for which the rules hold no national cap (long-term, in-province)"],
  "emergency-as-unfiled": ["error", "emergency reduced more than referral, or as much as unfiled (急诊抢救 counts as filed)"],
  "route-order": ["warning", "other temporary reduced less than referral, or unfiled less than filed temporary"],
  "duplicate-zone": ["warning", "two zones pair the same two regions"],
  "zone-same-province": ["warning", "a zone pairs two regions of one province (in-province care never reaches the zone rule)"],
  "wrong-province": ["error", "a region's file in another province's folder (a Hubei city under rules/hunan/): it belongs beside its province's province.yaml"],
  "layer-unused": ["warning", "policy figures for a county inside a pooling region: claims resolve by the pool, never read them"],
  "unused-source": ["warning", "a source declared and never cited"],
  "ignored-file": ["warning", "a file named like a rule file in other letters (Huangshi.YAML): not read; name it .yaml"],
} as const satisfies Record<string, readonly [Severity, string]>;
export type CheckCode = keyof typeof CHECKS;

/** One rule file, as the checks read it. */
export interface CheckFile {
  readonly file: string;
  readonly doc: DocView;
  /** The file's value as parsed (before the schema). */
  readonly value: unknown;
  /** Whether the file, as the schema read it, declares zone `id`. */
  hasZone(id: string): boolean;
}

/** What the checks read: src/rules/compile.ts analyseRules' result, and the number of files. */
export interface CheckInput {
  readonly rules: RuleSet;
  /** The files that passed the schema (the rule set is built from them). */
  readonly files: readonly CheckFile[];
  /** The files that parsed as YAML, whether or not they passed the schema. */
  readonly raw: readonly CheckFile[];
  /** Compile's diagnostics. */
  readonly diagnostics: readonly Diagnostic[];
  readonly unusedSources: readonly { readonly id: string; readonly file: string }[];
  readonly fileCount: number;
}

export interface CheckOptions {
  /** The date stale figures are measured from (YYYY-MM-DD). */
  readonly asOf: string;
  /** A figure whose latest version is older than this many years is stale. */
  readonly staleYears: number;
  /** Files in the directory named like rule files in other letters, as shown (src/rules/files.ts): not read. */
  readonly ignored?: readonly string[];
}

export interface CheckSummary {
  readonly files: number;
  readonly errors: number;
  readonly warnings: number;
  readonly figures: number;
  /** Dated values (non-null versions), by the confidence they carry. */
  readonly values: number;
  readonly confidence: Readonly<Record<Confidence, number>>;
  /** Cross-file warnings not reported because a file with errors was left out of the rule set. */
  readonly heldBack: number;
}

/** Warnings about the rule set as a whole: a file left out for its errors can cause them in others. */
const CROSS_FILE = new Set(["coverage-gap", "level-gap", "region-starts-late", "unused-source", "layer-unused"]);

export interface CheckResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: CheckSummary;
  /** The rule-set version (src/rules/compile.ts versionOf) of what was checked. */
  readonly version: string;
}

/** Hospital levels from the highest to the lowest: ratios rise and deductibles fall along it. */
export const LEVEL_ORDER = ["provincial", "3", "2", "1", "community"] as const;

/** The figures a claim of a scheme and kind cannot settle without. */
export const REQUIRED = ["deductible", "ratio", "annualCap"] as const;
export const TEMPORARY_ROUTES = ["referral", "emergency", "temporary", "unfiled"] as const;

export function runChecks(a: CheckInput, o: CheckOptions): CheckResult {
  const c = new Checker(a.rules, a.files, o);
  for (const raw of a.raw) c.fileChecks(raw);
  c.layerChecks();
  c.chainChecks();
  c.capChecks();
  c.zoneChecks();
  for (const u of a.unusedSources) {
    const f = a.files.find((g) => g.file === u.file);
    if (f) c.add(f, ["sources", u.id], "unused-source", SAY.unusedSource(u.id), "key");
  }
  // With a file left out for its errors, whole-set warnings may only echo it
  // (a broken province file makes every city look incomplete): hold them back.
  const broken = new Set(a.diagnostics.filter((d) => d.severity === "error").map((d) => d.file));
  const all = c.list();
  const specific = broken.size ? all.filter((d) => !(d.severity === "warning" && CROSS_FILE.has(d.code))) : all;
  // A specific finding (85 meant as 0.85) replaces compile's generic one at the same place.
  const at = new Set(specific.map((d) => `${d.file}:${d.line}:${d.col}`));
  const generic = a.diagnostics.filter((d) => !(["invalid-value", "invalid-type"].includes(d.code) && at.has(`${d.file}:${d.line}:${d.col}`)));
  const skipped: Diagnostic[] = (o.ignored ?? []).map((file) => ({ code: "ignored-file", severity: "warning", ...inBoth(SAY.ignoredFile(file.replace(/\.ya?ml$/i, ".yaml").split("/").pop()!)), file, line: 0, col: 0 }));
  const diagnostics = sortDiagnostics([...generic, ...specific, ...skipped]);
  return {
    diagnostics,
    version: a.rules.version,
    summary: {
      files: a.fileCount,
      errors: diagnostics.filter((d) => d.severity === "error").length,
      warnings: diagnostics.filter((d) => d.severity === "warning").length,
      ...provenance(a.rules),
      heldBack: all.length - specific.length,
    },
  };
}

export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort((x, y) => (x.file === y.file ? x.line - y.line || x.col - y.col || (x.code < y.code ? -1 : 1) : x.file < y.file ? -1 : 1));
}

/** How many figures and dated values the rule set holds, by confidence. */
function provenance(rules: RuleSet): Pick<CheckSummary, "figures" | "values" | "confidence"> {
  const figures: Figure<unknown>[] = [
    ...Object.values(rules.layers).flatMap((l) => Object.values(l.figures)),
    ...Object.values(rules.reductionCaps),
    ...Object.values(rules.chronicLists).map((l) => l.figure),
    ...Object.values(rules.zones).map((z) => z.figure),
  ];
  const confidence = Object.fromEntries(CONFIDENCES.map((c) => [c, 0])) as Record<Confidence, number>;
  let values = 0;
  for (const f of figures)
    for (const v of f.versions)
      if (v.value !== null) {
        values++;
        confidence[v.confidence]++;
      }
  return { figures: figures.length, values, confidence };
}
