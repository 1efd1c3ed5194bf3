/**
 * Rule test cases (`reimburse rules test`), OpenFisca style: files ending in
 * `.test.yaml` beside the rules, each a list of cases
 *
 *   - name: 常德 employee treated in 宜昌 (zone) gets 8,500
 *     claim: {date: 2025-03-09, insured: …, treatment: …, costs: {classA: 11100}}
 *     overrides:                      # optional what-if: figure values by region
 *       "430000": {reductions.referral: {points: 0.10}}
 *     expect: {payable: 8500, route: zone, deductible: 1100, ratio: 0.85}
 *
 * Pure: case texts and rules in, results out. An override replaces the
 * figure's whole history in that region's layer for that case only.
 */
import { z } from "zod";
import { amount, claimSchema, type Claim } from "../claims/schema.js";
import { ClaimRejectedError, RuleGapError } from "../core/errors.js";
import { formatYuan, type Fen } from "../core/money.js";
import { ROUTES, type Figure, type Layer, type Loc, type Region, type RuleSet } from "../core/model.js";
import { cmp, parseRate, type Rate } from "../core/rate.js";
import { settle } from "../core/settle.js";
import type { Settlement } from "../core/settlement.js";
import { closest } from "../core/suggest.js";
import { withValueIds } from "../core/vocabulary.js";
import { fieldPath, type Diagnostic } from "../diagnostics.js";
import { locate, parseYaml, position, find, type YamlFile } from "../yaml/document.js";
import { zodDiagnostics } from "../yaml/zod.js";
import { ruleFileSchema } from "./schema.js";
import { FIGURE_UNITS, findRegionRef } from "./names.js";
import { convertValue, isTable, levelIdIn, levelIds } from "./values.js";

const fraction = z
  .union([z.number(), z.string()], { error: "must be a fraction, e.g. 0.85 for 85%" })
  .transform((v, ctx) => {
    const r = parseRate(v);
    if (r) return r;
    ctx.addIssue({ code: "custom", message: `must be a plain decimal fraction, e.g. 0.85, got ${JSON.stringify(v)}` });
    return z.NEVER;
  });

/** What a case may assert. Amounts in yuan (exact to the fen), ratios as fractions. */
export const AMOUNT_FIELDS = ["payable", "personal", "total", "excluded", "prepay", "inPolicy", "routePrepay", "deductible", "copay", "fundBeforeCap", "overCap", "reduction", "criticalIllness", "criticalIllnessBase"] as const;
export const RATE_FIELDS = ["ratio", "ratioClassB"] as const;

const expectSchema = z
  .strictObject({
    ...(Object.fromEntries(AMOUNT_FIELDS.map((f) => [f, amount.optional()])) as Record<(typeof AMOUNT_FIELDS)[number], z.ZodOptional<typeof amount>>),
    ratio: fraction.optional(),
    ratioClassB: fraction.optional(),
    route: z.enum(ROUTES, { error: `must be one of: ${ROUTES.join(", ")}` }).optional(),
    /** Warning codes of the settlement, as a set (unverified-figure, route-forced, …). */
    warnings: z.array(z.string()).optional(),
    /** The claim must fail: rule-gap (no figure) or rejected (the rules refuse it). */
    error: z.enum(["rule-gap", "rejected"], { error: "must be rule-gap or rejected" }).optional(),
    /** With error: a part of the error's message. */
    message: z.string().optional(),
  })
  .superRefine((e, ctx) => {
    if (e.message !== undefined && !e.error) ctx.addIssue({ code: "custom", path: ["message"], message: "applies only with error" });
    if (e.error && Object.entries(e).some(([k, v]) => v !== undefined && k !== "error" && k !== "message"))
      ctx.addIssue({ code: "custom", path: ["error"], message: "a failing claim has no settlement fields to expect" });
  });

const caseSchema = z.strictObject({
  name: z.string().min(1, { error: "must name the case" }),
  claim: claimSchema,
  overrides: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  expect: expectSchema,
});
export const caseFileSchema = z.array(caseSchema).min(1, { error: "a test file lists at least one case" });

type Expect = z.output<typeof expectSchema>;

export interface Override {
  readonly region: string;
  readonly name: string;
  readonly figure: Figure;
}

export interface RuleCase {
  readonly file: string;
  readonly line: number;
  readonly name: string;
  readonly claim: Claim;
  readonly overrides: readonly Override[];
  readonly expect: Expect;
}

export interface LoadedCases {
  readonly cases: RuleCase[];
  readonly diagnostics: Diagnostic[];
}

/** The date an override takes effect: before any claim. */
const OVERRIDE_FROM = "0001-01-01";

export function parseCases(file: string, text: string, rules: RuleSet): LoadedCases {
  const parsed = parseYaml(file, text);
  if (parsed.diagnostics.length) return { cases: [], diagnostics: parsed.diagnostics };
  // A case's claim may write values by the names the rules give them (scheme: 职工医保), as a claim file may.
  if (Array.isArray(parsed.value)) for (const c of parsed.value) if (c && typeof c === "object") withValueIds(rules, (c as { claim?: unknown }).claim);
  const r = caseFileSchema.safeParse(parsed.value ?? []);
  if (!r.success) return { cases: [], diagnostics: zodDiagnostics(parsed.yaml, r.error.issues, caseFileSchema) };
  const diagnostics: Diagnostic[] = [];
  const cases = r.data.map((c, i): RuleCase => {
    if (!Object.values(c.expect).some((v) => v !== undefined))
      diagnostics.push(diag(parsed.yaml, [i, "expect"], "invalid-value", "expects nothing: name at least one field (payable, route, error, …)"));
    const overrides: Override[] = [];
    for (const [ref, figures] of Object.entries(c.overrides ?? {})) {
      const region = regionByRef(rules, ref);
      if (!region) {
        const hint = closest(ref, [...Object.keys(rules.regions), ...Object.values(rules.regions).map((x) => x.name)]);
        diagnostics.push(diag(parsed.yaml, [i, "overrides", ref], "unknown-region", `unknown region ${JSON.stringify(ref)}: not in the region table`, hint, "key"));
        continue;
      }
      for (const [name, value] of Object.entries(figures)) {
        const o = override(parsed.yaml, [i, "overrides", ref, name], region, name, value, rules, diagnostics);
        if (o) overrides.push(o);
      }
    }
    return { file, line: position(parsed.yaml, find(parsed.yaml, [i]).value).line, name: c.name, claim: c.claim, overrides, expect: c.expect };
  });
  return { cases: diagnostics.length ? [] : cases, diagnostics };
}

function diag(yaml: YamlFile, path: readonly (string | number)[], code: string, message: string, hint?: string, on: "key" | "value" = "value"): Diagnostic {
  return { code, severity: "error", message, file: yaml.file, ...locate(yaml, path, on), path: fieldPath(path), ...(hint ? { hint: `did you mean ${JSON.stringify(hint)}?` } : {}) };
}

function regionByRef(rules: RuleSet, ref: string): Region | undefined {
  try {
    return findRegionRef(rules, ref);
  } catch {
    return undefined;
  }
}

/** One override: checked against the rule-file schema (the one definition), converted like compile does. */
function override(yaml: YamlFile, at: (string | number)[], region: Region, name: string, value: unknown, rules: RuleSet, out: Diagnostic[]): Override | undefined {
  const unit = FIGURE_UNITS[name];
  if (!unit) {
    out.push(diag(yaml, at, "unknown-figure", `unknown figure ${JSON.stringify(name)}; one of: ${Object.keys(FIGURE_UNITS).join(", ")}`, closest(name, Object.keys(FIGURE_UNITS)), "key"));
    return undefined;
  }
  const section = name.startsWith("catalogue.") ? "catalogue" : "policy";
  const inner = section === "catalogue" ? name.slice("catalogue.".length).split(".") : name.split(".");
  let body: unknown = { unit, values: { [OVERRIDE_FROM]: { value, source: "override" } } };
  for (const k of [...inner].reverse()) body = { [k]: body };
  const r = ruleFileSchema.safeParse({ region: region.code, [section]: body });
  if (!r.success) {
    const depth = 1 + inner.length + 3; // section, figure path, values, date, value
    out.push(...zodDiagnostics(yaml, r.error.issues.map((iss) => ({ ...iss, path: [...at, ...iss.path.slice(depth)] })), ruleFileSchema).map((d) => ({ ...d, path: fieldPath(at) })));
    return undefined;
  }
  // A table's levels by id or alias (三级), as in a rule file.
  const levelled = unit !== "scale" && isTable(value) ? levelIds(value as Record<string, unknown>, (k) => levelIdIn(rules.levels, k)) : undefined;
  for (const t of levelled?.twice ?? []) {
    out.push(diag(yaml, [...at, t.key], "duplicate-key", `level ${t.id} is in this table twice: as ${t.first} and as ${t.key}`, undefined, "key"));
    return undefined;
  }
  for (const level of Object.keys(levelled?.table ?? {}))
    if (!rules.levels[level]) {
      out.push(diag(yaml, [...at, level], "unknown-level", `unknown hospital level ${JSON.stringify(level)}`, closest(level, Object.keys(rules.levels)), "key"));
      return undefined;
    }
  const loc: Loc = { file: yaml.file, ...locate(yaml, at) };
  // The schema checked the value, so it converts (a problem here would be a bug).
  const converted = value === null ? null : convertValue(unit, levelled ? levelled.table : value, (code, message) => {
    throw new Error(`override ${name}: ${code} ${message}`);
  });
  return {
    region: region.code,
    name,
    figure: { name, unit, versions: [{ from: OVERRIDE_FROM, value: converted, source: "override", confidence: "unverified", at: loc }] },
  };
}


/** The rule set with a case's overrides in place. */
export function withOverrides(rules: RuleSet, overrides: readonly Override[]): RuleSet {
  if (!overrides.length) return rules;
  const layers: Record<string, Layer> = { ...rules.layers };
  for (const o of overrides) {
    const layer = layers[o.region] ?? { region: o.region, file: o.figure.versions[0]!.at.file, figures: {} };
    layers[o.region] = { ...layer, figures: { ...layer.figures, [o.name]: o.figure } };
  }
  return { ...rules, layers };
}

/** A value a case compares: an amount (fen), a rate, or text (a route, an error, a list of warnings). */
export type CaseValue = { readonly fen: Fen } | { readonly rate: Rate } | string;

export interface Mismatch {
  readonly field: string;
  readonly expected: CaseValue;
  readonly actual: CaseValue;
}

export interface CaseResult {
  readonly case: RuleCase;
  readonly passed: boolean;
  readonly mismatches: readonly Mismatch[];
  readonly settlement?: Settlement;
  readonly error?: { readonly kind: "rule-gap" | "rejected"; readonly message: string };
}

export function runCase(rules: RuleSet, c: RuleCase): CaseResult {
  let s: Settlement | undefined;
  let error: CaseResult["error"];
  try {
    s = settle(c.claim, withOverrides(rules, c.overrides));
  } catch (e) {
    if (e instanceof RuleGapError) error = { kind: "rule-gap", message: e.message };
    else if (e instanceof ClaimRejectedError) error = { kind: "rejected", message: e.message };
    else throw e;
  }
  const m: Mismatch[] = [];
  const ex = c.expect;
  if (ex.error) {
    if (!error) m.push({ field: "error", expected: ex.error, actual: `settled, payable ${formatYuan(s!.fund)}` });
    else if (error.kind !== ex.error) m.push({ field: "error", expected: ex.error, actual: `${error.kind}: ${error.message}` });
    else if (ex.message !== undefined && !error.message.includes(ex.message)) m.push({ field: "message", expected: `…${ex.message}…`, actual: error.message });
  } else if (error) {
    m.push({ field: "error", expected: "a settlement", actual: `${error.kind}: ${error.message}` });
  } else if (s) {
    const actualFen: Record<(typeof AMOUNT_FIELDS)[number], Fen> = {
      payable: s.fund,
      personal: s.personal,
      total: s.total,
      excluded: s.excluded,
      prepay: s.prepay,
      inPolicy: s.inPolicy,
      routePrepay: s.routePrepay,
      deductible: s.deductible,
      copay: s.copay,
      fundBeforeCap: s.fundBeforeCap,
      overCap: s.overCap,
      reduction: s.reduction.amount,
      // 大病保险: what the layer pays on the claim and the base it pays on (0 where it does not apply).
      criticalIllness: s.critical?.payable ?? 0,
      criticalIllnessBase: s.critical?.base ?? 0,
    };
    for (const f of AMOUNT_FIELDS) {
      const want = ex[f];
      if (want !== undefined && want !== actualFen[f]) m.push({ field: f, expected: { fen: want }, actual: { fen: actualFen[f] } });
    }
    const actualRate = { ratio: s.ratio, ratioClassB: s.ratioB };
    for (const f of RATE_FIELDS) {
      const want = ex[f];
      if (want !== undefined && cmp(want, actualRate[f]) !== 0) m.push({ field: f, expected: { rate: want }, actual: { rate: actualRate[f] } });
    }
    if (ex.route !== undefined && ex.route !== s.route) m.push({ field: "route", expected: ex.route, actual: s.route });
    if (ex.warnings !== undefined) {
      const [want, got] = [[...new Set(ex.warnings)].sort(), [...new Set(s.warnings.map((w) => w.code))].sort()];
      if (want.join(",") !== got.join(",")) m.push({ field: "warnings", expected: `[${want.join(", ")}]`, actual: `[${got.join(", ")}]` });
    }
  }
  return { case: c, passed: m.length === 0, mismatches: m, ...(s ? { settlement: s } : {}), ...(error ? { error } : {}) };
}

/** Case-insensitive substring match on the case name (`rules test -n`). */
export function matchesName(c: RuleCase, pattern: string | undefined): boolean {
  return !pattern || c.name.toLowerCase().includes(pattern.toLowerCase());
}
