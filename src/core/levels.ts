/**
 * A hospital level as a claim writes it (treatment.level) → its id in the
 * rules: the id itself ("3"), or one of its aliases ("三级"), as
 * rules/national.yaml lists them. Compile has checked that an alias names one
 * level only.
 */
import { ClaimRejectedError } from "./errors.js";
import type { RuleSet } from "./model.js";
import { own } from "./own.js";
import { closest } from "./suggest.js";

export function findLevel(rules: RuleSet, written: string): string {
  if (own(rules.levels, written)) return written;
  const ids = Object.keys(rules.levels);
  for (const id of ids) if (rules.levels[id]!.aliases?.includes(written)) return id;
  const names = ids.flatMap((id) => [id, ...(rules.levels[id]!.aliases ?? [])]);
  const hint = closest(written, names);
  const aliases = names.length > ids.length ? ` (or ${names.filter((n) => !ids.includes(n)).join(", ")})` : "";
  throw new ClaimRejectedError(`unknown hospital level ${JSON.stringify(written)}; one of: ${ids.join(", ")}${aliases}`, ["treatment", "level"], hint && `did you mean ${hint}?`);
}
