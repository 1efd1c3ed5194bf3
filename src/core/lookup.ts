import { own } from "./own.js";
import type { ByLevel, Figure, FigureValue, Layer, Loc, RuleSet, Version } from "./model.js";
import type { FigureRef } from "./settlement.js";

/** The version of a figure in force on `date`, or undefined before its first. */
export function versionAt<V>(figure: Figure<V>, date: string): Version<V> | undefined {
  let found: Version<V> | undefined;
  for (const v of figure.versions) {
    if (v.from <= date) found = v;
    else break;
  }
  return found;
}

export interface Resolved<V = FigureValue> {
  readonly figure: Figure<V>;
  readonly version: Version<V> & { readonly value: V };
  readonly layer: Layer;
  /** Region layers passed over because they had no value on the date. */
  readonly fellThrough: readonly string[];
}

/** The layers that can hold a region's policy, nearest first: the region, then
 * each ancestor up to its province. */
export function layerChain(rules: RuleSet, regionCode: string): Layer[] {
  const chain: Layer[] = [];
  for (let code: string | undefined = regionCode; code; code = own(rules.regions, code)?.parent) {
    const layer = own(rules.layers, code);
    if (layer) chain.push(layer);
  }
  return chain;
}

/**
 * A figure of a region on a date: the nearest layer with a value in force wins.
 * A region layer with no value yet (before its first version) or a value ended
 * by null passes the question on to its province.
 */
export function resolve<V = FigureValue>(rules: RuleSet, regionCode: string, name: string, date: string): Resolved<V> | undefined {
  const fellThrough: string[] = [];
  for (const layer of layerChain(rules, regionCode)) {
    const figure = own(layer.figures, name) as Figure<V> | undefined;
    if (!figure) continue;
    const version = versionAt(figure, date);
    if (version && version.value !== null) return { figure, version: version as Resolved<V>["version"], layer, fellThrough };
    fellThrough.push(layer.region);
  }
  return undefined;
}

export interface Cell<T> {
  readonly value: T;
  readonly at: Loc;
}

/** The value of a by-level figure at a hospital level. */
export function atLevel<T>(r: Resolved<ByLevel<T>>, level: string, isScalar: (v: unknown) => v is T): Cell<T> | undefined {
  const v = r.version.value;
  if (isScalar(v)) return { value: v, at: r.version.at };
  const cell = own(v as { readonly [k: string]: T }, level);
  if (cell === undefined) return undefined;
  return { value: cell, at: (r.version.cells && own(r.version.cells, level)) ?? r.version.at };
}

/**
 * A citation of a resolved figure, at the cell it was read from: one object per
 * cell of a version, however often it is cited (settlements share it, and its
 * JSON is made once: src/format/json.ts).
 */
export function cite(r: Resolved<unknown>, at?: Loc): FigureRef {
  return citeVersion(r.figure.name, r.layer.region, r.version, at);
}

/** A citation of a version of a figure (of a region layer, or of the national lists and zones), at a cell of it. */
export function citeVersion(name: string, region: string, v: Version<unknown>, at: Loc = v.at): FigureRef {
  let byCell = cited.get(v);
  if (!byCell) cited.set(v, (byCell = new Map()));
  const key = `${name}\0${region}\0${at.line}:${at.col}`;
  let ref = byCell.get(key);
  if (!ref) byCell.set(key, (ref = { name, region, from: v.from, at, source: v.source, confidence: v.confidence }));
  return ref;
}
const cited = new WeakMap<object, Map<string, FigureRef>>();
