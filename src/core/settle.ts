/**
 * Settlement of one claim: 就医地目录、参保地政策 (医保发〔2022〕22号). What counts
 * as in policy follows the treatment place's catalogue; the deductible, ratio
 * and annual cap follow the insured place. Pure: claim + rules in, settlement out.
 *
 * How it is made fast (a batch settles a million claims; README "Performance"):
 *
 * - Everything that does not depend on the claim's amounts, history or exact
 *   date — regions, the route, the figures of the insured place for a scheme,
 *   kind and level, the reduction of a route, the texts around the amounts —
 *   is worked out once per rule set and kept in "pieces", memoised in a
 *   WeakMap keyed by the RuleSet object (nothing visible changes: the same
 *   claim gives the same result, and a rule set nobody holds is let go). A
 *   piece is keyed by what it reads, and by the date's *window*: the interval
 *   between two consecutive dates on which some version of some figure starts,
 *   inside which every figure has the same version. A piece whose computation
 *   throws (a rule gap, a claim the rules refuse) is never kept: the next claim
 *   computes it again and throws its own message (which names its date).
 *   Pieces are looked up in the order the settlement reads them, so the first
 *   problem is the one reported, as before.
 * - Step texts are templates (`Tpl`): static text with holes for the claim's
 *   amounts. `settle` renders both languages; the batch writer renders one,
 *   straight into bytes (src/batch/jsonl.ts), from the same templates.
 *
 * test/core/settle-fast.test.ts checks, on generated claims, that the result
 * (or the error) is exactly that of the straightforward implementation this
 * replaced (kept as test/core/settle-reference.ts).
 */
import { own } from "./own.js";
import type { Claim } from "../claims/schema.js";
import { ClaimRejectedError, RuleGapError } from "./errors.js";
import { atLevel, require_, resolve, versionAt, type Resolved } from "./lookup.js";
import { formatYuan, mulRound, mulRoundSum2, type Fen } from "./money.js";
import { CHRONIC_LIST_ROUTES, ROUTE_NAMES, type Adjustment, type ByLevel, type Confidence, type Kind, type Loc, type Region, type Route, type RuleSet, type Scheme } from "./model.js";
import { ONE, ZERO, add, clamp01, cmp, formatPercent, formatPoints, mul, sub, type Rate } from "./rate.js";
import { findRegion } from "./regions.js";
import { findDisease, findLevel } from "./vocabulary.js";
import { decideRoute, type RouteDecision } from "./route.js";
import { closest } from "./suggest.js";

/** A figure the result depends on, with where it is written and its source. */
export interface FigureRef {
  readonly name: string;
  readonly region: string; // the layer's region code
  readonly from: string;
  readonly at: Loc;
  readonly source: string;
  readonly confidence: Confidence;
}

export type StepId =
  | "rules" | "route" | "total" | "excluded" | "prepay" | "in-policy" | "route-prepay"
  | "deductible" | "ratio" | "reduction" | "fund" | "cap" | "payable" | "chronic";

export interface Step {
  readonly id: StepId;
  readonly en: string;
  readonly zh: string;
  readonly amount?: Fen;
  readonly rate?: Rate;
  readonly figures: readonly FigureRef[];
}

export interface Warning {
  readonly code: "unverified-figure" | "route-forced" | "filing-missing" | "in-province" | "secondary-only" | "chronic-own-list";
  readonly en: string;
  readonly zh: string;
}

export interface Line {
  readonly name: string;
  readonly class: "A" | "B" | "excluded";
  readonly amount: Fen;
  readonly prepay: Fen;
  readonly inPolicy: Fen;
}

export interface Reduction {
  readonly mechanism: "none" | "points" | "prepay";
  readonly rate: Rate;
  /** What the reduction costs the person: fund without it minus fund with it, before the cap. */
  readonly amount: Fen;
}

export interface Settlement {
  readonly id?: string;
  readonly date: string;
  readonly route: Route;
  readonly routeForced: boolean;
  readonly insured: { readonly region: string; readonly name: string; readonly pool: string; readonly scheme: Scheme; readonly retired: boolean };
  readonly treatment: { readonly region: string; readonly name: string; readonly pool: string; readonly level: string; readonly kind: Kind; readonly disease?: string };
  readonly total: Fen;
  readonly excluded: Fen;
  readonly prepay: Fen; //        乙类先行自付
  readonly inPolicy: Fen; //      政策范围内费用 = total − excluded − prepay
  readonly routePrepay: Fen; //   reduction by the prepay mechanism
  readonly deductible: Fen; //    起付线 borne on this claim
  readonly ratio: Rate; //        effective ratio for class A (and B unless ratioB differs)
  readonly ratioB: Rate;
  readonly reduction: Reduction;
  readonly copay: Fen; //         the person's share above the deductible
  readonly fundBeforeCap: Fen;
  readonly overCap: Fen;
  readonly fund: Fen; //          统筹基金支付 (payable)
  readonly personal: Fen; //      个人负担 = excluded + prepay + routePrepay + deductible + copay + overCap
  readonly lines?: readonly Line[];
  readonly steps: readonly Step[];
  readonly warnings: readonly Warning[];
  readonly figures: readonly FigureRef[];
  /** The person's year after this claim: feed it to the next claim's history. */
  readonly ledger: { readonly fundPaid: Fen; readonly admissions: number; readonly deductiblePaid: Fen };
}

// ── Texts with holes ──

/**
 * Slots of `Parts.v`: the claim's own numbers. In a template, a slot is shown
 * with formatYuan (an amount in fen), or as an integer for `INT + slot`;
 * `DATE` is the claim's date.
 */
export const V = {
  total: 0,
  excluded: 1,
  prepay: 2,
  inPolicy: 3,
  inA: 4,
  inB: 5,
  classB: 6,
  routePrepay: 7,
  due: 8, //             the deductible due on this claim (the deductible step's amount)
  deductiblePaid: 9, //  history.deductiblePaid
  left: 10, //           what the annual deductible ceiling leaves
  baseA: 11,
  baseB: 12,
  fundBeforeCap: 13,
  fundPaid: 14, //       history.fundPaid
  capLeft: 15,
  overCap: 16,
  fund: 17,
  personal: 18,
  copay: 19,
  deductible: 20,
  admission: 21, //      history.admissions + 1 (an integer)
  reductionAmount: 22,
  ledgerFundPaid: 23,
  ledgerAdmissions: 24,
  ledgerDeductiblePaid: 25,
} as const;
/** The slots, zero: a literal (a packed array of small integers; `new Array(n).fill` makes a slower, holey one). */
const newSlots = (): number[] => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
/** In a template: `INT + slot` shows the slot as an integer. */
export const INT = 64;
/** In a template: the claim's date. */
export const DATE = -1;

/** A text: static strings and holes (numbers: a slot, `INT + slot`, or `DATE`); adjacent strings merged. */
export type Tpl = readonly (string | number)[];

interface Hole {
  readonly hole: number;
}
const Y = (slot: number): Hole => ({ hole: slot });
const N = (slot: number): Hole => ({ hole: INT + slot });
const D: Hole = { hole: DATE };

/** A template from a template literal: `${Y(V.total)}` is a hole, strings and nested templates are text. */
function t(strings: TemplateStringsArray, ...xs: readonly (string | Hole | Tpl)[]): Tpl {
  const out: (string | number)[] = [];
  const text = (s: string): void => {
    if (!s) return;
    const n = out.length;
    if (n && typeof out[n - 1] === "string") out[n - 1] += s;
    else out.push(s);
  };
  for (let i = 0; i < strings.length; i++) {
    text(strings[i]!);
    if (i >= xs.length) continue;
    const x = xs[i]!;
    if (typeof x === "string") text(x);
    else if (Array.isArray(x)) for (const p of x as Tpl) typeof p === "string" ? text(p) : out.push(p);
    else out.push((x as Hole).hole);
  }
  return out;
}

/** A template filled in with a claim's numbers. */
export function renderText(tpl: Tpl, p: { readonly v: readonly number[]; readonly date: string }): string {
  let s = "";
  for (let i = 0; i < tpl.length; i++) {
    const x = tpl[i]!;
    s += typeof x === "string" ? x : x === DATE ? p.date : x >= INT ? String(p.v[x - INT]) : formatYuan(p.v[x]!);
  }
  return s;
}

/**
 * Memoised objects a renderer may keep derived data for (the batch writer keeps
 * bytes) carry a `key`: a small integer, unique in the process, so the
 * renderer can index an array instead of hashing the object.
 */
let nextKey = 1;
const newKey = (): number => nextKey++;

/** A step as settlement builds it: texts with holes, the amount as a slot. */
export interface StepSpec {
  readonly key: number;
  readonly id: StepId;
  readonly en: Tpl;
  readonly zh: Tpl;
  readonly figures: readonly FigureRef[];
  /** The slot holding the step's amount, if it has one. */
  readonly amount: number | undefined;
  readonly rate: Rate | undefined;
}

/** Every StepSpec has the same fields (one hidden class: the batch writer's loop over steps stays fast). */
function spec(id: StepId, en: Tpl, zh: Tpl, figures: readonly FigureRef[] = [], amount?: number, rate?: Rate): StepSpec {
  return { key: newKey(), id, en, zh, figures, amount, rate };
}

/** `spec`, one object per content in a rule set's memo. */
function specIn(m: Memo, id: StepId, en: Tpl, zh: Tpl, figures: readonly FigureRef[] = [], amount?: number, rate?: Rate): StepSpec {
  const text = (tpl: Tpl) => tpl.map((x) => (typeof x === "number" ? `\u0004${x}` : x)).join("\u0003");
  const key = `${id}\u0002${text(en)}\u0002${text(zh)}\u0002${figures.map((f) => m.refIds.get(f)).join(",")}\u0002${amount ?? ""}\u0002${rate ? `${rate.num}/${rate.den}` : ""}`;
  let s = m.steps.get(key);
  if (!s) {
    s = spec(id, en, zh, figures, amount, rate);
    m.steps.set(key, s);
    made(m);
  }
  return s;
}

/** A warning, one object per content in a rule set's memo. */
function warningIn(m: Memo, w: Warning): Warning {
  const key = `${w.code}\u0002${w.en}\u0002${w.zh}`;
  let x = m.warnings.get(key);
  if (!x) {
    x = w;
    m.warnings.set(key, x);
    m.warningIds.set(x, m.warningIds.size);
    made(m);
  }
  return x;
}

/** A list of warnings (each from warningIn), one object per content. */
function warningsOf(m: Memo, list: readonly Warning[]): Warnings {
  const key = list.map((w) => m.warningIds.get(w)).join(",");
  let x = m.warningLists.get(key);
  if (!x) {
    m.warningLists.set(key, (x = { key: newKey(), list }));
    made(m);
  }
  return x;
}

/** The warnings, then one more (from warningIn). */
function moreWarnings(m: Memo, ws: Warnings, w: Warning): Warnings {
  const more = inner(m.moreWarnings, ws);
  let x = more.get(w);
  if (!x) more.set(w, (x = warningsOf(m, [...ws.list, w])));
  return x;
}

/** The ratios, one object per content. */
function ratiosOf(m: Memo, ratio: Rate, ratioB: Rate, mechanism: Reduction["mechanism"], reductionRate: Rate): Ratios {
  const key = `${ratio.num}/${ratio.den},${ratioB.num}/${ratioB.den},${mechanism},${reductionRate.num}/${reductionRate.den}`;
  let x = m.ratioSets.get(key);
  if (!x) {
    m.ratioSets.set(key, (x = { key: newKey(), ratio, ratioB, mechanism, reductionRate }));
    made(m);
  }
  return x;
}

/** The ratios a claim is settled at, and the route's reduction. */
export interface Ratios {
  readonly key: number;
  readonly ratio: Rate;
  readonly ratioB: Rate;
  readonly mechanism: Reduction["mechanism"];
  readonly reductionRate: Rate;
}

/** The figures a settlement cites, in the order first cited, and the warning they call for. */
export interface FigureList {
  /** Memoised: one object per list of references (see StepSpec.key). */
  readonly key: number;
  readonly refs: readonly FigureRef[];
  /** A key for each reference (see StepSpec.key): the same figure cited the same way, the same key. */
  readonly keys: readonly number[];
  readonly unverified: Warning | undefined;
}

/** A figure list as the memo keeps it: and the warnings of claims that cite it, by their other warnings. */
interface KeptFigures extends FigureList {
  readonly warnings: Map<Warnings, Warnings>;
}

/** Warnings, memoised (see StepSpec.key). */
export interface Warnings {
  readonly key: number;
  readonly list: readonly Warning[];
}

/** A memoised object and its key (see StepSpec.key). */
export interface Keyed<T> {
  readonly key: number;
  readonly value: T;
}

/**
 * A settled claim as the batch writer needs it: the numbers (slots), the
 * steps as templates and the memoised parts. `settle` turns it into a
 * Settlement; src/batch/jsonl.ts writes it as JSON without building one.
 */
export interface Parts {
  readonly id: string | undefined;
  readonly date: string;
  readonly route: Route;
  readonly routeForced: boolean;
  /** Memoised: the same object for every claim of one insured region, scheme and retiree status. */
  readonly insured: Keyed<Settlement["insured"]>;
  /** Memoised likewise. */
  readonly treatment: Keyed<Settlement["treatment"]>;
  /** The numbers, by the slots of `V`. */
  readonly v: readonly number[];
  /** Memoised: the same object for every claim of one policy and route reduction. */
  readonly ratios: Ratios;
  readonly lines: readonly Line[] | undefined;
  readonly steps: readonly StepSpec[];
  readonly warnings: Warnings;
  readonly figures: FigureList;
}

// ── Memo: per rule set ──

interface RefInfo {
  readonly ref: FigureRef;
  /** The location (file:line:col) as a number: a later citation of the same place replaces an earlier one. */
  readonly loc: number;
  readonly id: number;
}

interface Memo {
  /** Every date a version of some figure starts, sorted: the window boundaries. */
  readonly breaks: readonly string[];
  readonly windows: Map<string, number>;
  /** treatment.level as written → its id (src/core/levels.ts). */
  readonly levels: Map<string, string>;
  // Pieces, by what they read: nested maps with object or small-integer keys (no key strings to build per claim).
  readonly insuredRegions: Map<string, Region | RegionRefused>;
  readonly treatedRegions: Map<string, Region | RegionRefused>;
  readonly insured: Map<Region, Keyed<Settlement["insured"]>[]>;
  readonly treatment: Map<Region, Map<string, Map<string, Keyed<Settlement["treatment"]>>>>;
  readonly refs: Map<string, RefInfo>;
  readonly locs: Map<string, number>;
  readonly pairs: Map<Region, Map<Region, Pair>>;
  readonly routes: Map<string, RoutePiece>;
  readonly chronic: Map<Region, Map<string, Map<number | string, Map<string, ChronicPiece>>>>;
  readonly reduced: Map<string, WithReduction>;
  readonly shares: Map<Region, Map<number, SharePiece>>;
  readonly reductions: Map<string, Map<number, RedPiece>>;
  readonly policies: Map<string, Map<string, Map<number, PolicyPiece>>>;
  /** Route sides by the places as written, then routeCode; policy sides by the insured place and level as written, then policyCode. */
  readonly routeSides: Map<string, Map<string, Map<number, RouteSide>>>;
  readonly policySides: Map<string, Map<string, Map<number, PolicySide>>>;
  /** Step templates and warnings by content: pieces that say the same share one object (the batch writer compiles each once). */
  readonly steps: Map<string, StepSpec>;
  readonly warnings: Map<string, Warning>;
  readonly unverified: Map<string, Warning>;
  /** Figure lists by a hash of their references' ids (one list a hash: a later one replaces it). */
  readonly figureLists: Map<number, KeptFigures>;
  /** Warning lists and ratio sets by content. */
  readonly warningLists: Map<string, Warnings>;
  readonly moreWarnings: Map<Warnings, Map<Warning, Warnings>>;
  readonly ratioSets: Map<string, Ratios>;
  readonly warningIds: Map<Warning, number>;
  readonly refIds: Map<FigureRef, number>;
  /** Pieces made since the memo was last emptied (it is emptied past a bound, so memory stays bounded). */
  pieces: number;
  nextId: number;
}

/** Past this many pieces the memo starts again (a real year of claims makes a few thousand). */
const MAX_PIECES = 200_000;

/** A region reference the rules refuse: the error, kept to be thrown again (it names no date). */
interface RegionRefused {
  readonly refused: ClaimRejectedError;
}

const memos = new WeakMap<RuleSet, Memo>();

function memoOf(rules: RuleSet): Memo {
  let m = memos.get(rules);
  if (!m) memos.set(rules, (m = newMemo(rules)));
  return m;
}

function newMemo(rules: RuleSet): Memo {
  const dates = new Set<string>();
  const add = (f: { readonly versions: readonly { readonly from: string }[] }): void => {
    for (const v of f.versions) dates.add(v.from);
  };
  for (const l of Object.values(rules.layers)) for (const f of Object.values(l.figures)) add(f);
  for (const f of Object.values(rules.reductionCaps)) add(f);
  for (const c of Object.values(rules.chronicLists)) add(c.figure);
  for (const z of Object.values(rules.zones)) add(z.figure);
  return {
    breaks: [...dates].sort(),
    windows: new Map(),
    levels: new Map(),
    insuredRegions: new Map(),
    treatedRegions: new Map(),
    insured: new Map(),
    treatment: new Map(),
    refs: new Map(),
    locs: new Map(),
    pairs: new Map(),
    routes: new Map(),
    chronic: new Map(),
    reduced: new Map(),
    shares: new Map(),
    reductions: new Map(),
    policies: new Map(),
    routeSides: new Map(),
    policySides: new Map(),
    steps: new Map(),
    warnings: new Map(),
    unverified: new Map(),
    figureLists: new Map(),
    warningLists: new Map(),
    moreWarnings: new Map(),
    ratioSets: new Map(),
    warningIds: new Map(),
    refIds: new Map(),
    pieces: 0,
    nextId: 1,
  };
}

/** Counts a piece made; past the bound, forgets every piece (they are made again as needed). */
function made(m: Memo): void {
  if (++m.pieces <= MAX_PIECES) return;
  m.pieces = 0;
  for (const x of [m.insuredRegions, m.treatedRegions, m.insured, m.treatment, m.pairs, m.routes, m.reduced, m.chronic, m.shares, m.reductions, m.policies, m.routeSides, m.policySides, m.steps, m.warnings, m.unverified, m.figureLists, m.windows, m.warningLists, m.moreWarnings, m.ratioSets, m.warningIds, m.levels] as Map<unknown, unknown>[])
    x.clear();
}

/** The map under `k`, made when missing. */
function inner<K, K2, T>(m: Map<K, Map<K2, T>>, k: K): Map<K2, T> {
  let x = m.get(k);
  if (!x) m.set(k, (x = new Map()));
  return x;
}

/** Small integers for the values of a claim's enumerated fields (-1: not one of them, then nothing is memoised). */
// (Comparisons, not a table: a claim's values are mostly the very strings compared, and no memory is read.)
function kindCode(v: string): number {
  return v === "inpatient" ? 0 : v === "outpatient" ? 1 : v === "chronic" ? 2 : -1;
}
function filingCode(v: string | undefined): number {
  if (v === undefined) return 0;
  return v === "long-term" ? 1 : v === "referral" ? 2 : v === "emergency" ? 3 : v === "temporary" ? 4 : v === "none" ? 5 : -1;
}
function routeCodeOf(v: string | undefined): number {
  if (v === undefined) return 0;
  switch (v) {
    case "local":
      return 1;
    case "in-province":
      return 2;
    case "zone":
      return 3;
    case "long-term":
      return 4;
    case "referral":
      return 5;
    case "emergency":
      return 6;
    case "temporary":
      return 7;
    case "unfiled":
      return 8;
    default:
      return -1;
  }
}
function schemeCode(v: string): number {
  return v === "employee" ? 0 : v === "resident" ? 1 : -1;
}

/** The window of a date: how many version dates are on or before it. Every figure has one version throughout a window. */
function windowOf(m: Memo, date: string): number {
  let w = m.windows.get(date);
  if (w === undefined) {
    const b = m.breaks;
    let [lo, hi] = [0, b.length];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (b[mid]! <= date) lo = mid + 1;
      else hi = mid;
    }
    w = lo;
    m.windows.set(date, w);
    made(m);
  }
  return w;
}

function refOf(m: Memo, r: Resolved<unknown>, at?: Loc): RefInfo {
  const v = r.version;
  const a = at ?? v.at;
  const loc = `${a.file}:${a.line}:${a.col}`;
  const key = `${r.figure.name}\0${r.layer.region}\0${v.from}\0${loc}\0${v.source}\0${v.confidence}`;
  let info = m.refs.get(key);
  if (!info) {
    const ref: FigureRef = { name: r.figure.name, region: r.layer.region, from: v.from, at: a, source: v.source, confidence: v.confidence };
    let locId = m.locs.get(loc);
    if (locId === undefined) m.locs.set(loc, (locId = m.locs.size));
    m.refs.set(key, (info = { ref, loc: locId, id: newKey() }));
    m.refIds.set(ref, info.id);
  }
  return info;
}

const isFen = (v: unknown): v is Fen => typeof v === "number";
const isRate = (v: unknown): v is Rate => typeof v === "object" && v !== null && "num" in v && "den" in v;
const y = formatYuan;
const pct = formatPercent;
const NONE = "\u0001"; // an absent field, in a memo key

// ── Settlement ──

export function settle(claim: Claim, rules: RuleSet): Settlement {
  return settlementOf(settleParts(claim, rules));
}

/** A settlement from its parts: both languages of every text. */
export function settlementOf(p: Parts): Settlement {
  const steps: Step[] = [];
  for (const s of p.steps) {
    // Built field by field, not by spreading: a spread of differently shaped literals is slow in V8.
    const step: { -readonly [K in keyof Step]: Step[K] } = { id: s.id, en: renderText(s.en, p), zh: renderText(s.zh, p), figures: s.figures.slice() };
    if (s.amount !== undefined) step.amount = p.v[s.amount]!;
    if (s.rate !== undefined) step.rate = s.rate;
    steps.push(step);
  }
  const v = p.v;
  const t = p.treatment.value;
  const treatment: { -readonly [K in keyof Settlement["treatment"]]: Settlement["treatment"][K] } = { region: t.region, name: t.name, pool: t.pool, level: t.level, kind: t.kind };
  if (t.disease !== undefined) treatment.disease = t.disease;
  const ins = p.insured.value;
  // A plain literal, optional fields added after: an object literal that starts
  // with a spread and goes on for 25 fields falls into V8's slow dictionary mode.
  const result: { -readonly [K in keyof Settlement]: Settlement[K] } = {
    date: p.date,
    route: p.route,
    routeForced: p.routeForced,
    insured: { region: ins.region, name: ins.name, pool: ins.pool, scheme: ins.scheme, retired: ins.retired },
    treatment,
    total: v[V.total]!,
    excluded: v[V.excluded]!,
    prepay: v[V.prepay]!,
    inPolicy: v[V.inPolicy]!,
    routePrepay: v[V.routePrepay]!,
    deductible: v[V.deductible]!,
    ratio: p.ratios.ratio,
    ratioB: p.ratios.ratioB,
    reduction: { mechanism: p.ratios.mechanism, rate: p.ratios.reductionRate, amount: v[V.reductionAmount]! },
    copay: v[V.copay]!,
    fundBeforeCap: v[V.fundBeforeCap]!,
    overCap: v[V.overCap]!,
    fund: v[V.fund]!,
    personal: v[V.personal]!,
    steps,
    warnings: p.warnings.list.map((w) => ({ code: w.code, en: w.en, zh: w.zh })),
    figures: p.figures.refs.slice(),
    ledger: { fundPaid: v[V.ledgerFundPaid]!, admissions: v[V.ledgerAdmissions]!, deductiblePaid: v[V.ledgerDeductiblePaid]! },
  };
  if (p.id !== undefined) result.id = p.id;
  if (p.lines) result.lines = p.lines;
  return result;
}

/**
 * The claim settled, as parts (see `Parts`). Throws exactly what `settle`
 * throws: ClaimRejectedError, RuleGapError.
 */
export function settleParts(claim: Claim, rules: RuleSet, history: Claim["history"] = claim.history): Parts {
  const m = memoOf(rules);
  // Every field read once, here: claims come in several shapes (optional fields,
  // zod's output or the fast validator's), and reading them all over settle would
  // make every property access there polymorphic.
  const { date, insured: ci, treatment: ct, costs, items, id } = claim;
  const { scheme, retired } = ci;
  const { kind, disease } = ct;
  const w = windowOf(m, date);
  const { fundPaid, admissions, deductiblePaid } = history;
  const steps: StepSpec[] = [];

  // 1. The route side: the places, the route (and the rules step, which names the two
  //    places). Then the policy side, or (not found) the level it will be kept by.
  const rs = routeSide(m, rules, claim, w);
  const { insured, treated, pair, route } = rs;
  const pcode = policyCode(scheme, retired, kind, w);
  let ps = pcode >= 0 && typeof ci.region === "string" && typeof ct.level === "string" ? m.policySides.get(ci.region)?.get(ct.level)?.get(pcode) : undefined;
  const level = ps ? ps.level : levelOf(m, rules, ct.level);
  const pool = insured.pool!;
  steps.push(pair.rulesStep, route.routeStep);

  // 2. Chronic outpatient: the disease must be on a list the insured place offers.
  const chronic = kind === "chronic" ? chronicPiece(m, rules, date, disease, insured, treated, w, route.route) : undefined;
  if (chronic) steps.push(chronic.step);

  // 3. In policy (就医地目录): class A in full, class B less the treatment place's 乙类先行自付.
  const v: number[] = newSlots();
  let share: SharePiece | undefined; // when its figure was cited
  let lines: Line[] | undefined;
  let prepayStep: StepSpec | undefined;
  if (items) {
    lines = [];
    let [excluded, prepay, inA, inB, total] = [0, 0, 0, 0, 0];
    for (const it of items) {
      total += it.amount;
      if (it.class === "excluded") {
        excluded += it.amount;
        lines.push({ name: it.name, class: it.class, amount: it.amount, prepay: 0, inPolicy: 0 });
      } else if (it.class === "A") {
        inA += it.amount;
        lines.push({ name: it.name, class: it.class, amount: it.amount, prepay: 0, inPolicy: it.amount });
      } else {
        // Itemised lines round per line (README, rounding point R1).
        let pp = it.prepay;
        if (pp === undefined) {
          share ??= rs.share ?? sharePiece(m, rules, treated, date, w);
          pp = mulRound(it.amount, share.rate.num, share.rate.den);
        }
        prepay += pp;
        inB += it.amount - pp;
        lines.push({ name: it.name, class: it.class, amount: it.amount, prepay: pp, inPolicy: it.amount - pp });
      }
    }
    [v[V.total], v[V.excluded], v[V.prepay], v[V.inA], v[V.inB]] = [total, excluded, prepay, inA, inB];
    if (prepay || inB) prepayStep = share ? share.itemsStep : ITEMS_AS_BILLED;
  } else {
    const c = costs!;
    v[V.total] = c.classA + c.classB + c.excluded;
    v[V.excluded] = c.excluded;
    v[V.inA] = c.classA;
    if (c.classB !== 0) {
      share = rs.share ?? sharePiece(m, rules, treated, date, w);
      const prepay = mulRound(c.classB, share.rate.num, share.rate.den);
      v[V.classB] = c.classB;
      v[V.prepay] = prepay;
      v[V.inB] = c.classB - prepay;
      prepayStep = share.costsStep;
    }
  }
  if (share) rs.share = share;
  const inA = v[V.inA]!;
  const inB = v[V.inB]!;
  const inPol = inA + inB;
  v[V.inPolicy] = inPol;
  steps.push(TOTAL_STEP, EXCLUDED_STEP);
  if (prepayStep) steps.push(prepayStep);
  steps.push(IN_POLICY_STEP);

  // 4. Reduction of the route (rules data per insured province and route), then the
  //    insured place's figures for this scheme, kind and level (settleAs, deductible,
  //    ratio, cap: looked up in this order, as before).
  const red = rs.red ?? (rs.red = redPiece(m, rules, pool, route.route, date, w));
  if (!ps) {
    ps = { level, policy: policyPiece(m, rules, pool, scheme, kind, level, retired, date, w), insured: insuredOf(m, insured, scheme, retired), treatments: new Map() };
    if (pcode >= 0 && typeof ci.region === "string" && typeof ct.level === "string") {
      inner(inner(m.policySides, ci.region), ct.level).set(pcode, ps);
      made(m);
    }
  }
  const policy = ps.policy;
  if (policy.settleAsStep) steps.push(policy.settleAsStep);

  // 5. Route prepay (先行自付 mechanism), before the deductible.
  const routePrepay = red.mechanism === "prepay" ? mulRound(inPol, red.rate.num, red.rate.den) : 0;
  v[V.routePrepay] = routePrepay;
  if (red.routePrepayStep) steps.push(red.routePrepayStep);

  // 6. Deductible.
  const repeat = kind === "inpatient" && admissions >= 1 && policy.repeat !== undefined;
  let due = repeat ? policy.repeat!.due : policy.due;
  let ceilingApplies = false;
  if (policy.ceiling) {
    const left = Math.max(0, policy.ceiling.value - deductiblePaid);
    if (left < due) {
      ceilingApplies = true;
      v[V.left] = left;
      due = left;
    }
  }
  v[V.due] = due;
  v[V.deductiblePaid] = deductiblePaid;
  v[V.admission] = admissions + 1;
  steps.push(policy.deductibleStep(repeat, ceilingApplies));
  const afterPrepay = inPol - routePrepay;
  const deductible = Math.min(due, afterPrepay);
  v[V.deductible] = deductible;
  // Deductible and route prepay come off class A first, then class B (README).
  const take = routePrepay + deductible;
  const fromA = Math.min(inA, take);
  const baseA = inA - fromA;
  const baseB = Math.max(0, inB - (take - fromA));
  v[V.baseA] = baseA;
  v[V.baseB] = baseB;

  // 7. Ratio.
  steps.push(policy.ratioStep);
  const rr = policy.withReduction(red);
  if (rr.pointsStep) steps.push(rr.pointsStep);

  // 8. Fund = (in policy − deductible) × ratio, rounded once; then the annual cap.
  const fundBeforeCap = mulRoundSum2(baseA, rr.ratioA, baseB, rr.ratioB);
  v[V.fundBeforeCap] = fundBeforeCap;
  let fundUnreduced = fundBeforeCap;
  if (red.mechanism !== "none") {
    // The fund the same claim would get with no route reduction (for `reduction.amount`).
    const take0 = Math.min(due, inPol);
    const a0 = Math.min(inA, take0);
    fundUnreduced = mulRoundSum2(inA - a0, policy.ratioA, Math.max(0, inB - (take0 - a0)), policy.ratioB);
  }
  v[V.reductionAmount] = fundUnreduced - fundBeforeCap;
  steps.push(rr.fundStep[baseB ? 1 : 0]);
  const capLeft = Math.max(0, policy.cap - fundPaid);
  const fund = Math.min(fundBeforeCap, capLeft);
  const overCap = fundBeforeCap - fund;
  v[V.fundPaid] = fundPaid;
  v[V.capLeft] = capLeft;
  v[V.fund] = fund;
  v[V.overCap] = overCap;
  steps.push(policy.capStep[overCap ? 1 : 0]);

  const copay = afterPrepay - deductible - fundBeforeCap;
  const excluded = v[V.excluded]!;
  const prepay = v[V.prepay]!;
  const personal = excluded + prepay + routePrepay + deductible + copay + overCap;
  v[V.copay] = copay;
  v[V.personal] = personal;
  steps.push(PAYABLE_STEP);

  v[V.ledgerFundPaid] = fundPaid + fund;
  v[V.ledgerAdmissions] = admissions + (kind === "inpatient" ? 1 : 0);
  v[V.ledgerDeductiblePaid] = deductiblePaid + deductible;

  const figures = figureList(m, route, chronic, share, policy, red, repeat);
  let before = route.warnings;
  if (chronic?.warning) {
    let more = chronic.warnings.get(before);
    if (!more) chronic.warnings.set(before, (more = moreWarnings(m, before, chronic.warning)));
    before = more;
  }
  let warnings = figures.warnings.get(before);
  if (!warnings) figures.warnings.set(before, (warnings = figures.unverified ? moreWarnings(m, before, figures.unverified) : before));

  // All fields, always, in this order: one hidden class for every Parts.
  return {
    id,
    date,
    route: route.route,
    routeForced: !!claim.route,
    insured: ps.insured,
    treatment: disease === undefined ? (ps.treatments.get(treated) ?? keepTreatment(ps, treated, treatmentOf(m, treated, level, kind, disease))) : treatmentOf(m, treated, level, kind, disease),
    v,
    ratios: rr.ratios,
    lines,
    steps,
    warnings,
    figures,
  };
}

// ── Route side, policy side ──

/**
 * What a claim's two places (as written), kind, emergency flag, filing, forced
 * route and window decide: found by three lookups rather than one a piece (a
 * year of claims has a few thousand). The reduction of the route and the
 * treatment place's class B share are added when first needed: they are read
 * after the amounts, in the order of the settlement (so the first problem is
 * the one reported, as before).
 */
interface RouteSide {
  readonly insured: Region;
  readonly treated: Region;
  readonly pair: Pair;
  readonly route: RoutePiece;
  red: RedPiece | undefined;
  share: SharePiece | undefined;
}

/** The claim's enumerated route fields and window as a small integer (-1: not all known, then nothing is kept). */
function routeCode(kind: Kind, emergency: boolean, filing: Claim["filing"], forced: Claim["route"], w: number): number {
  const k = kindCode(kind);
  const f = filingCode(filing);
  const r = routeCodeOf(forced);
  if (k < 0 || f < 0 || r < 0 || typeof emergency !== "boolean") return -1;
  return k + 3 * ((emergency ? 1 : 0) + 2 * (f + 6 * (r + 9 * w)));
}

function routeSide(m: Memo, rules: RuleSet, claim: Claim, w: number): RouteSide {
  const { insured: ci, treatment: ct, filing, route: forced } = claim;
  const rc = routeCode(ct.kind, ct.emergency, filing, forced, w);
  const keep = rc >= 0 && typeof ci.region === "string" && typeof ct.region === "string";
  let rs = keep ? m.routeSides.get(ci.region)?.get(ct.region)?.get(rc) : undefined;
  if (rs) return rs;
  const insured = regionOf(m, rules, ci.region, "insured");
  const treated = regionOf(m, rules, ct.region, "treatment");
  const pair = pairOf(m, insured, treated);
  const route = routePiece(m, rules, claim, pair, insured, treated, ct.kind, filing, forced, ct.emergency, w);
  rs = { insured, treated, pair, route, red: undefined, share: undefined };
  if (keep) {
    inner(inner(m.routeSides, ci.region), ct.region).set(rc, rs);
    made(m);
  }
  return rs;
}

/** What the insured place (as written), level (as written), scheme, retiree status, kind and window decide. */
interface PolicySide {
  readonly level: string;
  readonly policy: PolicyPiece;
  readonly insured: Keyed<Settlement["insured"]>;
  /** The treatment (treatmentOf) of claims without a disease, by the treatment place: one lookup, not three. */
  readonly treatments: Map<Region, Keyed<Settlement["treatment"]>>;
}

function keepTreatment(ps: PolicySide, treated: Region, t: Keyed<Settlement["treatment"]>): Keyed<Settlement["treatment"]> {
  ps.treatments.set(treated, t);
  return t;
}

/** The claim's enumerated policy fields and window as a small integer (-1: not all known, then nothing is kept). */
function policyCode(scheme: Scheme, retired: boolean, kind: Kind, w: number): number {
  const sc = schemeCode(scheme);
  const k = kindCode(kind);
  if (sc < 0 || k < 0 || typeof retired !== "boolean") return -1;
  return sc + 2 * ((retired ? 1 : 0) + 2 * (k + 3 * w));
}

/** treatment.level as written → its id (src/core/levels.ts); an unknown level is thrown, not kept. */
function levelOf(m: Memo, rules: RuleSet, written: string): string {
  let level = m.levels.get(written);
  if (level === undefined) {
    m.levels.set(written, (level = findLevel(rules, written)));
    made(m);
  }
  return level;
}

// ── Steps that read no rule ──

const TOTAL_STEP = spec("total", t`Total cost ${Y(V.total)}`, t`医疗费用总额 ${Y(V.total)}`, [], V.total);
const EXCLUDED_STEP = spec("excluded", t`Excluded (丙类 / self-paid) ${Y(V.excluded)}: never paid by the fund`, t`自费（丙类）${Y(V.excluded)}，基金不予支付`, [], V.excluded);
const IN_POLICY_STEP = spec(
  "in-policy",
  t`In policy = ${Y(V.total)} − excluded ${Y(V.excluded)} − prepay ${Y(V.prepay)} = ${Y(V.inPolicy)} (class A ${Y(V.inA)}, class B ${Y(V.inB)})`,
  t`政策范围内费用 = ${Y(V.total)} − 自费 ${Y(V.excluded)} − 乙类先行自付 ${Y(V.prepay)} = ${Y(V.inPolicy)}`,
  [],
  V.inPolicy,
);
const ITEMS_AS_BILLED = spec("prepay", t`Class B prepay (乙类先行自付) per line as billed: ${Y(V.prepay)}`, t`乙类先行自付（逐项计算）${Y(V.prepay)}`, [], V.prepay);
const PAYABLE_STEP = spec(
  "payable",
  t`Fund pays ${Y(V.fund)}; the person pays ${Y(V.personal)} = excluded ${Y(V.excluded)} + class B prepay ${Y(V.prepay)} + route prepay ${Y(V.routePrepay)} + deductible ${Y(V.deductible)} + co-pay ${Y(V.copay)} + over cap ${Y(V.overCap)}`,
  t`统筹基金支付 ${Y(V.fund)}；个人负担 ${Y(V.personal)} = 自费 ${Y(V.excluded)} + 乙类先行自付 ${Y(V.prepay)} + 异地先行自付 ${Y(V.routePrepay)} + 起付线 ${Y(V.deductible)} + 共付 ${Y(V.copay)} + 超限额 ${Y(V.overCap)}`,
  [],
  V.fund,
);

// ── Pieces ──

function regionOf(m: Memo, rules: RuleSet, ref: string, which: "insured" | "treatment"): Region {
  const map = which === "insured" ? m.insuredRegions : m.treatedRegions;
  const r = map.get(ref);
  if (r) {
    if ("refused" in r) {
      const e = r.refused;
      throw new ClaimRejectedError(e.message, e.path, e.hint);
    }
    return r;
  }
  try {
    const found = findRegion(rules, ref, [which, "region"]);
    map.set(ref, found);
    made(m);
    return found;
  } catch (e) {
    // A refused reference is refused the same way every time (the message names no date): keep it too.
    if (e instanceof ClaimRejectedError && typeof ref === "string") {
      map.set(ref, { refused: e });
      made(m);
    }
    throw e;
  }
}

function insuredOf(m: Memo, r: Region, scheme: Scheme, retired: boolean): Keyed<Settlement["insured"]> {
  let byCode = m.insured.get(r);
  if (!byCode) m.insured.set(r, (byCode = []));
  const c = schemeCode(scheme) * 2 + (retired ? 1 : 0);
  let o = c >= 0 ? byCode[c] : undefined;
  if (!o) {
    o = { key: newKey(), value: { region: r.code, name: r.name, pool: r.pool!, scheme, retired } };
    if (c >= 0) byCode[c] = o;
  }
  return o;
}

function treatmentOf(m: Memo, r: Region, level: string, kind: Kind, disease: string | undefined): Keyed<Settlement["treatment"]> {
  const byKind = inner(inner(m.treatment, r), level);
  const key = disease === undefined ? kind : `${kind}\0${disease}`;
  let o = byKind.get(key);
  if (!o) {
    const x: { -readonly [K in keyof Settlement["treatment"]]: Settlement["treatment"][K] } = { region: r.code, name: r.name, pool: r.pool!, level, kind };
    if (disease !== undefined) x.disease = disease;
    byKind.set(key, (o = { key: newKey(), value: x }));
    made(m);
  }
  return o;
}

/** An insured place and a treatment place: the rules step, and the routes between them by claim fields. */
interface Pair {
  readonly rulesStep: StepSpec;
  readonly routes: Map<number, RoutePiece>;
}

/** The route a claim takes, its step and warnings: one object per content (few, however many pairs). */
interface RoutePiece {
  readonly id: number;
  readonly route: Route;
  readonly routeStep: StepSpec;
  readonly warnings: Warnings;
  readonly refs: readonly RefInfo[];
}

function pairOf(m: Memo, insured: Region, treated: Region): Pair {
  const byTreated = inner(m.pairs, insured);
  let p = byTreated.get(treated);
  if (!p) {
    p = {
      rulesStep: specIn(
        m,
        "rules",
        t`Rules in force on ${D}: policy of the insured place ${insured.name} (${insured.code}), catalogue of the treatment place ${treated.name} (${treated.code})`,
        t`${D} 有效规则：参保地 ${insured.name} 政策，就医地 ${treated.name} 目录`,
      ),
      routes: new Map(),
    };
    byTreated.set(treated, p);
    made(m);
  }
  return p;
}

function routePiece(m: Memo, rules: RuleSet, claim: Claim, pair: Pair, insured: Region, treated: Region, kind: Kind, filing: Claim["filing"], forced: Claim["route"], emergency: boolean, w: number): RoutePiece {
  const k = kindCode(kind);
  const f = filingCode(filing);
  const r = routeCodeOf(forced);
  const key = k < 0 || f < 0 || r < 0 || typeof emergency !== "boolean" ? -1 : k + 3 * (f + 6 * (r + 9 * ((emergency ? 1 : 0) + 2 * w)));
  let p = pair.routes.get(key);
  if (p) return p;
  const derived = decideRoute(rules, claim, insured, treated);
  const decision: RouteDecision = claim.route
    ? { route: claim.route, en: `route set by the claim (what-if); derived route would be ${derived.route}`, zh: `按指定路径计算（假设情形）；实际路径为 ${derived.route}` }
    : derived;
  const warnings: Warning[] = [];
  if (claim.route && claim.route !== derived.route)
    warnings.push({ code: "route-forced", en: `settled as ${claim.route}, not the derived route ${derived.route}`, zh: `按 ${claim.route} 计算，而非实际路径 ${derived.route}` });
  if (!claim.filing && !claim.route && ["unfiled", "emergency"].includes(derived.route) && !claim.treatment.emergency)
    warnings.push({ code: "filing-missing", en: "no filing given: settled as unfiled", zh: "未填写备案类型：按未备案计算" });
  if (decision.route === "in-province")
    warnings.push({
      code: "in-province",
      en: "in-province settlement is modelled as local (no reduction); this tool targets cross-province claims",
      zh: "省内异地按本地政策计算（不降比），本工具面向跨省结算",
    });
  const refs = decision.zone
    ? [refOf(m, { figure: decision.zone.zone.figure, version: decision.zone.version as never, layer: { region: "zones", file: decision.zone.version.at.file, figures: {} }, fellThrough: [] })]
    : [];
  const ws = warningsOf(
    m,
    warnings.map((x) => warningIn(m, x)),
  );
  const content = `${decision.route}\0${decision.en}\0${decision.zh}\0${refs.map((x) => x.id).join(",")}\0${ws.key}`;
  p = m.routes.get(content);
  if (!p) {
    p = {
      id: m.nextId++,
      route: decision.route,
      routeStep: specIn(m, "route", t`Route: ${decision.route} — ${decision.en}`, t`结算路径：${ROUTE_NAMES[decision.route].zh} — ${decision.zh}`, refs.map((x) => x.ref)),
      warnings: ws,
      refs,
    };
    m.routes.set(content, p);
  }
  if (key >= 0) pair.routes.set(key, p);
  made(m);
  return p;
}

/** Pieces have every field, always (undefined when absent): one hidden class each, so settleParts reads them fast. */
interface ChronicPiece {
  readonly id: number;
  readonly step: StepSpec;
  readonly refs: readonly RefInfo[];
  /** Off the lists' routes: that the insured place's own list decides. */
  readonly warning: Warning | undefined;
  /** The route's warnings and this one, by the route's. */
  readonly warnings: Map<Warnings, Warnings>;
}

function chronicPiece(m: Memo, rules: RuleSet, date: string, disease: string | undefined, insured: Region, treated: Region, w: number, route: Route): ChronicPiece {
  const lists = CHRONIC_LIST_ROUTES.has(route);
  // By the window on the lists' routes, else by the route (a number, a string: never the same key); then the disease.
  const byKey = inner(inner(inner(m.chronic, insured), treated.province), lists ? w : route); // reads the treatment place's province only
  const key = disease ?? NONE;
  let p = byKey.get(key);
  if (p) return p;
  const id = findDisease(rules, disease!);
  if (!lists) {
    const n = chronicOwnList(rules.diseases[id]!, insured.name, route);
    p = { id: m.nextId++, step: specIn(m, "chronic", t`${n.step.en}`, t`${n.step.zh}`), refs: [], warning: warningIn(m, n.warning), warnings: new Map() };
    byKey.set(key, p);
    made(m);
    return p;
  }
  const offered = require_<readonly string[]>(rules, insured.pool!, "chronicLists", date, "cross-province chronic lists");
  const seen: string[] = [];
  for (const listId of offered.version.value) {
    const list = own(rules.chronicLists, listId);
    if (!list) continue;
    if (list.scope && !(list.scope.includes(insured.province) && list.scope.includes(treated.province))) continue;
    const v = versionAt(list.figure, date);
    if (!v || v.value === null) continue;
    seen.push(`${list.id} (${v.value.length}${v.unknown ? ` named, ${v.unknown} not yet known` : ""})`);
    if (v.value.includes(id)) {
      const d = rules.diseases[id]!;
      const refs = [refOf(m, { figure: list.figure, version: v as never, layer: { region: "national", file: v.at.file, figures: {} }, fellThrough: [] }), refOf(m, offered)];
      p = {
        id: m.nextId++,
        step: specIn(m, 
          "chronic",
          t`Chronic outpatient disease ${d.en} (${d.zh}) is on ${list.name.en}, offered by ${insured.name}`,
          t`门诊慢特病 ${d.zh} 属于 ${list.name.zh}，参保地已开通`,
          refs.map((r) => r.ref),
        ),
        refs,
        warning: undefined,
        warnings: new Map(),
      };
      byKey.set(key, p);
      made(m);
      return p;
    }
  }
  const d = rules.diseases[id]!;
  throw new ClaimRejectedError(
    `${d.en} (${d.zh}) cannot be settled directly: it is not on the cross-province chronic lists ${insured.name} offers on ${date}: ${seen.join("; ") || "none"}`,
    ["treatment", "disease"],
    "settle it by manual reimbursement at the insured place, or check rules/national.yaml chronicLists",
  );
}

/** The texts of a chronic claim on a route the cross-province lists do not govern (CHRONIC_LIST_ROUTES). */
export function chronicOwnList(d: { readonly en: string; readonly zh: string }, place: string, route: Route): { step: { en: string; zh: string }; warning: Warning } {
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

interface SharePiece {
  readonly id: number;
  readonly rate: Rate;
  readonly ref: RefInfo;
  /** The prepay step of a claim with costs. */
  readonly costsStep: StepSpec;
  /** The prepay step of an itemised claim that used the share. */
  readonly itemsStep: StepSpec;
}

/** The treatment place's 乙类先行自付 share (class B prepay). */
function sharePiece(m: Memo, rules: RuleSet, treated: Region, date: string, w: number): SharePiece {
  const byWindow = inner(m.shares, treated);
  let p = byWindow.get(w);
  if (p) return p;
  const r = require_<Rate>(rules, treated.code, "catalogue.classBPrepay", date, "乙类先行自付 share (class B prepay) of the treatment place");
  const rate = r.version.value;
  const ref = refOf(m, r);
  p = {
    id: m.nextId++,
    rate,
    ref,
    costsStep: specIn(m, 
      "prepay",
      t`Class B prepay (乙类先行自付) ${pct(rate)} × ${Y(V.classB)} = ${Y(V.prepay)} (treatment place's catalogue)`,
      t`乙类先行自付 ${pct(rate)} × ${Y(V.classB)} = ${Y(V.prepay)}（就医地目录）`,
      [ref.ref],
      V.prepay,
    ),
    itemsStep: specIn(m, "prepay", t`Class B prepay (乙类先行自付) per line at ${pct(rate)} of the treatment place: ${Y(V.prepay)}`, t`乙类先行自付（逐项计算）${Y(V.prepay)}`, [ref.ref], V.prepay),
  };
  byWindow.set(w, p);
  made(m);
  return p;
}

interface RedPiece {
  readonly id: number;
  readonly mechanism: Reduction["mechanism"];
  readonly rate: Rate;
  readonly refs: readonly RefInfo[];
  readonly routePrepayStep: StepSpec | undefined;
}

function redPiece(m: Memo, rules: RuleSet, pool: string, route: Route, date: string, w: number): RedPiece {
  const rc = routeCodeOf(route); // a route is one of ROUTES (decideRoute, or checked by the claim schema)
  const key = rc + 9 * w;
  const byKey = inner(m.reductions, pool);
  let p = rc > 0 ? byKey.get(key) : undefined;
  if (p) return p;
  const r = resolve<Adjustment>(rules, pool, `reductions.${route}`, date);
  let mechanism: Reduction["mechanism"];
  let rate: Rate;
  let refs: RefInfo[] = [];
  if (!r) {
    // No figure and a route that by definition carries none: local, in-province, zone, long-term.
    if (!["local", "in-province", "zone", "long-term"].includes(route)) require_(rules, pool, `reductions.${route}`, date, `reduction for the ${route} route`);
    [mechanism, rate] = ["none", ZERO];
  } else {
    const adj = r.version.value;
    refs = [refOf(m, r)];
    if ("points" in adj) [mechanism, rate] = ["points", adj.points];
    else if ("prepay" in adj) [mechanism, rate] = ["prepay", adj.prepay];
    else throw new RuleGapError(`reduction for ${route} must be points or prepay`, `fix \`${r.figure.name}\` at ${r.version.at.file}:${r.version.at.line}`);
  }
  const x: { -readonly [K in keyof RedPiece]: RedPiece[K] } = { id: m.nextId++, mechanism, rate, refs, routePrepayStep: undefined };
  if (mechanism === "prepay")
    x.routePrepayStep = specIn(m, 
      "route-prepay",
      t`Route prepay ${pct(rate)} of ${Y(V.inPolicy)} = ${Y(V.routePrepay)} (paid by the person before the deductible)`,
      t`异地先行自付 ${pct(rate)} × ${Y(V.inPolicy)} = ${Y(V.routePrepay)}`,
      refs.map((f) => f.ref),
      V.routePrepay,
    );
  p = x;
  if (rc > 0) byKey.set(key, p);
  made(m);
  return p;
}

/** The ratios once the route's reduction applies, and the steps that show them. */
interface WithReduction {
  readonly ratioA: Rate;
  readonly ratioB: Rate;
  readonly ratios: Ratios;
  readonly pointsStep: StepSpec | undefined;
  /** The fund step without and with a class B part. */
  readonly fundStep: readonly [StepSpec, StepSpec];
}

/** The insured place's figures for a scheme, kind, level and retiree status. */
interface PolicyPiece {
  readonly id: number;
  readonly settleAsStep: StepSpec | undefined;
  readonly settleAsRefs: readonly RefInfo[];
  /** The deductible at the level, and after a repeat admission, and the annual ceiling. */
  readonly due: Fen;
  readonly dedRef: RefInfo;
  readonly repeat: { readonly rate: Rate; readonly due: Fen; readonly ref: RefInfo } | undefined;
  readonly ceiling: { readonly value: Fen; readonly ref: RefInfo } | undefined;
  deductibleStep(repeat: boolean, ceiling: boolean): StepSpec;
  /** The ratios after the retiree adjustment, before the route's reduction. */
  readonly ratioA: Rate;
  readonly ratioB: Rate;
  readonly ratioStep: StepSpec;
  readonly ratioRefs: readonly RefInfo[];
  withReduction(red: RedPiece): WithReduction;
  readonly cap: Fen;
  readonly capRef: RefInfo;
  /** The cap step without and with an amount over the cap. */
  readonly capStep: readonly [StepSpec, StepSpec];
}

interface KindFigures {
  readonly rules: RuleSet;
  need<V>(name: string, what: string): Resolved<V>;
  may<V>(name: string): Resolved<V> | undefined;
  /** A figure of the whole scheme, not of one kind (e.g. employee.retiree). */
  ofScheme<V>(name: string): Resolved<V> | undefined;
}

/**
 * Figures of the insured place for a scheme and kind. A kind without a figure
 * of its own follows its `settleAs` figure (门诊慢特病 参照住院管理).
 */
function kindFigures(rules: RuleSet, pool: string, scheme: Scheme, kind: Kind, date: string, as: Resolved<string> | undefined): KindFigures {
  const may = <V>(name: string): Resolved<V> | undefined =>
    resolve<V>(rules, pool, `${scheme}.${kind}.${name}`, date) ?? (as ? resolve<V>(rules, pool, `${scheme}.${as.version.value}.${name}`, date) : undefined);
  return {
    rules,
    may,
    ofScheme: <V>(name: string) => resolve<V>(rules, pool, `${scheme}.${name}`, date),
    need<V>(name: string, what: string): Resolved<V> {
      return may<V>(name) ?? require_<V>(rules, pool, `${scheme}.${kind}.${name}`, date, `${scheme} ${kind} ${what}`);
    },
  };
}

function policyPiece(m: Memo, rules: RuleSet, pool: string, scheme: Scheme, kind: Kind, level: string, retired: boolean, date: string, w: number): PolicyPiece {
  const [sc, k] = [schemeCode(scheme), kindCode(kind)];
  const key = sc < 0 || k < 0 || typeof retired !== "boolean" ? -1 : sc + 2 * (k + 3 * ((retired ? 1 : 0) + 2 * w));
  const byKey = inner(inner(m.policies, pool), level);
  const found = byKey.get(key);
  if (found) return found;

  // settleAs (chronic and outpatient care may settle with the inpatient figures).
  const as = kind === "inpatient" ? undefined : resolve<string>(rules, pool, `${scheme}.${kind}.settleAs`, date);
  const settleAsRefs = as ? [refOf(m, as)] : [];
  const settleAsStep = as
    ? specIn(m, 
        "chronic",
        t`${kind} care of ${scheme}s settles with the ${as.version.value} figures of the insured place (参照住院管理)`,
        t`${kind === "chronic" ? "门诊慢特病" : "门诊"}参照${as.version.value === "inpatient" ? "住院" : as.version.value}政策结算`,
        settleAsRefs.map((r) => r.ref),
      )
    : undefined;
  const figs = kindFigures(rules, pool, scheme, kind, date, as);

  // Deductible.
  const ded = figs.need<ByLevel<Fen>>("deductible", "deductible (起付线)");
  const cell = atLevel(ded, level, isFen);
  if (!cell) throw levelGap(rules, ded, level, "deductible");
  const dedRef = refOf(m, ded, cell.at);
  const due = cell.value;
  let repeat: PolicyPiece["repeat"];
  const rep = kind === "inpatient" ? figs.may<ByLevel<Rate>>("repeatAdmission") : undefined;
  const f = rep && atLevel(rep, level, isRate);
  if (rep && f) repeat = { rate: f.value, due: mulRound(due, f.value.num, f.value.den), ref: refOf(m, rep, f.at) };
  let ceiling: PolicyPiece["ceiling"];
  const ceil = figs.may<ByLevel<Fen>>("deductibleCeiling");
  const c = ceil && atLevel(ceil, level, isFen);
  if (ceil && c) ceiling = { value: c.value, ref: refOf(m, ceil, c.at) };
  const dedSteps: (StepSpec | undefined)[] = [];
  const deductibleStep = (withRepeat: boolean, withCeiling: boolean): StepSpec => {
    const i = (withRepeat ? 2 : 0) + (withCeiling ? 1 : 0);
    let s = dedSteps[i];
    if (s) return s;
    let en = t`deductible at level ${level}: ${y(due)}`;
    let zh = t`起付线 ${y(due)}`;
    const refs = [dedRef.ref];
    if (withRepeat && repeat) {
      refs.push(repeat.ref.ref);
      en = t`${en}; admission ${N(V.admission)} of the year: × ${pct(repeat.rate)} = ${y(repeat.due)}`;
      zh = t`${zh}；本年第 ${N(V.admission)} 次住院 × ${pct(repeat.rate)} = ${y(repeat.due)}`;
    }
    if (ceiling) {
      refs.push(ceiling.ref.ref);
      if (withCeiling) {
        en = t`${en}; annual deductible ceiling ${y(ceiling.value)} − paid ${Y(V.deductiblePaid)} leaves ${Y(V.left)}`;
        zh = t`${zh}；年度起付线累计上限 ${y(ceiling.value)} − 已付 ${Y(V.deductiblePaid)} = ${Y(V.left)}`;
      }
    }
    s = specIn(m, "deductible", t`Deductible (起付线): ${en}`, zh, refs, V.due);
    dedSteps[i] = s;
    return s;
  };

  // Ratio.
  const ratio = figs.need<ByLevel<Rate>>("ratio", "ratio (支付比例)");
  const a = atLevel(ratio, level, isRate);
  if (!a) throw levelGap(rules, ratio, level, "ratio");
  const ratioRefs = [refOf(m, ratio, a.at)];
  let ratioA = a.value;
  let ratioB = a.value;
  const rb = figs.may<ByLevel<Rate>>("ratioClassB");
  const b = rb && atLevel(rb, level, isRate);
  if (rb && b) {
    ratioB = b.value;
    ratioRefs.push(refOf(m, rb, b.at));
  }
  let en = `Ratio (支付比例) of the insured place at level ${level}: ${pct(ratioA)}${rb && b ? `, class B ${pct(ratioB)}` : ""}`;
  let zh = `参保地同级支付比例 ${pct(ratioA)}`;
  if (retired) {
    const r = figs.ofScheme<Adjustment>("retiree");
    if (r) {
      ratioRefs.push(refOf(m, r));
      const adj = r.version.value as Adjustment;
      const apply = (x: Rate): Rate => {
        if ("points" in adj) return clamp01(add(x, adj.points));
        if ("copayFactor" in adj) return clamp01(sub(ONE, mul(adj.copayFactor, sub(ONE, x))));
        throw new RuleGapError(`retiree adjustment must be points or copayFactor, got prepay`, `fix \`${r.figure.name}\` at ${r.version.at.file}:${r.version.at.line}`);
      };
      ratioA = apply(ratioA);
      ratioB = apply(ratioB);
      const how = "points" in adj ? `+${formatPoints(adj.points)} points` : "copayFactor" in adj ? `co-pay × ${pct(adj.copayFactor)}` : "";
      en += `; retiree ${how} → ${pct(ratioA)}${rb && b ? `, class B ${pct(ratioB)}` : ""}`;
      zh += `；退休人员调整 → ${pct(ratioA)}`;
    } else {
      en += "; the rules have no retiree adjustment for this scheme";
      zh += "；规则未规定退休人员调整";
    }
  }
  const ratioStep = specIn(m, "ratio", t`${en}`, t`${zh}`, ratioRefs.map((r) => r.ref), undefined, ratioA);
  const [baseRatioA, baseRatioB] = [ratioA, ratioB];
  const reduced = new Map<RedPiece, WithReduction>();
  const withReduction = (red: RedPiece): WithReduction => {
    let x = reduced.get(red);
    if (x) return x;
    const content = `${baseRatioA.num}/${baseRatioA.den},${baseRatioB.num}/${baseRatioB.den},${red.mechanism},${red.rate.num}/${red.rate.den},${red.refs.map((r) => r.id).join(",")}`;
    x = m.reduced.get(content);
    if (x) {
      reduced.set(red, x);
      return x;
    }
    const reduce = (r: Rate): Rate => (red.mechanism === "points" ? clamp01(sub(r, red.rate)) : r);
    const [rA, rB] = [reduce(baseRatioA), reduce(baseRatioB)];
    const fund = (withB: boolean): StepSpec =>
      specIn(m, 
        "fund",
        t`Fund before cap = ${Y(V.baseA)} × ${pct(rA)}${withB ? t` + ${Y(V.baseB)} × ${pct(rB)}` : ""} = ${Y(V.fundBeforeCap)} (rounded to the fen, half up)`,
        t`统筹基金（封顶前）= ${Y(V.baseA)} × ${pct(rA)}${withB ? t` + ${Y(V.baseB)} × ${pct(rB)}` : ""} = ${Y(V.fundBeforeCap)}（四舍五入到分）`,
        [],
        V.fundBeforeCap,
      );
    const w: { -readonly [K in keyof WithReduction]: WithReduction[K] } = {
      ratioA: rA,
      ratioB: rB,
      ratios: ratiosOf(m, rA, rB, red.mechanism, red.rate),
      pointsStep: undefined,
      fundStep: [fund(false), fund(true)],
    };
    if (red.mechanism === "points")
      w.pointsStep = specIn(m, 
        "reduction",
        t`Route reduction −${formatPoints(red.rate)} points: ratio ${pct(baseRatioA)} → ${pct(rA)}${cmp(baseRatioA, baseRatioB) ? `, class B ${pct(baseRatioB)} → ${pct(rB)}` : ""}`,
        t`异地降低 ${formatPoints(red.rate)} 个百分点：支付比例 ${pct(baseRatioA)} → ${pct(rA)}`,
        red.refs.map((r) => r.ref),
        undefined,
        rA,
      );
    reduced.set(red, (x = w));
    m.reduced.set(content, w);
    made(m);
    return x;
  };

  // Annual cap.
  const cap = figs.need<ByLevel<Fen>>("annualCap", "annual cap (最高支付限额)");
  const capCell = atLevel(cap, level, isFen);
  if (!capCell) throw levelGap(rules, cap, level, "annual cap");
  const capRef = refOf(m, cap, capCell.at);
  const capStep = (over: boolean): StepSpec =>
    specIn(m, 
      "cap",
      t`Annual cap ${y(capCell.value)} − paid this year ${Y(V.fundPaid)} = ${Y(V.capLeft)} left${over ? t`: ${Y(V.overCap)} over the cap is borne by the person` : ""}`,
      t`年度最高支付限额 ${y(capCell.value)} − 本年已付 ${Y(V.fundPaid)} = 剩余 ${Y(V.capLeft)}${over ? t`，超限额 ${Y(V.overCap)} 由个人负担` : ""}`,
      [capRef.ref],
      V.capLeft,
    );

  const p: PolicyPiece = {
    id: m.nextId++,
    settleAsStep,
    settleAsRefs,
    due,
    dedRef,
    repeat,
    ceiling,
    deductibleStep,
    ratioA: baseRatioA,
    ratioB: baseRatioB,
    ratioStep,
    ratioRefs,
    withReduction,
    cap: capCell.value,
    capRef,
    capStep: [capStep(false), capStep(true)],
  };
  if (key >= 0) byKey.set(key, p);
  made(m);
  return p;
}

/**
 * The figures cited, in the order they were cited (a later citation of the
 * same place replaces the earlier one where it stands), and the warning about
 * unverified ones: one object per list, kept by the memo (a claim finds it by
 * a hash of the references' ids, then compares them).
 */
function figureList(m: Memo, route: RoutePiece, chronic: ChronicPiece | undefined, share: SharePiece | undefined, policy: PolicyPiece, red: RedPiece, repeat: boolean): KeptFigures {
  const c = CITED;
  c.n = 0;
  c.all(route.refs);
  if (chronic) c.all(chronic.refs);
  if (share) c.one(share.ref);
  c.all(policy.settleAsRefs);
  c.all(red.refs);
  c.one(policy.dedRef);
  if (repeat && policy.repeat) c.one(policy.repeat.ref);
  if (policy.ceiling) c.one(policy.ceiling.ref);
  c.all(policy.ratioRefs);
  c.one(policy.capRef);
  const { refs: cited, n } = c;
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ cited[i]!.id, 0x01000193);
  const kept = m.figureLists.get(h);
  if (kept && c.same(kept.keys)) return kept;

  const refs: FigureRef[] = new Array<FigureRef>(n);
  const keys: number[] = new Array<number>(n);
  let key = "";
  for (let i = 0; i < n; i++) {
    const r = cited[i]!;
    refs[i] = r.ref;
    keys[i] = r.id;
    if (r.ref.confidence === "unverified") key += `${r.id},`;
  }
  let unverified: Warning | undefined;
  if (key) {
    unverified = m.unverified.get(key);
    if (!unverified) {
      const u = refs.filter((f) => f.confidence === "unverified");
      unverified = warningIn(m, {
        code: "unverified-figure",
        en: `depends on ${u.length} unverified figure(s): ${u.map((f) => `${f.name} (${f.source})`).join(", ")}`,
        zh: `结果依赖 ${u.length} 项未经核实的数据：${u.map((f) => `${f.name}（${f.source}）`).join("、")}`,
      });
      m.unverified.set(key, unverified);
      made(m);
    }
  }
  const list: KeptFigures = { key: newKey(), refs, keys, unverified, warnings: new Map() };
  m.figureLists.set(h, list);
  made(m);
  return list;
}

/** The references a claim cites, while figureList gathers them: the first `n` of `refs` (one array, reused). */
class Citations {
  readonly refs: RefInfo[] = [];
  n = 0;

  /** Cites a figure: a place cited before keeps its position and takes the new reference. */
  one(r: RefInfo): void {
    const refs = this.refs;
    for (let i = 0; i < this.n; i++)
      if (refs[i]!.loc === r.loc) {
        refs[i] = r;
        return;
      }
    refs[this.n++] = r;
  }

  all(rs: readonly RefInfo[]): void {
    for (let i = 0; i < rs.length; i++) this.one(rs[i]!);
  }

  /** Whether the references are those of `keys` (their ids). */
  same(keys: readonly number[]): boolean {
    if (keys.length !== this.n) return false;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== this.refs[i]!.id) return false;
    return true;
  }
}
const CITED = new Citations();

function levelGap(rules: RuleSet, r: Resolved<unknown>, level: string, what: string): RuleGapError {
  const region = own(rules.regions, r.layer.region);
  return new RuleGapError(
    `no ${what} for hospital level ${level} in ${region?.name ?? r.layer.region}'s table (${r.layer.file}, version of ${r.version.from})`,
    `add level ${JSON.stringify(level)} to \`${r.figure.name}\` at ${r.version.at.file}:${r.version.at.line}`,
  );
}
