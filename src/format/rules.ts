/**
 * Output of `reimburse rules …`: check diagnostics (text, JSON, GitHub
 * annotations), test results (text, JSON, JUnit XML), the resolved policy
 * (table, JSON) and rule diffs (text, JSON). Data in, string out.
 */
import type { Colors } from "./color.js";
import type { Lang } from "./labels.js";
import Table from "cli-table3";
import type { Diagnostic } from "../diagnostics.js";
import { formatYuan, toYuan } from "../core/money.js";
import type { FigureValue, Loc, RuleSet, Scale } from "../core/model.js";
import { formatPercent, formatPoints, toNumber, type Rate } from "../core/rate.js";
import { LEVEL_ORDER } from "../rules/checks.js";
import type { CaseResult, CaseValue } from "../rules/cases.js";
import type { Effects, FigureChange, Outcome } from "../rules/diff.js";
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

/** A figure value as people read it: 1,100.00 · 85% · −5 points · community 200.00 · 1 500.00 (in Chinese: −5 个百分点 …). */
/** `names`: what a level key or a kind is called for the reader (三级 for "3", 住院 for inpatient); ids otherwise. */
export function formatValue(name: string, unit: string, v: FigureValue | null | string | undefined, levels: readonly string[] = [], lang: Lang = "en", names: Readonly<Record<string, string>> = {}): string {
  const zh = lang === "zh";
  if (v === null) return zh ? "null（已终止）" : "null (ended)";
  if (v === undefined) return "—";
  if (typeof v === "string") return names[v] ?? v;
  if (typeof v === "boolean") return v ? (zh ? "是" : "yes") : zh ? "否" : "no";
  if (Array.isArray(v)) return v.join(", ");
  if (typeof v === "number") return unit === "yuan" ? formatYuan(v) : String(v);
  if (isRate(v)) return formatPercent(v);
  const o = v as Record<string, unknown>;
  if ("measure" in o && "bands" in o) {
    const sc = v as Scale;
    const bands = sc.bands.map((b) => `${formatYuan(b.from)}–${b.to === undefined ? "" : formatYuan(b.to)} ${formatPercent(b.rate)}`).join(" · ");
    const measure = sc.measure === "aboveThreshold" ? (zh ? "起付标准以上" : "above the threshold") : zh ? "按基数" : "of the base";
    return `${measure}: ${bands}`;
  }
  if ("points" in o) return `${name.startsWith("reductions") ? "−" : "+"}${formatPoints(o.points as Rate)}${zh ? " 个百分点" : " points"}`;
  if ("prepay" in o) return `${zh ? "先行自付" : "prepay"} ${formatPercent(o.prepay as Rate)}`;
  if ("copayFactor" in o) return `${zh ? "按比例自付 ×" : "co-pay ×"} ${formatPercent(o.copayFactor as Rate)}`;
  const keys = Object.keys(o).sort((a, b) => rankOf(levels, a) - rankOf(levels, b) || (a < b ? -1 : 1));
  return keys.map((k) => `${names[k] ?? k}: ${formatValue(name, unit, o[k] as FigureValue, [], lang)}`).join(" · ");
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
