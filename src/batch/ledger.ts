/**
 * The per-person ledger of a batch: claims of one insured person
 * (`insured.id`) in one calendar year share the annual cap, the admission
 * count and the deductible ceiling, in date order (README, "Annual
 * accumulation").
 *
 * A claim is settled with, for each of fundPaid, admissions and
 * deductiblePaid, the larger of (a) what the person's earlier claims of the
 * year in this batch add up to, starting from the first claim's own history,
 * and (b) the claim's own history. So a history given on the first claim
 * carries the year so far from outside the batch, and a history given on a
 * later claim (a year-to-date known when it was filed) can raise what has
 * been used but never lowers it. A claim without insured.id is settled on its
 * own history alone.
 */
import type { Claim } from "../claims/schema.js";
import type { Fen } from "../core/money.js";
import type { Settlement } from "../core/settle.js";

interface YearLedger {
  fundPaid: Fen;
  admissions: number;
  deductiblePaid: Fen;
  /** Date of the latest claim settled into it (--sorted checks the order). */
  date: string;
}

export class Ledgers {
  private readonly map = new Map<string, YearLedger>();

  /** Person-years held (the memory that grows with the input). */
  get size(): number {
    return this.map.size;
  }

  static keyOf(claim: Claim): string | undefined {
    const id = claim.insured.id;
    return id === undefined ? undefined : `${id}\u0000${claim.date.slice(0, 4)}`;
  }

  /** The latest date settled for this person-year, if any. */
  lastDate(key: string): string | undefined {
    return this.map.get(key)?.date;
  }

  /** The claim as it is settled: its history raised to the person's year so far. */
  withHistory(claim: Claim, key: string | undefined): Claim {
    if (key === undefined) return claim;
    const l = this.map.get(key);
    if (!l) return claim;
    const h = claim.history;
    const history = {
      fundPaid: Math.max(l.fundPaid, h.fundPaid),
      admissions: Math.max(l.admissions, h.admissions),
      deductiblePaid: Math.max(l.deductiblePaid, h.deductiblePaid),
    };
    if (history.fundPaid === h.fundPaid && history.admissions === h.admissions && history.deductiblePaid === h.deductiblePaid) return claim;
    return { ...claim, history };
  }

  /** After a claim settled: the person's year includes it. */
  record(key: string | undefined, s: Settlement): void {
    if (key === undefined) return;
    const l = this.map.get(key);
    if (l) {
      l.fundPaid = s.ledger.fundPaid;
      l.admissions = s.ledger.admissions;
      l.deductiblePaid = s.ledger.deductiblePaid;
      if (s.date > l.date) l.date = s.date;
    } else this.map.set(key, { fundPaid: s.ledger.fundPaid, admissions: s.ledger.admissions, deductiblePaid: s.ledger.deductiblePaid, date: s.date });
  }
}
