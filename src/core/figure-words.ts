/**
 * What the rules' names are called for people, in both languages, for
 * messages and reports: a figure from its dotted name (employee.inpatient.deductible
 * → 职工医保住院起付线, reductions.referral → 异地转诊降低支付比例), a level
 * (3 → 三级), a region (常德市 (430700) / 常德市（430700）). Schemes and kinds
 * take the names rules/national.yaml gives them (`values`); routes theirs (ROUTE_NAMES).
 */
import { ROUTE_NAMES, type Route, type RuleSet } from "./model.js";
import { own } from "./own.js";
import type { Text } from "./settlement.js";

/** The policies' words for each part of a figure's name. */
const PARTS: Readonly<Record<string, string>> = {
  deductible: "起付线",
  ratio: "支付比例",
  ratioClassB: "乙类支付比例",
  deductibleCeiling: "年度起付线累计上限",
  annualCap: "年度最高支付限额",
  repeatAdmission: "再次住院起付线比例",
  settleAs: "结算方式",
  countsIn: "计入的限额",
  retired: "退休人员",
  retiree: "退休人员调整",
  criticalIllness: "大病保险",
  threshold: "起付标准",
  bands: "分段支付比例",
  groups: "特殊人群",
  points: "加减百分点",
  uncapped: "不设封顶",
  chronicLists: "跨省门诊慢特病病种目录",
  catalogue: "就医地",
  classBPrepay: "乙类先行自付比例",
};

export function figureZh(rules: RuleSet, figure: string): string {
  const [head, route] = figure.split(".");
  if (head === "reductions" && route) return `${own(ROUTE_NAMES, route as Route)?.zh ?? route}降低支付比例`;
  return figure
    .split(".")
    .map((p) => own(rules.values.scheme, p)?.zh ?? own(rules.values.kind, p)?.zh ?? own(PARTS, p) ?? p)
    .join("");
}

/** A level's short Chinese name: its first alias (三级, 基层), else its name; an unknown id as "N 级". */
export function levelZh(rules: RuleSet, id: string): string {
  const l = own(rules.levels, id);
  return l ? (l.aliases?.[0] ?? l.zh) : `${id} 级`;
}

/** A region with its code, as each language writes it: 常德市 (430700), 常德市（430700）. */
export function regionText(rules: RuleSet, code: string): Text {
  const name = own(rules.regions, code)?.name ?? code;
  return { en: `${name} (${code})`, zh: `${name}（${code}）` };
}
