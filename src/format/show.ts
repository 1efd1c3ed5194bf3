/**
 * Output of `reimburse rules show`: a region's policy on a date, every figure
 * with where it comes from, as a table that fits the terminal (in English or
 * Chinese) or as JSON. Returns a string.
 */
import type { Colors } from "./color.js";
import type { Loc, RuleSet } from "../core/model.js";
import { own } from "../core/own.js";
import { formatPoints, type Rate } from "../core/rate.js";
import type { ShownPolicy } from "../rules/show.js";
import { RULES_SCHEMA_VERSION } from "./check.js";
import { fitted } from "./fit.js";
import { levelZh, regionText } from "../core/figure-words.js";
import { CONFIDENCE_NAMES, ROUTE_NAMES, SCHEME_NAMES, type Lang } from "./labels.js";
import { formatValue, jsonValue } from "./rules.js";

export interface ShowOptions {
  readonly format: "table" | "json";
  readonly color: Colors;
  readonly lang: Lang;
  /** Terminal columns the tables fit in. */
  readonly width: number;
}

/** The words of the tables, in both languages. */
const WORDS: Record<string, { readonly en: string; readonly zh: string }> = {
  version: { en: "rules version", zh: "规则版本" },
  readsPolicyOf: { en: "claims of {region} read the policy of {pool}", zh: "{region}的申报按{pool}的政策结算" },
  missing: { en: "— missing: a claim that needs it is a rule gap", zh: "— 缺失：需用此项的申报无法结算（规则缺口）" },
  ended: { en: "— ended by null", zh: "— 已由 null 终止" },
  notYet: { en: "— not yet (from {from})", zh: "— 尚未生效（自 {from} 起）" },
  default: { en: "default", zh: "省级默认" },
  override: { en: "override", zh: "本地规定" },
  caps: { en: "National caps on route reductions", zh: "国家对异地降比的上限" },
  points: { en: "points", zh: "个百分点" },
  zones: { en: "Mutual-recognition zones", zh: "互认区域" },
  noZones: { en: "none for this region on this date", zh: "该地区在该日期没有互认区域" },
};
const HEADS: Record<"figures" | "caps" | "zones", { readonly en: readonly string[]; readonly zh: readonly string[] }> = {
  figures: { en: ["Figure", "Value", "From · origin", "Rule · source"], zh: ["项目", "数值", "起始日期 · 出处", "规则位置 · 依据"] },
  caps: { en: ["Route", "Cap", "From", "Rule · source"], zh: ["就医方式", "上限", "起始日期", "规则位置 · 依据"] },
  zones: { en: ["Zone", "With", "From", "Rule · source"], zh: ["区域", "对方", "起始日期", "规则位置 · 依据"] },
};

const loc = (l: Loc): string => `${l.file}:${l.line}`;

export function renderShow(p: ShownPolicy, rules: RuleSet, o: ShowOptions): string {
  return o.format === "json" ? showJson(p, rules) : showTable(p, rules, o);
}

function showTable(p: ShownPolicy, rules: RuleSet, { color: c, lang, width }: ShowOptions): string {
  const w = (k: string) => WORDS[k]![lang];
  const zh = lang === "zh";
  const levels = Object.keys(rules.levels);
  // In Chinese, levels and kinds by the names the rules give them (三级, 住院).
  const names: Record<string, string> = zh
    ? { ...Object.fromEntries(Object.keys(rules.levels).map((id) => [id, levelZh(rules, id)])), ...Object.fromEntries(Object.entries(rules.values.kind).map(([id, k]) => [id, k.zh])) }
    : {};
  const name = (code: string) => regionText(rules, code)[lang];
  // Where a figure is written and the source it cites, with the source's confidence: "rules/hunan/province.yaml:14 hn-employee-measures (secondary)".
  const ref = (at: Loc, source: string, confidence: string) => {
    const word = CONFIDENCE_NAMES[confidence]?.[lang] ?? confidence;
    const shown = zh ? `（${word}）` : ` (${word})`;
    return `${loc(at)} ${source}${confidence === "unverified" ? c.yellow(shown) : confidence === "secondary" ? c.dim(shown) : shown}`;
  };
  const out: string[] = [];
  const via = p.policyOf.code !== p.region.code ? ` — ${w("readsPolicyOf").replace("{region}", p.region.name).replace("{pool}", name(p.policyOf.code))}` : "";
  const title = zh ? `${name(p.region.code)} ${p.date}${p.scheme ? `，${SCHEME_NAMES[p.scheme]?.zh ?? p.scheme}` : ""}` : `${name(p.region.code)} on ${p.date}${p.scheme ? `, ${p.scheme} scheme` : ""}`;
  out.push(c.bold(title) + via + c.dim(`  (${w("version")} ${rules.version})`));
  const rows = p.figures.map((f) => {
    if (f.status === "missing") return [f.name, c.red(w("missing")), "", ""];
    const value = f.status === "in force" ? formatValue(f.name, f.unit, f.value, levels, lang, names) : c.dim(f.status === "ended" ? w("ended") : w("notYet").replace("{from}", f.from));
    return [f.name, value, `${f.from} ${rules.regions[f.layer]?.name ?? f.layer} ${f.origin === "province" ? w("default") : w("override")}`, ref(f.at, f.source, f.confidence)];
  });
  out.push(fitted(c, HEADS.figures[lang], rows, { flexible: [0, 1, 2, 3], width }));
  if (p.caps.length) {
    out.push(c.bold(w("caps")));
    out.push(fitted(c, HEADS.caps[lang], p.caps.map((x) => [own(ROUTE_NAMES, x.route)?.[lang] ?? x.route, `${formatPoints(x.value as Rate)} ${w("points")}`, x.from, ref(x.at, x.source, x.confidence)]), { flexible: [3], width }));
  }
  out.push(c.bold(w("zones")));
  if (p.zones.length) out.push(fitted(c, HEADS.zones[lang], p.zones.map((x) => [x.id, name(x.partner), x.from, ref(x.at, x.source, x.confidence)]), { flexible: [0, 1, 3], width }));
  else out.push(c.dim(`  ${w("noZones")}`));
  return out.join("\n") + "\n";
}

function showJson(p: ShownPolicy, rules: RuleSet): string {
  const src = (id: string) => {
    const s = p.sources[id];
    return s ? { title: s.title, ...(s.document ? { document: s.document } : {}), ...(s.url ? { url: s.url } : {}), sourceDate: s.date } : {};
  };
  return (
    JSON.stringify(
      {
        schemaVersion: RULES_SCHEMA_VERSION,
        rulesVersion: rules.version,
        region: { code: p.region.code, name: p.region.name, level: p.region.level },
        policyOf: { code: p.policyOf.code, name: p.policyOf.name },
        date: p.date,
        ...(p.scheme ? { scheme: p.scheme } : {}),
        figures: p.figures.map((f) =>
          f.status === "missing"
            ? { figure: f.name, unit: f.unit, status: f.status }
            : {
                figure: f.name,
                unit: f.unit,
                status: f.status,
                value: jsonValue(f.unit, f.value),
                from: f.from,
                origin: f.origin,
                layer: f.layer,
                rule: `${f.at.file}:${f.at.line}:${f.at.col}`,
                source: f.source,
                confidence: f.confidence,
                ...src(f.source),
                ...(f.note ? { note: f.note } : {}),
              },
        ),
        reductionCaps: p.caps.map((k) => ({ route: k.route, value: jsonValue("fraction", k.value), from: k.from, rule: `${k.at.file}:${k.at.line}:${k.at.col}`, source: k.source, confidence: k.confidence })),
        zones: p.zones.map((z) => ({ id: z.id, name: z.name, partner: { code: z.partner, name: rules.regions[z.partner]?.name }, from: z.from, rule: `${z.at.file}:${z.at.line}:${z.at.col}`, source: z.source, confidence: z.confidence })),
      },
      null,
      2,
    ) + "\n"
  );
}
