/**
 * `reimburse rules show`: the policy of one region on one date, figure by
 * figure, with where each value comes from (the province's default or the
 * region's override, file:line), its source and its confidence. Pure.
 */
import { layerChain, resolve, versionAt } from "../core/lookup.js";
import { SCHEMES, type Confidence, type FigureValue, type Loc, type Region, type RuleSet, type Scheme, type Source } from "../core/model.js";
import { FIGURE_UNITS, findRegionRef, neededFigures } from "./names.js";

/** A figure a claim may need that no layer of the region's policy has (src/rules/names.ts neededFigures). */
export interface MissingFigure {
  readonly name: string;
  readonly unit: string;
  readonly status: "missing";
}

export type ShownFigure = FoundFigure | MissingFigure;

export interface FoundFigure {
  readonly name: string;
  readonly unit: string;
  /** in force: a value applies on the date; ended: a null version ended it; not-yet: its first version is later. */
  readonly status: "in force" | "ended" | "not yet";
  readonly value: FigureValue | null;
  readonly from: string;
  /** Whose layer the value comes from: the province's default, or the region's own override. */
  readonly origin: "province" | "region";
  readonly layer: string; // region code of the layer
  readonly at: Loc;
  readonly source: string;
  readonly confidence: Confidence;
  readonly note?: string;
}

export interface ShownZone {
  readonly id: string;
  readonly name: string;
  readonly partner: string; // region code on the other side
  readonly from: string;
  readonly at: Loc;
  readonly source: string;
  readonly confidence: Confidence;
}

export interface ShownCap {
  readonly route: string;
  readonly value: FigureValue;
  readonly from: string;
  readonly at: Loc;
  readonly source: string;
  readonly confidence: Confidence;
}

export interface ShownPolicy {
  readonly region: Region;
  /** The region whose policy claims of `region` read: its pooling region (or the province itself). */
  readonly policyOf: Region;
  readonly date: string;
  readonly scheme?: Scheme;
  readonly figures: readonly ShownFigure[];
  readonly caps: readonly ShownCap[];
  readonly zones: readonly ShownZone[];
  readonly sources: Readonly<Record<string, Source>>;
}

const ORDER = Object.keys(FIGURE_UNITS);
const rank = (name: string): number => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);

export function showPolicy(rules: RuleSet, ref: string, date: string, scheme?: Scheme): ShownPolicy {
  const region = findRegionRef(rules, ref);
  const policyOf = rules.regions[region.pool ?? region.code] ?? region;
  const chain = layerChain(rules, policyOf.code);
  const present = new Set(chain.flatMap((l) => Object.keys(l.figures)));
  const names = [...present, ...neededFigures(scheme ? [scheme] : SCHEMES).filter((n) => !present.has(n))]
    .filter((n) => !scheme || !(SCHEME_PREFIX.test(n) && !n.startsWith(`${scheme}.`)))
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  const originOf = (code: string): FoundFigure["origin"] => (rules.regions[code]?.level === "province" ? "province" : "region");
  const figures: ShownFigure[] = [];
  for (const name of names) {
    if (!present.has(name)) {
      figures.push({ name, unit: FIGURE_UNITS[name]!, status: "missing" });
      continue;
    }
    const r = resolve(rules, policyOf.code, name, date);
    if (r) {
      const v = r.version;
      figures.push({ name, unit: r.figure.unit, status: "in force", value: v.value, from: v.from, origin: originOf(r.layer.region), layer: r.layer.region, at: v.at, source: v.source, confidence: v.confidence, ...(v.note ? { note: v.note } : {}) });
      continue;
    }
    // Not in force: say why, from the nearest layer that has the figure.
    for (const layer of chain) {
      const fig = layer.figures[name];
      if (!fig?.versions.length) continue;
      const v = versionAt(fig, date) ?? fig.versions[0]!;
      figures.push({ name, unit: fig.unit, status: v.from <= date ? "ended" : "not yet", value: null, from: v.from, origin: originOf(layer.region), layer: layer.region, at: v.at, source: v.source, confidence: v.confidence, ...(v.note ? { note: v.note } : {}) });
      break;
    }
  }
  const caps: ShownCap[] = [];
  for (const [route, fig] of Object.entries(rules.reductionCaps)) {
    const v = versionAt(fig, date);
    if (v && v.value !== null) caps.push({ route, value: v.value, from: v.from, at: v.at, source: v.source, confidence: v.confidence });
  }
  const ups = new Set<string>();
  for (let c: string | undefined = region.code; c; c = rules.regions[c]?.parent) ups.add(c);
  const zones: ShownZone[] = [];
  for (const z of Object.values(rules.zones)) {
    const side = z.between.findIndex((c) => ups.has(c));
    const v = versionAt(z.figure, date);
    if (side < 0 || !v || v.value !== true) continue;
    zones.push({ id: z.id, name: z.name.en, partner: z.between[1 - side]!, from: v.from, at: v.at, source: v.source, confidence: v.confidence });
  }
  return { region, policyOf, date, ...(scheme ? { scheme } : {}), figures, caps, zones, sources: rules.sources };
}

const SCHEME_PREFIX = /^(employee|resident)\./;
