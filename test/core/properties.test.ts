/**
 * Invariants of settlement over the shipped rules, for generated claims that the
 * rules cover (both provinces, every level a table has, every filing).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Claim } from "../../src/claims/schema.js";
import { settle } from "../../src/core/settle.js";
import { settlementJson } from "../../src/format/json.js";
import { claim, shippedRules } from "../helpers.js";

const rules = shippedRules();
const HUNAN = Object.values(rules.regions).filter((r) => r.province === "430000" && r.level === "prefecture").map((r) => r.code);
const HUBEI = Object.values(rules.regions).filter((r) => r.province === "420000" && r.level === "prefecture" && r.pool).map((r) => r.code);
const ALL_LEVELS = ["community", "1", "2", "3", "provincial"];

/** Insured places and the levels their tables cover. */
const INSURED: { region: string; scheme: "employee" | "resident"; levels: string[] }[] = [
  ...HUNAN.map((region) => ({ region, scheme: "employee" as const, levels: ALL_LEVELS })),
  ...HUNAN.map((region) => ({ region, scheme: "resident" as const, levels: region === "430400" ? ["community", "1", "2", "3"] : ALL_LEVELS })),
  { region: "420100", scheme: "employee", levels: ["community", "1", "2", "3"] },
  { region: "420100", scheme: "resident", levels: ["1", "2", "3"] },
  { region: "421000", scheme: "resident", levels: ["1", "2", "3"] },
  { region: "420500", scheme: "resident", levels: ["1", "2", "3"] },
  { region: "422800", scheme: "employee", levels: ["1", "2"] },
];
/** Treatment places that publish a class B prepay share. */
const WITH_CLASS_B = new Set(["420100", "421000"]);

const yuan = (max: number) => fc.integer({ min: 0, max: max * 100 }).map((f) => (f / 100).toFixed(2));
/** Amounts near the deductibles (where ceilings and rounding bite) as often as large ones. */
const cost = (max: number) => fc.oneof(yuan(3000), yuan(max));
const day = fc.integer({ min: 0, max: 900 }).map((d) => new Date(Date.UTC(2024, 6, 1) + d * 86_400_000).toISOString().slice(0, 10));

const claimArb = fc
  .record({
    who: fc.constantFrom(...INSURED),
    levelPick: fc.nat(),
    treatPick: fc.nat(),
    retired: fc.boolean(),
    filing: fc.constantFrom("long-term", "referral", "emergency", "temporary", "none"),
    emergency: fc.boolean(),
    classA: cost(300_000),
    classB: cost(50_000),
    excluded: cost(20_000),
    date: day,
    fundPaid: yuan(200_000),
    admissions: fc.integer({ min: 0, max: 6 }),
    deductiblePaid: yuan(4000),
  })
  .map((g) => {
    const treatments = g.who.region.startsWith("43") ? HUBEI : HUNAN;
    const treat = treatments[g.treatPick % treatments.length]!;
    return claim({
      date: g.date,
      insured: { region: g.who.region, scheme: g.who.scheme, retired: g.who.scheme === "employee" && g.retired },
      treatment: { region: treat, level: g.who.levels[g.levelPick % g.who.levels.length]!, kind: "inpatient", emergency: g.emergency },
      filing: g.filing,
      costs: { classA: g.classA, classB: WITH_CLASS_B.has(treat) ? g.classB : 0, excluded: g.excluded },
      history: { fundPaid: g.fundPaid, admissions: g.admissions, deductiblePaid: g.deductiblePaid },
    });
  });

const RUNS = { numRuns: 3000 };

describe("settlement invariants (fast-check)", () => {
  it("fund + 大病保险 + personal = total, and the personal parts add up", () => {
    fc.assert(
      fc.property(claimArb, (c) => {
        const s = settle(c, rules);
        const ci = s.critical?.payable ?? 0;
        expect(s.fund + ci + s.personal).toBe(s.total);
        expect(s.excluded + s.prepay + s.routePrepay + s.deductible + s.copay + s.overCap - ci).toBe(s.personal);
        // The layer pays on what the basic fund left of the in-policy amount, never more.
        expect(ci).toBeGreaterThanOrEqual(0);
        expect(ci).toBeLessThanOrEqual(s.inPolicy - s.fund);
        if (s.critical) expect(s.critical.payable + s.critical.overCap).toBe(s.critical.bands.reduce((x, b) => x + b.amount, 0));
      }),
      RUNS,
    );
  });

  it("0 ≤ fund ≤ in policy − route prepay − deductible, and every part is ≥ 0", () => {
    fc.assert(
      fc.property(claimArb, (c) => {
        const s = settle(c, rules);
        expect(s.fund).toBeGreaterThanOrEqual(0);
        expect(s.fund).toBeLessThanOrEqual(s.inPolicy - s.routePrepay - s.deductible);
        for (const part of [s.excluded, s.prepay, s.routePrepay, s.deductible, s.copay, s.overCap]) expect(part).toBeGreaterThanOrEqual(0);
      }),
      RUNS,
    );
  });

  it("never decreases as class A grows", () => {
    fc.assert(
      fc.property(claimArb, fc.integer({ min: 1, max: 5_000_000 }), (c, extra) => {
        const more: Claim = { ...c, costs: { ...c.costs!, classA: c.costs!.classA + extra } };
        expect(settle(more, rules).fund).toBeGreaterThanOrEqual(settle(c, rules).fund);
      }),
      RUNS,
    );
  });

  it("pays zone ≥ long-term ≥ referral ≥ emergency-or-temporary ≥ unfiled for the same claim", () => {
    fc.assert(
      fc.property(claimArb, (c) => {
        const fund = (route: Claim["route"]) => settle({ ...c, route }, rules).fund;
        const [zone, longTerm, referral, temporary, unfiled] = (["zone", "long-term", "referral", "temporary", "unfiled"] as const).map(fund);
        expect(zone).toBeGreaterThanOrEqual(longTerm!);
        expect(longTerm).toBeGreaterThanOrEqual(referral!);
        expect(referral).toBeGreaterThanOrEqual(temporary!);
        expect(temporary).toBeGreaterThanOrEqual(unfiled!);
        expect(fund("emergency")).toBeGreaterThanOrEqual(unfiled!);
      }),
      RUNS,
    );
  });

  it("gives the same result when settled twice", () => {
    fc.assert(
      fc.property(claimArb, (c) => {
        expect(settle(c, rules)).toEqual(settle(c, rules));
      }),
      { numRuns: 500 },
    );
  });

  it("never pays more than the annual cap across a year of one person's claims, in any order", () => {
    // 常德 employee, level 3, stays in 武汉 (referral: 80%); cap 150,000. Each claim's history is the
    // ledger the previous settlement left (what batch does): Σ fund ≤ 150,000 and Σ deductible ≤ 2,000.
    const stays = fc.array(fc.record({ classA: cost(120_000), day: fc.integer({ min: 0, max: 364 }) }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(stays, (list) => {
        let ledger = { fundPaid: 0, admissions: 0, deductiblePaid: 0 };
        let paid = 0;
        for (const st of list) {
          const date = new Date(Date.UTC(2025, 0, 1) + st.day * 86_400_000).toISOString().slice(0, 10);
          const c = claim({
            date,
            insured: { region: "430700", scheme: "employee" },
            treatment: { region: "420100", level: 3, kind: "inpatient" },
            filing: "referral",
            costs: { classA: st.classA },
            history: { fundPaid: (ledger.fundPaid / 100).toFixed(2), admissions: ledger.admissions, deductiblePaid: (ledger.deductiblePaid / 100).toFixed(2) },
          });
          const s = settle(c, rules);
          paid += s.fund;
          ledger = s.ledger;
        }
        expect(paid).toBeLessThanOrEqual(15_000_000); // annual cap 150,000.00 yuan
        expect(ledger.deductiblePaid).toBeLessThanOrEqual(200_000); // deductible ceiling 2,000.00 yuan
        expect(ledger.fundPaid).toBe(paid);
      }),
      { numRuns: 1000 },
    );
  });

  it("round-trips its JSON output", () => {
    fc.assert(
      fc.property(claimArb, (c) => {
        const j = settlementJson(settle(c, rules), rules, "en", true);
        expect(JSON.parse(JSON.stringify(j))).toEqual(j);
        expect(Math.round((j.payable + (j.criticalIllness?.payable ?? 0) + j.personal) * 100)).toBe(Math.round(j.breakdown.total * 100));
      }),
      { numRuns: 1000 },
    );
  });
});
