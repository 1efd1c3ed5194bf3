/**
 * A claim's plan: everything its settlement reads that does not depend on its
 * amounts or on the person's year — the places, the route, the chronic list,
 * the treatment place's class B share, and the insured place's figures for its
 * scheme, kind, hospital level and retiree status (src/core/policy.ts) — each
 * with its citation. src/core/settle.ts applies a plan to a claim's amounts.
 *
 * A plan is put together from parts, each compiled once and kept by what it
 * reads: the route by the two places, kind, filing, emergency and what-if
 * route; the policy by the insured pooling region and the policy context; the
 * share by the treatment place. Each by its date's window too: the span between
 * two dates on which some version of some figure starts, so that two dates in
 * one window read the same versions. A year of claims brings thousands of
 * contexts but few parts: a pooling region's policy serves all its counties.
 */
import type { Claim } from "../claims/schema.js";
import { ClaimRejectedError, RuleGapError } from "./errors.js";
import { cite, require_, resolve, versionAt } from "./lookup.js";
import { CHRONIC_LIST_ROUTES, ROUTE_NAMES, type Region, type Route, type RuleSet } from "./model.js";
import { own } from "./own.js";
import { compilePolicy, type Policy, type PolicyContext } from "./policy.js";
import type { Rate } from "./rate.js";
import { findRegion } from "./regions.js";
import { decideRoute } from "./route.js";
import type { Cited, FigureRef, Settlement, Text, Warning } from "./settlement.js";
import { findDisease, findLevel } from "./vocabulary.js";

export type { Policy };

export interface Plan {
  readonly insured: Settlement["insured"];
  readonly treatment: Settlement["treatment"];
  readonly route: RoutePlan;
  /** A chronic claim: the list that covers its disease, or why no list applies. */
  readonly chronic?: ChronicPlan;
  /** The treatment place's 乙类先行自付 share; undefined when the rules have none on the date. */
  readonly share?: Cited<Rate>;
  /** The insured place's figures; undefined when one it needs is missing (policyOf words the gap). */
  readonly policy?: Policy;
}

export interface RoutePlan {
  readonly route: Route;
  /** Set by the claim (what-if), not derived. */
  readonly forced: boolean;
  /** Why this route (the route step). */
  readonly why: Text;
  /** The mutual-recognition zone that made the route, cited. */
  readonly zoneRef?: FigureRef;
  /** Route forced, filing missing, in-province. */
  readonly warnings: readonly Warning[];
}

export interface ChronicPlan extends Text {
  readonly refs: readonly FigureRef[];
  /** Off the cross-province lists' routes: the insured place's own list decides. */
  readonly warning?: Warning;
}

/** The plan of a claim: its parts from the cache, or compiled. Throws when the rules refuse the claim. */
export function planFor(rules: RuleSet, claim: Claim): Plan {
  const c = cacheOf(rules);
  const date = claim.date;
  const w = windowOf(c.windows, date);
  const { scheme, retired } = claim.insured;
  const t = claim.treatment;
  const insured = kept(c.regions, `insured\0${claim.insured.region}`, () => findRegion(rules, claim.insured.region, ["insured", "region"]));
  const treated = kept(c.regions, `treatment\0${t.region}`, () => findRegion(rules, t.region, ["treatment", "region"]));
  const level = kept(c.levels, t.level, () => findLevel(rules, t.level));
  const route = kept(c.routes, `${insured.code}\0${treated.code}\0${t.kind}\0${claim.filing ?? ""}\0${+t.emergency}\0${claim.route ?? ""}\0${w}`, () => routePlan(rules, claim, insured, treated));
  // A chronic refusal names the claim's date: compiled for the claim, not kept.
  const chronic = t.kind === "chronic" ? (c.chronic.get(`${insured.code}\0${treated.code}\0${t.disease}\0${route.route}\0${w}`) ?? keepChronic(c, rules, claim, insured, treated, route.route, w)) : undefined;
  const share = kept(c.shares, `${treated.code}\0${w}`, () => {
    const r = resolve<Rate>(rules, treated.code, "catalogue.classBPrepay", date);
    return r ? { value: r.version.value, ref: cite(r) } : null;
  });
  const pool = insured.pool!;
  const known = c.policies.get(`${pool}\0${scheme}\0${t.kind}\0${level}\0${+retired}\0${route.route}\0${w}`);
  const policy = known === undefined ? keepPolicy(c, rules, pool, { scheme, kind: t.kind, level, retired, route: route.route, date }, w) : (known ?? undefined);

  const treatment: { -readonly [K in keyof Settlement["treatment"]]: Settlement["treatment"][K] } = { region: treated.code, name: treated.name, pool: treated.pool!, level, kind: t.kind };
  if (t.disease !== undefined) treatment.disease = t.disease;
  const plan: { -readonly [K in keyof Plan]: Plan[K] } = { insured: { region: insured.code, name: insured.name, pool, scheme, retired }, treatment, route };
  if (chronic) plan.chronic = chronic;
  if (share) plan.share = share;
  if (policy) plan.policy = policy;
  return plan;
}

/** The treatment place's class B share for a claim that needs it: a rule gap when the rules have none. */
export function shareOf(plan: Plan, rules: RuleSet, date: string): Cited<Rate> {
  if (plan.share) return plan.share;
  require_(rules, plan.treatment.region, "catalogue.classBPrepay", date, "乙类先行自付 share (class B prepay) of the treatment place");
  throw new Error("unreachable: require_ found a share resolve did not");
}

/** The plan's policy, or the rule gap that leaves it without one, worded for the claim's date. */
export function policyOf(plan: Plan, rules: RuleSet, date: string): Policy {
  if (plan.policy) return plan.policy;
  const { scheme, retired, pool } = plan.insured;
  const t = plan.treatment;
  return compilePolicy(rules, pool, { scheme, kind: t.kind, level: t.level, retired, route: plan.route.route, date }); // throws the gap
}

/** The route of a claim between two places (src/core/route.ts), and the warnings it brings. */
function routePlan(rules: RuleSet, claim: Claim, insured: Region, treated: Region): RoutePlan {
  const derived = decideRoute(rules, claim, insured, treated);
  const warnings: Warning[] = [];
  if (claim.route && claim.route !== derived.route)
    warnings.push({ code: "route-forced", en: `settled as ${claim.route}, not the derived route ${derived.route}`, zh: `按 ${claim.route} 计算，而非实际路径 ${derived.route}` });
  if (!claim.filing && !claim.route && (derived.route === "unfiled" || derived.route === "emergency") && !claim.treatment.emergency)
    warnings.push({ code: "filing-missing", en: "no filing given: settled as unfiled", zh: "未填写备案类型：按未备案计算" });
  const route = claim.route ?? derived.route;
  if (route === "in-province")
    warnings.push({
      code: "in-province",
      en: "in-province settlement is modelled as local (no reduction); this tool targets cross-province claims",
      zh: "省内异地按本地政策计算（不降比），本工具面向跨省结算",
    });
  if (claim.route)
    return { route, forced: true, why: { en: `route set by the claim (what-if); derived route would be ${derived.route}`, zh: `按指定路径计算（假设情形）；实际路径为 ${derived.route}` }, warnings };
  const plan: { -readonly [K in keyof RoutePlan]: RoutePlan[K] } = { route, forced: false, why: { en: derived.en, zh: derived.zh }, warnings };
  const zone = derived.zone;
  if (zone) plan.zoneRef = { name: zone.zone.figure.name, region: "zones", from: zone.version.from, at: zone.version.at, source: zone.version.source, confidence: zone.version.confidence };
  return plan;
}

/**
 * A chronic outpatient claim: on the routes of direct settlement across
 * provinces, its disease must be on a cross-province list the insured place
 * offers; on the others, the insured place's own list decides (README, "Choices").
 */
function chronicPlan(rules: RuleSet, claim: Claim, insured: Region, treated: Region, route: Route): ChronicPlan {
  const id = findDisease(rules, claim.treatment.disease!);
  const d = rules.diseases[id]!;
  if (!CHRONIC_LIST_ROUTES.has(route)) {
    const n = chronicOwnList(d, insured.name, route);
    return { ...n.step, refs: [], warning: n.warning };
  }
  const offered = require_<readonly string[]>(rules, insured.pool!, "chronicLists", claim.date, "cross-province chronic lists");
  const seen: string[] = [];
  for (const listId of offered.version.value) {
    const list = own(rules.chronicLists, listId);
    if (!list) continue;
    if (list.scope && !(list.scope.includes(insured.province) && list.scope.includes(treated.province))) continue;
    const v = versionAt(list.figure, claim.date);
    if (!v || v.value === null) continue;
    seen.push(`${list.id} (${v.value.length}${v.unknown ? ` named, ${v.unknown} not yet known` : ""})`);
    if (v.value.includes(id)) {
      const listRef: FigureRef = { name: list.figure.name, region: "national", from: v.from, at: v.at, source: v.source, confidence: v.confidence };
      return {
        en: `Chronic outpatient disease ${d.en} (${d.zh}) is on ${list.name.en}, offered by ${insured.name}`,
        zh: `门诊慢特病 ${d.zh} 属于 ${list.name.zh}，参保地已开通`,
        refs: [listRef, cite(offered)],
      };
    }
  }
  throw new ClaimRejectedError(
    `${d.en} (${d.zh}) cannot be settled directly: it is not on the cross-province chronic lists ${insured.name} offers on ${claim.date}: ${seen.join("; ") || "none"}`,
    ["treatment", "disease"],
    "settle it by manual reimbursement at the insured place, or check rules/national.yaml chronicLists",
  );
}

/** The texts of a chronic claim on a route the cross-province lists do not govern (CHRONIC_LIST_ROUTES). */
export function chronicOwnList(d: Text, place: string, route: Route): { step: Text; warning: Warning } {
  return {
    step: {
      en: `Chronic outpatient disease ${d.en} (${d.zh}), route ${route}: the cross-province direct-settlement lists do not apply`,
      zh: `门诊慢特病 ${d.zh}，结算路径 ${ROUTE_NAMES[route].zh}：跨省直接结算病种目录不适用`,
    },
    warning: {
      code: "chronic-own-list",
      en: `whether ${place} covers ${d.en} (${d.zh}) on route ${route} is decided by its own chronic disease list, which these rules do not hold`,
      zh: `${ROUTE_NAMES[route].zh}路径下参保地${place}是否保障${d.zh}以其本地门诊慢特病目录为准，本规则未收录`,
    },
  };
}

// ── The cache ──

/**
 * The parts kept per rule set, each by what it reads. Each map is emptied when
 * it reaches its bound, so memory stays flat however many claims a batch brings.
 */
interface Cache {
  readonly windows: readonly string[];
  readonly regions: Bounded<Region | Error>;
  readonly levels: Bounded<string | Error>;
  readonly routes: Bounded<RoutePlan | Error>;
  readonly chronic: Bounded<ChronicPlan>;
  readonly shares: Bounded<Cited<Rate> | null | Error>;
  /** A policy, or null where the rules lack a figure (policyOf words the gap for each claim's date). */
  readonly policies: Bounded<Policy | null>;
}

class Bounded<T> extends Map<string, T> {
  constructor(private readonly max: number) {
    super();
  }
  override set(key: string, value: T): this {
    if (this.size >= this.max) this.clear();
    return super.set(key, value);
  }
}

const caches = new WeakMap<RuleSet, Cache>();

function cacheOf(rules: RuleSet): Cache {
  let c = caches.get(rules);
  if (!c)
    caches.set(
      rules,
      (c = { windows: versionDates(rules), regions: new Bounded(4096), levels: new Bounded(256), routes: new Bounded(16384), chronic: new Bounded(4096), shares: new Bounded(4096), policies: new Bounded(16384) }),
    );
  return c;
}

/** A part from its map, or made and kept; a refusal or rule gap that names no date is kept too, and thrown again. */
function kept<T>(map: Bounded<T | Error>, key: string, make: () => T): T {
  let v = map.get(key);
  if (v === undefined) {
    try {
      v = make();
    } catch (e) {
      if (!(e instanceof ClaimRejectedError || e instanceof RuleGapError)) throw e;
      v = e;
    }
    map.set(key, v);
  }
  if (v instanceof Error) throw v;
  return v;
}

function keepChronic(c: Cache, rules: RuleSet, claim: Claim, insured: Region, treated: Region, route: Route, w: number): ChronicPlan {
  const p = chronicPlan(rules, claim, insured, treated, route);
  c.chronic.set(`${insured.code}\0${treated.code}\0${claim.treatment.disease}\0${route}\0${w}`, p);
  return p;
}

function keepPolicy(c: Cache, rules: RuleSet, pool: string, ctx: PolicyContext, w: number): Policy | undefined {
  let p: Policy | null = null;
  try {
    p = compilePolicy(rules, pool, ctx);
  } catch (e) {
    if (!(e instanceof RuleGapError)) throw e;
  }
  c.policies.set(`${pool}\0${ctx.scheme}\0${ctx.kind}\0${ctx.level}\0${+ctx.retired}\0${ctx.route}\0${w}`, p);
  return p ?? undefined;
}

/** Every date on which a version of a figure, zone or chronic list starts, sorted. */
function versionDates(rules: RuleSet): string[] {
  const dates = new Set<string>();
  const add = (f: { readonly versions: readonly { readonly from: string }[] }) => f.versions.forEach((v) => dates.add(v.from));
  for (const layer of Object.values(rules.layers)) Object.values(layer.figures).forEach(add);
  for (const z of Object.values(rules.zones)) add(z.figure);
  for (const l of Object.values(rules.chronicLists)) add(l.figure);
  return [...dates].sort();
}

/** How many version dates are on or before `date`: two dates with the same count read the same versions. */
function windowOf(dates: readonly string[], date: string): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (dates[mid]! <= date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
