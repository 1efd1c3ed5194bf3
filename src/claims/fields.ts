/**
 * The conversions and checks of claim fields, as named functions: the claim
 * schema (src/claims/schema.ts) is built from them, and its compiled validator
 * (src/claims/validate.ts) calls the same functions by these names. No zod here.
 */
import { said } from "../words.js";
import { isCalendarDate, isIsoDate } from "../core/dates.js";
import { formatYuan as yuan, parseYuan, type Fen } from "../core/money.js";

export { isCalendarDate, isIsoDate };

/** What a check or a conversion is given to report a problem with (zod's context, or the compiled validator's). */
export interface IssueSink {
  addIssue(issue: { code: "custom"; message: string; input?: unknown; path?: (string | number)[] }): void;
}

/** An amount is written as a number or a string. */
export const isAmountInput = (v: unknown): v is number | string => typeof v === "number" || typeof v === "string";

/** Yuan in, fen out: at most 2 decimals, never negative (src/core/money.ts parseYuan). */
export function fenOfYuan(v: number | string, ctx: IssueSink): Fen {
  const r = parseYuan(v);
  if (!r.ok) ctx.addIssue({ code: "custom", message: said(r.message, r.zh), input: v });
  return r.ok ? r.value : 0;
}

/** A region code or name, a level or a disease as written, without surrounding blanks. */
export const trimmed = (v: string | number): string => String(v).trim();

/** A string without surrounding blanks; anything else as it is (for the schema to refuse). */
export const trimString = (v: unknown): unknown => (typeof v === "string" ? v.trim() : v);

/** The shape a claim has once each field reads, for the cross-field checks. */
interface CheckedClaim {
  readonly insured: { readonly scheme: string; readonly retired: boolean };
  readonly treatment: { readonly kind: string; readonly disease?: string | undefined };
  readonly costs?: { readonly classA: Fen; readonly classB: Fen; readonly excluded: Fen; readonly prepay?: Fen | undefined; readonly total?: Fen | undefined } | undefined;
  readonly items?: readonly { readonly class: string; readonly amount: Fen; readonly prepay?: Fen | undefined }[] | undefined;
}

/** zod's `.check()` payload: the value, and the issues found so far. */
export interface CheckPayload<T> {
  readonly value: T;
  readonly issues: unknown[];
}

/** The rules between fields, once every field reads on its own. */
export function claimChecks(payload: CheckPayload<CheckedClaim>): void {
  const c = payload.value;
  const issue = (path: (string | number)[], en: string, zh: string) => payload.issues.push({ code: "custom", path, message: said(en, zh), input: c });
  if (c.costs && c.items) issue(["items"], "give either costs or items, not both", "costs 与 items 只能给其一");
  if (!c.costs && !c.items) issue(["costs"], "is required (or give itemised lines under items)", "必填（或在 items 中逐条列出明细）");
  if (c.costs?.total !== undefined) {
    const sum = c.costs.classA + c.costs.classB + c.costs.excluded;
    if (sum !== c.costs.total) issue(["costs", "total"], `is ${yuan(c.costs.total)} but classA + classB + excluded = ${yuan(sum)}`, `为 ${yuan(c.costs.total)}，但 甲类 + 乙类 + 自费 = ${yuan(sum)}`);
  }
  if (c.costs?.prepay !== undefined && c.costs.prepay > c.costs.classB)
    issue(["costs", "prepay"], `is more than classB (${yuan(c.costs.prepay)} > ${yuan(c.costs.classB)}): the class B prepay is part of class B`, `大于乙类费用（${yuan(c.costs.prepay)} > ${yuan(c.costs.classB)}）：乙类先行自付是乙类费用的一部分`);
  c.items?.forEach((it, i) => {
    if (it.prepay !== undefined && it.class !== "B") issue(["items", i, "prepay"], "applies to class B lines only", "只适用于乙类明细");
    if (it.prepay !== undefined && it.prepay > it.amount) issue(["items", i, "prepay"], `is more than the line's amount (${yuan(it.prepay)} > ${yuan(it.amount)})`, `大于该条明细的金额（${yuan(it.prepay)} > ${yuan(it.amount)}）`);
  });
  if (c.treatment.kind === "chronic" && !c.treatment.disease) issue(["treatment", "disease"], "is required when kind is chronic (an id from the disease catalogue)", "门诊慢特病必填（病种目录中的编号）");
  if (c.treatment.kind !== "chronic" && c.treatment.disease !== undefined) issue(["treatment", "disease"], "applies only when kind is chronic", "只适用于门诊慢特病");
  if (c.insured.retired && c.insured.scheme !== "employee") issue(["insured", "retired"], "applies to the employee scheme only (职工医保)", "只适用于职工医保");
}

/**
 * The claim's fields with a value of their own (besides the items'), by path,
 * with their Chinese names: the columns a CSV header may name (by either), and
 * the names `compare --lang zh` shows changes by. The one list of them.
 */
export const FIELD_NAMES = {
  format: "格式版本",
  id: "编号",
  date: "日期",
  "insured.id": "参保人编号",
  "insured.region": "参保地",
  "insured.scheme": "险种",
  "insured.retired": "退休",
  "insured.group": "人员类别",
  "treatment.region": "就医地",
  "treatment.hospital": "医疗机构",
  "treatment.level": "医院级别",
  "treatment.kind": "就医类型",
  "treatment.disease": "病种",
  "treatment.emergency": "急诊抢救",
  filing: "备案类型",
  route: "结算路径",
  "costs.classA": "甲类费用",
  "costs.classB": "乙类费用",
  "costs.excluded": "自费费用",
  "costs.prepay": "乙类先行自付",
  "costs.total": "医疗费用总额",
  "history.fundPaid": "本年基金已支付",
  "history.admissions": "本年住院次数",
  "history.deductiblePaid": "本年已付起付线",
  "history.outpatient.fundPaid": "本年门诊基金已支付",
  "history.outpatient.deductiblePaid": "本年门诊已付起付线",
  "history.chronic.fundPaid": "本年慢特病基金已支付",
  "history.chronic.deductiblePaid": "本年慢特病已付起付线",
  "history.criticalIllness.base": "本年大病保险累计费用",
  "history.criticalIllness.paid": "本年大病保险已支付",
} as const;

/** An itemised line's fields, with their Chinese names (项目[0].金额 for items[0].amount). */
export const ITEM_FIELD_NAMES = { name: "名称", class: "类别", amount: "金额", prepay: "先行自付" } as const;

/** A field path in Chinese (filing → 备案类型, items[0].amount → 项目[0].金额); a path without a name as it is. */
export function fieldNameZh(path: string): string {
  if (Object.hasOwn(FIELD_NAMES, path)) return FIELD_NAMES[path as keyof typeof FIELD_NAMES];
  const item = /^items\[(\d+)\]\.(\w+)$/.exec(path);
  return item && Object.hasOwn(ITEM_FIELD_NAMES, item[2]!) ? `项目[${item[1]}].${ITEM_FIELD_NAMES[item[2] as keyof typeof ITEM_FIELD_NAMES]}` : path;
}
