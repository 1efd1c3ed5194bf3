/**
 * One settlement as a flat record with stable, documented column names: the
 * CSV/TSV columns of `calc`, `compare` and `batch` (README, "CSV columns").
 * Add columns at the end; never rename or reorder.
 */
import type { SettlementJson } from "./json.js";

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
] as const;

export type FlatColumn = (typeof FLAT_COLUMNS)[number];
export type FlatRecord = Record<FlatColumn, string | number | boolean>;

export function flatten(j: SettlementJson): FlatRecord {
  const b = j.breakdown;
  return {
    id: j.id ?? "",
    date: j.date,
    route: j.route,
    payable: j.payable,
    personal: j.personal,
    total: b.total,
    excluded: b.excluded,
    prepay: b.prepay,
    inPolicy: b.inPolicy,
    routePrepay: b.routePrepay,
    deductible: b.deductible,
    ratio: b.ratio,
    reductionMechanism: b.reduction.mechanism,
    reductionRate: b.reduction.rate,
    reductionAmount: b.reduction.amount,
    copay: b.copay,
    overCap: b.overCap,
    insuredRegion: j.insured.region,
    scheme: j.insured.scheme,
    retired: j.insured.retired,
    treatmentRegion: j.treatment.region,
    level: j.treatment.level,
    kind: j.treatment.kind,
    disease: j.treatment.disease ?? "",
    warnings: j.warnings.map((w) => w.code).join(";"),
    rulesVersion: j.rules.version,
  };
}
