/**
 * A comparison as a printable page (`compare --format html`): the scenarios
 * side by side, one column each, then a bar per scenario on one scale, drawn
 * from the same split as the slip (src/format/html.ts). A4 landscape; no
 * scripts, nothing fetched; every value from a claim, a scenario or a rule file
 * goes through `esc`.
 */
import type { ComparedRow, SettledRow } from "../claims/scenarios.js";
import { formatYuan, type Fen } from "../core/money.js";
import type { RuleSet } from "../core/model.js";
import type { Settlement } from "../core/settlement.js";
import { signedYuan, changesIn, scenarioName } from "./compare.js";
import { esc } from "./escape.js";
import { footer, headline, page, ratioText, reductionText, split, splitBar, type Part } from "./html.js";
import { label, ROUTE_NAMES, type LabelKey, type Lang } from "./labels.js";

const WORDS = {
  asWritten: { en: "as written", zh: "未变更" },
  base: { en: "the base of the deltas", zh: "差额基准" },
  deltaFund: { en: "Δ fund", zh: "基金差额" },
  deltaPersonal: { en: "Δ person", zh: "个人差额" },
  bars: { en: "Who pays what, by scenario (yuan)", zh: "费用分担（元，按情形）" },
  notes: { en: "Notes", zh: "说明" },
  rules: { en: "no rule", zh: "无规则" },
  rejected: { en: "refused", zh: "不予结算" },
} as const;

export interface ComparisonPageOptions {
  readonly lang: Lang;
  /** Scenarios that did not settle, then the notes (src/format/compare.ts comparisonNotes). */
  readonly notes: readonly string[];
}

export function comparisonPage(rows: readonly ComparedRow[], rules: RuleSet, o: ComparisonPageOptions): string {
  const { lang } = o;
  const L = (k: LabelKey) => label(k, lang);
  const W = (k: keyof typeof WORDS) => WORDS[k][lang];
  const first = (rows.find((r) => r.settlement) as SettledRow).settlement; // the claim as written always settles
  const title = `${L("compareTitle")} ${first.id ? `${first.id} · ` : ""}${first.date}`;
  const unverified = rows.some((r) => r.settlement?.figures.some((f) => f.confidence === "unverified"));
  const notes = o.notes.length
    ? `<div class="${unverified ? "notice" : "warnings"}" role="note"${unverified ? ' data-notice="unverified"' : ""}><strong>${W("notes")}</strong><ul>${o.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul></div>`
    : "";
  const body = `<article class="sheet compare">
<header><h1>${L("compareTitle")}</h1><p class="meta">${first.id ? `${L("claim")} ${esc(first.id)} · ` : ""}${L("date")} ${esc(first.date)}</p></header>
${headline(first, rules, lang)}
<section>${sideBySide(rows, rules, lang)}</section>
<section><h2>${W("bars")}</h2>${bars(rows, rules, lang)}</section>
${notes}
${footer(rules, first.date, lang)}
</article>`;
  return page(lang, title, body, COMPARE_CSS);
}

/** One column per scenario: its name and changes, then the breakdown's rows and the deltas. */
function sideBySide(rows: readonly ComparedRow[], rules: RuleSet, lang: Lang): string {
  const L = (k: LabelKey) => label(k, lang);
  const W = (k: keyof typeof WORDS) => WORDS[k][lang];
  const head = rows
    .map((r, i) => {
      const changes = r.set.length ? esc(changesIn(r, rules, lang)) : r.name === "base" ? W("asWritten") : "";
      const failed = r.failure ? `<div class="failed">${W(r.failure.kind)}: ${esc(r.failure.message)}${r.failure.hint ? ` (${esc(r.failure.hint)})` : ""}</div>` : "";
      return `<th class="num${r.isBase ? " base" : ""}" data-s="${i}"><span data-k="scenario">${esc(scenarioName(r, rules, lang))}</span>${r.isBase ? ` <small>(${W("base")})</small>` : ""}<div class="changes">${changes}</div>${failed}</th>`;
    })
    .join("");
  const cells = (f: (s: Settlement, r: SettledRow) => string) =>
    rows.map((r, i) => `<td class="num${r.isBase ? " base" : ""}" data-s="${i}">${r.settlement ? f(r.settlement, r) : "—"}</td>`).join("");
  const money = (k: LabelKey, fen: (s: Settlement) => Fen) => [L(k), cells((s) => `<span data-k="${k}">${formatYuan(fen(s))}</span>`)] as const;
  const delta = (k: "deltaFund" | "deltaPersonal", fen: (r: SettledRow) => Fen) =>
    [W(k), cells((_, r) => (r.isBase ? "—" : `<span data-k="${k}">${signedYuan(fen(r))}</span>`))] as const;
  const table: (readonly [string, string])[] = [
    [L("route"), cells((s) => `<span data-k="route">${esc(ROUTE_NAMES[s.route]?.[lang] ?? s.route)}</span>`)],
    money("total", (s) => s.total),
    money("excluded", (s) => s.excluded),
    money("prepay", (s) => s.prepay),
    money("inPolicy", (s) => s.inPolicy),
    money("routePrepay", (s) => s.routePrepay),
    money("deductible", (s) => s.deductible),
    [L("ratio"), cells((s) => `<span data-k="ratio">${ratioText(s)}</span>`)],
    [L("reduction"), cells((s) => reductionText(s, lang))],
    money("copay", (s) => s.copay),
    money("overCap", (s) => s.overCap),
    money("personal", (s) => s.personal),
    money("payable", (s) => s.fund),
    delta("deltaFund", (r) => r.delta.fund),
    delta("deltaPersonal", (r) => r.delta.personal),
  ];
  const strong = new Set([L("personal"), L("payable")]);
  return `<table class="side"><thead><tr><th></th>${head}</tr></thead><tbody>${table
    .map(([name, tds]) => `<tr${strong.has(name) ? ' class="strong"' : ""}><th>${name}</th>${tds}</tr>`)
    .join("")}</tbody></table>`;
}

/** A bar per settled scenario, all on the scale of the largest total, and one legend of the parts that occur. */
function bars(rows: readonly ComparedRow[], rules: RuleSet, lang: Lang): string {
  const settled = rows.flatMap((r, i) => (r.settlement ? [{ r, i, sp: split(r.settlement, lang) }] : []));
  const scale = Math.max(0, ...settled.map((x) => x.sp.total));
  const kinds = new Map<string, Part>();
  for (const { sp } of settled) for (const p of [...sp.payers, ...sp.person]) if (!kinds.has(p.key)) kinds.set(p.key, p);
  const legend = [...kinds.values()].map((p) => `<li><i class="sw c-${p.key}"></i><span>${esc(p.label)}</span></li>`).join("");
  const lines = settled
    .map(({ r, i, sp }) => {
      const fund = sp.payers.reduce((a, p) => a + p.fen, 0);
      const delta = r.isBase || r.delta.fund === 0 ? "" : ` <small>${signedYuan(r.delta.fund)}</small>`;
      const name = scenarioName(r, rules, lang);
      return `<tr data-s="${i}"><th>${esc(name)}</th><td class="barcell">${splitBar(sp, scale, name)}</td><td class="num"><span data-k="funds">${formatYuan(fund)}</span>${delta}</td></tr>`;
    })
    .join("");
  return `<table class="bars"><tbody>${lines}</tbody></table><ul class="legend-inline">${legend}</ul>`;
}

/** The page's own rules, after the slip's stylesheet. */
const COMPARE_CSS = `
@page{size:A4 landscape}
@media screen{.sheet.compare{width:297mm;min-height:210mm}}
.side{font-size:7.5pt;line-height:1.25;table-layout:fixed}
.side th,.side td{padding:.2mm 1.5mm;white-space:normal;overflow-wrap:anywhere}
.side th:first-child{width:32mm}
.side thead th{vertical-align:bottom;border-bottom:1.5px solid #999;overflow-wrap:anywhere;white-space:normal}
.side .base{background:#f3f6fb}
.side tr.strong th,.side tr.strong td{font-weight:700}
.changes{font-weight:400;color:#666;font-size:7pt}
.failed{font-weight:400;color:#b71c1c;font-size:7pt;white-space:normal}
.bars th{width:32mm;font-weight:400}
.bars td.num{width:36mm}
.bars svg.bar{height:4mm;margin:0}
.bars th,.bars td{padding:.2mm 1.5mm}
.bars td{vertical-align:middle}
.legend-inline{list-style:none;display:flex;flex-wrap:wrap;gap:1mm 5mm;padding:0;margin:1.5mm 0 0}
.legend-inline li{display:flex;align-items:center;gap:1.5mm}
.notice ul,.warnings ul{margin:.5mm 0 0;padding-left:5mm}
`;
