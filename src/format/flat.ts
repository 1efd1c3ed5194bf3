/**
 * One settlement as a flat record with stable, documented column names: the
 * CSV/TSV columns of `calc`, `compare` and `batch` (docs/output.md, "CSV and TSV").
 * Add columns at the end; never rename or reorder.
 */
import { toYuan } from "../core/money.js";
import type { RuleSet } from "../core/model.js";
import { toNumber } from "../core/rate.js";
import type { Settlement } from "../core/settlement.js";

export const FLAT_COLUMNS = [
  "id",
  "date",
  "route",
  "payable",
  "personal",
  "total",
  "excluded",
  "prepay",
  "inPolicy",
  "routePrepay",
  "deductible",
  "ratio",
  "reductionMechanism",
  "reductionRate",
  "reductionAmount",
  "copay",
  "overCap",
  "insuredRegion",
  "scheme",
  "retired",
  "treatmentRegion",
  "level",
  "kind",
  "disease",
  "warnings",
  "rulesVersion",
  "insuredId",
  "hospital",
  "criticalIllness",
  "criticalIllnessBase",
] as const;

export type FlatColumn = (typeof FLAT_COLUMNS)[number];
export type FlatRecord = Record<FlatColumn, string | number | boolean>;

/** One settlement's flat record. Money in yuan, rates as fractions, as in the JSON (src/format/json.ts). */
export function flatten(s: Settlement, rules: RuleSet): FlatRecord {
  return {
    id: s.id ?? "",
    date: s.date,
    route: s.route,
    payable: toYuan(s.fund),
    personal: toYuan(s.personal),
    total: toYuan(s.total),
    excluded: toYuan(s.excluded),
    prepay: toYuan(s.prepay),
    inPolicy: toYuan(s.inPolicy),
    routePrepay: toYuan(s.routePrepay),
    deductible: toYuan(s.deductible),
    ratio: toNumber(s.ratio),
    reductionMechanism: s.reduction.mechanism,
    reductionRate: toNumber(s.reduction.rate),
    reductionAmount: toYuan(s.reduction.amount),
    copay: toYuan(s.copay),
    overCap: toYuan(s.overCap),
    insuredRegion: s.insured.region,
    scheme: s.insured.scheme,
    retired: s.insured.retired,
    treatmentRegion: s.treatment.region,
    level: s.treatment.level,
    kind: s.treatment.kind,
    disease: s.treatment.disease ?? "",
    warnings: s.warnings.map((w) => w.code).join(";"),
    rulesVersion: rules.version,
    insuredId: s.insured.id ?? "",
    hospital: s.treatment.hospital ?? "",
    // 大病保险 on this claim, and the base it was computed on; empty where the layer does not apply or its figures are missing.
    criticalIllness: s.critical ? toYuan(s.critical.payable) : "",
    criticalIllnessBase: s.critical ? toYuan(s.critical.base) : "",
  };
}
