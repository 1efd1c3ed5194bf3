/**
 * Rule files. One strict schema for every file under rules/: a file holds any
 * of the sections below, and a policy file names the region it belongs to.
 * The JSON Schema for editors is generated from this (`reimburse rules schema`).
 *
 * Every figure has one shape:
 *   deductible:
 *     unit: yuan
 *     values:
 *       2023-01-06: {value: {community: 200, "1": 500}, source: hn-employee-measures}
 *       2030-01-01: {value: null, source: …}      # a figure ends with a dated null
 */
import { phrase, said } from "../words.js";
import { z } from "zod";
import { parseYuan } from "../core/money.js";
import { CONFIDENCES, KINDS, VALUE_FIELDS } from "../core/model.js";
import { isoDate } from "../schemas.js";

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: phrase("must be lower-case letters, digits and dashes (e.g. hn-employee-measures)", "只能用小写字母、数字和短横线（例如 hn-employee-measures）") });
const regionCode = z.string().regex(/^\d{6}$/, { error: phrase("must be a 6-digit division code in quotes, e.g. \"430700\"", "必须为加引号的 6 位行政区划代码，例如 \"430700\"") });
const confidence = z.enum(CONFIDENCES, { error: phrase(`must be one of: ${CONFIDENCES.join(", ")}`, `必须为其中之一：${CONFIDENCES.join("、")}`) });

const yuanValue = z
  .number({ error: phrase("must be an amount in yuan", "必须为以元为单位的金额") })
  .min(0, { error: phrase("must be ≥ 0", "必须 ≥ 0"), abort: true })
  .refine((v) => parseYuan(v).ok, { error: phrase("must be yuan with at most 2 decimals", "必须为至多 2 位小数的元金额") });
const fractionValue = z
  .number({ error: phrase("must be a fraction, e.g. 0.85 for 85%", "必须为小数形式的比例，例如 85% 写作 0.85") })
  .min(0, { error: phrase("must be ≥ 0", "必须 ≥ 0") })
  .max(1, { error: (i) => said(`is a fraction between 0 and 1 (0.85 for 85%), got ${String(i.input)}`, `应为 0 到 1 之间的比例（85% 写作 0.85），实际为 ${String(i.input)}`) });
const levelKey = z.string();
const byLevel = <T extends z.ZodType>(v: T) => z.union([v, z.record(levelKey, v)]);

export const adjustmentValue = z.union([
  z.strictObject({ points: fractionValue }),
  z.strictObject({ prepay: fractionValue }),
  z.strictObject({ copayFactor: fractionValue }),
]);

const versionFields = {
  source: id,
  /** Lowers the source's confidence for this value (our reading of it, say). */
  confidence: confidence.optional(),
  note: z.string().optional(),
};

/** One dated figure. `values` maps an effective date to the value from that date on. */
export const figure = <T extends z.ZodType>(unit: string, value: T, extra: z.core.$ZodLooseShape = {}) =>
  z.strictObject({
    unit: z.literal(unit, { error: phrase(`unit must be ${unit}`, `unit 必须为 ${unit}`) }),
    description: z.string().optional(),
    values: z.record(isoDate, z.strictObject({ value: value.nullable(), ...versionFields, ...extra })),
  });

const amountFigure = figure("yuan", byLevel(yuanValue));
const fractionFigure = figure("fraction", byLevel(fractionValue));
const adjustmentFigure = figure("fraction", adjustmentValue);

/** The figures of a kind of care that may differ for retirees (退休人员). */
const amountsAndRatios = {
  deductible: amountFigure.optional(), //         起付线
  ratio: fractionFigure.optional(), //            支付比例
  ratioClassB: fractionFigure.optional(), //      乙类 ratio where it differs
  deductibleCeiling: amountFigure.optional(), //  deductibles per year at most
  annualCap: amountFigure.optional(), //          最高支付限额
};

const kindPolicy = z.strictObject({
  ...amountsAndRatios,
  repeatAdmission: fractionFigure.optional(), //  share of the deductible from the 2nd admission
  settleAs: figure("kind", z.enum(KINDS)).optional(), // settle with another kind's figures and account
  /** The fund's payments count in this kind's annual cap too (门诊 计入统筹基金年度最高支付限额). */
  countsIn: figure("kind", z.literal("inpatient", { error: phrase("must be inpatient (the annual cap a kind's payments may count in)", "必须为 inpatient（各类支付可计入的年度限额）") })).optional(),
  /** Figures that replace the in-service ones for retirees, figure by figure; a `ratio` here is the retirees' own (no retiree adjustment on top). */
  retired: z.strictObject(amountsAndRatios).optional(),
});

/** Amount bands (src/core/model.ts Scale): what the edges count, then the bands from the bottom up. */
export const scaleValue = z.strictObject({
  measure: z.enum(["aboveThreshold", "base"], { error: phrase("must be aboveThreshold (the bands count the part above the threshold) or base (the bands count the base itself)", "必须为 aboveThreshold（分段按超过起付标准的部分计）或 base（分段按费用本身计）") }),
  bands: z
    .array(z.strictObject({ from: yuanValue, to: yuanValue.optional(), rate: fractionValue }))
    .min(1, { error: phrase("must list at least one band", "至少要有一段") }),
});

const yuanFigure = figure("yuan", yuanValue);

/** 大病保险 (critical illness insurance), the second layer after the basic fund, by scheme (README, "Critical illness"). */
const criticalIllness = z.strictObject({
  threshold: yuanFigure.optional(), //            起付标准, once a year
  bands: figure("scale", scaleValue).optional(), // 分段支付比例
  annualCap: yuanFigure.optional(), //            最高支付限额
  /** The insured groups with figures of their own (insured.group): a threshold, points on every band, no cap. */
  groups: z
    .strictObject({
      threshold: yuanFigure.optional(),
      points: figure("fraction", fractionValue).optional(),
      uncapped: figure("flag", z.literal(true)).optional(),
    })
    .optional(),
});

const schemePolicy = z.strictObject({
  retiree: adjustmentFigure.optional(),
  criticalIllness: criticalIllness.optional(),
  inpatient: kindPolicy.optional(),
  outpatient: kindPolicy.optional(),
  chronic: kindPolicy.optional(),
});

export const REDUCIBLE_ROUTES = ["in-province", "long-term", "referral", "emergency", "temporary", "unfiled"] as const;

const policy = z.strictObject({
  employee: schemePolicy.optional(),
  resident: schemePolicy.optional(),
  reductions: z.strictObject(Object.fromEntries(REDUCIBLE_ROUTES.map((r) => [r, adjustmentFigure.optional()])) as Record<(typeof REDUCIBLE_ROUTES)[number], z.ZodOptional<typeof adjustmentFigure>>).optional(),
  chronicLists: figure("lists", z.array(id)).optional(),
});

const named = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });

const sourceSchema = z.strictObject({
  title: z.string().min(1),
  document: z.string().optional(),
  url: z.string().url({ error: phrase("must be a URL", "必须为网址") }).optional(),
  date: z.union([isoDate, z.literal("undated")], { error: phrase("must be a date YYYY-MM-DD or undated", "必须为 YYYY-MM-DD 格式的日期或 undated") }),
  confidence,
  note: z.string().optional(),
});

const regionSchema = z.strictObject({
  name: z.string().min(1),
  level: z.enum(["province", "prefecture", "county"]),
  parent: regionCode.optional(),
  pool: z.literal(false).optional(),
  /** The name in pinyin, capitalised (Wuhan, Xiangxi): claims may write it; a city's rule file is named by it. */
  pinyin: z.string().regex(/^[A-Z][a-z]+$/, { error: phrase("must be a name in pinyin, capitalised, without spaces or tones (e.g. Huangshi)", "必须为首字母大写、不带空格和声调的拼音名（例如 Huangshi）") }).optional(),
});

/** A name with other ways a claim may write it (a level, a group, a value of a claim field). */
const aliased = z.strictObject({ ...named.shape, aliases: z.array(z.string().trim().min(1)).optional() });

/** values: the Chinese names of the enumerated claim fields' values (职工 for employee), by field and value id. */
const valuesSchema = z.strictObject(
  Object.fromEntries(Object.entries(VALUE_FIELDS).map(([field, { ids }]) => [field, z.strictObject(Object.fromEntries(ids.map((v) => [v, aliased.optional()]))).optional()])),
);

export const ruleFileSchema = z
  .strictObject({
    region: regionCode.optional(),
    source: id.optional(),
    sources: z.record(id, sourceSchema).optional(),
    regions: z.record(regionCode, regionSchema).optional(),
    // aliases: other ways a claim may write the level (三级 for 3), each naming one level only.
    levels: z.record(z.string().regex(/^[a-z0-9-]+$/), aliased).optional(),
    // groups: insured people with figures of their own (特困人员 …), as a claim's insured.group names them (or an alias).
    groups: z.record(id, aliased).optional(),
    // values: the names of claim field values (scheme, kind, filing, route, item class): a claim may write the id, zh or an alias; each names one value of its field.
    values: valuesSchema.optional(),
    diseases: z.record(id, named).optional(),
    chronicLists: z
      .record(id, z.strictObject({ name: named, scope: z.array(regionCode).optional(), ...figure("diseases", z.array(id), { unknown: z.number().int().min(0).optional() }).shape }))
      .optional(),
    reductionCaps: z.strictObject(Object.fromEntries(REDUCIBLE_ROUTES.map((r) => [r, figure("fraction", fractionValue).optional()]))).optional(),
    zones: z.record(id, z.strictObject({ name: named, between: z.tuple([regionCode, regionCode]), ...figure("flag", z.literal(true)).shape })).optional(),
    policy: policy.optional(),
    catalogue: z.strictObject({ classBPrepay: figure("fraction", fractionValue).optional() }).optional(),
  })
  .superRefine((f, ctx) => {
    if ((f.policy || f.catalogue) && !f.region)
      ctx.addIssue({ code: "custom", path: ["region"], message: "is required in a file with policy or catalogue figures (the 6-digit code of the region they belong to)" });
    if (f.regions && !f.source) ctx.addIssue({ code: "custom", path: ["source"], message: "is required with regions (the source of the region table)" });
  });

export type RuleFile = z.output<typeof ruleFileSchema>;
