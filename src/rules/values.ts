/**
 * A rule file's value, as the schema read it, converted by its figure's unit
 * into what the core computes with: yuan → integer fen, fraction → an exact
 * Rate (a table of either by hospital level, or an adjustment), scale → bands
 * in fen with Rates. Other units (kind, lists, diseases, flag) are used as
 * written. A value that cannot be converted is reported through `problem`.
 */
import type { Text } from "../core/settlement.js";
import { parseYuan, type Fen } from "../core/money.js";
import type { Adjustment, FigureValue, Scale } from "../core/model.js";
import { parseRate, type Rate } from "../core/rate.js";

export type Problem = (code: string, message: Text, at?: readonly (string | number)[]) => void;

/** An adjustment (`points`, `prepay`, `copayFactor`), not a table by level. */
export const isAdjustment = (v: object): boolean => Object.keys(v).some((k) => k === "points" || k === "prepay" || k === "copayFactor");
/** A table by level, not an adjustment. */
export const isTable = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v) && !isAdjustment(v);

export function convertValue(unit: string, raw: unknown, problem: Problem): FigureValue {
  const fen = (v: number, at: readonly (string | number)[] = []): Fen => {
    const r = parseYuan(v);
    if (r.ok) return r.value;
    problem("invalid-amount", { en: `amount ${r.message}`, zh: `金额${r.zh}` }, at);
    return 0;
  };
  const rate = (v: number, at: readonly (string | number)[] = []): Rate => parseRate(v) ?? (problem("invalid-fraction", { en: `fraction ${v} is not a plain decimal`, zh: `比例 ${v} 不是普通的十进制小数` }, at), { num: 0, den: 1 });
  const table = <T>(v: unknown, one: (x: number) => T): T | Record<string, T> =>
    typeof v === "number" ? one(v) : Object.fromEntries(Object.entries(v as Record<string, number>).map(([k, x]) => [k, one(x)]));
  switch (unit) {
    case "yuan":
      return table(raw, (x) => fen(x));
    case "fraction":
      if (typeof raw === "object" && raw !== null && isAdjustment(raw)) {
        const [k, x] = Object.entries(raw as Record<string, number>)[0]!;
        return { [k]: rate(x) } as unknown as Adjustment;
      }
      return table(raw, (x) => rate(x));
    case "scale": {
      const s = raw as { measure: Scale["measure"]; bands: { from: number; to?: number; rate: number }[] };
      return {
        measure: s.measure,
        bands: s.bands.map((b, i) => ({ from: fen(b.from, ["bands", i, "from"]), ...(b.to !== undefined ? { to: fen(b.to, ["bands", i, "to"]) } : {}), rate: rate(b.rate, ["bands", i, "rate"]) })),
      };
    }
    default:
      return raw as FigureValue; // kind, lists, diseases, flag: used as written
  }
}

/** A level as a rule table may write it: its id, or an alias of it (三级 for "3"); anything else as written. */
export function levelIdIn(levels: Readonly<Record<string, { readonly aliases?: readonly string[] }>>, key: string): string {
  return Object.hasOwn(levels, key) ? key : (Object.entries(levels).find(([, l]) => l.aliases?.includes(key))?.[0] ?? key);
}

/** A table by level with its keys as level ids (`idOf`: an alias, 三级, is its level's "3"), and each key naming a level written before it. */
export function levelIds(table: Record<string, unknown>, idOf: (key: string) => string): { table: Record<string, unknown>; twice: { key: string; id: string; first: string }[] } {
  const out: Record<string, unknown> = Object.create(null);
  const first = new Map<string, string>();
  const twice: { key: string; id: string; first: string }[] = [];
  for (const [key, x] of Object.entries(table)) {
    const id = idOf(key);
    if (first.has(id)) twice.push({ key, id, first: first.get(id)! });
    else {
      first.set(id, key);
      out[id] = x;
    }
  }
  return { table: out, twice };
}
