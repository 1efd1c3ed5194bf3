import { own } from "./own.js";
import { ClaimRejectedError } from "./errors.js";
import type { Region, RuleSet } from "./model.js";
import { closest } from "./suggest.js";

/** A claim names a region by 6-digit code or by name (常德市, or 常德 when unique; 湘西州; Wuhan). */
export function findRegion(rules: RuleSet, ref: string, path: readonly (string | number)[]): Region {
  const byCode = own(rules.regions, ref);
  const region = byCode ?? byName(rules, ref, path);
  if (!region) {
    // The guess is of the level the name's suffix says (州 and 市: a city; 县 and 区: a county), where it says one.
    const level = /[州市盟]$/.test(ref) ? "prefecture" : /[县区旗]$/.test(ref) ? "county" : undefined;
    // Names as written and without their suffix (湘西洲 is 1 from 湘西, 7 from 湘西土家族苗族自治州).
    const byForm = new Map<string, string>();
    // Cities first: of two guesses as close, the city (常得 → 常德市, not 常宁市).
    const order = Object.values(rules.regions).sort((a, b) => +(a.level !== "prefecture") - +(b.level !== "prefecture"));
    for (const r of order) if (!level || r.level === level) for (const form of [r.name, stripSuffix(r.name)]) if (!byForm.has(form)) byForm.set(form, r.name);
    const guess = closest(ref, /^\d+$/.test(ref) ? Object.keys(rules.regions) : byForm.keys());
    const hint = guess && (/^\d+$/.test(ref) ? guess : byForm.get(guess));
    throw new ClaimRejectedError(`unknown region ${JSON.stringify(ref)}: not in the region table (rules/regions.yaml)`, path, hint && `did you mean ${hint}?`, {
      message: `未知地区 ${JSON.stringify(ref)}：不在地区表中（rules/regions.yaml）`,
      ...(hint ? { hint: `是否指 ${hint}？` } : {}),
    });
  }
  if (!region.pool)
    throw new ClaimRejectedError(
      `${region.name} (${region.code}) is not a pooling region; name the city or county`,
      path,
      region.level === "province" ? `e.g. a prefecture of ${region.name}` : undefined,
      { message: `${region.name}（${region.code}）不是统筹区：请写明市或县`, ...(region.level === "province" ? { hint: `例如${region.name}的一个地级市` } : {}) },
    );
  return region;
}

function byName(rules: RuleSet, ref: string, path: readonly (string | number)[]): Region | undefined {
  const found = regionsNamed(rules, ref);
  if (found.length > 1)
    throw new ClaimRejectedError(`region name ${JSON.stringify(ref)} is ambiguous: ${found.map((r) => `${r.name} ${r.code}`).join(", ")}`, path, "use the 6-digit code", {
      message: `地区名 ${JSON.stringify(ref)} 有歧义：${found.map((r) => `${r.name} ${r.code}`).join("、")}`,
      hint: "请用 6 位行政区划代码",
    });
  return found[0];
}

/**
 * The regions a name means: those called exactly that; else those called that
 * in pinyin (Wuhan, any case); else those whose name without its suffix is the
 * name's without its own (常德 and 常德市; 湘西州 and 湘西土家族苗族自治州),
 * preferring those whose name ends as the one written (恩施州 is the 自治州, not
 * 恩施市). A bare name of a city means the city: 长沙 is 长沙市, not 长沙县, and
 * 荆州 is 荆州市, not its district 荆州区 (README, "Choices").
 */
export function regionsNamed(rules: RuleSet, ref: string): Region[] {
  const all = Object.values(rules.regions);
  const exact = all.filter((r) => r.name === ref);
  if (exact.length) return exact;
  const pinyin = all.filter((r) => r.pinyin !== undefined && r.pinyin.toLowerCase() === ref.toLowerCase());
  if (pinyin.length) return pinyin;
  if (ref.length < 2) return [];
  // The name as a bare name (常德, 荆州), then without its own suffix (湘西州 → 湘西).
  let bare = all.filter((r) => stripSuffix(r.name) === ref);
  const stem = stripSuffix(ref);
  if (!bare.length && stem !== ref && stem.length >= 2) {
    const suffix = ref.slice(stem.length);
    bare = all.filter((r) => stripSuffix(r.name) === stem);
    const same = bare.filter((r) => r.name.endsWith(suffix));
    if (same.length) return same;
  }
  const cities = bare.filter((r) => r.level === "prefecture");
  return cities.length === 1 ? cities : bare;
}

const stripSuffix = (name: string): string => name.replace(/(土家族苗族自治州|土家族苗族自治县|自治州|自治县|林区|市|州|县|区|省)$/u, "");
