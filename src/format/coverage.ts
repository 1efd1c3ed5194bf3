/**
 * `reimburse rules coverage` as text, JSON or CSV (src/core/coverage.ts
 * computes it). Text: a line for each pooling region, scheme and kind of care
 * — how many levels settle on every route, and the first gap with where it
 * belongs — and the totals last. JSON and CSV: every combination and route.
 */
import type { Combination, Coverage, Gap, RouteCoverage } from "../core/coverage.js";
import { ROUTES, type Route } from "../core/model.js";
import { delimited, type Cell } from "./csv.js";

export const COVERAGE_FORMAT = 1;

const n = (x: number): string => x.toLocaleString("en");

export function coverageText(c: Coverage, rulesVersion: string): string {
  const out: string[] = [`Coverage on ${c.date} (rules ${rulesVersion}): can a claim settle, by insured pooling region, scheme, kind of care and hospital level, on every route?`, ""];
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
      const noShare = share && !share.classBPrepay ? "  — as a treatment place: no class B share (a bill's costs.prepay settles without it)" : "";
      // A region with no figures of its own and nothing settling: one line, the file to create.
      const all = c.combinations.filter((x) => x.region === region);
      const gaps = all.flatMap((x) => Object.values(x.routes).flatMap((r) => (r && !r.settles ? r.missing : [])));
      const create = gaps.length && all.every((x) => Object.values(x.routes).every((r) => !r?.settles)) ? gaps.find((m) => m.create) : undefined;
      bare = !!create;
      out.push(`${first.name} (${first.region})${noShare}${create ? `\n  nothing settles: no figures of its own (create ${create.file})` : ""}`);
    }
    if (bare) continue;
    const ok = g.filter((x) => x.settles).map((x) => x.level);
    const head = `  ${first.scheme.padEnd(8)} ${first.kind.padEnd(10)} ${ok.length}/${g.length} levels`;
    const bad = g.find((x) => !x.settles);
    out.push(bad ? `${head}; first gap: ${firstGap(bad)}` : `${head} on every route`);
  }
  const t = c.totals;
  out.push("", `${n(t.settle)} of ${n(t.combinations)} combinations settle on every route; ${n(t.routesSettle)} of ${n(t.routes)} combination-routes settle`);
  return out.join("\n") + "\n";
}

/** The first route of a combination that does not settle, what it lacks and where that belongs. */
function firstGap(x: Combination): string {
  const route = ROUTES.find((r) => x.routes[r] && !x.routes[r]!.settles)!;
  const cov = x.routes[route] as Extract<RouteCoverage, { settles: false }>;
  const others = ROUTES.filter((r) => x.routes[r] && !x.routes[r]!.settles).length;
  const m = cov.missing[0]!;
  return `level ${x.level}, ${route}${others > 1 ? ` (and ${others - 1} more route${others > 2 ? "s" : ""})` : ""}: no ${m.what}${place(m)}`;
}

const place = (m: Gap): string => (m.file ? ` (${m.create ? "create" : "in"} ${m.file})` : "");

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
