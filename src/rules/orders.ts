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
import type { Text } from "../core/settlement.js";

export interface OrderFinding {
  readonly fig: Figure;
  readonly from: string;
  /** Inside the version's value: ["bands", 2, "from"], or [] for the value itself. */
  readonly at: readonly (string | number)[];
  readonly code: "band-order" | "threshold-above-cap" | "ratio-order" | "deductible-order";
  readonly message: Text;
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
      const add = (at: readonly (string | number)[], message: Text) => out.push({ fig, from: v.from, at, code: "band-order", message });
      s.bands.forEach((b, i) => {
        if (b.to !== undefined && b.to <= b.from) add(["bands", i, "to"], { en: `band ${i + 1} ends at ${formatYuan(b.to)}, not above where it starts (${formatYuan(b.from)})`, zh: `第 ${i + 1} 段止于 ${formatYuan(b.to)}，不高于其起点（${formatYuan(b.from)}）` });
        if (b.to === undefined && i < s.bands.length - 1) add(["bands", i], { en: `band ${i + 1} has no upper end, but band ${i + 2} follows it: only the last band is open`, zh: `第 ${i + 1} 段没有上限，但其后还有第 ${i + 2} 段：只有最后一段可以不设上限` });
        const prev = s.bands[i - 1];
        if (prev?.to !== undefined && b.from !== prev.to)
          add(
            ["bands", i, "from"],
            b.from < prev.to
              ? { en: `band ${i + 1} starts at ${formatYuan(b.from)}, inside band ${i} (up to ${formatYuan(prev.to)}): bands overlap`, zh: `第 ${i + 1} 段起于 ${formatYuan(b.from)}，落在第 ${i} 段（至 ${formatYuan(prev.to)}）之内：分段重叠` }
              : { en: `band ${i + 1} starts at ${formatYuan(b.from)}, after band ${i} ends (${formatYuan(prev.to)}): the amounts between are in no band`, zh: `第 ${i + 1} 段起于 ${formatYuan(b.from)}，在第 ${i} 段结束（${formatYuan(prev.to)}）之后：中间的金额不在任何一段` },
          );
      });
      const t = threshold && versionAt(threshold as Figure<Fen>, v.from)?.value;
      const first = s.bands[0]!;
      if (s.measure === "base" && typeof t === "number" && first.from !== t)
        add(["bands", 0, "from"], {
          en: `the bands count the base itself (measure: base), so the first should start at the threshold ${formatYuan(t)}, not ${formatYuan(first.from)}${first.from > t ? ": the amounts between are in no band" : ": the part below the threshold is never paid"}`,
          zh: `分段按费用本身计（measure: base），第一段应起于起付标准 ${formatYuan(t)}，而不是 ${formatYuan(first.from)}${first.from > t ? "：中间的金额不在任何一段" : "：起付标准以下的部分永远不会支付"}`,
        });
      if (s.measure === "aboveThreshold" && first.from !== 0)
        add(["bands", 0, "from"], {
          en: `the bands count the part above the threshold (measure: aboveThreshold), so the first should start at 0, not ${formatYuan(first.from)}`,
          zh: `分段按超过起付标准的部分计（measure: aboveThreshold），第一段应起于 0，而不是 ${formatYuan(first.from)}`,
        });
    }
  }
  for (const [name, fig] of Object.entries(layer.figures)) {
    if (!/\.criticalIllness\.annualCap$/.test(name)) continue;
    const threshold = layer.figures[name.replace(/annualCap$/, "threshold")] as Figure<Fen> | undefined;
    for (const v of fig.versions) {
      const t = threshold && versionAt(threshold, v.from)?.value;
      if (typeof v.value === "number" && typeof t === "number" && v.value < t)
        out.push({
          fig,
          from: v.from,
          at: [],
          code: "threshold-above-cap",
          message: { en: `the 大病保险 annual cap ${formatYuan(v.value)} is below its threshold ${formatYuan(t)} on ${v.from}: the layer could never pay`, zh: `${v.from} 大病保险年度最高支付限额 ${formatYuan(v.value)} 低于其起付标准 ${formatYuan(t)}：这一层永远不会支付` },
        });
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
        out.push({ fig, from: v.from, at: [lo], code: "ratio-order", message: { en: `ratio at level ${lo} (${formatPercent(y as Rate)}) is below level ${hi} (${formatPercent(x as Rate)}): policies pay more at lower levels`, zh: `${lo} 级的支付比例（${formatPercent(y as Rate)}）低于 ${hi} 级（${formatPercent(x as Rate)}）：政策在较低级别支付更多` } });
      if (kind === "deductible" && (y as Fen) > (x as Fen))
        out.push({ fig, from: v.from, at: [lo], code: "deductible-order", message: { en: `deductible at level ${lo} (${formatYuan(y as Fen)}) is above level ${hi} (${formatYuan(x as Fen)}): deductibles fall with the level`, zh: `${lo} 级的起付线（${formatYuan(y as Fen)}）高于 ${hi} 级（${formatYuan(x as Fen)}）：起付线随级别降低而降低` } });
    }
  }
}
