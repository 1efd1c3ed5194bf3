/**
 * Amount bands (src/core/model.ts Scale): what a scale pays on a stretch of a
 * base, band by band. One general mechanism: the 大病保险 layer uses it on a
 * person's year of in-policy costs, and a basic-fund figure paid in bands
 * could use it too. Pure.
 */
import { mulRound, type Fen } from "./money.js";
import type { Band, Scale } from "./model.js";
import { add, clamp01, type Rate } from "./rate.js";

/** What one band pays on a stretch: the band, the part of the stretch inside it, its rate and the amount. */
export interface BandPart {
  readonly band: number;
  readonly from: Fen;
  readonly to?: Fen;
  /** The rate paid: the band's, plus any points (a group's). */
  readonly rate: Rate;
  /** The part of the stretch inside the band. */
  readonly base: Fen;
  /** base × rate, rounded half up to the fen (rounding point 5). */
  readonly amount: Fen;
}

/** A band's edges on the base itself: a scale measured above its threshold is shifted up by it. */
export function edges(scale: Scale, threshold: Fen, b: Band): { lo: Fen; hi: number } {
  const offset = scale.measure === "aboveThreshold" ? threshold : 0;
  return { lo: Math.max(b.from + offset, threshold), hi: b.to === undefined ? Infinity : b.to + offset };
}

/**
 * The bands' parts of the stretch of the base from `before` to `after` (a
 * claim's share of the person's year), above the threshold only; each band's
 * amount rounded once. Bands the stretch does not reach are left out.
 */
export function bandParts(scale: Scale, threshold: Fen, before: Fen, after: Fen, points?: Rate): BandPart[] {
  const out: BandPart[] = [];
  scale.bands.forEach((b, i) => {
    const { lo, hi } = edges(scale, threshold, b);
    const base = Math.max(0, Math.min(after, hi) - Math.max(before, lo));
    if (base <= 0) return;
    const rate = points ? clamp01(add(b.rate, points)) : b.rate;
    out.push({ band: i, from: b.from, ...(b.to !== undefined ? { to: b.to } : {}), rate, base, amount: mulRound(base, rate.num, rate.den) });
  });
  return out;
}
