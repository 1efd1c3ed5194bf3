/**
 * The rules' vocabulary as a claim writes it: hospital levels and diseases,
 * by id or by the other names rules/national.yaml gives them.
 */
import { ClaimRejectedError } from "./errors.js";
import type { RuleSet } from "./model.js";
import { own } from "./own.js";
import { closest } from "./suggest.js";

/**
 * treatment.level → its id: the id itself ("3"), or one of its aliases
 * ("三级"). Compile has checked that an alias names one level only.
 */
export function findLevel(rules: RuleSet, written: string): string {
  if (own(rules.levels, written)) return written;
  const ids = Object.keys(rules.levels);
  for (const id of ids) if (rules.levels[id]!.aliases?.includes(written)) return id;
  const names = ids.flatMap((id) => [id, ...(rules.levels[id]!.aliases ?? [])]);
  const hint = closest(written, names);
  const aliases = names.length > ids.length ? ` (or ${names.filter((n) => !ids.includes(n)).join(", ")})` : "";
  throw new ClaimRejectedError(`unknown hospital level ${JSON.stringify(written)}; one of: ${ids.join(", ")}${aliases}`, ["treatment", "level"], hint && `did you mean ${hint}?`);
}

/** treatment.disease → its id in the catalogue: the id itself (uremia-dialysis), or its Chinese name (尿毒症透析). */
/** A claim's insured.group: its id, or an alias (低保); unknown is a refusal naming the groups the rules declare. */
export function findGroup(rules: RuleSet, written: string): string {
  if (own(rules.groups, written)) return written;
  const byAlias = Object.entries(rules.groups).find(([, g]) => g.zh === written || g.aliases?.includes(written))?.[0];
  if (byAlias) return byAlias;
  const hint = closest(written, Object.keys(rules.groups));
  throw new ClaimRejectedError(`unknown group ${JSON.stringify(written)}: the rules declare ${Object.keys(rules.groups).join(", ") || "none"} (rules/national.yaml groups)`, ["insured", "group"], hint && `did you mean ${hint}?`);
}

export function findDisease(rules: RuleSet, written: string): string {
  if (own(rules.diseases, written)) return written;
  const byZh = Object.entries(rules.diseases).find(([, d]) => d.zh === written)?.[0];
  if (byZh) return byZh;
  const hint = closest(written, Object.keys(rules.diseases));
  throw new ClaimRejectedError(`unknown disease ${JSON.stringify(written)}: not in the disease catalogue (rules/national.yaml)`, ["treatment", "disease"], hint && `did you mean ${hint}?`);
}
