/**
 * THE REFERENCE: `settle` as it was written before it was made fast for batch
 * (memoised rule lookups, text templates), kept verbatim as an oracle.
 * test/core/settle-fast.test.ts checks that src/core/settle.ts gives exactly
 * the same Settlement (or the same error) on generated claims. A change to what
 * settlement computes or says is made in both.
 */
import { own } from "../../src/core/own.js";
import type { Claim } from "../../src/claims/schema.js";
import { ClaimRejectedError, RuleGapError } from "../../src/core/errors.js";
import { atLevel, require_, resolve, versionAt, type Resolved } from "../../src/core/lookup.js";
import { formatYuan, mulRound, mulRoundSum, type Fen } from "../../src/core/money.js";
import { CHRONIC_LIST_ROUTES, ROUTE_NAMES, type Adjustment, type ByLevel, type Confidence, type Kind, type Loc, type Region, type Route, type RuleSet, type Scheme } from "../../src/core/model.js";
import { chronicOwnList } from "../../src/core/settle.js";
import { ONE, ZERO, add, clamp01, cmp, formatPercent, formatPoints, mul, sub, type Rate } from "../../src/core/rate.js";
import { findDisease, findLevel } from "../../src/core/vocabulary.js";
import { findRegion } from "../../src/core/regions.js";
import { decideRoute, type RouteDecision } from "../../src/core/route.js";
import { closest } from "../../src/core/suggest.js";

/** A figure the result depends on, with where it is written and its source. */
interface FigureRef {
  readonly name: string;
  readonly region: string; // the layer's region code
  readonly from: string;
  readonly at: Loc;
  readonly source: string;
  readonly confidence: Confidence;
}

type StepId =
  | "rules" | "route" | "total" | "excluded" | "prepay" | "in-policy" | "route-prepay"
  | "deductible" | "ratio" | "reduction" | "fund" | "cap" | "payable" | "chronic";

interface Step {
  readonly id: StepId;
  readonly en: string;
  readonly zh: string;
  readonly amount?: Fen;
  readonly rate?: Rate;
  readonly figures: readonly FigureRef[];
}

interface Warning {
  readonly code: "unverified-figure" | "route-forced" | "filing-missing" | "in-province" | "secondary-only" | "chronic-own-list";
  readonly en: string;
  readonly zh: string;
}

interface Line {
  readonly name: string;
  readonly class: "A" | "B" | "excluded";
  readonly amount: Fen;
  readonly prepay: Fen;
  readonly inPolicy: Fen;
}

interface Reduction {
  readonly mechanism: "none" | "points" | "prepay";
  readonly rate: Rate;
  /** What the reduction costs the person: fund without it minus fund with it, before the cap. */
  readonly amount: Fen;
}

interface Settlement {
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

const isFen = (v: unknown): v is Fen => typeof v === "number";
const isRate = (v: unknown): v is Rate => typeof v === "object" && v !== null && "num" in v && "den" in v;
const y = formatYuan;
const pct = formatPercent;

class Trace {
  readonly steps: Step[] = [];
  readonly figures = new Map<string, FigureRef>();
  readonly warnings: Warning[] = [];

  ref(r: Resolved<unknown>, at?: Loc): FigureRef {
    const v = r.version;
    const ref: FigureRef = { name: r.figure.name, region: r.layer.region, from: v.from, at: at ?? v.at, source: v.source, confidence: v.confidence };
    this.figures.set(`${ref.at.file}:${ref.at.line}:${ref.at.col}`, ref);
    return ref;
  }
  step(s: Omit<Step, "figures"> & { figures?: readonly FigureRef[] }): void {
    // Built field by field, not by spreading `s`: a spread of differently shaped
    // literals is slow in V8, and a batch settles a million claims (batch hot path).
    const step: { -readonly [K in keyof Step]: Step[K] } = { id: s.id, en: s.en, zh: s.zh, figures: s.figures ?? [] };
    if (s.amount !== undefined) step.amount = s.amount;
    if (s.rate !== undefined) step.rate = s.rate;
    this.steps.push(step);
  }
}

export function settleReference(claim: Claim, rules: RuleSet): Settlement {
  const t = new Trace();
  const date = claim.date;
  const insured = findRegion(rules, claim.insured.region, ["insured", "region"]);
  const treated = findRegion(rules, claim.treatment.region, ["treatment", "region"]);
  const level = findLevel(rules, claim.treatment.level);
  const { scheme, retired } = claim.insured;
  const kind = claim.treatment.kind;
  const pool = insured.pool!;

  t.step({
    id: "rules",
    en: `Rules in force on ${date}: policy of the insured place ${insured.name} (${insured.code}), catalogue of the treatment place ${treated.name} (${treated.code})`,
    zh: `${date} 有效规则：参保地 ${insured.name} 政策，就医地 ${treated.name} 目录`,
  });

  // 1. Route.
  const derived = decideRoute(rules, claim, insured, treated);
  const decision: RouteDecision = claim.route
    ? { route: claim.route, en: `route set by the claim (what-if); derived route would be ${derived.route}`, zh: `按指定路径计算（假设情形）；实际路径为 ${derived.route}` }
    : derived;
  if (claim.route && claim.route !== derived.route)
    t.warnings.push({ code: "route-forced", en: `settled as ${claim.route}, not the derived route ${derived.route}`, zh: `按 ${claim.route} 计算，而非实际路径 ${derived.route}` });
  if (!claim.filing && !claim.route && ["unfiled", "emergency"].includes(derived.route) && !claim.treatment.emergency)
    t.warnings.push({ code: "filing-missing", en: "no filing given: settled as unfiled", zh: "未填写备案类型：按未备案计算" });
  if (decision.route === "in-province")
    t.warnings.push({
      code: "in-province",
      en: "in-province settlement is modelled as local (no reduction); this tool targets cross-province claims",
      zh: "省内异地按本地政策计算（不降比），本工具面向跨省结算",
    });
  const zoneRefs = decision.zone ? [t.ref({ figure: decision.zone.zone.figure, version: decision.zone.version as never, layer: { region: "zones", file: decision.zone.version.at.file, figures: {} }, fellThrough: [] })] : [];
  t.step({ id: "route", en: `Route: ${decision.route} — ${decision.en}`, zh: `结算路径：${ROUTE_NAMES[decision.route].zh} — ${decision.zh}`, figures: zoneRefs });

  // 2. Chronic outpatient: the disease must be on a list the insured place offers.
  if (kind === "chronic") checkChronic(t, rules, claim, insured, treated, decision.route);

  // 3. In policy (就医地目录): class A in full, class B less the treatment place's 乙类先行自付.
  const costs = inPolicy(t, rules, claim, treated);
  const total = costs.total;
  t.step({ id: "total", en: `Total cost ${y(total)}`, zh: `医疗费用总额 ${y(total)}`, amount: total });
  t.step({ id: "excluded", en: `Excluded (丙类 / self-paid) ${y(costs.excluded)}: never paid by the fund`, zh: `自费（丙类）${y(costs.excluded)}，基金不予支付`, amount: costs.excluded });
  if (costs.prepayStep) t.step(costs.prepayStep);
  const inPol = costs.inA + costs.inB;
  t.step({
    id: "in-policy",
    en: `In policy = ${y(total)} − excluded ${y(costs.excluded)} − prepay ${y(costs.prepay)} = ${y(inPol)} (class A ${y(costs.inA)}, class B ${y(costs.inB)})`,
    zh: `政策范围内费用 = ${y(total)} − 自费 ${y(costs.excluded)} − 乙类先行自付 ${y(costs.prepay)} = ${y(inPol)}`,
    amount: inPol,
  });

  // Figures of the insured place for this scheme and kind (chronic may settle as inpatient).
  const figs = kindFigures(t, rules, pool, scheme, kind, date);

  // 4. Reduction of the route (rules data per insured province and route).
  const red = reductionOf(t, rules, pool, decision.route, date);

  // 5. Route prepay (先行自付 mechanism), before the deductible.
  const routePrepay = red.mechanism === "prepay" ? mulRound(inPol, red.rate.num, red.rate.den) : 0;
  if (red.mechanism === "prepay")
    t.step({
      id: "route-prepay",
      en: `Route prepay ${pct(red.rate)} of ${y(inPol)} = ${y(routePrepay)} (paid by the person before the deductible)`,
      zh: `异地先行自付 ${pct(red.rate)} × ${y(inPol)} = ${y(routePrepay)}`,
      amount: routePrepay,
      figures: red.refs,
    });

  // 6. Deductible.
  const deductibleDue = deductibleOf(t, figs, claim, level);
  const afterPrepay = inPol - routePrepay;
  const deductible = Math.min(deductibleDue, afterPrepay);
  // Deductible and route prepay come off class A first, then class B (README).
  const [baseA, baseB] = takeInOrder([costs.inA, costs.inB], routePrepay + deductible);

  // 7. Ratio.
  const { ratioA: baseRatioA, ratioB: baseRatioB } = ratiosOf(t, figs, claim, level);
  const reduce = (r: Rate): Rate => (red.mechanism === "points" ? clamp01(sub(r, red.rate)) : r);
  const ratioA = reduce(baseRatioA);
  const ratioB = reduce(baseRatioB);
  if (red.mechanism === "points")
    t.step({
      id: "reduction",
      en: `Route reduction −${formatPoints(red.rate)} points: ratio ${pct(baseRatioA)} → ${pct(ratioA)}${cmp(baseRatioA, baseRatioB) ? `, class B ${pct(baseRatioB)} → ${pct(ratioB)}` : ""}`,
      zh: `异地降低 ${formatPoints(red.rate)} 个百分点：支付比例 ${pct(baseRatioA)} → ${pct(ratioA)}`,
      rate: ratioA,
      figures: red.refs,
    });

  // 8. Fund = (in policy − deductible) × ratio, rounded once; then the annual cap.
  const fundBeforeCap = mulRoundSum([[baseA, ratioA], [baseB, ratioB]]);
  const fundUnreduced = red.mechanism === "none" ? fundBeforeCap : fundWithoutReduction();
  t.step({
    id: "fund",
    en: `Fund before cap = ${y(baseA)} × ${pct(ratioA)}${baseB ? ` + ${y(baseB)} × ${pct(ratioB)}` : ""} = ${y(fundBeforeCap)} (rounded to the fen, half up)`,
    zh: `统筹基金（封顶前）= ${y(baseA)} × ${pct(ratioA)}${baseB ? ` + ${y(baseB)} × ${pct(ratioB)}` : ""} = ${y(fundBeforeCap)}（四舍五入到分）`,
    amount: fundBeforeCap,
  });
  const cap = figs.need<ByLevel<Fen>>("annualCap", "annual cap (最高支付限额)");
  const capCell = atLevel(cap, level, isFen);
  if (!capCell) throw levelGap(rules, cap, level, "annual cap");
  const capLeft = Math.max(0, capCell.value - claim.history.fundPaid);
  const fund = Math.min(fundBeforeCap, capLeft);
  const overCap = fundBeforeCap - fund;
  t.step({
    id: "cap",
    en: `Annual cap ${y(capCell.value)} − paid this year ${y(claim.history.fundPaid)} = ${y(capLeft)} left${overCap ? `: ${y(overCap)} over the cap is borne by the person` : ""}`,
    zh: `年度最高支付限额 ${y(capCell.value)} − 本年已付 ${y(claim.history.fundPaid)} = 剩余 ${y(capLeft)}${overCap ? `，超限额 ${y(overCap)} 由个人负担` : ""}`,
    amount: capLeft,
    figures: [t.ref(cap, capCell.at)],
  });

  const copay = afterPrepay - deductible - fundBeforeCap;
  const personal = costs.excluded + costs.prepay + routePrepay + deductible + copay + overCap;
  t.step({
    id: "payable",
    en: `Fund pays ${y(fund)}; the person pays ${y(personal)} = excluded ${y(costs.excluded)} + class B prepay ${y(costs.prepay)} + route prepay ${y(routePrepay)} + deductible ${y(deductible)} + co-pay ${y(copay)} + over cap ${y(overCap)}`,
    zh: `统筹基金支付 ${y(fund)}；个人负担 ${y(personal)} = 自费 ${y(costs.excluded)} + 乙类先行自付 ${y(costs.prepay)} + 异地先行自付 ${y(routePrepay)} + 起付线 ${y(deductible)} + 共付 ${y(copay)} + 超限额 ${y(overCap)}`,
    amount: fund,
  });

  const figures = [...t.figures.values()];
  const unverified = figures.filter((f) => f.confidence === "unverified");
  if (unverified.length)
    t.warnings.push({
      code: "unverified-figure",
      en: `depends on ${unverified.length} unverified figure(s): ${unverified.map((f) => `${f.name} (${f.source})`).join(", ")}`,
      zh: `结果依赖 ${unverified.length} 项未经核实的数据：${unverified.map((f) => `${f.name}（${f.source}）`).join("、")}`,
    });

  // A plain literal, optional fields added after: an object literal that starts
  // with a spread and goes on for 25 fields falls into V8's slow dictionary mode
  // (it was a third of the time of settle in a batch).
  const treatment: { -readonly [K in keyof Settlement["treatment"]]: Settlement["treatment"][K] } = { region: treated.code, name: treated.name, pool: treated.pool!, level, kind };
  if (claim.treatment.disease !== undefined) treatment.disease = claim.treatment.disease;
  const result: { -readonly [K in keyof Settlement]: Settlement[K] } = {
    date,
    route: decision.route,
    routeForced: !!claim.route,
    insured: { region: insured.code, name: insured.name, pool, scheme, retired },
    treatment,
    total,
    excluded: costs.excluded,
    prepay: costs.prepay,
    inPolicy: inPol,
    routePrepay,
    deductible,
    ratio: ratioA,
    ratioB,
    reduction: { mechanism: red.mechanism, rate: red.rate, amount: fundUnreduced - fundBeforeCap },
    copay,
    fundBeforeCap,
    overCap,
    fund,
    personal,
    steps: t.steps,
    warnings: t.warnings,
    figures,
    ledger: {
      fundPaid: claim.history.fundPaid + fund,
      admissions: claim.history.admissions + (kind === "inpatient" ? 1 : 0),
      deductiblePaid: claim.history.deductiblePaid + deductible,
    },
  };
  if (claim.id !== undefined) result.id = claim.id;
  if (costs.lines) result.lines = costs.lines;
  return result;

  /** The fund the same claim would get with no route reduction (for `reduction.amount`). */
  function fundWithoutReduction(): Fen {
    const [a, b] = takeInOrder([costs.inA, costs.inB], Math.min(deductibleDue, inPol));
    return mulRoundSum([[a, baseRatioA], [b, baseRatioB]]);
  }
}

/** Subtracts `take` from class A first, then class B, neither below zero. */
function takeInOrder([a, b]: readonly [Fen, Fen], take: Fen): [Fen, Fen] {
  const fromA = Math.min(a, take);
  return [a - fromA, Math.max(0, b - (take - fromA))];
}

function levelGap(rules: RuleSet, r: Resolved<unknown>, level: string, what: string): RuleGapError {
  const region = own(rules.regions, r.layer.region);
  return new RuleGapError(
    `no ${what} for hospital level ${level} in ${region?.name ?? r.layer.region}'s table (${r.layer.file}, version of ${r.version.from})`,
    `add level ${JSON.stringify(level)} to \`${r.figure.name}\` at ${r.version.at.file}:${r.version.at.line}`,
  );
}

interface Costs {
  total: Fen;
  excluded: Fen;
  prepay: Fen;
  inA: Fen;
  inB: Fen;
  lines?: Line[];
  prepayStep?: Step;
}

function inPolicy(t: Trace, rules: RuleSet, claim: Claim, treated: Region): Costs {
  const date = claim.date;
  let share: { rate: Rate; ref: FigureRef } | undefined;
  const classBShare = (): { rate: Rate; ref: FigureRef } => {
    if (share) return share;
    const r = require_<Rate>(rules, treated.code, "catalogue.classBPrepay", date, "乙类先行自付 share (class B prepay) of the treatment place");
    share = { rate: r.version.value, ref: t.ref(r) };
    return share;
  };
  if (claim.items) {
    const lines: Line[] = [];
    let [excluded, prepay, inA, inB, total] = [0, 0, 0, 0, 0];
    let usedShare = false;
    for (const it of claim.items) {
      total += it.amount;
      if (it.class === "excluded") {
        excluded += it.amount;
        lines.push({ name: it.name, class: it.class, amount: it.amount, prepay: 0, inPolicy: 0 });
      } else if (it.class === "A") {
        inA += it.amount;
        lines.push({ name: it.name, class: it.class, amount: it.amount, prepay: 0, inPolicy: it.amount });
      } else {
        // Itemised lines round per line (README, rounding point R1).
        let p = it.prepay;
        if (p === undefined) {
          const s = classBShare();
          p = mulRound(it.amount, s.rate.num, s.rate.den);
          usedShare = true;
        }
        prepay += p;
        inB += it.amount - p;
        lines.push({ name: it.name, class: it.class, amount: it.amount, prepay: p, inPolicy: it.amount - p });
      }
    }
    const prepayStep: Step | undefined =
      prepay || inB
        ? {
            id: "prepay",
            en: `Class B prepay (乙类先行自付) per line${usedShare && share ? ` at ${pct(share.rate)} of the treatment place` : " as billed"}: ${y(prepay)}`,
            zh: `乙类先行自付（逐项计算）${y(prepay)}`,
            amount: prepay,
            figures: usedShare && share ? [share.ref] : [],
          }
        : undefined;
    return { total, excluded, prepay, inA, inB, lines, ...(prepayStep ? { prepayStep } : {}) };
  }
  const c = claim.costs!;
  const base = { total: c.classA + c.classB + c.excluded, excluded: c.excluded, inA: c.classA };
  if (c.classB === 0) return { ...base, prepay: 0, inB: 0 };
  const s = classBShare();
  const prepay = mulRound(c.classB, s.rate.num, s.rate.den);
  return {
    ...base,
    prepay,
    inB: c.classB - prepay,
    prepayStep: {
      id: "prepay",
      en: `Class B prepay (乙类先行自付) ${pct(s.rate)} × ${y(c.classB)} = ${y(prepay)} (treatment place's catalogue)`,
      zh: `乙类先行自付 ${pct(s.rate)} × ${y(c.classB)} = ${y(prepay)}（就医地目录）`,
      amount: prepay,
      figures: [s.ref],
    },
  };
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
function kindFigures(t: Trace, rules: RuleSet, pool: string, scheme: Scheme, kind: Kind, date: string): KindFigures {
  const as = kind === "inpatient" ? undefined : resolve<string>(rules, pool, `${scheme}.${kind}.settleAs`, date);
  if (as) {
    t.step({
      id: "chronic",
      en: `${kind} care of ${scheme}s settles with the ${as.version.value} figures of the insured place (参照住院管理)`,
      zh: `${kind === "chronic" ? "门诊慢特病" : "门诊"}参照${as.version.value === "inpatient" ? "住院" : as.version.value}政策结算`,
      figures: [t.ref(as)],
    });
  }
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

function deductibleOf(t: Trace, figs: KindFigures, claim: Claim, level: string): Fen {
  const { history } = claim;
  const ded = figs.need<ByLevel<Fen>>("deductible", "deductible (起付线)");
  const cell = atLevel(ded, level, isFen);
  if (!cell) throw levelGap(figs.rules, ded, level, "deductible");
  const refs = [t.ref(ded, cell.at)];
  let due = cell.value;
  const parts = [`deductible at level ${level}: ${y(due)}`];
  const partsZh = [`起付线 ${y(due)}`];
  if (claim.treatment.kind === "inpatient" && history.admissions >= 1) {
    const rep = figs.may<ByLevel<Rate>>("repeatAdmission");
    const f = rep && atLevel(rep, level, isRate);
    if (rep && f) {
      due = mulRound(due, f.value.num, f.value.den);
      refs.push(t.ref(rep, f.at));
      parts.push(`admission ${history.admissions + 1} of the year: × ${pct(f.value)} = ${y(due)}`);
      partsZh.push(`本年第 ${history.admissions + 1} 次住院 × ${pct(f.value)} = ${y(due)}`);
    }
  }
  const ceil = figs.may<ByLevel<Fen>>("deductibleCeiling");
  const c = ceil && atLevel(ceil, level, isFen);
  if (ceil && c) {
    const left = Math.max(0, c.value - history.deductiblePaid);
    refs.push(t.ref(ceil, c.at));
    if (left < due) {
      parts.push(`annual deductible ceiling ${y(c.value)} − paid ${y(history.deductiblePaid)} leaves ${y(left)}`);
      partsZh.push(`年度起付线累计上限 ${y(c.value)} − 已付 ${y(history.deductiblePaid)} = ${y(left)}`);
      due = left;
    }
  }
  t.step({ id: "deductible", en: `Deductible (起付线): ${parts.join("; ")}`, zh: partsZh.join("；"), amount: due, figures: refs });
  return due;
}

function ratiosOf(t: Trace, figs: KindFigures, claim: Claim, level: string): { ratioA: Rate; ratioB: Rate } {
  const ratio = figs.need<ByLevel<Rate>>("ratio", "ratio (支付比例)");
  const a = atLevel(ratio, level, isRate);
  if (!a) throw levelGap(figs.rules, ratio, level, "ratio");
  const refs = [t.ref(ratio, a.at)];
  let ratioA = a.value;
  let ratioB = a.value;
  const rb = figs.may<ByLevel<Rate>>("ratioClassB");
  const b = rb && atLevel(rb, level, isRate);
  if (rb && b) {
    ratioB = b.value;
    refs.push(t.ref(rb, b.at));
  }
  let en = `Ratio (支付比例) of the insured place at level ${level}: ${pct(ratioA)}${rb && b ? `, class B ${pct(ratioB)}` : ""}`;
  let zh = `参保地同级支付比例 ${pct(ratioA)}`;
  if (claim.insured.retired) {
    const r = figs.ofScheme<Adjustment>("retiree");
    if (r) {
      refs.push(t.ref(r));
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
  t.step({ id: "ratio", en, zh, rate: ratioA, figures: refs });
  return { ratioA, ratioB };
}

function reductionOf(t: Trace, rules: RuleSet, pool: string, route: Route, date: string): { mechanism: Reduction["mechanism"]; rate: Rate; refs: FigureRef[] } {
  const r = resolve<Adjustment>(rules, pool, `reductions.${route}`, date);
  if (!r) {
    // No figure and a route that by definition carries none: local, in-province, zone, long-term.
    if (["local", "in-province", "zone", "long-term"].includes(route)) return { mechanism: "none", rate: ZERO, refs: [] };
    require_(rules, pool, `reductions.${route}`, date, `reduction for the ${route} route`);
  }
  const adj = r!.version.value;
  const ref = t.ref(r!);
  if ("points" in adj) return { mechanism: "points", rate: adj.points, refs: [ref] };
  if ("prepay" in adj) return { mechanism: "prepay", rate: adj.prepay, refs: [ref] };
  throw new RuleGapError(`reduction for ${route} must be points or prepay`, `fix \`${r!.figure.name}\` at ${r!.version.at.file}:${r!.version.at.line}`);
}

function checkChronic(t: Trace, rules: RuleSet, claim: Claim, insured: Region, treated: Region, route: Route): void {
  const id = findDisease(rules, claim.treatment.disease!);
  // The lists govern direct settlement across provinces only.
  if (!CHRONIC_LIST_ROUTES.has(route)) {
    const n = chronicOwnList(rules.diseases[id]!, insured.name, route);
    t.step({ id: "chronic", ...n.step });
    t.warnings.push(n.warning);
    return;
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
      const d = rules.diseases[id]!;
      t.step({
        id: "chronic",
        en: `Chronic outpatient disease ${d.en} (${d.zh}) is on ${list.name.en}, offered by ${insured.name}`,
        zh: `门诊慢特病 ${d.zh} 属于 ${list.name.zh}，参保地已开通`,
        figures: [t.ref({ figure: list.figure, version: v as never, layer: { region: "national", file: v.at.file, figures: {} }, fellThrough: [] }), t.ref(offered)],
      });
      return;
    }
  }
  const d = rules.diseases[id]!;
  throw new ClaimRejectedError(
    `${d.en} (${d.zh}) cannot be settled directly: it is not on the cross-province chronic lists ${insured.name} offers on ${claim.date}: ${seen.join("; ") || "none"}`,
    ["treatment", "disease"],
    "settle it by manual reimbursement at the insured place, or check rules/national.yaml chronicLists",
  );
}
