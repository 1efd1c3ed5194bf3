/**
 * Rule gaps: the figures a claim needs that the rules do not have on its date,
 * reported all at once, each with why (not yet in force, ended by a null
 * version, a level missing from a table) and the file it belongs in: the
 * region's own file, or the one to create for it (rules/<province>/<city>.yaml),
 * never the province's file (a figure there would hold for every city without
 * figures of its own).
 */
import { RuleGapError } from "./errors.js";
import { layerChain, versionAt, type Resolved } from "./lookup.js";
import type { Region, RuleSet } from "./model.js";
import { own } from "./own.js";

/** A figure a claim needs that the rules lack on its date. */
export interface Missing {
  /** The region whose figure it is (the insured pooling region, or the treatment place). */
  readonly region: string;
  /** The figure's dotted name: employee.inpatient.deductible. */
  readonly figure: string;
  /** In words: employee inpatient deductible (起付线). */
  readonly what: string;
  /** Why it has no value on the date, when the rules say: its first version is later, or a null ended it. */
  readonly why?: string;
  /** A by-level table without the claim's level: the table's version, to add the level to. */
  readonly table?: { readonly level: string; readonly at: string };
  /** A way forward without the figure, from the claim itself (the bill's own prepay). */
  readonly instead?: string;
}

/** A figure with no value in force in the region's chain of layers on `date`. */
export function missingFigure(rules: RuleSet, region: string, figure: string, date: string, what: string): Missing {
  const whys: string[] = [];
  const firsts: string[] = [];
  for (const l of layerChain(rules, region)) {
    const f = own(l.figures, figure);
    if (!f || !f.versions.length) continue;
    const v = versionAt(f, date);
    if (v) whys.push(`ended by a null version from ${v.from} at ${v.at.file}:${v.at.line}:${v.at.col}`);
    else firsts.push(f.versions[0]!.from);
  }
  if (firsts.length) whys.push(`first version ${firsts.sort()[0]}, after the claim date`);
  return { region, figure, what, ...(whys.length ? { why: whys.join("; ") } : {}) };
}

/** A by-level table in force that has no value for the claim's level. */
export function missingLevel(rules: RuleSet, r: Resolved<unknown>, level: string, what: string): Missing {
  return { region: r.layer.region, figure: r.figure.name, what, table: { level, at: `${r.version.at.file}:${r.version.at.line}` }, why: `its table of ${r.version.from} in ${r.layer.file} has no level ${level}` };
}

/** One rule gap naming every missing figure and where each belongs; `lead`, what the claim meets first (a zone not started yet). */
export function gapError(rules: RuleSet, date: string, missing: readonly Missing[], lead?: string): RuleGapError {
  const regions = [...new Set(missing.map((m) => m.region))];
  const parts = regions.map((code) => `${list(missing.filter((m) => m.region === code).map((m) => m.what))} for ${regionName(rules, code)}`);
  // Why, where the rules say: after the date, for the one figure or each of several.
  const whys = missing.filter((m) => m.why).map((m) => (missing.length === 1 ? m.why : `${m.what}: ${m.why}`));
  const hints = regions.map((code) => {
    const ms = missing.filter((m) => m.region === code);
    const tables = ms.filter((m) => m.table).map((m) => `add level ${JSON.stringify(m.table!.level)} to \`${m.figure}\` at ${m.table!.at}`);
    const figures = ms.filter((m) => !m.table).map((m) => `\`${m.figure}\``);
    const home = fileFor(rules, code);
    const add = figures.length ? [`${home.create ? `create ${home.file} (region: "${home.code}") with` : `add`} ${list(figures)}, each with a version dated on or before ${date}${home.create ? ` (\`reimburse rules new-region ${home.code} -o ${home.file}\` writes its skeleton)` : `, to ${home.file}`}`] : [];
    const instead = ms.filter((m) => m.instead).map((m) => m.instead!);
    return [...add, ...tables, ...instead].join("; ");
  });
  const installed = rules.installed ? "; these rules are inside an installed package: copy them (reimburse rules init DIR) and settle with --rules DIR" : "";
  return new RuleGapError(`${lead ? `${lead}, and there is ` : ""}no ${parts.join("; and no ")} in force on ${date}${whys.length ? ` (${whys.join("; ")})` : ""}`, hints.join("; ") + installed);
}

/** Where a missing figure belongs: the table to add the level to (file:line), the region's own file, or the file to create. */
export function whereMissing(rules: RuleSet, m: Missing): { file: string; create: boolean } {
  if (m.table) return { file: m.table.at, create: false };
  const home = fileFor(rules, m.region);
  return { file: home.file, create: home.create };
}

/** The file a region's own figures are written in: its layer's, or the one to create beside its province's (`rules new-region` writes its skeleton). */
export function fileFor(rules: RuleSet, code: string): { file: string; code: string; create: boolean } {
  const pool = poolOf(rules, code);
  const layer = own(rules.layers, pool.code);
  if (layer && pool.level !== "province") return { file: layer.file, code: pool.code, create: false };
  const province = own(rules.layers, pool.province);
  const folder = province ? province.file.replace(/[^/]*$/, "") : "rules/";
  return { file: `${folder}${(pool.pinyin ?? pool.code).toLowerCase()}.yaml`, code: pool.code, create: true };
}

/** The pooling region a figure of `code` is looked up for (a county resolves by its pool). */
function poolOf(rules: RuleSet, code: string): Region {
  const r = own(rules.regions, code);
  const pool = r?.pool ? own(rules.regions, r.pool) : undefined;
  return pool ?? r ?? { code, name: code, level: "prefecture", pool: code, province: code };
}

function regionName(rules: RuleSet, code: string): string {
  const r = own(rules.regions, code);
  return `${r?.name ?? code} (${code})`;
}

/** "a, b and c". */
function list(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} and ${xs.at(-1)}`;
}
