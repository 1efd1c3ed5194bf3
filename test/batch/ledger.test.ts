/**
 * The batch ledger (src/batch/ledger.ts: a hash table over typed arrays)
 * against the obvious Map of objects it replaced, on random sequences of
 * claims: ids of every kind (wide characters, one id a prefix of another,
 * the same id in several years), growth past several rehashes and pages.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Ledgers } from "../../src/batch/ledger.js";
import type { Claim } from "../../src/claims/schema.js";

interface Account {
  fundPaid: number;
  deductiblePaid: number;
}
interface Year extends Account {
  admissions: number;
  outpatient: Account;
  chronic: Account;
  criticalIllness: { base: number; paid: number };
}
const maxAccount = (a: Account, b: Account): Account => ({ fundPaid: Math.max(a.fundPaid, b.fundPaid), deductiblePaid: Math.max(a.deductiblePaid, b.deductiblePaid) });

/** The reference: src/batch/ledger.ts as first written (a Map of person-year → object). */
class MapLedgers {
  private readonly map = new Map<string, Year & { date: string }>();
  static key(c: Claim): string | undefined {
    return c.insured.id === undefined ? undefined : `${c.insured.id}\u0000${c.date.slice(0, 4)}`;
  }
  lastDate(key: string): string | undefined {
    return this.map.get(key)?.date;
  }
  history(c: Claim, key: string | undefined): Claim["history"] {
    const l = key === undefined ? undefined : this.map.get(key);
    if (!l) return c.history;
    const h = c.history;
    return { ...maxAccount(l, h), admissions: Math.max(l.admissions, h.admissions), outpatient: maxAccount(l.outpatient, h.outpatient), chronic: maxAccount(l.chronic, h.chronic), criticalIllness: { base: Math.max(l.criticalIllness.base, h.criticalIllness.base), paid: Math.max(l.criticalIllness.paid, h.criticalIllness.paid) } };
  }
  record(key: string | undefined, date: string, s: Year): void {
    if (key === undefined) return;
    const l = this.map.get(key);
    this.map.set(key, { ...s, date: l && l.date > date ? l.date : date });
  }
}

const id = fc.oneof(fc.constantFrom("P1", "P10", "P100", "", "理赔人", "a\u0000b", "😀", "x".repeat(200)), fc.string({ maxLength: 12 }), fc.integer({ min: 0, max: 3000 }).map((n) => `P${n}`));
const day = fc.integer({ min: 0, max: 3 * 365 }).map((d) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
const op = fc.record({ id: fc.option(id, { nil: undefined, freq: 10 }), date: day, fund: fc.integer({ min: 0, max: 1e12 }), adm: fc.integer({ min: 0, max: 5 }), ded: fc.integer({ min: 0, max: 1e7 }), hf: fc.integer({ min: 0, max: 1e12 }), of: fc.integer({ min: 0, max: 1e9 }), od: fc.integer({ min: 0, max: 1e6 }) });

describe("the batch ledger", () => {
  it("gives what a Map of person-years gives", () => {
    fc.assert(
      // Pages of 4, 32 and 16,384 person-years, and id arena pages of 512 bytes and 64 KB: many pages, and one.
      fc.property(fc.array(op, { minLength: 1, maxLength: 3000, size: "max" }), fc.constantFrom([2, 9], [5, 9], [14, 16]), (ops, [pageBits, arenaBits]) => {
        const [fast, slow] = [new Ledgers(pageBits, arenaBits), new MapLedgers()];
        for (const o of ops) {
          const c = { date: o.date, insured: { ...(o.id !== undefined ? { id: o.id } : {}), region: "430700", scheme: "employee", retired: false }, history: { fundPaid: o.hf, admissions: 0, deductiblePaid: 0, outpatient: { fundPaid: 0, deductiblePaid: o.od }, chronic: { fundPaid: o.of, deductiblePaid: 0 }, criticalIllness: { base: o.od * 3, paid: 0 } } } as unknown as Claim;
          const [k1, k2] = [Ledgers.keyOf(c), MapLedgers.key(c)];
          expect(k1 === undefined).toBe(k2 === undefined);
          expect(k1 && fast.lastDate(k1)).toBe(k2 && slow.lastDate(k2));
          expect(fast.historyFor(c, k1)).toEqual(slow.history(c, k2));
          // Each account its own numbers, so that a column mixed up with another would show.
          const after = { fundPaid: o.fund, admissions: o.adm, deductiblePaid: o.ded, outpatient: { fundPaid: o.of + 1, deductiblePaid: o.ded + 2 }, chronic: { fundPaid: o.hf + 3, deductiblePaid: o.od + 4 }, criticalIllness: { base: o.fund + 5, paid: o.ded + 6 } };
          fast.record(k1, o.date, after);
          slow.record(k2, o.date, after);
        }
      }),
      // size "max": without it fast-check keeps arrays to a handful of elements, and no page ever filled.
      { numRuns: 30, seed: 3 },
    );
  }, 60_000);
});
