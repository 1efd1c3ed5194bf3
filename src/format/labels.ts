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
  reduction: { en: "Route reduction", zh: "异地降比" },
  copay: { en: "Co-payment", zh: "共付" },
  overCap: { en: "Over the annual cap", zh: "超年度限额" },
  personal: { en: "Person pays", zh: "个人负担" },
  payable: { en: "Fund pays", zh: "统筹基金支付" },
  step: { en: "Step", zh: "步骤" },
  amount: { en: "Amount", zh: "金额" },
  rule: { en: "Rule", zh: "规则位置" },
  source: { en: "Source", zh: "来源" },
  warnings: { en: "Warnings", zh: "提示" },
  points: { en: "points", zh: "个百分点" },
  none: { en: "none", zh: "无" },
  level: { en: "level", zh: "级别" },
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

export { ROUTE_NAMES } from "../core/model.js";
