/**
 * `settle` (memoised rule lookups, text templates) against the straightforward
 * implementation it replaced (test/core/settle-reference.ts): the same
 * Settlement, key for key and in the same key order, or the same error
 * (class, message, path, hint), on generated claims that reach every branch —
 * every region (codes, names, provinces and counties that are refused), every
 * level (and unknown ones), kind, filing, forced route, disease, dates across
 * every version window, itemised lines, histories — and on the bench's claims.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastClaim } from "../../src/batch/fastclaim.js";
import type { Claim } from "../../src/claims/schema.js";
import type { RuleSet } from "../../src/core/model.js";
import { settle } from "../../src/core/settle.js";
import { benchClaims, shippedRules } from "../helpers.js";
import { settleReference } from "./settle-reference.js";

type Outcome = { ok: true; json: string; value: unknown } | { ok: false; error: string };

function outcome(f: () => unknown): Outcome {
  try {
    const value = f();
    return { ok: true, json: JSON.stringify(value), value };
  } catch (e) {
    const x = e as Error & { path?: unknown; hint?: unknown };
    return { ok: false, error: `${x.constructor.name}|${x.message}|${JSON.stringify(x.path)}|${String(x.hint)}` };
  }
}

function same(c: Claim, rules: RuleSet): boolean {
  const want = outcome(() => settleReference(c, rules));
  const got = outcome(() => settle(c, rules));
  expect(got.ok ? got.json : got.error).toBe(want.ok ? want.json : want.error);
  if (got.ok && want.ok) expect(got.value).toStrictEqual(want.value);
  return want.ok;
}

const rules = shippedRules();
const POOLS = Object.values(rules.regions).filter((r) => r.pool === r.code).map((r) => r.code);
const REGIONS = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...POOLS) },
  { weight: 1, arbitrary: fc.constantFrom(...Object.keys(rules.regions), ...Object.values(rules.regions).map((r) => r.name), "常德", "999999", "武汉") },
);
const LEVELS = fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...Object.keys(rules.levels)) }, { weight: 1, arbitrary: fc.constantFrom("4", "tertiary") });
const DISEASES = [...Object.keys(rules.diseases), ...Object.values(rules.diseases).map((d) => d.zh), "hypertensoin"];
// Dates on and around every version boundary, and ordinary days.
const BOUNDS = [...new Set(Object.values(rules.layers).flatMap((l) => Object.values(l.figures).flatMap((f) => f.versions.map((v) => v.from))))];
const dayBefore = (d: string): string => new Date(Date.parse(d) - 86_400_000).toISOString().slice(0, 10);
const DATES = fc.oneof(
  fc.constantFrom(...BOUNDS, ...BOUNDS.map(dayBefore)),
  fc.integer({ min: 0, max: 2400 }).map((d) => new Date(Date.UTC(2020, 0, 1) + d * 86_400_000).toISOString().slice(0, 10)),
  fc.integer({ min: 0, max: 900 }).map((d) => new Date(Date.UTC(2024, 6, 1) + d * 86_400_000).toISOString().slice(0, 10)),
  fc.integer({ min: 0, max: 900 }).map((d) => new Date(Date.UTC(2024, 6, 1) + d * 86_400_000).toISOString().slice(0, 10)),
);
const fen = (max: number) => fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300_000 }), fc.integer({ min: 0, max }));

const claimArb = fc
  .record({
    id: fc.option(fc.constantFrom("c-1", "理赔-2", 'q"uote'), { nil: undefined }),
    date: DATES,
    insuredRegion: REGIONS,
    scheme: fc.constantFrom("employee", "resident"),
    retired: fc.boolean(),
    treatRegion: REGIONS,
    level: LEVELS,
    kind: fc.constantFrom("inpatient", "inpatient", "inpatient", "inpatient", "chronic", "outpatient"),
    disease: fc.constantFrom(...DISEASES),
    emergency: fc.boolean(),
    filing: fc.option(fc.constantFrom("long-term", "referral", "emergency", "temporary", "none"), { nil: undefined }),
    route: fc.option(fc.constantFrom("local", "in-province", "zone", "long-term", "referral", "emergency", "temporary", "unfiled"), { freq: 4, nil: undefined }),
    costs: fc.record({ classA: fen(50_000_000), classB: fc.oneof(fc.constant(0), fen(5_000_000)), excluded: fen(1_000_000) }),
    items: fc.option(
      fc.array(
        fc.record({ name: fc.constantFrom("床位费", "drugs", "x"), class: fc.constantFrom("A", "B", "excluded"), amount: fen(2_000_000), prepayShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }) }),
        { minLength: 1, maxLength: 5 },
      ),
      { freq: 3, nil: undefined },
    ),
    history: fc.record({ fundPaid: fen(60_000_000), admissions: fc.integer({ min: 0, max: 4 }), deductiblePaid: fen(500_000) }),
  })
  .map((g): Claim => {
    const c: Record<string, unknown> = {
      date: g.date,
      insured: { region: g.insuredRegion, scheme: g.scheme, retired: g.scheme === "employee" && g.retired },
      treatment: { region: g.treatRegion, level: g.level, kind: g.kind, emergency: g.emergency, ...(g.kind === "chronic" ? { disease: g.disease } : {}) },
      history: g.history,
    };
    if (g.id !== undefined) c.id = g.id;
    if (g.filing !== undefined) c.filing = g.filing;
    if (g.route !== undefined) c.route = g.route;
    if (g.items)
      c.items = g.items.map((it) => ({
        name: it.name,
        class: it.class,
        amount: it.amount,
        ...(it.class === "B" && it.prepayShare !== undefined ? { prepay: Math.floor(it.amount * it.prepayShare) } : {}),
      }));
    else c.costs = g.costs;
    return c as unknown as Claim; // amounts already in fen: built as settle receives them
  });

describe("settle is the reference settlement, made fast", () => {
  it("gives the same settlement or the same error on 10,000 generated claims", () => {
    let settled = 0;
    fc.assert(
      fc.property(claimArb, (c) => {
        if (same(c, rules)) settled++;
      }),
      { numRuns: 10_000, seed: 20251122 },
    );
    expect(settled).toBeGreaterThan(1500); // the generator reaches settlements, not only errors
  }, 120_000);

  it("gives the same on the bench's claims (a realistic year) and again from the memo", () => {
    const claims = benchClaims(4000, 5);
    let settled = 0;
    for (let round = 0; round < 2; round++) for (const c of claims) if (same(c, rules)) settled++;
    expect(settled).toBeGreaterThan(7000);
  }, 120_000);

  it("keeps one memo per rule set: another rule set settles by its own figures", () => {
    const c = fastClaim({ date: "2025-03-09", insured: { region: "430700", scheme: "employee" }, treatment: { region: "420500", level: 3, kind: "inpatient" }, filing: "none", costs: { classA: 11100 } })!;
    const layer = rules.layers["430000"]!;
    const name = "employee.inpatient.deductible";
    const fig = layer.figures[name]!;
    const over: RuleSet = {
      ...rules,
      layers: { ...rules.layers, "430000": { ...layer, figures: { ...layer.figures, [name]: { ...fig, versions: fig.versions.map((v) => ({ ...v, value: 12_345 })) } } } },
    };
    for (const r of [rules, over, rules, over]) same(c, r);
    expect(settle(c, over).deductible).not.toBe(settle(c, rules).deductible);
  });
});
