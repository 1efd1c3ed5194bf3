/**
 * `reimburse rules new-region 黄石市`: the skeleton of a region's own rule
 * file (rules/<province>/<city>.yaml, named as rule-gap hints name it), listing
 * every figure a claim of the region needs that its province's file does not
 * give. Each is declared with no version yet (`values: {}`), so the file is
 * valid and a claim is still a rule gap naming the figure, now in this file;
 * figures are added as dated versions citing a source. The figures the
 * province gives are listed in comments: written here, they would replace it.
 */
import { figureZh } from "../core/figure-words.js";
import { fileFor } from "../core/gaps.js";
import { layerChain } from "../core/lookup.js";
import { KINDS, SCHEMES, type RuleSet } from "../core/model.js";
import { own } from "../core/own.js";
import { UsageError } from "../errors.js";
import { FIGURE_UNITS, findRegionRef, neededFigures } from "./names.js";

/** Each figure in English (its Chinese name is figureZh's, src/core/figure-words.ts), and the form of its value. */
const WORDS: Readonly<Record<string, readonly [string, string]>> = {
  deductible: ["deductible", `{"1": …, "2": …, "3": …} yuan by hospital level, or one amount`],
  ratio: ["ratio", `{"1": 0.…, "2": 0.…, "3": 0.…} fractions by level (0.85 for 85%)`],
  annualCap: ["annual cap", "one amount in yuan (24万 is 240000)"],
  threshold: ["critical illness threshold", "one amount in yuan"],
  bands: ["bands", "{measure: base, bands: [{from: …, to: …, rate: 0.…}, …]}"],
  chronicLists: ["chronic lists offered", "[list ids from rules/national.yaml]"],
  classBPrepay: ["class B prepay, as a treatment place", "one fraction, e.g. 0.1"],
};
const REDUCTION = ["reduction for the route", "{points: 0.…} or {prepay: 0.…}"] as const;

export interface Skeleton {
  /** The file it belongs in, as rule-gap hints name it. */
  readonly file: string;
  readonly text: string;
  /** The region's name, and how many figures it declares missing. */
  readonly name: string;
  readonly missing: number;
}

export function regionSkeleton(rules: RuleSet, ref: string): Skeleton {
  const region = findRegionRef(rules, ref);
  if (region.level === "province") throw new UsageError(`${region.name} (${region.code}) is a province: its figures go in its province.yaml; name a city or county`);
  const pool = region.pool ? own(rules.regions, region.pool) : undefined;
  if (!pool) throw new UsageError(`${region.name} (${region.code}) is not a pooling region: claims read the figures of the county they name; give the county`);
  if (pool.code !== region.code) throw new UsageError(`${region.name} (${region.code}) is in the pooling region ${pool.name} (${pool.code}): its claims read ${pool.name}'s figures; run \`reimburse rules new-region ${pool.code}\``);
  const home = fileFor(rules, pool.code);
  if (!home.create) throw new UsageError(`${pool.name} (${pool.code}) has its file already: ${home.file}; add the figures it lacks there (\`reimburse rules show --region ${pool.code}\` lists them)`);
  const chain = layerChain(rules, pool.code);
  const inherited = (name: string): string | undefined => chain.find((l) => own(l.figures, name)?.versions.length)?.file;
  const source = `${(pool.pinyin ?? pool.code).toLowerCase()}-source`;
  const figures = neededFigures(SCHEMES, KINDS);
  const own_ = figures.filter((f) => !inherited(f));
  const kept = figures.filter((f) => inherited(f));

  const out: string[] = [
    `# yaml-language-server: $schema=../schema.json`,
    `# ${pool.name} (${pool.code}): the region's own figures. Skeleton written by`,
    `# \`reimburse rules new-region ${pool.code}\`: each figure a claim needs is declared`,
    `# with no version yet (values: {}), so a claim is still a rule gap, named in this file.`,
    `# To give a figure, add a dated version citing a declared source, e.g.`,
    `#   2025-01-01: {value: {"1": …, "2": …, "3": …}, source: ${source}}`,
    `# Rates are fractions (0.85, not 85%); amounts are yuan (240000, not 24万).`,
    `# A figure written here replaces the province's for ${pool.name}.`,
  ];
  if (kept.length) {
    out.push(`# Given by the province (${[...new Set(kept.map(inherited))].join(", ")}); write them here only where ${pool.name}'s differ:`);
    for (const f of kept) out.push(`#   ${f}`);
  }
  out.push(
    `region: "${pool.code}"`,
    `sources:`,
    `  ${source}:`.padEnd(30) + `# a placeholder: until a figure cites it, \`rules check\` warns unused-source`,
    `    title: "TODO: the ${pool.name} notice the figures come from (document number, URL, date)"`,
    `    date: undated`,
    `    confidence: unverified`,
    `    note: Written by rules new-region. Replace it with the real source (or declare that in rules/sources.yaml and cite it).`,
  );
  const policy = own_.filter((f) => !f.startsWith("catalogue."));
  const catalogue = own_.filter((f) => f.startsWith("catalogue."));
  // The figures as a tree, each section once (in the order of `neededFigures`), then written out.
  type Tree = Map<string, Tree | string>;
  const emit = (names: readonly string[], root: string): void => {
    if (!names.length) return;
    const tree: Tree = new Map();
    for (const name of names) {
      const segs = (root === "catalogue" ? name.slice("catalogue.".length) : name).split(".");
      let t = tree;
      for (const seg of segs.slice(0, -1)) {
        if (!t.has(seg)) t.set(seg, new Map());
        t = t.get(seg) as Tree;
      }
      t.set(segs.at(-1)!, name);
    }
    const write = (t: Tree, depth: number): void => {
      const pad = "  ".repeat(depth);
      for (const [key, sub] of t) {
        if (typeof sub !== "string") {
          out.push(`${pad}${key}:`);
          write(sub, depth + 1);
          continue;
        }
        const [en, form] = sub.startsWith("reductions.") ? REDUCTION : (WORDS[key] ?? [key, ""]);
        out.push(`${pad}${key}:`.padEnd(30) + `# ${figureZh(rules, sub)} (${en})`, `${pad}  unit: ${FIGURE_UNITS[sub]}`.padEnd(30) + `# value: ${form}`, `${pad}  values: {}`.padEnd(30) + `# missing: no version yet`);
      }
    };
    out.push(`${root}:`);
    write(tree, 1);
  };
  emit(policy, "policy");
  emit(catalogue, "catalogue");
  return { file: home.file, text: out.join("\n") + "\n", name: `${pool.name} (${pool.code})`, missing: own_.length };
}
