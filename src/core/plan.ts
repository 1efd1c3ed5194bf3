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
import { PolicyRefusal, RuleGapError } from "./errors.js";
import { gapError, missingFigure, type Missing } from "./gaps.js";
import { cite, citeVersion, resolve, versionAt } from "./lookup.js";
import { CHRONIC_LIST_ROUTES, FILINGS, KINDS, ROUTE_NAMES, ROUTES, SCHEMES, type Region, type Route, type RuleSet } from "./model.js";
import { indexIn, kept, Keyed } from "./keyed.js";
import { own } from "./own.js";
import { compilePolicy, type Policy, type PolicyContext } from "./policy.js";
import { ZERO, type Rate } from "./rate.js";
import { findRegion } from "./regions.js";
import { decideRoute, zoneLater } from "./route.js";
import type { Cited, FigureRef, Settlement, Text, Warning } from "./settlement.js";
import { diseaseIdOf, findDisease, findGroup, findLevel } from "./vocabulary.js";

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
  /** insured.group, resolved to its id. */
  readonly group?: string;
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

/** A place, and what is kept for the claims that name it: how it is shown, its class B share. */
interface Place {
  readonly region: Region;
  /** The insured person as a settlement shows them, by scheme and retiree status. */
  readonly people: (Settlement["insured"] | undefined)[];
  /** The treatment as a settlement shows it, by level and kind (and disease: `diseases`). */
  readonly treatments: (Settlement["treatment"] | undefined)[];
  readonly diseases: Map<string, Settlement["treatment"]>;
  /** The 乙类先行自付 share of the place as a treatment place, by date window; null: the rules have none. */
  readonly shares: (Cited<Rate> | null | undefined)[];
  /** As an insured place: chronic claims' lists, by the treatment place's province, disease, route and date window. */
  readonly chronic: Map<string, ChronicPlan>;
}

/** The two places a claim names, and what is kept for the claims between them (a year names a few hundred pairs). */
interface Pair {
  readonly insured: Place;
  readonly treated: Place;
  /** By kind, filing, emergency, what-if route and date window. */
  readonly routes: Map<number, RoutePlan>;
}

/** The plan of a claim, put together from the parts kept for its context. Throws when the rules refuse the claim. */
export function planFor(rules: RuleSet, claim: Claim): Plan {
  const c = cacheOf(rules);
  const date = claim.date;
  const w = windowOf(c.windows, date);
  const { scheme, retired } = claim.insured;
  const t = claim.treatment;
  const pair = kept(c.pairs, claim.insured.region, t.region, 0, () => pairOf(c, rules, claim));
  const insured = pair.insured.region;
  const treated = pair.treated.region;
  const level = kept(c.levels, t.level, "", 0, () => findLevel(rules, t.level));
  const kind = indexIn(KINDS, t.kind);

  const routeKey = (((kind * 6 + indexIn(FILING_KEYS, claim.filing)) * 2 + +t.emergency) * 9 + indexIn(ROUTE_KEYS, claim.route)) * c.spans + w;
  let route = pair.routes.get(routeKey);
  if (!route) pair.routes.set(routeKey, (route = routePlan(rules, claim, insured, treated)));
  const chronic = t.kind === "chronic" ? chronicFor(pair, rules, claim, route.route, w) : undefined;
  let share = pair.treated.shares[w];
  if (share === undefined) {
    const r = resolve<Rate>(rules, treated.code, "catalogue.classBPrepay", date);
    share = pair.treated.shares[w] = r ? { value: r.version.value, ref: cite(r) } : null;
  }
  const pool = insured.pool!;
  const group = claim.insured.group === undefined ? undefined : kept(c.groups, claim.insured.group, "", 0, () => findGroup(rules, claim.insured.group!));
  const policyKey =
    (((((indexIn(SCHEMES, scheme) * 2 + +retired) * 3 + kind) * ROUTES.length + indexIn(ROUTES, route.route)) * c.levelIds.length + indexIn(c.levelIds, level)) * (c.groupIds.length + 1) + (group === undefined ? 0 : c.groupIds.indexOf(group) + 1)) * c.spans + w;
  let policy = c.policies.get(pool, "", policyKey);
  if (policy === undefined) policy = c.policies.set(pool, "", policyKey, policyOrGap(rules, pool, { scheme, kind: t.kind, level, retired, route: route.route, date, ...(group ? { group } : {}) }));

  // The two places as the settlement shows them: kept and frozen, shared by the settlements that name them.
  const person = indexIn(SCHEMES, scheme) * 2 + +retired;
  const who = (pair.insured.people[person] ??= Object.freeze({ region: insured.code, name: insured.name, pool, scheme, retired }));
  const treatmentKey = indexIn(c.levelIds, level) * 3 + kind;
  const shown = pair.treated;
  let where = t.disease === undefined ? shown.treatments[treatmentKey] : shown.diseases.get(`${treatmentKey}\0${t.disease}`);
  if (!where) {
    const made: { -readonly [K in keyof Settlement["treatment"]]: Settlement["treatment"][K] } = { region: treated.code, name: treated.name, pool: treated.pool!, level, kind: t.kind };
    if (t.disease !== undefined) made.disease = diseaseIdOf(rules, t.disease) ?? t.disease; // 尿毒症透析 → uremia-dialysis, as every id is shown
    where = Object.freeze(made);
    if (t.disease === undefined) shown.treatments[treatmentKey] = where;
    else shown.diseases.set(`${treatmentKey}\0${t.disease}`, where);
  }
  const plan: { -readonly [K in keyof Plan]: Plan[K] } = { insured: who, treatment: where, route };
  if (group) plan.group = group;
  if (chronic) plan.chronic = chronic;
  if (share) plan.share = share;
  if (policy) plan.policy = policy;
  return plan;
}

const FILING_KEYS = [undefined, ...FILINGS];
const ROUTE_KEYS = [undefined, ...ROUTES];

function pairOf(c: Cache, rules: RuleSet, claim: Claim): Pair {
  const insured = placeOf(c, findRegion(rules, claim.insured.region, ["insured", "region"]));
  const treated = placeOf(c, findRegion(rules, claim.treatment.region, ["treatment", "region"]));
  return { insured, treated, routes: new Map() };
}

function placeOf(c: Cache, region: Region): Place {
  let p = c.places.get(region.code);
  if (!p) c.places.set(region.code, (p = { region, people: [], treatments: [], diseases: new Map(), shares: [], chronic: new Map() }));
  return p;
}

/** A chronic claim's list; a refusal names the claim's date, so it is worded for each claim, not kept. */
function chronicFor(pair: Pair, rules: RuleSet, claim: Claim, route: Route, w: number): ChronicPlan {
  const kept = pair.insured.chronic; // it reads the treatment place's province only
  const key = `${pair.treated.region.province}\0${claim.treatment.disease}\0${route}\0${w}`;
  let p = kept.get(key);
  if (!p) kept.set(key, (p = chronicPlan(rules, claim, pair.insured.region, pair.treated.region, route)));
  return p;
}

/** The policy, or null where the rules lack a figure it needs (policyOf names them for each claim's date). */
function policyOrGap(rules: RuleSet, pool: string, ctx: PolicyContext): Policy | null {
  return compilePolicy(rules, pool, ctx, []) ?? null;
}

/** The treatment place's class B share, for a claim that needs it; when the rules have none, it is added to `missing` (and 0 given). */
export function shareOf(plan: Plan, rules: RuleSet, date: string, missing: Missing[]): Cited<Rate> {
  if (plan.share) return plan.share;
  missing.push({
    ...missingFigure(rules, plan.treatment.region, "catalogue.classBPrepay", date, "乙类先行自付 share (class B prepay) of the treatment place"),
    instead: {
      en: "or give the 乙类先行自付 printed on the bill: costs.prepay, or items with prepay on each class B line",
      zh: "或填写结算单上打印的乙类先行自付金额：costs.prepay，或逐条乙类明细填写 prepay",
    },
  });
  return NO_SHARE;
}
const NO_SHARE: Cited<Rate> = { value: ZERO, ref: { name: "catalogue.classBPrepay", region: "", from: "", at: { file: "", line: 0, col: 0 }, source: "", confidence: "unverified" } };

/** The plan's policy; when figures it needs are missing, they are added to `missing` (worded for the claim's date). */
export function policyOf(plan: Plan, rules: RuleSet, date: string, missing: Missing[]): Policy | undefined {
  if (plan.policy) return plan.policy;
  const { scheme, retired, pool } = plan.insured;
  const t = plan.treatment;
  return compilePolicy(rules, pool, { scheme, kind: t.kind, level: t.level, retired, route: plan.route.route, date, ...(plan.group ? { group: plan.group } : {}) }, missing);
}

const FILING_MISSING: Warning = Object.freeze({ code: "filing-missing", en: "no filing given: settled as unfiled", zh: "未填写备案类型：按未备案计算" });
const IN_PROVINCE: Warning = Object.freeze({
  code: "in-province",
  en: "in-province settlement is modelled as local (no reduction); this tool targets cross-province claims",
  zh: "省内异地按本地政策计算（不降比），本工具面向跨省结算",
});

/** The route of a claim between two places, one object for each route, reason and zone (pairs of places share them). */
function routePlan(rules: RuleSet, claim: Claim, insured: Region, treated: Region): RoutePlan {
  const r = decidedRoute(rules, claim, insured, treated);
  const zone = r.zoneRef ? `${r.zoneRef.at.file}:${r.zoneRef.at.line}:${r.zoneRef.at.col}` : "";
  const key = [r.route, +r.forced, r.why.en, r.why.zh, zone, ...r.warnings.map((w) => w.en)].join("\0");
  return kept(routePlans, key, "", 0, () => r);
}
/** The route plans made so far, by what they say. */
const routePlans = new Keyed<RoutePlan | Error>(16384);

/** The route of a claim between two places (src/core/route.ts), and the warnings it brings. */
function decidedRoute(rules: RuleSet, claim: Claim, insured: Region, treated: Region): RoutePlan {
  const derived = decideRoute(rules, claim, insured, treated);
  const route = claim.route ?? derived.route;
  const forced = claim.route && claim.route !== derived.route ? `${claim.route}\0${derived.route}` : "";
  const missing = !claim.filing && !claim.route && (derived.route === "unfiled" || derived.route === "emergency") && !claim.treatment.emergency;
  // An inpatient stay between a zone's two sides before the zone starts: not a zone stay yet, said so.
  const later = !claim.route && claim.treatment.kind === "inpatient" && insured.province !== treated.province && derived.route !== "zone" ? zoneLater(rules, insured, treated, claim.date) : undefined;
  // One frozen list for each combination, shared by every route that has it (src/format/json.ts writes its text once).
  const warnings = kept(routeWarnings, forced, later ? `${later.zone.id}\0${later.from}\0${route}` : "", +missing * 2 + +(route === "in-province"), () => {
    const ws: Warning[] = [];
    if (forced) ws.push({ code: "route-forced", en: `settled as ${claim.route}, not the derived route ${derived.route}`, zh: `按${ROUTE_NAMES[claim.route!].zh}计算，而非实际路径${ROUTE_NAMES[derived.route].zh}` });
    if (missing) ws.push(FILING_MISSING);
    if (route === "in-province") ws.push(IN_PROVINCE);
    if (later)
      ws.push({
        code: "zone-not-started",
        en: `the 互认区域 ${later.zone.name.zh} (${later.zone.name.en}) starts ${later.from}: before then this stay is not a zone stay, and settles on the ${route} route`,
        zh: `互认区域（${later.zone.name.zh}）自 ${later.from} 起实施：此前住院不按互认区域结算，按${ROUTE_NAMES[route].zh}计算`,
      });
    return Object.freeze(ws);
  });
  if (claim.route)
    return { route, forced: true, why: { en: `route set by the claim (what-if); derived route would be ${derived.route}`, zh: `按指定路径计算（假设情形）；实际路径为${ROUTE_NAMES[derived.route].zh}` }, warnings };
  const plan: { -readonly [K in keyof RoutePlan]: RoutePlan[K] } = { route, forced: false, why: { en: derived.en, zh: derived.zh }, warnings };
  const zone = derived.zone;
  if (zone) plan.zoneRef = citeVersion(zone.zone.figure.name, "zones", zone.version);
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
  const offered = resolve<readonly string[]>(rules, insured.pool!, "chronicLists", claim.date);
  if (!offered) throw gapError(rules, claim.date, [missingFigure(rules, insured.pool!, "chronicLists", claim.date, "cross-province chronic lists")]);
  const seen: string[] = [];
  const seenZh: string[] = [];
  for (const listId of offered.version.value) {
    const list = own(rules.chronicLists, listId);
    if (!list) continue;
    if (list.scope && !(list.scope.includes(insured.province) && list.scope.includes(treated.province))) continue;
    const v = versionAt(list.figure, claim.date);
    if (!v || v.value === null) continue;
    seen.push(`${list.id} (${v.value.length}${v.unknown ? ` named, ${v.unknown} not yet known` : ""})`);
    seenZh.push(`${list.name.zh}（已列出 ${v.value.length} 种${v.unknown ? `，另 ${v.unknown} 种尚不知名称` : ""}）`);
    if (v.value.includes(id)) {
      const listRef = citeVersion(list.figure.name, "national", v);
      return {
        en: `Chronic outpatient disease ${d.en} (${d.zh}) is on ${list.name.en}, offered by ${insured.name}`,
        zh: `门诊慢特病 ${d.zh} 属于 ${list.name.zh}，参保地已开通`,
        refs: [listRef, cite(offered)],
      };
    }
  }
  throw new PolicyRefusal(
    `${d.en} (${d.zh}) cannot be settled directly: it is not on the cross-province chronic lists ${insured.name} offers on ${claim.date}: ${seen.join("; ") || "none"}`,
    ["treatment", "disease"],
    "settle it by manual reimbursement at the insured place, or check rules/national.yaml chronicLists",
    {
      message: `${d.zh} 不能直接结算：不在${insured.name}于 ${claim.date} 开通的跨省门诊慢特病病种中：${seenZh.join("；") || "无"}`,
      hint: "请回参保地手工报销，或核对 rules/national.yaml 的 chronicLists",
    },
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

/** The parts kept per rule set, each by what it reads (src/core/keyed.ts). */
interface Cache {
  readonly windows: readonly string[];
  /** How many date windows there are (a number key spans them). */
  readonly spans: number;
  /** The hospital levels' ids (a number key names a level by its place here). */
  readonly levelIds: readonly string[];
  /** By the two places as the claim writes them. */
  readonly pairs: Keyed<Pair | Error>;
  /** By region code (bounded by the region table). */
  readonly places: Map<string, Place>;
  readonly levels: Keyed<string | Error>;
  /** insured.group as written → its id; and the ids (a number key names a group by its place here). */
  readonly groups: Keyed<string | Error>;
  readonly groupIds: readonly string[];
  /** By pooling region, level, scheme, retiree status, kind, route and date window; null where the rules lack a figure. */
  readonly policies: Keyed<Policy | null>;
}

const caches = new WeakMap<RuleSet, Cache>();
/** The warning lists of routes, by what they say (a handful: they name routes only). */
const routeWarnings = new Keyed<readonly Warning[] | Error>(1024);

function cacheOf(rules: RuleSet): Cache {
  let c = caches.get(rules);
  if (!c) {
    const windows = versionDates(rules);
    caches.set(rules, (c = { windows, spans: windows.length + 1, levelIds: Object.keys(rules.levels), pairs: new Keyed(16384), places: new Map(), levels: new Keyed(256), groups: new Keyed(256), groupIds: Object.keys(rules.groups), policies: new Keyed(65536) }));
  }
  return c;
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
