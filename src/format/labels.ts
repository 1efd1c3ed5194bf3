/** Output language: Chinese or English labels (--lang, default from LANG). */
export type Lang = "zh" | "en";

export function langFromEnv(env: NodeJS.ProcessEnv): Lang {
  const l = env.LC_ALL || env.LC_MESSAGES || env.LANG || "";
  return /^zh/i.test(l) ? "zh" : "en";
}

const LABELS = {
  claim: { en: "Claim", zh: "结算单" },
  insuredId: { en: "insured", zh: "参保人" },
  date: { en: "Date", zh: "结算日期" },
  insured: { en: "Insured place", zh: "参保地" },
  treatment: { en: "Treatment place", zh: "就医地" },
  route: { en: "Route", zh: "结算路径" },
  total: { en: "Total cost", zh: "医疗费用总额" },
  excluded: { en: "Excluded (self-paid)", zh: "自费（丙类）" },
  prepay: { en: "Class B prepay", zh: "乙类先行自付" },
  inPolicy: { en: "In policy", zh: "政策范围内费用" },
  routePrepay: { en: "Route prepay", zh: "异地先行自付" },
  deductible: { en: "Deductible", zh: "起付线" },
  ratio: { en: "Ratio", zh: "支付比例" },
  reduction: { en: "Route reduction", zh: "异地就医降低比例" },
  copay: { en: "Co-payment", zh: "按比例自付" },
  overCap: { en: "Over the annual cap", zh: "超过年度最高支付限额" },
  personal: { en: "Person pays", zh: "个人负担" },
  payable: { en: "Fund pays", zh: "统筹基金支付" },
  criticalIllness: { en: "大病保险 pays", zh: "大病保险支付" },
  step: { en: "Step", zh: "步骤" },
  amount: { en: "Amount", zh: "金额" },
  rule: { en: "Rule", zh: "规则位置" },
  source: { en: "Source", zh: "来源" },
  warnings: { en: "Warnings", zh: "提示" },
  points: { en: "points", zh: "个百分点" },
  none: { en: "none", zh: "无" },
  level: { en: "level", zh: "级别" },
  // The settlement slip (--format html, src/format/html.ts)
  slipTitle: { en: "Medical insurance settlement slip", zh: "基本医疗保险结算单" },
  hospital: { en: "Hospital", zh: "医疗机构" },
  person: { en: "Insured person", zh: "参保人" },
  hospitalLevel: { en: "Hospital level", zh: "医院级别" },
  kind: { en: "Care", zh: "就医类型" },
  scheme: { en: "Scheme", zh: "险种" },
  retired: { en: "retired", zh: "退休" },
  yuan: { en: "yuan", zh: "元" },
  whoPays: { en: "Who pays what", zh: "费用分担" },
  fundsPay: { en: "Paid by the fund", zh: "基金支付" },
  personPays: { en: "Paid by the person", zh: "个人负担" },
  copayNet: { en: "Co-payment at the full ratio", zh: "共付（不含降比部分）" },
  breakdown: { en: "Breakdown", zh: "费用明细" },
  lines: { en: "Itemised lines", zh: "费用明细项目" },
  item: { en: "Item", zh: "项目" },
  class: { en: "Class", zh: "类别" },
  steps: { en: "How it was computed", zh: "计算过程" },
  unverified: { en: "This result depends on a figure that has not been verified against an official source", zh: "本结果依赖未经核实的数据" },
  unverifiedHint: { en: "Check the figure with the insurance office before relying on this amount.", zh: "请以医保经办机构的结算为准。" },
  rulesVersion: { en: "Rules version", zh: "规则版本" },
  rulesDate: { en: "rules in force on", zh: "规则适用日期" },
  from: { en: "from", zh: "自" },
  disclaimer: { en: "Computed by reimburse from the cited rules; not an official settlement document.", zh: "本结算单由 reimburse 按所引规则计算，非医保经办机构出具的正式结算凭证。" },
  compareTitle: { en: "Scenarios compared", zh: "结算情形对比" },
} as const;

export type LabelKey = keyof typeof LABELS;
export const label = (key: LabelKey, lang: Lang): string => LABELS[key][lang];

export const SCHEME_NAMES: Record<string, { en: string; zh: string }> = {
  employee: { en: "employee", zh: "职工医保" },
  resident: { en: "resident", zh: "城乡居民医保" },
};

export const KIND_NAMES: Record<string, { en: string; zh: string }> = {
  inpatient: { en: "inpatient", zh: "住院" },
  outpatient: { en: "outpatient", zh: "普通门诊" },
  chronic: { en: "chronic outpatient", zh: "门诊慢特病" },
};

/** A source's confidence (README, "What is shipped"), for people. */
export const CONFIDENCE_NAMES: Record<string, { en: string; zh: string }> = {
  official: { en: "official", zh: "官方" },
  secondary: { en: "secondary", zh: "转引" },
  unverified: { en: "unverified", zh: "未核实" },
};

/** Line classes of an itemised claim. */
export const CLASS_NAMES: Record<string, { en: string; zh: string }> = {
  A: { en: "class A", zh: "甲类" },
  B: { en: "class B", zh: "乙类" },
  excluded: { en: "excluded", zh: "自费" },
};

export { ROUTE_NAMES } from "../core/model.js";
