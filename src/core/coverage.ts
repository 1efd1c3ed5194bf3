/**
 * The coverage map (`reimburse rules coverage`): for every pooling region,
 * scheme, kind of care and hospital level, whether a claim on a date settles
 * on each route, and if not, the figures it lacks and where each belongs.
 * It asks the same question settling asks — the insured place's policy for
 * the claim's context (src/core/policy.ts), and on the routes of direct
 * settlement across provinces the chronic lists — so the map cannot disagree
 * with `calc`. The treatment place's class B share is shown per region: a
 * bill's own prepay (costs.prepay) settles without it.
 */
import { RuleGapError } from "./errors.js";
import { missingFigure, whereMissing, type Missing } from "./gaps.js";
import { resolve, versionAt } from "./lookup.js";
import { CHRONIC_LIST_ROUTES, KINDS, ROUTES, SCHEMES, type Kind, type Route, type RuleSet, type Scheme } from "./model.js";
import { compilePolicy } from "./policy.js";

export interface Gap {
  readonly figure: string;
  readonly what: string;
  /** The file (or file:line of a table) where it belongs. */
  readonly file: string;
  /** The file does not exist yet: create it. */
  readonly create: boolean;
}

/** One route of a combination: it settles, or the figures it lacks; null where the route cannot arise (a zone the region is not in). */
export type RouteCoverage = { readonly settles: true } | { readonly settles: false; readonly missing: readonly Gap[] } | null;

export interface Combination {
  readonly region: string;
  readonly name: string;
  readonly province: string;
  readonly scheme: Scheme;
  readonly kind: Kind;
  readonly level: string;
  /** On every route that can arise. */
  readonly settles: boolean;
  readonly routes: Readonly<Record<Route, RouteCoverage>>;
}

export interface Coverage {
  readonly date: string;
  readonly combinations: readonly Combination[];
  /** Per pooling region, as a treatment place: whether the rules hold its class B share on the date. */
  readonly shares: readonly { readonly region: string; readonly name: string; readonly classBPrepay: boolean }[];
  readonly totals: { readonly combinations: number; readonly settle: number; readonly routes: number; readonly routesSettle: number };
}

export function coverage(rules: RuleSet, date: string): Coverage {
  const pools = Object.values(rules.regions)
    .filter((r) => r.pool === r.code)
    .sort((a, b) => (a.province === b.province ? (a.code < b.code ? -1 : 1) : a.province < b.province ? -1 : 1));
  const inZone = new Set<string>();
  for (const z of Object.values(rules.zones)) if (versionAt(z.figure, date)?.value) z.between.forEach((c) => inZone.add(c));
  const levels = Object.keys(rules.levels).sort(byLevel);
  const combinations: Combination[] = [];
  let routes = 0;
  let routesSettle = 0;
  for (const r of pools)
    for (const scheme of SCHEMES)
      for (const kind of KINDS)
        for (const level of levels) {
          const byRoute = {} as Record<Route, RouteCoverage>;
          let all = true;
          for (const route of ROUTES) {
            if (route === "zone" && !inZone.has(r.code)) {
              byRoute[route] = null;
              continue;
            }
            const missing: Missing[] = [];
            try {
              compilePolicy(rules, r.code, { scheme, kind, level, retired: false, route, date }, missing);
            } catch (e) {
              // A figure settling cannot apply (a retiree prepay): `rules check` names it as invalid-adjustment.
              if (!(e instanceof RuleGapError)) throw e;
              missing.push({ region: r.code, figure: "", what: e.message });
            }
            if (kind === "chronic" && CHRONIC_LIST_ROUTES.has(route) && !resolve(rules, r.code, "chronicLists", date))
              missing.push(missingFigure(rules, r.code, "chronicLists", date, "cross-province chronic lists"));
            routes++;
            if (!missing.length) {
              routesSettle++;
              byRoute[route] = SETTLES;
            } else {
              all = false;
              byRoute[route] = { settles: false, missing: missing.map((m) => ({ figure: m.figure, what: m.what, ...whereMissing(rules, m) })) };
            }
          }
          combinations.push({ region: r.code, name: r.name, province: r.province, scheme, kind, level, settles: all, routes: byRoute });
        }
  const shares = pools.map((r) => ({ region: r.code, name: r.name, classBPrepay: !!resolve(rules, r.code, "catalogue.classBPrepay", date) }));
  return { date, combinations, shares, totals: { combinations: combinations.length, settle: combinations.filter((c) => c.settles).length, routes, routesSettle } };
}

const SETTLES = Object.freeze({ settles: true as const });

/** Primary care first, then the numbered levels upwards, then the rest (provincial): the order people list them in. */
function byLevel(a: string, b: string): number {
  const rank = (l: string) => (l === "community" ? -1 : /^\d+$/.test(l) ? Number(l) : 1000);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}
