/**
 * Names shared by the rules commands: the figures a region layer can hold
 * (with their units), and regions looked up by code or name.
 */
import { own } from "../core/own.js";
import { KINDS, SCHEMES, type Region, type RuleSet } from "../core/model.js";
import { regionsNamed } from "../core/regions.js";
import { closest } from "../core/suggest.js";
import { UsageError } from "../errors.js";
import { REQUIRED, TEMPORARY_ROUTES } from "./checks.js";
import { REDUCIBLE_ROUTES } from "./schema.js";

/** Every figure a region layer can hold, and the unit it is written in. */
export const FIGURE_UNITS: Readonly<Record<string, string>> = Object.fromEntries([
  ...SCHEMES.flatMap((s) => [
    [`${s}.retiree`, "fraction"],
    ...KINDS.flatMap((k) => [
      [`${s}.${k}.deductible`, "yuan"],
      [`${s}.${k}.ratio`, "fraction"],
      [`${s}.${k}.ratioClassB`, "fraction"],
      [`${s}.${k}.repeatAdmission`, "fraction"],
      [`${s}.${k}.deductibleCeiling`, "yuan"],
      [`${s}.${k}.annualCap`, "yuan"],
      [`${s}.${k}.settleAs`, "kind"],
      [`${s}.${k}.countsIn`, "kind"],
    ]),
    [`${s}.criticalIllness.threshold`, "yuan"],
    [`${s}.criticalIllness.bands`, "scale"],
    [`${s}.criticalIllness.annualCap`, "yuan"],
  ]),
  ...REDUCIBLE_ROUTES.map((r) => [`reductions.${r}`, "fraction"]),
  ["chronicLists", "lists"],
  ["catalogue.classBPrepay", "fraction"],
]);

/**
 * Figures some claim of a region needs (`rules show` lists those it lacks):
 * each scheme's inpatient and outpatient deductible, ratio and cap, the
 * temporary routes' reductions, the chronic lists, and the class B prepay of
 * its catalogue. Chronic care reads its own figures or those it settles as.
 */
export function neededFigures(schemes: readonly string[], kinds: readonly string[] = ["inpatient", "outpatient"]): string[] {
  return [
    ...schemes.flatMap((s) => kinds.flatMap((k) => REQUIRED.map((r) => `${s}.${k}.${r}`))),
    // 大病保险: without it a result's personal share is before the second layer (a warning, not a gap).
    ...schemes.flatMap((s) => ["threshold", "bands", "annualCap"].map((f) => `${s}.criticalIllness.${f}`)),
    ...TEMPORARY_ROUTES.map((r) => `reductions.${r}`),
    "chronicLists",
    "catalogue.classBPrepay",
  ];
}

/** A region by 6-digit code or name (常德市, or 常德 when only one region is called that). */
export function findRegionRef(rules: RuleSet, ref: string): Region {
  const all = Object.values(rules.regions);
  const byCode = own(rules.regions, ref);
  const hits = byCode ? [byCode] : regionsNamed(rules, ref);
  if (hits.length === 1) return hits[0]!;
  if (hits.length > 1) throw new UsageError(`region ${JSON.stringify(ref)} is ambiguous: ${hits.map((r) => `${r.name} ${r.code}`).join(", ")}; use the 6-digit code`);
  const hint = closest(ref, /^\d+$/.test(ref) ? Object.keys(rules.regions) : all.map((r) => r.name));
  throw new UsageError(`unknown region ${JSON.stringify(ref)}: not in the region table${hint ? ` (did you mean ${hint}?)` : ""}`);
}
