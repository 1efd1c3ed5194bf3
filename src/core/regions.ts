import { own } from "./own.js";
import { ClaimRejectedError } from "./errors.js";
import type { Region, RuleSet } from "./model.js";
import { closest } from "./suggest.js";

/** A claim names a region by 6-digit code or by name (常德市, or 常德 when unique). */
export function findRegion(rules: RuleSet, ref: string, path: readonly (string | number)[]): Region {
  const byCode = own(rules.regions, ref);
  const region = byCode ?? byName(rules, ref, path);
  if (!region) {
    const names = Object.values(rules.regions).map((r) => r.name);
    const hint = closest(ref, /^\d+$/.test(ref) ? Object.keys(rules.regions) : names);
    throw new ClaimRejectedError(`unknown region ${JSON.stringify(ref)}: not in the region table (rules/regions.yaml)`, path, hint && `did you mean ${hint}?`);
  }
  if (!region.pool)
    throw new ClaimRejectedError(
      `${region.name} (${region.code}) is not a pooling region; name the city or county`,
      path,
      region.level === "province" ? `e.g. a prefecture of ${region.name}` : undefined,
    );
  return region;
}

function byName(rules: RuleSet, ref: string, path: readonly (string | number)[]): Region | undefined {
  const found = regionsNamed(rules, ref);
  if (found.length > 1)
    throw new ClaimRejectedError(`region name ${JSON.stringify(ref)} is ambiguous: ${found.map((r) => `${r.name} ${r.code}`).join(", ")}`, path, "use the 6-digit code");
  return found[0];
}

/**
 * The regions a name means: those called exactly that, else those called that
 * with a suffix (常德 → 常德市). A bare name of a city means the city: 长沙 is
 * 长沙市, not 长沙县, and 荆州 is 荆州市, not its district 荆州区 (README, "Choices").
 */
export function regionsNamed(rules: RuleSet, ref: string): Region[] {
  const all = Object.values(rules.regions);
  const exact = all.filter((r) => r.name === ref);
  if (exact.length) return exact;
  const bare = all.filter((r) => stripSuffix(r.name) === ref && ref.length >= 2);
  const cities = bare.filter((r) => r.level === "prefecture");
  return cities.length === 1 ? cities : bare;
}

const stripSuffix = (name: string): string => name.replace(/(土家族苗族自治州|土家族苗族自治县|自治州|自治县|林区|市|州|县|区|省)$/u, "");
