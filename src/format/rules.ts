/**
 * Output of `reimburse rules …`: check diagnostics (text, JSON, GitHub
 * annotations), test results (text, JSON, JUnit XML), the resolved policy
 * (table, JSON) and rule diffs (text, JSON). Data in, string out.
 */
import type { Colors } from "./color.js";
import Table from "cli-table3";
import type { Diagnostic } from "../diagnostics.js";
import { formatYuan, toYuan } from "../core/money.js";
import type { FigureValue, Loc, RuleSet, Scale } from "../core/model.js";
import { formatPercent, formatPoints, toNumber, type Rate } from "../core/rate.js";
import { LEVEL_ORDER } from "../rules/checks.js";
import type { CaseResult, CaseValue } from "../rules/cases.js";
import type { Effects, FigureChange, Outcome } from "../rules/diff.js";
import type { ShownPolicy } from "../rules/show.js";
import { formatDiagnostic } from "./diagnostics.js";

import { plural, RULES_SCHEMA_VERSION } from "./check.js";

// `rules check` output has its own module (no table library: it is printed at start-up speed).
export { githubAnnotation, renderCheck, RULES_SCHEMA_VERSION } from "./check.js";

const loc = (l: Loc): string => `${l.file}:${l.line}`;

function table(c: Colors, head: string[]): Table.Table {
  return new Table({ head: head.map((h) => c.bold(h)), style: { head: [], border: [], compact: true }, wordWrap: true });
}

// ── Values ──

const isRate = (v: unknown): v is Rate => typeof v === "object" && v !== null && "num" in v && "den" in v;

/** A figure value as people read it: 1,100.00 · 85% · −5 points · community 200.00 · 1 500.00. */
export function formatValue(name: string, unit: string, v: FigureValue | null | string | undefined, levels: readonly string[] = []): string {
  if (v === null) return "null (ended)";
  if (v === undefined) return "—";
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (Array.isArray(v)) return v.join(", ");
  if (typeof v === "number") return unit === "yuan" ? formatYuan(v) : String(v);
  if (isRate(v)) return formatPercent(v);
  const o = v as Record<string, unknown>;
  if ("measure" in o && "bands" in o) {
    const sc = v as Scale;
    const bands = sc.bands.map((b) => `${formatYuan(b.from)}–${b.to === undefined ? "" : formatYuan(b.to)} ${formatPercent(b.rate)}`).join(" · ");
    return `${sc.measure === "aboveThreshold" ? "above the threshold" : "of the base"}: ${bands}`;
  }
  if ("points" in o) return `${name.startsWith("reductions") ? "−" : "+"}${formatPoints(o.points as Rate)} points`;
  if ("prepay" in o) return `prepay ${formatPercent(o.prepay as Rate)}`;
  if ("copayFactor" in o) return `co-pay × ${formatPercent(o.copayFactor as Rate)}`;
  const keys = Object.keys(o).sort((a, b) => rankOf(levels, a) - rankOf(levels, b) || (a < b ? -1 : 1));
  return keys.map((k) => `${k}: ${formatValue(name, unit, o[k] as FigureValue)}`).join(" · ");
}

/** Tables read from the lowest level up, as the rule files write them. */
const BY_LEVEL = [...LEVEL_ORDER].reverse() as string[];
const rankOf = (levels: readonly string[], k: string): number => {
  const order = [...BY_LEVEL, ...levels.filter((l) => !BY_LEVEL.includes(l))];
  return order.includes(k) ? order.indexOf(k) : order.length;
};

/** A figure value for JSON: yuan as numbers exact to the fen, fractions as numbers. */
export function jsonValue(unit: string, v: unknown): unknown {
  if (v === null || v === undefined || typeof v !== "object" || Array.isArray(v)) return typeof v === "number" && unit === "yuan" ? toYuan(v) : v;
  if (isRate(v)) return toNumber(v);
  // A scale's band edges are yuan: its bands convert as yuan and fractions.
  if (unit === "scale") {
    const sc = v as Scale;
    return { measure: sc.measure, bands: sc.bands.map((b) => ({ from: toYuan(b.from), ...(b.to !== undefined ? { to: toYuan(b.to) } : {}), rate: toNumber(b.rate) })) };
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(unit, x)]));
}

// ── rules test ──

export interface TestReport {
  /** The rule-set version the cases ran against. */
  readonly version: string;
  readonly files: readonly string[];
  readonly results: readonly CaseResult[];
  /** Test files that could not be read as cases. */
  readonly diagnostics: readonly Diagnostic[];
  /** Cases left out by the name filter. */
  readonly skipped: number;
}

/** A compared value as people read it: 8,500.00, 85%, or the text. */
const shown = (v: CaseValue): string => (typeof v === "string" ? v : "fen" in v ? formatYuan(v.fen) : formatPercent(v.rate));
/** …and as JSON gives it: yuan and rates as numbers (8500, 0.85), text as text. */
const valueJson = (v: CaseValue): number | string => (typeof v === "string" ? v : "fen" in v ? toYuan(v.fen) : toNumber(v.rate));

export function testSummary(t: TestReport): string {
  const failed = t.results.filter((r) => !r.passed).length;
  const broken = new Set(t.diagnostics.map((d) => d.file)).size;
  return `${plural(t.results.length, "case")} in ${plural(t.files.length, "file")}: ${t.results.length - failed} passed, ${failed} failed${broken ? `, ${plural(broken, "file")} not readable` : ""}${t.skipped ? `, ${t.skipped} filtered out` : ""}`;
}

export function renderTests(t: TestReport, format: "text" | "json" | "junit", c: Colors): string {
  if (format === "json") {
    const failed = t.results.filter((r) => !r.passed).length;
    return (
      JSON.stringify(
        {
          schemaVersion: RULES_SCHEMA_VERSION,
          rulesVersion: t.version,
          summary: { files: t.files.length, cases: t.results.length, passed: t.results.length - failed, failed, skipped: t.skipped, unreadable: new Set(t.diagnostics.map((d) => d.file)).size },
          cases: t.results.map((r) => ({
            file: r.case.file,
            line: r.case.line,
            name: r.case.name,
            status: r.passed ? "pass" : "fail",
            ...(r.settlement ? { payable: toYuan(r.settlement.fund), route: r.settlement.route } : {}),
            ...(r.error ? { error: r.error } : {}),
            mismatches: r.mismatches.map((m) => ({ field: m.field, expected: valueJson(m.expected), actual: valueJson(m.actual) })),
          })),
          diagnostics: t.diagnostics,
        },
        null,
        2,
      ) + "\n"
    );
  }
  if (format === "junit") return junit(t);
  const out: string[] = [];
  for (const file of t.files) {
    const rs = t.results.filter((r) => r.case.file === file);
    const ds = t.diagnostics.filter((d) => d.file === file);
    if (!rs.length && !ds.length) continue;
    out.push(c.bold(file));
    for (const d of ds) out.push(`  ${formatDiagnostic(d, c)}`);
    for (const r of rs) {
      out.push(r.passed ? `  ${c.green("✓")} ${r.case.name}` : `  ${c.red("✗")} ${r.case.name} ${c.dim(`(${r.case.file}:${r.case.line})`)}`);
      const w = Math.max(0, ...r.mismatches.map((m) => m.field.length));
      for (const m of r.mismatches) out.push(`      ${m.field.padEnd(w)}  expected ${c.green(shown(m.expected))}  actual ${c.red(shown(m.actual))}`);
    }
  }
  const failed = t.results.some((r) => !r.passed) || t.diagnostics.length > 0;
  out.push((failed ? c.red : c.green)(testSummary(t)));
  return out.join("\n") + "\n";
}

const xml = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function junit(t: TestReport): string {
  const failed = t.results.filter((r) => !r.passed).length;
  const lines = [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="reimburse rules test" tests="${t.results.length}" failures="${failed}" errors="${new Set(t.diagnostics.map((d) => d.file)).size}">`];
  for (const file of t.files) {
    const rs = t.results.filter((r) => r.case.file === file);
    const ds = t.diagnostics.filter((d) => d.file === file);
    if (!rs.length && !ds.length) continue;
    lines.push(`  <testsuite name="${xml(file)}" tests="${rs.length + (ds.length ? 1 : 0)}" failures="${rs.filter((r) => !r.passed).length}" errors="${ds.length ? 1 : 0}">`);
    if (ds.length) {
      const text = ds.map((d) => `${d.file}:${d.line}:${d.col} ${d.code} ${d.path ? `${d.path}: ` : ""}${d.message}`).join("\n");
      lines.push(`    <testcase name="${xml(file)}" classname="${xml(file)}" file="${xml(file)}">`, `      <error message="${xml(`${ds.length} problem(s) reading the test file`)}">${xml(text)}</error>`, `    </testcase>`);
    }
    for (const r of rs) {
      const head = `    <testcase name="${xml(r.case.name)}" classname="${xml(file)}" file="${xml(file)}" line="${r.case.line}"`;
      if (r.passed) {
        lines.push(`${head}/>`);
        continue;
      }
      const msg = r.mismatches.map((m) => `${m.field}: expected ${shown(m.expected)}, actual ${shown(m.actual)}`).join("; ");
      lines.push(`${head}>`, `      <failure message="${xml(msg)}">${xml(r.mismatches.map((m) => `${m.field}\n  expected ${shown(m.expected)}\n  actual   ${shown(m.actual)}`).join("\n"))}</failure>`, `    </testcase>`);
    }
    lines.push(`  </testsuite>`);
  }
  lines.push(`</testsuites>`);
  return lines.join("\n") + "\n";
}

// ── rules show ──

export function renderShow(p: ShownPolicy, rules: RuleSet, format: "table" | "json", c: Colors): string {
  const levels = Object.keys(rules.levels);
  const name = (code: string) => `${rules.regions[code]?.name ?? code} (${code})`;
  if (format === "json") {
    const src = (id: string) => {
      const s = p.sources[id];
      return s ? { title: s.title, ...(s.document ? { document: s.document } : {}), ...(s.url ? { url: s.url } : {}), sourceDate: s.date } : {};
    };
    return (
      JSON.stringify(
        {
          schemaVersion: RULES_SCHEMA_VERSION,
          rulesVersion: rules.version,
          region: { code: p.region.code, name: p.region.name, level: p.region.level },
          policyOf: { code: p.policyOf.code, name: p.policyOf.name },
          date: p.date,
          ...(p.scheme ? { scheme: p.scheme } : {}),
          figures: p.figures.map((f) =>
            f.status === "missing"
              ? { figure: f.name, unit: f.unit, status: f.status }
              : {
                  figure: f.name,
                  unit: f.unit,
                  status: f.status,
                  value: jsonValue(f.unit, f.value),
                  from: f.from,
                  origin: f.origin,
                  layer: f.layer,
                  rule: `${f.at.file}:${f.at.line}:${f.at.col}`,
                  source: f.source,
                  confidence: f.confidence,
                  ...src(f.source),
                  ...(f.note ? { note: f.note } : {}),
                },
          ),
          reductionCaps: p.caps.map((k) => ({ route: k.route, value: jsonValue("fraction", k.value), from: k.from, rule: `${k.at.file}:${k.at.line}:${k.at.col}`, source: k.source, confidence: k.confidence })),
          zones: p.zones.map((z) => ({ id: z.id, name: z.name, partner: { code: z.partner, name: rules.regions[z.partner]?.name }, from: z.from, rule: `${z.at.file}:${z.at.line}:${z.at.col}`, source: z.source, confidence: z.confidence })),
        },
        null,
        2,
      ) + "\n"
    );
  }
  const conf = (x: string) => (x === "unverified" ? c.yellow(x) : x === "secondary" ? c.dim(x) : x);
  const out: string[] = [];
  const via = p.policyOf.code !== p.region.code ? ` — claims of ${p.region.name} read the policy of ${name(p.policyOf.code)}` : "";
  out.push(c.bold(`${name(p.region.code)} on ${p.date}${p.scheme ? `, ${p.scheme} scheme` : ""}`) + via + c.dim(`  (rules version ${rules.version})`));
  const t = table(c, ["Figure", "Value", "From", "Origin", "Rule", "Source", "Confidence"]);
  for (const f of p.figures) {
    if (f.status === "missing") {
      t.push([f.name, c.red("— missing: a claim that needs it is a rule gap"), "", "", "", "", ""]);
      continue;
    }
    const value = f.status === "in force" ? formatValue(f.name, f.unit, f.value, levels) : c.dim(f.status === "ended" ? "— ended by null" : `— not yet (from ${f.from})`);
    t.push([f.name, value, f.from, f.origin === "province" ? `${name(f.layer)} default` : `${name(f.layer)} override`, loc(f.at), f.source, conf(f.confidence)]);
  }
  out.push(t.toString());
  if (p.caps.length) {
    out.push(c.bold("National caps on route reductions"));
    const k = table(c, ["Route", "Cap", "From", "Rule", "Source", "Confidence"]);
    for (const x of p.caps) k.push([x.route, `${formatPoints(x.value as Rate)} points`, x.from, loc(x.at), x.source, conf(x.confidence)]);
    out.push(k.toString());
  }
  out.push(c.bold("Mutual-recognition zones"));
  if (p.zones.length) {
    const z = table(c, ["Zone", "With", "From", "Rule", "Source", "Confidence"]);
    for (const x of p.zones) z.push([x.id, name(x.partner), x.from, loc(x.at), x.source, conf(x.confidence)]);
    out.push(z.toString());
  } else out.push(c.dim("  none for this region on this date"));
  return out.join("\n") + "\n";
}

// ── rules diff ──

export function renderDiff(changes: readonly FigureChange[], effects: Effects | undefined, before: RuleSet, after: RuleSet, format: "text" | "json", c: Colors): string {
  const unitOf = (ch: FigureChange): string => {
    for (const r of [after, before]) {
      const layer = r.layers[ch.scope];
      const f = layer?.figures[ch.figure];
      if (f) return f.unit;
    }
    return ch.figure.startsWith("reductionCaps") ? "fraction" : "";
  };
  const scopeName = (s: string) => (after.regions[s] ?? before.regions[s] ? `${(after.regions[s] ?? before.regions[s])!.name} (${s})` : s);
  if (format === "json") {
    const delta = (e: { delta?: number }) => (e.delta !== undefined ? { delta: toYuan(e.delta) } : {});
    const outcome = (o: Outcome) => ({
      ...(o.fund !== undefined ? { payable: toYuan(o.fund), route: o.route } : {}),
      ...(o.criticalIllness !== undefined ? { criticalIllness: toYuan(o.criticalIllness) } : {}),
      ...(o.error ? { error: o.error } : {}),
    });
    return (
      JSON.stringify(
        {
          schemaVersion: RULES_SCHEMA_VERSION,
          rules: { before: before.version, after: after.version },
          changes: changes.map((ch) => ({
            change: ch.change,
            scope: ch.scope,
            figure: ch.figure,
            from: ch.from || null,
            ...(ch.part ? { part: ch.part } : {}),
            ...(ch.old !== undefined ? { old: ch.part === "source" ? ch.old : jsonValue(unitOf(ch), ch.old) } : {}),
            ...(ch.new !== undefined ? { new: ch.part === "source" ? ch.new : jsonValue(unitOf(ch), ch.new) } : {}),
            ...(ch.at ? { rule: `${ch.at.file}:${ch.at.line}:${ch.at.col}` } : {}),
          })),
          ...(effects
            ? {
                claims: {
                  count: effects.claims,
                  invalid: effects.invalid ?? 0,
                  changed: effects.changed,
                  settledUnderBoth: effects.bothSettled,
                  payableBefore: toYuan(effects.totalBefore),
                  payableAfter: toYuan(effects.totalAfter),
                  delta: toYuan(effects.totalAfter - effects.totalBefore),
                  nowFailing: effects.nowFailing,
                  nowSettling: effects.nowSettling,
                  failingUnderBoth: effects.failingUnderBoth,
                  largest: effects.largest.map((e) => ({ id: e.id, before: outcome(e.before), after: outcome(e.after), ...delta(e) })),
                },
              }
            : {}),
        },
        null,
        2,
      ) + "\n"
    );
  }
  const levels = Object.keys(after.levels);
  const out: string[] = [];
  if (!changes.length) out.push("No figure changes.");
  else {
    out.push(c.bold(`${plural(changes.length, "change")}`));
    const t = table(c, ["Region", "Figure", "From", "Level", "Old → new", "Rule"]);
    for (const ch of changes) {
      const u = unitOf(ch);
      const show = (v: FigureChange["old"]) => (ch.part === "source" ? String(v) : formatValue(ch.figure, u, v as FigureValue | null, levels));
      const what = ch.change === "added" ? `${c.green("+")} ${show(ch.new)}` : ch.change === "removed" ? `${c.red("−")} ${show(ch.old)}` : `${show(ch.old)} → ${c.bold(show(ch.new))}`;
      t.push([scopeName(ch.scope), ch.figure, ch.from, ch.part ?? "", what, ch.at ? loc(ch.at) : ""]);
    }
    out.push(t.toString());
  }
  if (effects) {
    const d = effects.totalAfter - effects.totalBefore;
    out.push(
      c.bold(`Claims: ${effects.changed} of ${effects.claims} change`) +
        `; payable ${formatYuan(effects.totalBefore)} → ${formatYuan(effects.totalAfter)} (${d > 0 ? "+" : d < 0 ? "−" : "±"}${formatYuan(Math.abs(d))}) over the ${effects.bothSettled} settled under both` +
        (effects.nowFailing || effects.nowSettling ? `; ${effects.nowFailing} no longer settle, ${effects.nowSettling} now settle` : "") +
        (effects.failingUnderBoth ? `; ${effects.failingUnderBoth} settle under neither` : "") +
        (effects.invalid ? `; ${plural(effects.invalid, "invalid claim")} skipped (listed on stderr)` : ""),
    );
    if (effects.largest.length) {
      const t = table(c, ["Claim", "Before", "After", "Change"]);
      const cell = (o: Outcome) => (o.fund !== undefined ? `${formatYuan(o.fund)} (${o.route})${o.criticalIllness !== undefined ? ` + 大病 ${formatYuan(o.criticalIllness)}` : ""}` : c.red(o.error ?? ""));
      for (const e of effects.largest)
        t.push([e.id, cell(e.before), cell(e.after), e.delta === undefined ? "" : `${e.delta > 0 ? "+" : e.delta < 0 ? "−" : "±"}${formatYuan(Math.abs(e.delta))}`]);
      out.push("Largest changes:", t.toString());
    }
  }
  return out.join("\n") + "\n";
}
