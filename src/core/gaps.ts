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
import { figureZh, levelZh, regionText } from "./figure-words.js";
import type { Text } from "./settlement.js";

/** A figure a claim needs that the rules lack on its date. */
export interface Missing {
  /** The region whose figure it is (the insured pooling region, or the treatment place). */
  readonly region: string;
  /** The figure's dotted name: employee.inpatient.deductible. */
  readonly figure: string;
  /** In words: employee inpatient deductible (起付线). */
  readonly what: string;
  /** Why it has no value on the date, when the rules say: its first version is later, or a null ended it. */
  readonly why?: Text;
  /** A by-level table without the claim's level: the table's version, to add the level to. */
  readonly table?: { readonly level: string; readonly at: string };
  /** A way forward without the figure, from the claim itself (the bill's own prepay). */
  readonly instead?: Text;
  /** The figure exists, from a later date: the nearest layer that has it, where an earlier version belongs. */
  readonly later?: { readonly file: string; readonly from: string };
}

/** A figure with no value in force in the region's chain of layers on `date`. */
export function missingFigure(rules: RuleSet, region: string, figure: string, date: string, what: string): Missing {
  const whys: Text[] = [];
  const firsts: string[] = [];
  let later: Missing["later"];
  for (const l of layerChain(rules, region)) {
    const f = own(l.figures, figure);
    if (!f || !f.versions.length) continue;
    const v = versionAt(f, date);
    const at = v && `${v.at.file}:${v.at.line}:${v.at.col}`;
    if (v) whys.push({ en: `ended by a null version from ${v.from} at ${at}`, zh: `已由 ${v.from} 起的 null 版本终止（${at}）` });
    else {
      firsts.push(f.versions[0]!.from);
      later ??= { file: l.file, from: f.versions[0]!.from };
    }
  }
  const first = firsts.sort()[0];
  if (first) whys.push({ en: `first version ${first}, after the claim date`, zh: `最早的版本自 ${first} 起，晚于就医日期` });
  return { region, figure, what, ...(whys.length ? { why: { en: whys.map((w) => w.en).join("; "), zh: whys.map((w) => w.zh).join("；") } } : {}), ...(later ? { later } : {}) };
}

/** A by-level table in force that has no value for the claim's level. */
export function missingLevel(rules: RuleSet, r: Resolved<unknown>, level: string, what: string): Missing {
  return {
    region: r.layer.region,
    figure: r.figure.name,
    what,
    table: { level, at: `${r.version.at.file}:${r.version.at.line}` },
    why: { en: `its table of ${r.version.from} in ${r.layer.file} has no level ${level}`, zh: `${r.layer.file} 中自 ${r.version.from} 起的表没有${levelZh(rules, level)}` },
  };
}

/**
 * One rule gap naming every missing figure and where each belongs, in English
 * and in Chinese; `lead`, what the claim meets first (a zone not started yet).
 */
export function gapError(rules: RuleSet, date: string, missing: readonly Missing[], lead?: Text): RuleGapError {
  const regions = [...new Set(missing.map((m) => m.region))];
  const of = (code: string) => missing.filter((m) => m.region === code);
  const zhName = (m: Missing) => figureZh(rules, m.figure);
  // Why, where the rules say: after the date, for the one figure or each of several.
  const whys = missing.filter((m) => m.why);
  const why = {
    en: whys.map((m) => (missing.length === 1 ? m.why!.en : `${m.what}: ${m.why!.en}`)).join("; "),
    zh: whys.map((m) => (missing.length === 1 ? m.why!.zh : `${zhName(m)}：${m.why!.zh}`)).join("；"),
  };
  const en = `${lead ? `${lead.en}, and there is ` : ""}no ${regions.map((code) => `${list(of(code).map((m) => m.what))} for ${regionText(rules, code).en}`).join("; and no ")} in force on ${date}${why.en ? ` (${why.en})` : ""}`;
  const zh = `${lead ? `${lead.zh}；而且` : ""}${date} 没有生效的${regions.map((code) => `${regionText(rules, code).zh}${listZh(of(code).map(zhName))}`).join("，也没有")}${why.zh ? `（${why.zh}）` : ""}`;

  const hints = regions.map((code) => {
    const ms = of(code);
    const home = fileFor(rules, code);
    const figures = ms.filter((m) => !m.table && !m.later).map((m) => `\`${m.figure}\``);
    // Figures that start after the date (the why says when): an earlier version, in the file that holds their first.
    const later = ms.filter((m) => m.later && !m.table);
    const earlier: Text[] = [...new Set(later.map((m) => m.later!.file))].map((file) => {
      const named = later.filter((m) => m.later!.file === file).map((m) => `\`${m.figure}\``);
      return { en: `add an earlier version, dated on or before ${date}, of ${list(named)} to ${file}`, zh: `在 ${file} 中为 ${listZh(named)} ${named.length > 1 ? "各" : ""}添加一个不晚于 ${date} 的更早版本` };
    });
    const skeleton = `\`reimburse rules new-region ${home.code} -o ${home.file}\``;
    const add: Text[] = figures.length
      ? [
          home.create
            ? { en: `create ${home.file} (region: "${home.code}") with ${list(figures)}, each with a version dated on or before ${date} (${skeleton} writes its skeleton)`, zh: `新建 ${home.file}（region: "${home.code}"），写入 ${listZh(figures)}，${figures.length > 1 ? "各" : ""}带一个不晚于 ${date} 的版本（${skeleton} 可生成其骨架）` }
            : { en: `add ${list(figures)}, each with a version dated on or before ${date}, to ${home.file}`, zh: `在 ${home.file} 中为 ${listZh(figures)} ${figures.length > 1 ? "各" : ""}添加一个不晚于 ${date} 的版本` },
        ]
      : [];
    const tables: Text[] = ms.filter((m) => m.table).map((m) => ({ en: `add level ${JSON.stringify(m.table!.level)} to \`${m.figure}\` at ${m.table!.at}`, zh: `在 ${m.table!.at} 的 \`${m.figure}\` 中添加级别 ${JSON.stringify(m.table!.level)}` }));
    const instead = ms.filter((m) => m.instead).map((m) => m.instead!);
    return [...add, ...earlier, ...tables, ...instead];
  });
  const installed: Text | undefined = rules.installed
    ? { en: "these rules are inside an installed package: copy them (reimburse rules init DIR) and settle with --rules DIR", zh: "这些规则位于已安装的包内：先复制（reimburse rules init DIR），再以 --rules DIR 结算" }
    : undefined;
  const all = [...hints.flat(), ...(installed ? [installed] : [])];
  return new RuleGapError(en, all.map((h) => h.en).join("; "), { message: zh, hint: all.map((h) => h.zh).join("；") });
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


/** "a, b and c". */
function list(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} and ${xs.at(-1)}`;
}

/** "a、b和c". */
function listZh(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join("、")}和${xs.at(-1)}`;
}
