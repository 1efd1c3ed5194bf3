/**
 * Claim file, format version 1. The zod schema is the single definition of the
 * shape: `Claim` is inferred from it, and the compiled validator batch and the
 * quick start use is generated from it (src/claims/validate.ts). Its checks and
 * conversions are the named functions of src/claims/fields.ts. Amounts are read
 * as yuan and leave this module as integer fen.
 */
import { show, showZh } from "../core/own.js";
import { closest } from "../core/suggest.js";
import { z } from "zod";
import { FILINGS, ITEM_CLASSES, KINDS, ROUTES, SCHEMES } from "../core/model.js";
import { isoDate } from "../schemas.js";
import { claimChecks, fenOfYuan, isAmountInput, trimmed, trimString } from "./fields.js";
import { phrase, said } from "../words.js";

/** An amount as written: a number or a string (its JSON Schema: src/claims/jsonschema.ts). */
export const amountInput = z.custom<number | string>(isAmountInput, {
  error: (i) => said(`must be an amount in yuan (a number or a string like "1234.56"), got ${show(i.input)}`, `必须为以元为单位的金额（数字，或 "1234.56" 这样的文本），实际为 ${showZh(i.input)}`),
});

/** Yuan in, fen out; at most 2 decimals, never negative. */
export const amount = amountInput.transform(fenOfYuan);

const code = z.union([z.string(), z.number().int()], { error: phrase("must be a 6-digit division code or a region name", "必须为 6 位行政区划代码或地区名称") }).transform(trimmed);

const WHOLE = phrase("must be a whole number ≥ 0", "必须为 ≥ 0 的整数");
const count = z.number({ error: WHOLE }).int({ error: WHOLE }).min(0, { error: WHOLE });
const BOOLEAN = phrase("must be true or false", "必须为 true 或 false");

/**
 * A value of a list (scheme, kind, filing, route, item class), read without
 * surrounding blanks, as regions and levels are. Its names (职工医保 for
 * employee) are the rules' (rules/national.yaml values), set to the ids before
 * this schema reads the claim (src/core/vocabulary.ts withValueIds): what
 * reaches it in another script is no name of a value.
 */
/** The fields enumOf reads, as the Chinese forms name them. */
const WHAT_ZH: Readonly<Record<string, string>> = { scheme: "险种", kind: "就医类型", filing: "备案类型", route: "结算路径", class: "费用类别" };

const enumOf = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.preprocess(
    trimString,
    z.enum(values, {
      error: (i) => {
        const hint = typeof i.input === "string" ? closest(i.input, values) : undefined;
        const named = typeof i.input === "string" && /[^\x00-\x7f]/.test(i.input) ? `, or a Chinese name of one (rules/national.yaml values.${what})` : "";
        const namedZh = named && `，或其中文名称（rules/national.yaml values.${what}）`;
        return said(
          `unknown ${what} ${show(i.input)}; one of: ${values.join(", ")}${named}${hint ? ` (did you mean ${hint}?)` : ""}`,
          `未知的${WHAT_ZH[what] ?? what} ${show(i.input)}；可选：${values.join("、")}${namedZh}${hint ? `（是否指 ${hint}？）` : ""}`,
        );
      },
    }),
  );

export const itemSchema = z.strictObject({
  name: z.string().min(1).max(500),
  class: enumOf(ITEM_CLASSES, "class"),
  amount,
  /** 乙类先行自付 amount printed on the bill (yuan); overrides the catalogue share for this line. */
  prepay: amount.optional(),
});

export const costsSchema = z.strictObject({
  classA: amount.default(0),
  classB: amount.default(0),
  excluded: amount.default(0),
  /** 乙类先行自付 total printed on the bill (yuan), at most classB: used instead of the treatment place's share. */
  prepay: amount.optional(),
  total: amount.optional(),
});

/** One annual account of the year so far: fund payments and deductibles of one kind of care (README, "Annual accounts"). */
const account = z
  .strictObject({ fundPaid: amount.default(0), deductiblePaid: amount.default(0) })
  .default({ fundPaid: 0, deductiblePaid: 0 });

export const claimSchema = z
  .strictObject({
    format: z.literal(1, { error: phrase("claim format version must be 1", "申报格式版本必须为 1") }).optional(),
    id: z.union([z.string().max(200), z.number()]).transform(String).optional(),
    date: isoDate,
    insured: z.strictObject({
      id: z.union([z.string().max(200), z.number()]).transform(String).optional(),
      region: code,
      scheme: enumOf(SCHEMES, "scheme"),
      retired: z.boolean({ error: BOOLEAN }).default(false),
      /** A group with 大病保险 figures of its own (特困人员 …): an id or alias the rules declare (rules/national.yaml groups). */
      group: z.string().transform(trimmed).optional(),
    }),
    treatment: z.strictObject({
      region: code,
      hospital: z.string().max(500).optional(),
      level: z.union([z.string(), z.number().int()], { error: phrase("must be a hospital level: community, 1, 2, 3, …", "必须为医院级别：community、1、2、3……") }).transform(trimmed),
      kind: enumOf(KINDS, "kind"),
      disease: z.string().transform(trimmed).optional(),
      emergency: z.boolean({ error: BOOLEAN }).default(false),
    }),
    filing: enumOf(FILINGS, "filing").optional(),
    /** What-if: settle as if the route were this one (scenarios); normally derived. */
    route: enumOf(ROUTES, "route").optional(),
    costs: costsSchema.optional(),
    items: z.array(itemSchema).min(1, { error: phrase("must list at least one item", "至少要有一条明细") }).max(100_000).optional(),
    history: z
      .strictObject({
        fundPaid: amount.default(0),
        admissions: count.default(0),
        deductiblePaid: amount.default(0),
        outpatient: account,
        chronic: account,
        criticalIllness: z.strictObject({ base: amount.default(0), paid: amount.default(0) }).default({ base: 0, paid: 0 }),
      })
      .default({ fundPaid: 0, admissions: 0, deductiblePaid: 0, outpatient: { fundPaid: 0, deductiblePaid: 0 }, chronic: { fundPaid: 0, deductiblePaid: 0 }, criticalIllness: { base: 0, paid: 0 } }),
  })
  .check(claimChecks);

export type Claim = z.output<typeof claimSchema>;
export type ClaimInput = z.input<typeof claimSchema>;
