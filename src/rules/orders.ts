/**
 * The checks of order of `rules check` (src/rules/checker.ts places them):
 * ratios rise and deductibles fall as the hospital level falls; a scale's
 * bands run from the bottom up without gaps or overlaps, each ending where the
 * next starts and only the last open, from the threshold (or from 0 above it);
 * and a 大病保险 cap is not below its threshold. Pure: a layer in, findings out.
 */
import { formatYuan, type Fen } from "../core/money.js";
import { versionAt } from "../core/lookup.js";
import type { Figure, Layer, Scale } from "../core/model.js";
import { cmp, formatPercent, type Rate } from "../core/rate.js";
import { LEVEL_ORDER } from "./checks.js";
import { isTable } from "./values.js";

export interface OrderFinding {
  readonly fig: Figure;
  readonly from: string;
  /** Inside the version's value: ["bands", 2, "from"], or [] for the value itself. */
  readonly at: readonly (string | number)[];
  readonly code: "band-order" | "threshold-above-cap" | "ratio-order" | "deductible-order";
  readonly message: string;
}

export function orderFindings(layer: Layer): OrderFinding[] {
  const out: OrderFinding[] = [];
  for (const [name, fig] of Object.entries(layer.figures)) levelOrder(name, fig, out);
  for (const [name, fig] of Object.entries(layer.figures)) {
    if (!/\.criticalIllness\.bands$/.test(name)) continue;
    const threshold = layer.figures[name.replace(/bands$/, "threshold")];
    for (const v of fig.versions) {
      const s = v.value as Scale | null;
      if (!s) continue;
      const add = (at: readonly (string | number)[], message: string) => out.push({ fig, from: v.from, at, code: "band-order", message });
      s.bands.forEach((b, i) => {
        if (b.to !== undefined && b.to <= b.from) add(["bands", i, "to"], `band ${i + 1} ends at ${formatYuan(b.to)}, not above where it starts (${formatYuan(b.from)})`);
        if (b.to === undefined && i < s.bands.length - 1) add(["bands", i], `band ${i + 1} has no upper end, but band ${i + 2} follows it: only the last band is open`);
        const prev = s.bands[i - 1];
        if (prev?.to !== undefined && b.from !== prev.to)
          add(["bands", i, "from"], b.from < prev.to ? `band ${i + 1} starts at ${formatYuan(b.from)}, inside band ${i} (up to ${formatYuan(prev.to)}): bands overlap` : `band ${i + 1} starts at ${formatYuan(b.from)}, after band ${i} ends (${formatYuan(prev.to)}): the amounts between are in no band`);
      });
      const t = threshold && versionAt(threshold as Figure<Fen>, v.from)?.value;
      const first = s.bands[0]!;
      if (s.measure === "base" && typeof t === "number" && first.from !== t)
        add(["bands", 0, "from"], `the bands count the base itself (measure: base), so the first should start at the threshold ${formatYuan(t)}, not ${formatYuan(first.from)}${first.from > t ? ": the amounts between are in no band" : ": the part below the threshold is never paid"}`);
      if (s.measure === "aboveThreshold" && first.from !== 0)
        add(["bands", 0, "from"], `the bands count the part above the threshold (measure: aboveThreshold), so the first should start at 0, not ${formatYuan(first.from)}`);
    }
  }
  for (const [name, fig] of Object.entries(layer.figures)) {
    if (!/\.criticalIllness\.annualCap$/.test(name)) continue;
    const threshold = layer.figures[name.replace(/annualCap$/, "threshold")] as Figure<Fen> | undefined;
    for (const v of fig.versions) {
      const t = threshold && versionAt(threshold, v.from)?.value;
      if (typeof v.value === "number" && typeof t === "number" && v.value < t)
        out.push({ fig, from: v.from, at: [], code: "threshold-above-cap", message: `the 大病保险 annual cap ${formatYuan(v.value)} is below its threshold ${formatYuan(t)} on ${v.from}: the layer could never pay` });
    }
  }
  return out;
}

/** Ratios rise and deductibles fall from provincial hospitals down to primary care. */
function levelOrder(name: string, fig: Figure, out: OrderFinding[]): void {
  const kind = name.endsWith(".ratio") || name.endsWith(".ratioClassB") ? "ratio" : name.endsWith(".deductible") ? "deductible" : undefined;
  if (!kind) return;
  for (const v of fig.versions) {
    if (!isTable(v.value)) continue;
    const table = v.value as Record<string, Rate | Fen>;
    const present = LEVEL_ORDER.filter((l) => table[l] !== undefined);
    for (let i = 1; i < present.length; i++) {
      const [hi, lo] = [present[i - 1]!, present[i]!];
      const [x, y] = [table[hi]!, table[lo]!];
      if (kind === "ratio" && cmp(y as Rate, x as Rate) < 0)
        out.push({ fig, from: v.from, at: [lo], code: "ratio-order", message: `ratio at level ${lo} (${formatPercent(y as Rate)}) is below level ${hi} (${formatPercent(x as Rate)}): policies pay more at lower levels` });
      if (kind === "deductible" && (y as Fen) > (x as Fen))
        out.push({ fig, from: v.from, at: [lo], code: "deductible-order", message: `deductible at level ${lo} (${formatYuan(y as Fen)}) is above level ${hi} (${formatYuan(x as Fen)}): deductibles fall with the level` });
    }
  }
}
