import { own } from "./own.js";
import type { Claim } from "../claims/schema.js";
import { versionAt } from "./lookup.js";
import type { Region, Route, RuleSet, Version, Zone } from "./model.js";

export interface RouteDecision {
  readonly route: Route;
  readonly en: string;
  readonly zh: string;
  readonly zone?: { readonly zone: Zone; readonly version: Version<boolean> };
}

/** The zone pairs (互认区域) whose two sides hold insured and treatment place, on any date. */
function zonesBetween(rules: RuleSet, insured: Region, treated: Region): Zone[] {
  const up = (r: Region): Set<string> => {
    const s = new Set<string>();
    for (let c: string | undefined = r.code; c; c = own(rules.regions, c)?.parent) s.add(c);
    return s;
  };
  const [a, b] = [up(insured), up(treated)];
  return Object.values(rules.zones).filter(({ between: [x, y] }) => (a.has(x) && b.has(y)) || (a.has(y) && b.has(x)));
}

/** The zone pair (互认区域) covering insured ↔ treatment on a date, if any. */
export function zoneFor(rules: RuleSet, insured: Region, treated: Region, date: string): RouteDecision["zone"] {
  for (const zone of zonesBetween(rules, insured, treated)) {
    const version = versionAt(zone.figure, date);
    if (version?.value === true) return { zone, version };
  }
  return undefined;
}

/** A zone pair covering insured ↔ treatment that is not in force on `date` but starts later: the zone and the date it starts. */
export function zoneLater(rules: RuleSet, insured: Region, treated: Region, date: string): { readonly zone: Zone; readonly from: string } | undefined {
  if (zoneFor(rules, insured, treated, date)) return undefined;
  for (const zone of zonesBetween(rules, insured, treated)) {
    const next = zone.figure.versions.find((v) => v.from > date && v.value === true);
    if (next) return { zone, from: next.from };
  }
  return undefined;
}

/**
 * The settlement route. Same pooling region: local; same province: in-province;
 * an inpatient stay in a zone pair: zone (no filing, no reduction). Otherwise
 * the filing decides, with one rule of 医保发〔2022〕22号 on top: an emergency
 * (急诊抢救) counts as filed, so it turns `temporary` and `none` into
 * `emergency`; long-term and referral filings keep their own route.
 */
export function decideRoute(rules: RuleSet, claim: Claim, insured: Region, treated: Region): RouteDecision {
  if (insured.pool === treated.pool)
    return { route: "local", en: `treated in the insured person's own pooling region (${insured.name})`, zh: "参保统筹区内就医" };
  if (insured.province === treated.province)
    return { route: "in-province", en: "treated in another pooling region of the same province", zh: "省内异地就医" };
  if (claim.treatment.kind === "inpatient") {
    const zone = zoneFor(rules, insured, treated, claim.date);
    if (zone)
      return {
        route: "zone",
        en: `inpatient stay inside the mutual-recognition zone ${zone.zone.name.en}: counts as local, no filing needed, no reduction`,
        zh: `互认区域（${zone.zone.name.zh}）内住院，视同统筹区内就医，免备案、不降比`,
        zone,
      };
  }
  const emergency = claim.treatment.emergency || claim.filing === "emergency";
  switch (claim.filing) {
    case "long-term":
      return { route: "long-term", en: "filed as living elsewhere long-term (异地长期居住)", zh: "异地长期居住人员（已备案）" };
    case "referral":
      return { route: "referral", en: "filed referral (异地转诊)", zh: "异地转诊人员（已备案）" };
  }
  if (emergency)
    return {
      route: "emergency",
      en: `emergency treatment (急诊抢救), deemed filed${claim.filing === "emergency" ? "" : ` although filing is ${claim.filing ?? "not given"}`}`,
      zh: "异地急诊抢救人员，视同已备案",
    };
  if (claim.filing === "temporary")
    return { route: "temporary", en: "other temporary patient, filed (其他临时外出就医)", zh: "其他临时外出就医人员（已备案）" };
  return {
    route: "unfiled",
    en: `no filing${claim.filing ? "" : " given"}: manual reimbursement at the insured place`,
    zh: "未按规定备案，回参保地手工报销",
  };
}
