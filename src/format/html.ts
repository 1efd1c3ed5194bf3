/**
 * The settlement slip (`calc --format html`): one self-contained printable HTML
 * page, for the insured person and the clerk who hands it over. Inline CSS, no
 * scripts, nothing fetched (a Content-Security-Policy says so to the browser);
 * it prints on one A4 page for a typical claim. Plain template literals: every
 * value from a claim or a rule file goes through `esc` (src/format/escape.ts).
 *
 * Who pays what is one list, `split`: the payers (today the basic pooling fund)
 * and the person's parts; the bar, its legend and the totals are drawn from it,
 * so a second payer (大病保险) is one more entry there.
 */
import { own } from "../core/own.js";
import { formatYuan, type Fen } from "../core/money.js";
import type { RuleSet } from "../core/model.js";
import { cmp, formatPercent, formatPoints } from "../core/rate.js";
import { explain, type Step } from "../core/explain.js";
import type { FigureRef, Settlement } from "../core/settlement.js";
import { esc } from "./escape.js";
import { CLASS_NAMES, CONFIDENCE_NAMES, KIND_NAMES, label, ROUTE_NAMES, SCHEME_NAMES, type LabelKey, type Lang } from "./labels.js";

/** One share of the total: a payer's, or one of the person's parts. `key` names its colour and its `data-part`. */
export interface Part {
  readonly key: string;
  readonly label: string;
  readonly fen: Fen;
}

export interface Split {
  readonly total: Fen;
  /** Who pays besides the person, in the order drawn. */
  readonly payers: readonly Part[];
  /** What the person bears, by reason; parts of 0 are left out. */
  readonly person: readonly Part[];
}

const sum = (parts: readonly Part[]): Fen => parts.reduce((a, p) => a + p.fen, 0);

/**
 * The total, split into who pays it. The payers are the basic pooling fund only:
 * a second layer (大病保险, a settlement's `criticalIllness`) is a second payer
 * here, and what it pays then comes off the person's parts it covers. Under a
 * reduction in points, what the reduction cost is carved out of the co-payment
 * (it is part of it); under a prepay, the route prepay is the reduction.
 * The parts always add up to the total, or this is a bug.
 */
export function split(s: Settlement, lang: Lang): Split {
  const L = (k: LabelKey) => label(k, lang);
  const ci = s.critical?.payable ?? 0;
  const payers: Part[] = [{ key: "payable", label: L("payable"), fen: s.fund }, ...(ci ? [{ key: "criticalIllness", label: L("criticalIllness"), fen: ci }] : [])];
  // 大病保险 pays on the in-policy parts the basic fund left; it comes off them from the top down: over the cap, co-payment, route prepay, deductible.
  let left = ci;
  const less = (fen: Fen): Fen => {
    const take = Math.min(fen, left);
    left -= take;
    return fen - take;
  };
  const overCap = less(s.overCap);
  const reductionAll = s.reduction.mechanism === "points" ? Math.min(s.reduction.amount, s.copay) : 0;
  const copayNet = less(s.copay - reductionAll);
  const reduction = less(reductionAll);
  const routePrepay = less(s.routePrepay);
  const deductible = less(s.deductible);
  const person: Part[] = [
    { key: "excluded", label: L("excluded"), fen: s.excluded },
    { key: "prepay", label: L("prepay"), fen: s.prepay },
    { key: "routePrepay", label: L("routePrepay"), fen: routePrepay },
    { key: "deductible", label: L("deductible"), fen: deductible },
    { key: "copay", label: reductionAll ? L("copayNet") : L("copay"), fen: copayNet },
    { key: "reduction", label: L("reduction"), fen: reduction },
    { key: "overCap", label: L("overCap"), fen: overCap },
  ].filter((p) => p.fen > 0);
  if (sum(payers) + sum(person) !== s.total) throw new Error(`slip: the parts add up to ${sum(payers) + sum(person)} fen, not the total ${s.total}`);
  return { total: s.total, payers, person };
}

/**
 * The split as a stacked bar in inline SVG: the payers first, then the person's
 * parts, `scale` fen wide (the total; the largest total when bars are compared).
 * Widths are geometry, not money: floats are fine here.
 */
export function splitBar(sp: Split, scale: Fen, title: string): string {
  const W = 1000;
  let x = 0;
  const rects = [...sp.payers, ...sp.person].map((p) => {
    const w = scale > 0 ? (p.fen / scale) * W : 0;
    const r = `<rect class="c-${p.key}" x="${x.toFixed(2)}" y="0" width="${w.toFixed(2)}" height="40"><title>${esc(p.label)} ${formatYuan(p.fen)}</title></rect>`;
    x += w;
    return r;
  });
  return `<svg class="bar" viewBox="0 0 ${W} 40" preserveAspectRatio="none" role="img" aria-label="${esc(title)}">${rects.join("")}</svg>`;
}

/** The legend of a split: the payers, then the person's parts, each with its amount (`data-part`). */
export function legend(sp: Split, lang: Lang): string {
  const L = (k: LabelKey) => label(k, lang);
  const items = (parts: readonly Part[]) =>
    parts.map((p) => `<li><i class="sw c-${p.key}"></i><span>${esc(p.label)}</span><b class="num" data-part="${p.key}">${formatYuan(p.fen)}</b></li>`).join("");
  const group = (cls: string, head: LabelKey, parts: readonly Part[]) =>
    `<div class="${cls}"><h3>${L(head)} <b class="num" data-part-sum="${cls}">${formatYuan(sum(parts))}</b></h3><ul>${items(parts)}</ul></div>`;
  return `<div class="legend">${group("payers", "fundsPay", sp.payers)}${group("person", "personPays", sp.person)}</div>`;
}

/** The slips of one `calc`: one page each, in one document. */
export function slipPage(slips: readonly Settlement[], rules: RuleSet, lang: Lang): string {
  const first = slips[0]!;
  const title = `${label("slipTitle", lang)} ${first.id ? `${first.id} · ` : ""}${first.date}`;
  return page(lang, title, slips.map((s) => slip(s, rules, lang)).join("\n"));
}

/** A whole document: the one stylesheet (and a page's own rules after it), and a policy that lets the page run nothing and fetch nothing. */
export function page(lang: Lang, title: string, body: string, css = ""): string {
  return `<!doctype html>
<html lang="${lang === "zh" ? "zh-CN" : "en"}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="reimburse">
<title>${esc(title)}</title>
<style>${CSS}${css}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** "常德市 (430700)". */
export const place = (p: { name: string; region: string }): string => `${esc(p.name)} <span class="code">(${esc(p.region)})</span>`;

/** The claim in words: places, scheme, level, kind, route; rows of a definition list. */
export function headline(s: Settlement, rules: RuleSet, lang: Lang): string {
  const L = (k: LabelKey) => label(k, lang);
  const name = (names: Record<string, { en: string; zh: string }>, k: string) => esc(own(names, k)?.[lang] ?? k);
  const level = own(rules.levels, s.treatment.level);
  const disease = s.treatment.disease ? ` (${esc(own(rules.diseases, s.treatment.disease)?.[lang] ?? s.treatment.disease)})` : "";
  const rows: [string, string][] = [
    [L("insured"), `${place(s.insured)} · ${name(SCHEME_NAMES, s.insured.scheme)}${s.insured.retired ? ` · ${L("retired")}` : ""}${s.insured.id ? ` · ${L("person")} ${esc(s.insured.id)}` : ""}`],
    [L("treatment"), `${place(s.treatment)} · ${esc(level ? level[lang] : s.treatment.level)}${s.treatment.hospital ? ` · <span data-k="hospital">${esc(s.treatment.hospital)}</span>` : ""}`],
    [L("kind"), `${name(KIND_NAMES, s.treatment.kind)}${disease}`],
    [L("route"), `<b>${name(ROUTE_NAMES, s.route)}</b> <span class="why">— ${esc(s.trace.plan.route.why[lang])}</span>`],
  ];
  return `<dl class="claim">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>`; // two pairs a row
}

/** The route reduction in words: "−5 points (−500.00)". */
export function reductionText(s: Settlement, lang: Lang): string {
  const r = s.reduction;
  const amount = `(−<span data-k="reduction">${formatYuan(r.amount)}</span>)`;
  if (r.mechanism === "none") return label("none", lang);
  if (r.mechanism === "points") return `−${formatPoints(r.rate)} ${label("points", lang)} ${amount}`;
  return `${label("routePrepay", lang)} ${formatPercent(r.rate)} ${amount}`;
}

/** The ratio, with class B's where it differs: "85%", "80% / B 75%". */
export const ratioText = (s: Settlement): string => formatPercent(s.ratio) + (cmp(s.ratio, s.ratioB) ? ` / B ${formatPercent(s.ratioB)}` : "");

/**
 * The breakdown: the rows of the terminal table (src/format/table.ts), each
 * amount under its JSON name (`data-k`), in two halves side by side: what
 * counts, then how it is paid.
 */
function breakdown(s: Settlement, lang: Lang): string {
  const L = (k: LabelKey) => label(k, lang);
  const row = (k: LabelKey, value: string, cls = "") => `<tr${cls ? ` class="${cls}"` : ""}><th>${L(k)}</th><td class="num">${value}</td></tr>`;
  const money = (k: LabelKey, fen: Fen, cls = "") => row(k, `<span data-k="${k}">${formatYuan(fen)}</span>`, cls);
  const half = (rows: string[]) => `<table><tbody>${rows.join("")}</tbody></table>`;
  return `<div class="breakdown">${half([
    money("total", s.total),
    money("excluded", s.excluded),
    money("prepay", s.prepay),
    money("inPolicy", s.inPolicy),
    s.routePrepay ? money("routePrepay", s.routePrepay) : "",
    money("deductible", s.deductible),
  ])}${half([
    row("ratio", `<span data-k="ratio">${ratioText(s)}</span>`),
    row("reduction", reductionText(s, lang)),
    money("copay", s.copay),
    money("overCap", s.overCap),
    s.critical ? money("criticalIllness", s.critical.payable, "strong fund") : "",
    money("personal", s.personal, "strong"),
    money("payable", s.fund, "strong fund"),
  ])}</div>`;
}

function lines(s: Settlement, lang: Lang): string {
  if (!s.lines?.length) return "";
  const L = (k: LabelKey) => label(k, lang);
  const body = s.lines
    .map((l) => `<tr><td>${esc(l.name)}</td><td>${esc(own(CLASS_NAMES, l.class)?.[lang] ?? l.class)}</td><td class="num">${formatYuan(l.amount)}</td><td class="num">${formatYuan(l.prepay)}</td><td class="num">${formatYuan(l.inPolicy)}</td></tr>`)
    .join("");
  return `<section class="lines"><h2>${L("lines")}</h2><table><thead><tr><th>${L("item")}</th><th>${L("class")}</th><th class="num">${L("amount")}</th><th class="num">${L("prepay")}</th><th class="num">${L("inPolicy")}</th></tr></thead><tbody>${body}</tbody></table></section>`;
}

/** The sources a step read, one line each: confidence, title, document number or URL, then each figure and where it is written. */
function citations(figures: readonly FigureRef[], rules: RuleSet, lang: Lang): string {
  const bySource = new Map<string, FigureRef[]>();
  for (const f of figures) bySource.set(f.source, [...(bySource.get(f.source) ?? []), f]);
  return [...bySource].map(([id, refs]) => {
    const src = own(rules.sources, id);
    const conf = refs.some((f) => f.confidence === "unverified") ? "unverified" : refs.some((f) => f.confidence === "secondary") ? "secondary" : "official";
    const doc = src?.document ? ` <span class="doc">${esc(src.document)}</span>` : "";
    const url = src?.url ? ` <span class="url">${esc(src.url)}</span>` : "";
    const where = refs
      .map((f) => `${esc(f.name)} ${label("from", lang)} ${esc(f.from)}, ${esc(f.at.file)}:${f.at.line}`)
      .join("; ");
    return `<div class="cite"><span class="conf conf-${conf}">${esc(own(CONFIDENCE_NAMES, conf)?.[lang] ?? conf)}</span> <span class="title">${esc(src?.title ?? id)}</span>${doc}${url} <span class="where">${where}</span></div>`;
  }).join("");
}

function steps(list: readonly Step[], rules: RuleSet, lang: Lang): string {
  const L = (k: LabelKey) => label(k, lang);
  const body = list
    .map((st, i) => {
      const figure = st.amount !== undefined ? formatYuan(st.amount) : st.rate ? formatPercent(st.rate) : "";
      return `<tr data-step="${esc(st.id)}"><td class="n">${i + 1}</td><td>${esc(lang === "zh" ? st.zh : st.en)}${citations(st.figures, rules, lang)}</td><td class="num">${figure}</td></tr>`;
    })
    .join("");
  return `<table class="steps"><thead><tr><th class="n">#</th><th>${L("step")} · ${L("source")}</th><th class="num">${L("amount")}</th></tr></thead><tbody>${body}</tbody></table>`;
}

/** The notice a result needs when it depends on an unverified figure, then the other warnings. */
export function notices(s: Settlement, lang: Lang): string {
  const L = (k: LabelKey) => label(k, lang);
  const unverified = s.warnings.find((w) => w.code === "unverified-figure");
  const dependsOnUnverified = unverified || s.figures.some((f) => f.confidence === "unverified");
  const others = s.warnings.filter((w) => w.code !== "unverified-figure");
  const stop = lang === "zh" ? "。" : ". ";
  const sentence = (t: string) => (lang === "en" ? t.charAt(0).toUpperCase() + t.slice(1) : t);
  return (
    (dependsOnUnverified
      ? `<div class="notice" role="note" data-notice="unverified"><strong>⚠ ${L("unverified")}${stop}</strong>${unverified ? `${esc(sentence(unverified[lang]))}${stop}` : ""}${L("unverifiedHint")}</div>`
      : "") + (others.length ? `<ul class="warnings">${others.map((w) => `<li data-warning="${esc(w.code)}">${esc(w[lang])}</li>`).join("")}</ul>` : "")
  );
}

/** "Rules version 1a2b… · rules in force on 2025-03-09", and what the page is not. */
export function footer(rules: RuleSet, date: string, lang: Lang): string {
  const L = (k: LabelKey) => label(k, lang);
  return `<footer><span>${L("rulesVersion")} <code data-k="rulesVersion">${esc(rules.version)}</code> · ${L("rulesDate")} <span data-k="rulesDate">${esc(date)}</span></span><span>${L("disclaimer")}</span></footer>`;
}

function slip(s: Settlement, rules: RuleSet, lang: Lang): string {
  const L = (k: LabelKey) => label(k, lang);
  const sp = split(s, lang);
  const big = (k: LabelKey, fen: Fen, cls: string) => `<div class="${cls}"><span>${L(k)}</span><b class="num" data-k="${k}">${formatYuan(fen)}</b> <small>${L("yuan")}</small></div>`;
  return `<article class="sheet slip">
<header><h1>${L("slipTitle")}</h1><p class="meta">${s.id ? `${L("claim")} <span data-k="id">${esc(s.id)}</span> · ` : ""}${L("date")} <span data-k="date">${esc(s.date)}</span></p></header>
${headline(s, rules, lang)}
${notices(s, lang)}
<section class="totals${s.critical ? " four" : ""}">${big("total", s.total, "total")}${big("payable", s.fund, "fund")}${s.critical ? big("criticalIllness", s.critical.payable, "fund") : ""}${big("personal", s.personal, "personal")}</section>
<section class="split">${splitBar(sp, sp.total, L("whoPays"))}${legend(sp, lang)}</section>
<section><h2>${L("breakdown")}</h2>${breakdown(s, lang)}</section>
<section><h2>${L("steps")}</h2>${steps(explain(s), rules, lang)}</section>
${lines(s, lang)}
${footer(rules, s.date, lang)}
</article>`;
}

/** The one stylesheet: an A4 sheet on screen, the page itself in print; colours kept in print. */
const CSS = `
@page{size:A4;margin:10mm}
*{box-sizing:border-box}
html{background:#e8e8e8;-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;color:#1d1d1d;font:9pt/1.4 "Noto Sans CJK SC","WenQuanYi Micro Hei","Source Han Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif}
.sheet{width:210mm;min-height:297mm;margin:6mm auto;padding:10mm;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.25)}
.sheet+.sheet{break-before:page}
@media print{html{background:none}.sheet{width:auto;min-height:0;margin:0;padding:0;box-shadow:none}}
header{display:flex;justify-content:space-between;align-items:baseline;border-bottom:2px solid #1d1d1d;padding-bottom:1.5mm;margin-bottom:2.5mm}
h1{font-size:14pt;margin:0}
h2{font-size:10.5pt;margin:4mm 0 1.5mm;border-bottom:1px solid #ccc;padding-bottom:.5mm}
h3{font-size:9pt;margin:0 0 1mm;font-weight:600}
.meta{margin:0;color:#555}
.code,.why,.where,.doc,.url{color:#666}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
dl.claim{display:grid;grid-template-columns:max-content 1fr max-content 1fr;gap:.5mm 3mm;margin:0}
dl.claim dt{color:#555}
dl.claim dd{margin:0}
.notice{margin:2.5mm 0 0;padding:1.5mm 3mm;font-size:8.5pt;border:1.5px solid #c77700;background:#fff4e0;border-radius:2px}
.warnings{margin:2mm 0 0;padding-left:5mm;color:#7a5a00}
.totals{display:grid;grid-template-columns:1fr 1fr 1fr;gap:3mm;margin-top:3mm}
.totals.four{grid-template-columns:1fr 1fr 1fr 1fr}
.totals div{border:1px solid #ccc;border-radius:2px;padding:1mm 3mm}
.totals span{display:block;color:#555;font-size:8.5pt}
.totals b{font-size:14pt}
.totals .fund{border-color:#2e7d32;background:#eef7ee}
.totals .fund b{color:#1b5e20}
svg.bar{display:block;width:100%;height:8mm;margin:3mm 0 1.5mm}
svg.bar rect{stroke:#fff;stroke-width:1.5;vector-effect:non-scaling-stroke}
.legend{display:grid;grid-template-columns:1fr 2.4fr;gap:6mm}
.legend ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.3mm 5mm}
.legend li{display:flex;align-items:center;gap:1.5mm}
.legend li b{font-weight:400}
.sw{display:inline-block;width:3mm;height:3mm;border-radius:1px}
.c-payable{fill:#2e7d32;background:#2e7d32}
.c-criticalIllness{fill:#81c784;background:#81c784}
.c-excluded{fill:#9e9e9e;background:#9e9e9e}
.c-prepay{fill:#a1887f;background:#a1887f}
.c-routePrepay{fill:#ef6c00;background:#ef6c00}
.c-deductible{fill:#5c6bc0;background:#5c6bc0}
.c-copay{fill:#64b5f6;background:#64b5f6}
.c-reduction{fill:#e53935;background:#e53935}
.c-overCap{fill:#6d4c41;background:#6d4c41}
table{border-collapse:collapse;width:100%}
tr{break-inside:avoid}
th,td{text-align:left;vertical-align:top;padding:.35mm 1.5mm;border-bottom:1px solid #e2e2e2}
.breakdown{display:grid;grid-template-columns:1fr 1fr;gap:8mm;align-items:start}
.breakdown th{font-weight:400}
.breakdown tr.strong th,.breakdown tr.strong td{font-weight:700;border-top:1px solid #999}
.breakdown tr.fund td{color:#1b5e20}
.steps{font-size:7.5pt;line-height:1.3;table-layout:fixed}
.steps th.n,.steps td.n{width:7mm;color:#777;white-space:nowrap}
.steps th.num,.steps td.num{width:22mm}
.steps td{overflow-wrap:anywhere}
.cite{margin-top:.2mm;font-size:7pt;line-height:1.25}
.cite .title{font-weight:600}
.where{font-size:6.5pt}
.conf{display:inline-block;padding:0 1mm;border-radius:1px;font-size:7pt;border:1px solid}
.conf-official{color:#1b5e20;border-color:#1b5e20}
.conf-secondary{color:#455a64;border-color:#455a64}
.conf-unverified{color:#fff;background:#c62828;border-color:#c62828}
.lines table{font-size:7.5pt}
.breakdown+h3{margin-top:2mm}
footer{display:flex;flex-wrap:wrap;justify-content:space-between;gap:1mm 4mm;margin-top:4mm;padding-top:1.5mm;border-top:1px solid #ccc;color:#666;font-size:7.5pt}
footer code{font-size:7.5pt}
`;
