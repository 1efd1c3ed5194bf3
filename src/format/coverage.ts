/**
 * `reimburse rules coverage` as text, JSON or CSV (src/core/coverage.ts
 * computes it). Text: a line for each pooling region, scheme and kind of care
 * — how many levels settle on every route, and the first gap with where it
 * belongs — and the totals last. JSON and CSV: every combination and route.
 */
import type { Combination, Coverage, Gap, RouteCoverage } from "../core/coverage.js";
import { figureZh, levelZh, regionText } from "../core/figure-words.js";
import { ROUTE_NAMES, ROUTES, type Route, type RuleSet } from "../core/model.js";
import type { Lang } from "./labels.js";
import { delimited, type Cell } from "./csv.js";

export const COVERAGE_FORMAT = 1;

const n = (x: number): string => x.toLocaleString("en");

/** The text's words; in Chinese, schemes, kinds, levels, routes and figures take the rules' names. */
function wordsOf(rules: RuleSet, lang: Lang) {
  const zh = lang === "zh";
  return {
    title: (date: string, v: string) =>
      zh ? `${date} 的结算覆盖情况（规则 ${v}）：按参保统筹区、险种、就医类型和医院级别，各条结算路径能否结算？` : `Coverage on ${date} (rules ${v}): can a claim settle, by insured pooling region, scheme, kind of care and hospital level, on every route?`,
    region: (code: string) => regionText(rules, code)[lang],
    noShare: zh ? "  — 作为就医地：没有乙类先行自付比例（结算单上的 costs.prepay 可代替）" : "  — as a treatment place: no class B share (a bill's costs.prepay settles without it)",
    bare: (file: string) => (zh ? `\n  无法结算：没有自己的数据（请新建 ${file}）` : `\n  nothing settles: no figures of its own (create ${file})`),
    head: (scheme: string, kind: string, ok: number, all: number) =>
      zh ? `  ${(rules.values.scheme[scheme]?.zh ?? scheme).padEnd(6, "　")} ${(rules.values.kind[kind]?.zh ?? kind).padEnd(5, "　")} ${ok}/${all} 个级别` : `  ${scheme.padEnd(8)} ${kind.padEnd(10)} ${ok}/${all} levels`,
    all: zh ? "，各条路径都能结算" : " on every route",
    gap: (lv: string, route: Route, more: number, m: Gap) =>
      zh
        ? `；第一个缺口：${levelZh(rules, lv)}，${ROUTE_NAMES[route].zh}${more ? `（另有 ${more} 条路径）` : ""}：没有${m.figure ? figureZh(rules, m.figure) : m.what}${m.file ? `（${m.create ? "请新建" : "在"} ${m.file}）` : ""}`
        : `; first gap: level ${lv}, ${route}${more ? ` (and ${more} more route${more > 1 ? "s" : ""})` : ""}: no ${m.what}${m.file ? ` (${m.create ? "create" : "in"} ${m.file})` : ""}`,
    totals: (t: Coverage["totals"]) =>
      zh
        ? `${n(t.combinations)} 种组合中 ${n(t.settle)} 种在各条路径都能结算；${n(t.routes)} 个组合路径中 ${n(t.routesSettle)} 个能结算`
        : `${n(t.settle)} of ${n(t.combinations)} combinations settle on every route; ${n(t.routesSettle)} of ${n(t.routes)} combination-routes settle`,
  };
}

export function coverageText(c: Coverage, rulesVersion: string, rules: RuleSet, lang: Lang = "en"): string {
  const w = wordsOf(rules, lang);
  const out: string[] = [w.title(c.date, rulesVersion), ""];
  const groups = new Map<string, Combination[]>();
  for (const x of c.combinations) {
    const k = `${x.region}\0${x.scheme}\0${x.kind}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(x);
  }
  let region = "";
  let bare = false;
  for (const g of groups.values()) {
    const first = g[0]!;
    if (first.region !== region) {
      if (region) out.push("");
      region = first.region;
      const share = c.shares.find((s) => s.region === region);
      const noShare = share && !share.classBPrepay ? w.noShare : "";
      // A region with no figures of its own and nothing settling: one line, the file to create.
      const all = c.combinations.filter((x) => x.region === region);
      const gaps = all.flatMap((x) => Object.values(x.routes).flatMap((r) => (r && !r.settles ? r.missing : [])));
      const create = gaps.length && all.every((x) => Object.values(x.routes).every((r) => !r?.settles)) ? gaps.find((m) => m.create) : undefined;
      bare = !!create;
      out.push(`${w.region(first.region)}${noShare}${create ? w.bare(create.file) : ""}`);
    }
    if (bare) continue;
    const ok = g.filter((x) => x.settles).map((x) => x.level);
    const head = w.head(first.scheme, first.kind, ok.length, g.length);
    const bad = g.find((x) => !x.settles);
    out.push(bad ? head + firstGap(bad, w) : head + w.all);
  }
  out.push("", w.totals(c.totals));
  return out.join("\n") + "\n";
}

/** The first route of a combination that does not settle, what it lacks and where that belongs. */
function firstGap(x: Combination, w: ReturnType<typeof wordsOf>): string {
  const route = ROUTES.find((r) => x.routes[r] && !x.routes[r]!.settles)!;
  const cov = x.routes[route] as Extract<RouteCoverage, { settles: false }>;
  const others = ROUTES.filter((r) => x.routes[r] && !x.routes[r]!.settles).length;
  return w.gap(x.level, route, others - 1, cov.missing[0]!);
}

export function coverageJson(c: Coverage, rulesVersion: string): string {
  return (
    JSON.stringify(
      {
        schemaVersion: COVERAGE_FORMAT,
        date: c.date,
        rulesVersion,
        totals: c.totals,
        shares: c.shares,
        combinations: c.combinations.map((x) => ({
          region: x.region,
          name: x.name,
          scheme: x.scheme,
          kind: x.kind,
          level: x.level,
          settles: x.settles,
          routes: Object.fromEntries(ROUTES.map((r) => [r, routeJson(x.routes[r])])) as Record<Route, unknown>,
        })),
      },
      // One line: some 6,000 routes, for jq or a script rather than for reading (the text format is for reading).
    ) + "\n"
  );
}

const routeJson = (r: RouteCoverage) => (r === null ? null : r.settles ? { settles: true, missing: [] } : { settles: false, missing: r.missing });

export const COVERAGE_COLUMNS = ["region", "name", "scheme", "kind", "level", "route", "settles", "missing", "file"] as const;

export function coverageCsv(c: Coverage): string {
  const rows: Record<(typeof COVERAGE_COLUMNS)[number], Cell>[] = [];
  for (const x of c.combinations)
    for (const r of ROUTES) {
      const cov = x.routes[r];
      if (cov === null) continue;
      const m = cov.settles ? [] : cov.missing;
      rows.push({ region: x.region, name: x.name, scheme: x.scheme, kind: x.kind, level: x.level, route: r, settles: cov.settles, missing: m.map((g) => g.figure).join(";"), file: m.map((g) => g.file).join(";") });
    }
  return delimited(COVERAGE_COLUMNS, rows, ",");
}
