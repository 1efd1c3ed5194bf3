/**
 * `reimburse rules diff OLD NEW`: what changed between two rule sets, figure
 * by figure (region, effective date, level, old → new), and what the change
 * does to a sample of claims. Pure: two rule sets (and claims) in.
 */
import type { Claim } from "../claims/schema.js";
import { ClaimRejectedError, RuleGapError } from "../core/errors.js";
import type { Fen } from "../core/money.js";
import type { Figure, FigureValue, Loc, RuleSet } from "../core/model.js";
import { settle } from "../core/settle.js";
import type { Settlement } from "../core/settlement.js";

export interface FigureChange {
  readonly change: "added" | "removed" | "changed";
  /** Region code of the layer, or "national" (caps, chronic lists), or "zones". */
  readonly scope: string;
  readonly figure: string;
  /** Effective date of the version; "" for a whole entry (a source, a region). */
  readonly from: string;
  /** The hospital level of a table cell, or the field that changed (source). */
  readonly part?: string;
  readonly old?: FigureValue | null | string;
  readonly new?: FigureValue | null | string;
  /** Where to look: in NEW, or in OLD for a removal. */
  readonly at?: Loc;
}

type Keyed = Map<string, { scope: string; name: string; figure: Figure<unknown> }>;

function figuresOf(r: RuleSet): Keyed {
  const m: Keyed = new Map();
  const put = (scope: string, name: string, figure: Figure<unknown>) => m.set(`${scope}|${name}`, { scope, name, figure });
  for (const l of Object.values(r.layers)) for (const [n, f] of Object.entries(l.figures)) put(l.region, n, f);
  for (const [route, f] of Object.entries(r.reductionCaps)) put("national", `reductionCaps.${route}`, f);
  for (const l of Object.values(r.chronicLists)) put("national", `chronicLists.${l.id}`, l.figure);
  for (const z of Object.values(r.zones)) put("zones", `zones.${z.id} (${z.between.join(" ↔ ")})`, z.figure);
  return m;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const isTable = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !("num" in v && "den" in v) && !["points", "prepay", "copayFactor"].some((k) => k in v);

export function diffRules(before: RuleSet, after: RuleSet): FigureChange[] {
  const out: FigureChange[] = [];
  const [a, b] = [figuresOf(before), figuresOf(after)];
  for (const key of [...new Set([...a.keys(), ...b.keys()])]) {
    const [x, y] = [a.get(key), b.get(key)];
    const { scope, name } = (x ?? y)!;
    const vx = new Map(x?.figure.versions.map((v) => [v.from, v]) ?? []);
    const vy = new Map(y?.figure.versions.map((v) => [v.from, v]) ?? []);
    for (const from of [...new Set([...vx.keys(), ...vy.keys()])].sort()) {
      const [o, n] = [vx.get(from), vy.get(from)];
      if (!o) out.push({ change: "added", scope, figure: name, from, new: n!.value as FigureValue | null, at: n!.at });
      else if (!n) out.push({ change: "removed", scope, figure: name, from, old: o.value as FigureValue | null, at: o.at });
      else {
        if (isTable(o.value) && isTable(n.value)) {
          for (const level of [...new Set([...Object.keys(o.value), ...Object.keys(n.value)])]) {
            const [p, q] = [o.value[level], n.value[level]];
            if (!same(p, q))
              out.push({
                change: p === undefined ? "added" : q === undefined ? "removed" : "changed",
                scope, figure: name, from, part: level,
                ...(p !== undefined ? { old: p as FigureValue } : {}),
                ...(q !== undefined ? { new: q as FigureValue } : {}),
                at: n.cells?.[level] ?? n.at,
              });
          }
        } else if (!same(o.value, n.value)) out.push({ change: "changed", scope, figure: name, from, old: o.value as FigureValue | null, new: n.value as FigureValue | null, at: n.at });
        if (o.source !== n.source || o.confidence !== n.confidence)
          out.push({ change: "changed", scope, figure: name, from, part: "source", old: `${o.source} (${o.confidence})`, new: `${n.source} (${n.confidence})`, at: n.at });
      }
    }
  }
  const entries = <T>(kind: string, xa: Record<string, T>, xb: Record<string, T>, show: (t: T) => string) => {
    for (const id of [...new Set([...Object.keys(xa), ...Object.keys(xb)])].sort()) {
      const [p, q] = [xa[id], xb[id]];
      if (p === undefined) out.push({ change: "added", scope: kind, figure: `${kind}.${id}`, from: "", new: show(q!) });
      else if (q === undefined) out.push({ change: "removed", scope: kind, figure: `${kind}.${id}`, from: "", old: show(p) });
      else if (!same(p, q)) out.push({ change: "changed", scope: kind, figure: `${kind}.${id}`, from: "", old: show(p), new: show(q) });
    }
  };
  entries("sources", before.sources, after.sources, (s) => `${s.title} (${s.confidence}, ${s.date})`);
  entries("regions", before.regions, after.regions, (r) => `${r.name} (${r.level}${r.parent ? ` in ${r.parent}` : ""})`);
  entries("levels", before.levels, after.levels, (l) => l.zh);
  entries("diseases", before.diseases, after.diseases, (d) => d.zh);
  return out.sort((p, q) => (p.scope < q.scope ? -1 : p.scope > q.scope ? 1 : p.figure < q.figure ? -1 : p.figure > q.figure ? 1 : p.from < q.from ? -1 : p.from > q.from ? 1 : 0));
}

export interface Outcome {
  readonly fund?: Fen;
  /** What 大病保险 pays on the claim, where the layer applies. */
  readonly criticalIllness?: Fen;
  readonly route?: string;
  /** Why the claim could not be settled: "rule gap: …" or "rejected: …". */
  readonly error?: string;
}

export interface ClaimEffect {
  readonly id: string;
  readonly before: Outcome;
  readonly after: Outcome;
  /** after − before in fen, when both settled. */
  readonly delta?: Fen;
}

export interface Effects {
  readonly claims: number;
  readonly changed: number;
  /** Sums over claims that settle under both rule sets. */
  readonly totalBefore: Fen;
  readonly totalAfter: Fen;
  readonly bothSettled: number;
  /** Claims settled under one rule set only. */
  readonly nowFailing: number;
  readonly nowSettling: number;
  /** Claims neither rule set settles (refused, or a rule gap, under both). */
  readonly failingUnderBoth: number;
  /** The changed claims, largest |delta| first (failures last). */
  readonly largest: readonly ClaimEffect[];
  /** Claims of the sample skipped as invalid (src/commands/rules.ts readClaims). */
  readonly invalid?: number;
}

function outcome(claim: Claim, rules: RuleSet): Outcome {
  let s: Settlement;
  try {
    s = settle(claim, rules);
  } catch (e) {
    if (e instanceof RuleGapError) return { error: `rule gap: ${e.message}` };
    if (e instanceof ClaimRejectedError) return { error: `rejected: ${e.message}` };
    throw e;
  }
  return { fund: s.fund, route: s.route, ...(s.critical ? { criticalIllness: s.critical.payable } : {}) };
}

const size = (e: ClaimEffect): number => (e.delta === undefined ? -1 : Math.abs(e.delta));

/** Each claim settled on its own under both rule sets (no annual ledger carried between claims). */
export function claimEffects(claims: readonly { id: string; claim: Claim }[], before: RuleSet, after: RuleSet, top = 10): Effects {
  const effects: ClaimEffect[] = claims.map(({ id, claim }) => {
    const [b, a] = [outcome(claim, before), outcome(claim, after)];
    return { id, before: b, after: a, ...(b.fund !== undefined && a.fund !== undefined ? { delta: a.fund - b.fund } : {}) };
  });
  const both = effects.filter((e) => e.delta !== undefined);
  // A claim changes when its basic fund, its route or its 大病保险 payment does.
  const changed = effects.filter((e) => (e.delta !== undefined ? e.delta !== 0 || e.before.route !== e.after.route || e.before.criticalIllness !== e.after.criticalIllness : !same(e.before, e.after)));
  return {
    claims: effects.length,
    changed: changed.length,
    totalBefore: both.reduce((s, e) => s + e.before.fund!, 0),
    totalAfter: both.reduce((s, e) => s + e.after.fund!, 0),
    bothSettled: both.length,
    nowFailing: effects.filter((e) => e.before.fund !== undefined && e.after.error).length,
    nowSettling: effects.filter((e) => e.before.error && e.after.fund !== undefined).length,
    failingUnderBoth: effects.filter((e) => e.before.error && e.after.error).length,
    largest: [...changed].sort((p, q) => size(q) - size(p)).slice(0, top),
  };
}
