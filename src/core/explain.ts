/**
 * The explanation of a settlement: one step per stage, in both languages, each
 * with the amount or rate it arrives at and the figures it read. Rendered from
 * the settlement (its plan and amounts) only when asked: `--explain`, the table,
 * `rules test`.
 */
import { formatYuan as y, type Fen } from "./money.js";
import { ROUTE_NAMES, type Kind } from "./model.js";
import { cmp, formatPercent as pct, formatPoints, type Rate } from "./rate.js";
import type { CriticalPolicy, CriticalResult } from "./critical.js";
import { accountOf, type FigureRef, type Settlement } from "./settlement.js";

const KIND_ZH: Readonly<Record<Kind, string>> = { inpatient: "住院", outpatient: "普通门诊", chronic: "门诊慢特病" };

export type StepId =
  | "rules" | "route" | "total" | "excluded" | "prepay" | "in-policy" | "route-prepay"
  | "deductible" | "ratio" | "reduction" | "fund" | "cap" | "critical-illness" | "payable" | "chronic";

export interface Step {
  readonly id: StepId;
  readonly en: string;
  readonly zh: string;
  readonly amount?: Fen;
  readonly rate?: Rate;
  readonly figures: readonly FigureRef[];
}

const step = (id: StepId, en: string, zh: string, figures: readonly FigureRef[] = [], amount?: Fen, rate?: Rate): Step => {
  const s: { -readonly [K in keyof Step]: Step[K] } = { id, en, zh, figures };
  if (amount !== undefined) s.amount = amount;
  if (rate !== undefined) s.rate = rate;
  return s;
};

export function explain(s: Settlement): Step[] {
  const { plan, policy, history, costs, deductibleDue: due, base, caps } = s.trace;
  const account = accountOf(history, policy.account);
  const inAccount = policy.account === "inpatient" ? "" : ` (${policy.account} account)`;
  const inAccountZh = policy.account === "inpatient" ? "" : `（${KIND_ZH[policy.account]}）`;
  const { insured, treatment: t } = plan;
  const steps: Step[] = [];
  steps.push(
    step(
      "rules",
      `Rules in force on ${s.date}: policy of the insured place ${insured.name} (${insured.region}), catalogue of the treatment place ${t.name} (${t.region})`,
      `${s.date} 有效规则：参保地 ${insured.name} 政策，就医地 ${t.name} 目录`,
    ),
  );
  steps.push(step("route", `Route: ${s.route} — ${plan.route.why.en}`, `结算路径：${ROUTE_NAMES[s.route].zh} — ${plan.route.why.zh}`, plan.route.zoneRef ? [plan.route.zoneRef] : []));
  if (plan.chronic) steps.push(step("chronic", plan.chronic.en, plan.chronic.zh, plan.chronic.refs));

  steps.push(step("total", `Total cost ${y(s.total)}`, `医疗费用总额 ${y(s.total)}`, [], s.total));
  steps.push(step("excluded", `Excluded (丙类 / self-paid) ${y(s.excluded)}: never paid by the fund`, `自费（丙类）${y(s.excluded)}，基金不予支付`, [], s.excluded));
  const share = costs.usedShare ? plan.share : undefined;
  if (costs.lines) {
    if (s.prepay || costs.inB)
      steps.push(
        step(
          "prepay",
          `Class B prepay (乙类先行自付) per line${share ? ` at ${pct(share.value)} of the treatment place` : " as billed"}: ${y(s.prepay)}`,
          `乙类先行自付（逐项计算）${y(s.prepay)}`,
          share ? [share.ref] : [],
          s.prepay,
        ),
      );
  } else if (costs.billed) {
    steps.push(step("prepay", `Class B prepay (乙类先行自付) as printed on the bill: ${y(s.prepay)}`, `乙类先行自付（按结算单）${y(s.prepay)}`, [], s.prepay));
  } else if (share) {
    const classB = s.prepay + costs.inB;
    steps.push(
      step(
        "prepay",
        `Class B prepay (乙类先行自付) ${pct(share.value)} × ${y(classB)} = ${y(s.prepay)} (treatment place's catalogue)`,
        `乙类先行自付 ${pct(share.value)} × ${y(classB)} = ${y(s.prepay)}（就医地目录）`,
        [share.ref],
        s.prepay,
      ),
    );
  }
  steps.push(
    step(
      "in-policy",
      `In policy = ${y(s.total)} − excluded ${y(s.excluded)} − prepay ${y(s.prepay)} = ${y(s.inPolicy)} (class A ${y(costs.inA)}, class B ${y(costs.inB)})`,
      `政策范围内费用 = ${y(s.total)} − 自费 ${y(s.excluded)} − 乙类先行自付 ${y(s.prepay)} = ${y(s.inPolicy)}`,
      [],
      s.inPolicy,
    ),
  );
  if (policy.settleAs) steps.push(step("chronic", policy.settleAs.en, policy.settleAs.zh, [policy.settleAs.ref]));

  const red = policy.reduction;
  if (red.mechanism === "prepay")
    steps.push(
      step(
        "route-prepay",
        `Route prepay ${pct(red.rate)} of ${y(s.inPolicy)} = ${y(s.routePrepay)} (paid by the person before the deductible)`,
        `异地先行自付 ${pct(red.rate)} × ${y(s.inPolicy)} = ${y(s.routePrepay)}`,
        red.refs,
        s.routePrepay,
      ),
    );

  const en = [`deductible at level ${t.level}: ${y(due.figure)}`];
  const zh = [`起付线 ${y(due.figure)}`];
  const dedRefs = [policy.deductible.ref];
  if (due.repeated !== undefined && policy.repeatAdmission) {
    const f = policy.repeatAdmission.value;
    en.push(`admission ${history.admissions + 1} of the year: × ${pct(f)} = ${y(due.repeated)}`);
    zh.push(`本年第 ${history.admissions + 1} 次住院 × ${pct(f)} = ${y(due.repeated)}`);
    dedRefs.push(policy.repeatAdmission.ref);
  }
  if (policy.deductibleCeiling) {
    dedRefs.push(policy.deductibleCeiling.ref);
    const c = policy.deductibleCeiling.value;
    const left = Math.max(0, c - account.deductiblePaid);
    en.push(`annual deductible ceiling ${y(c)} − paid${inAccount} ${y(account.deductiblePaid)} leaves ${y(left)}${due.ceilingLeft === undefined ? "" : ", so that much"}`);
    zh.push(`年度起付线累计上限 ${y(c)} − 已付${inAccountZh} ${y(account.deductiblePaid)} = ${y(left)}`);
  }
  steps.push(step("deductible", `Deductible (起付线): ${en.join("; ")}`, zh.join("；"), dedRefs, due.due));

  const r = policy.ratio;
  const classB = (x: Rate) => (r.ownB ? `, class B ${pct(x)}` : "");
  let ratioEn = `Ratio (支付比例) of the insured place at level ${t.level}: ${pct(r.level)}${classB(r.levelB)}`;
  let ratioZh = `参保地同级支付比例 ${pct(r.level)}`;
  if (r.retiree === "own") {
    ratioEn += " (the retirees' own ratio)";
    ratioZh += "（退休人员比例）";
  } else if (r.retiree === "none") {
    ratioEn += "; the rules have no retiree adjustment for this scheme";
    ratioZh += "；规则未规定退休人员调整";
  } else if (r.retiree) {
    ratioEn += `; retiree ${r.retiree.how} → ${pct(r.base)}${classB(r.baseB)}`;
    ratioZh += `；退休人员调整 → ${pct(r.base)}`;
  }
  steps.push(step("ratio", ratioEn, ratioZh, r.refs, undefined, r.base));
  if (red.mechanism === "points")
    steps.push(
      step(
        "reduction",
        `Route reduction −${formatPoints(red.rate)} points: ratio ${pct(r.base)} → ${pct(r.a)}${cmp(r.base, r.baseB) ? `, class B ${pct(r.baseB)} → ${pct(r.b)}` : ""}`,
        `异地降低 ${formatPoints(red.rate)} 个百分点：支付比例 ${pct(r.base)} → ${pct(r.a)}`,
        red.refs,
        undefined,
        r.a,
      ),
    );

  const [baseA, baseB] = base;
  const terms = `${y(baseA)} × ${pct(r.a)}${baseB ? ` + ${y(baseB)} × ${pct(r.b)}` : ""}`;
  steps.push(step("fund", `Fund before cap = ${terms} = ${y(s.fundBeforeCap)} (rounded to the fen, half up)`, `统筹基金（封顶前）= ${terms} = ${y(s.fundBeforeCap)}（四舍五入到分）`, [], s.fundBeforeCap));
  const capEn: string[] = [];
  const capZh: string[] = [];
  const capRefs: FigureRef[] = [];
  if (policy.annualCap && caps.own !== undefined) {
    capEn.push(`annual cap ${y(policy.annualCap.value)} − paid this year${inAccount} ${y(account.fundPaid)} = ${y(caps.own)} left`);
    capZh.push(`年度最高支付限额 ${y(policy.annualCap.value)} − 本年已付${inAccountZh} ${y(account.fundPaid)} = 剩余 ${y(caps.own)}`);
    capRefs.push(policy.annualCap.ref);
  }
  if (policy.countsIn && caps.counted !== undefined) {
    capEn.push(`counted in the inpatient annual cap ${y(policy.countsIn.cap.value)} − paid this year ${y(history.fundPaid)} = ${y(caps.counted)} left`);
    capZh.push(`计入住院年度最高支付限额 ${y(policy.countsIn.cap.value)} − 本年已付 ${y(history.fundPaid)} = 剩余 ${y(caps.counted)}`);
    capRefs.push(policy.countsIn.ref, policy.countsIn.cap.ref);
  }
  const over = s.overCap ? `: ${y(s.overCap)} over the cap is borne by the person` : "";
  const overZh = s.overCap ? `，超限额 ${y(s.overCap)} 由个人负担` : "";
  const capText = capEn.join("; ");
  steps.push(step("cap", `${capText[0]!.toUpperCase()}${capText.slice(1)}${over}`, `${capZh.join("；")}${overZh}`, capRefs, caps.left));
  if (s.critical && policy.critical) steps.push(criticalStep(s.critical, policy.critical));
  const ci = s.critical ? s.critical.payable : 0;
  steps.push(
    step(
      "payable",
      `Fund pays ${y(s.fund)}${s.critical ? `, 大病保险 ${y(ci)}` : ""}; the person pays ${y(s.personal)} = excluded ${y(s.excluded)} + class B prepay ${y(s.prepay)} + route prepay ${y(s.routePrepay)} + deductible ${y(s.deductible)} + co-pay ${y(s.copay)} + over cap ${y(s.overCap)}${s.critical ? ` − 大病保险 ${y(ci)}` : ""}`,
      `统筹基金支付 ${y(s.fund)}${s.critical ? `，大病保险支付 ${y(ci)}` : ""}；个人负担 ${y(s.personal)} = 自费 ${y(s.excluded)} + 乙类先行自付 ${y(s.prepay)} + 异地先行自付 ${y(s.routePrepay)} + 起付线 ${y(s.deductible)} + 共付 ${y(s.copay)} + 超限额 ${y(s.overCap)}${s.critical ? ` − 大病保险 ${y(ci)}` : ""}`,
      [],
      s.fund,
    ),
  );
  return steps;
}

/** The 大病保险 step: the claim's base, the year's before and after it, the threshold, each band it reaches (cited), the cap. */
function criticalStep(r: CriticalResult, p: CriticalPolicy): Step {
  const band = (b: CriticalResult["bands"][number]) => `${y(b.from)}–${b.to === undefined ? "" : y(b.to)} at ${pct(b.rate)}: ${y(b.base)} × ${pct(b.rate)} = ${y(b.amount)}`;
  const bandZh = (b: CriticalResult["bands"][number]) => `${y(b.from)}–${b.to === undefined ? "" : y(b.to)} 段 ${pct(b.rate)}：${y(b.base)} × ${pct(b.rate)} = ${y(b.amount)}`;
  const measured = p.scale.value.measure === "aboveThreshold" ? "bands count the part above the threshold" : "bands count the base itself";
  const group = p.group ? `; group ${p.group.id}${p.group.points ? ` +${formatPoints(p.group.points.value)} points a band` : ""}${p.group.uncapped ? ", no cap" : ""}` : "";
  const cap = p.cap && r.capLeft !== undefined ? `; cap ${y(p.cap.value)} leaves ${y(r.capLeft)}${r.overCap ? `, ${y(r.overCap)} over it` : ""}` : "";
  const capZh = p.cap && r.capLeft !== undefined ? `；年度限额 ${y(p.cap.value)} 剩余 ${y(r.capLeft)}` : "";
  const reached = r.bands.length ? r.bands.map(band).join("; ") : "below the threshold: nothing";
  const reachedZh = r.bands.length ? r.bands.map(bandZh).join("；") : "未达起付标准";
  const refs = [p.threshold.ref, ...r.bands.map((b) => p.bandRefs[b.band]!), ...(p.cap ? [p.cap.ref] : []), ...(p.group?.points ? [p.group.points.ref] : []), ...(p.group?.uncapped ? [p.group.uncapped] : [])];
  return step(
    "critical-illness",
    `大病保险 (critical illness): base ${y(r.base)} (in policy the basic fund left), year ${y(r.yearBefore)} → ${y(r.yearAfter)}; threshold ${y(r.threshold)} a year (${measured})${group}; ${reached}${cap}; pays ${y(r.payable)}`,
    `大病保险：本次合规自付 ${y(r.base)}，年度累计 ${y(r.yearBefore)} → ${y(r.yearAfter)}；起付标准 ${y(r.threshold)}；${reachedZh}${capZh}；支付 ${y(r.payable)}`,
    refs,
    r.payable,
  );
}
