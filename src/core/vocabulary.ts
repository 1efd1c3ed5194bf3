/**
 * The rules' vocabulary as a claim writes it: hospital levels and diseases,
 * by id or by the other names rules/national.yaml gives them; and the values of
 * the enumerated fields (scheme, kind, filing, route, item class) by their names.
 */
import { ClaimRejectedError } from "./errors.js";
import { VALUE_FIELDS, type RuleSet, type ValueField } from "./model.js";
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
  const others = names.filter((n) => !ids.includes(n));
  const aliases = others.length ? ` (or ${others.join(", ")})` : "";
  throw new ClaimRejectedError(`unknown hospital level ${JSON.stringify(written)}; one of: ${ids.join(", ")}${aliases}`, ["treatment", "level"], hint && `did you mean ${hint}?`, {
    message: `未知的医院级别 ${JSON.stringify(written)}；可选：${ids.join("、")}${others.length ? `（或 ${others.join("、")}）` : ""}`,
    ...(hint ? { hint: `是否指 ${hint}？` } : {}),
  });
}

/** treatment.disease → its id in the catalogue: the id itself (uremia-dialysis), or its Chinese name (尿毒症透析). */
/** A claim's insured.group: its id, or an alias (低保); unknown is a refusal naming the groups the rules declare. */
export function findGroup(rules: RuleSet, written: string): string {
  if (own(rules.groups, written)) return written;
  const byAlias = Object.entries(rules.groups).find(([, g]) => g.zh === written || g.aliases?.includes(written))?.[0];
  if (byAlias) return byAlias;
  const hint = closest(written, Object.keys(rules.groups));
  const groups = Object.keys(rules.groups);
  throw new ClaimRejectedError(`unknown group ${JSON.stringify(written)}: the rules declare ${groups.join(", ") || "none"} (rules/national.yaml groups)`, ["insured", "group"], hint && `did you mean ${hint}?`, {
    message: `未知的人员类别 ${JSON.stringify(written)}：规则中有 ${groups.join("、") || "无"}（rules/national.yaml groups）`,
    ...(hint ? { hint: `是否指 ${hint}？` } : {}),
  });
}

/** The disease a claim names, by its id or its Chinese name; undefined when the catalogue has none such. */
export function diseaseIdOf(rules: RuleSet, written: string): string | undefined {
  return own(rules.diseases, written) ? written : Object.entries(rules.diseases).find(([, d]) => d.zh === written)?.[0];
}

export function findDisease(rules: RuleSet, written: string): string {
  const id = diseaseIdOf(rules, written);
  if (id) return id;
  const hint = closest(written, Object.keys(rules.diseases));
  throw new ClaimRejectedError(`unknown disease ${JSON.stringify(written)}: not in the disease catalogue (rules/national.yaml)`, ["treatment", "disease"], hint && `did you mean ${hint}?`, {
    message: `未知的病种 ${JSON.stringify(written)}：不在病种目录中（rules/national.yaml）`,
    ...(hint ? { hint: `是否指 ${hint}？` } : {}),
  });
}

/** Per rule set and field: each name (zh, alias) → the id it names. */
const names = new WeakMap<RuleSet, Record<ValueField, Map<string, string>>>();

function namesOf(rules: RuleSet): Record<ValueField, Map<string, string>> {
  let n = names.get(rules);
  if (!n) {
    n = Object.create(null) as Record<ValueField, Map<string, string>>;
    for (const f of Object.keys(VALUE_FIELDS) as ValueField[])
      n[f] = new Map(Object.entries(rules.values?.[f] ?? {}).flatMap(([id, v]) => [v.zh, ...(v.aliases ?? [])].map((name) => [name, id] as const)));
    names.set(rules, n);
  }
  return n;
}

/** The id a field's value names (职工 → employee), or undefined when it is not one of the rules' names for it. */
export function valueNamed(rules: RuleSet, field: ValueField, written: string): string | undefined {
  return namesOf(rules)[field].get(written.trim());
}

/**
 * A claim's value as read (before the claim schema), with every enumerated
 * field written by a name (scheme: 职工医保, kind: 住院, items[].class: 乙类)
 * set to the id it names: changed in place, and returned. Anything else is
 * left for the schema to accept or refuse (with its did-you-mean).
 */
export function withValueIds<T>(rules: RuleSet, value: T): T {
  if (!value || typeof value !== "object") return value;
  const n = namesOf(rules);
  for (const f of VALUE_FIELD_IDS) setIds(value, VALUE_FIELDS[f].path, 0, n[f]);
  return value;
}

const VALUE_FIELD_IDS = Object.keys(VALUE_FIELDS) as ValueField[];

/** Along `path` from its `i`th segment ("*": each item of a list), the value a name names set to its id. Once per claim: no allocation. */
function setIds(node: unknown, path: readonly string[], i: number, names: ReadonlyMap<string, string>): void {
  if (!node || typeof node !== "object") return;
  const seg = path[i]!;
  if (seg === "*") {
    if (Array.isArray(node)) for (const child of node) setIds(child, path, i + 1, names);
    return;
  }
  const o = node as Record<string, unknown>;
  if (i + 1 < path.length) return setIds(o[seg], path, i + 1, names);
  const v = o[seg];
  if (typeof v !== "string") return;
  const id = names.get(v) ?? names.get(v.trim());
  if (id !== undefined) o[seg] = id;
}

/** The enumerated field a claim path is (["items", 0, "class"] → class), if it is one. */
export function valueFieldAt(path: readonly (string | number)[]): ValueField | undefined {
  return (Object.keys(VALUE_FIELDS) as ValueField[]).find((f) => {
    const p = VALUE_FIELDS[f].path as readonly string[];
    return p.length === path.length && p.every((seg, i) => seg === path[i] || (seg === "*" && typeof path[i] === "number"));
  });
}

/** Changes of claim fields (--set filing=转诊), with a value written by its name set to the id it names. */
export function overridesWithIds<O extends { readonly segments: readonly (string | number)[]; readonly value: unknown }>(rules: RuleSet, overrides: readonly O[]): O[] {
  return overrides.map((o) => {
    const field = typeof o.value === "string" ? valueFieldAt(o.segments) : undefined;
    const id = field && valueNamed(rules, field, o.value as string);
    return id ? { ...o, value: id } : o;
  });
}

/**
 * For a claim the schema refused at `path` (insured.scheme, items[0].class):
 * the name of a value closest to what the claim wrote there (职工保险 → did you
 * mean 职工医保?), which the schema, knowing only the ids, cannot give.
 */
export function valueNameHint(rules: RuleSet, value: unknown, path: string): { en: string; zh: string } | undefined {
  const segments = path.split(/[.[\]]+/).filter(Boolean).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const field = valueFieldAt(segments);
  if (!field) return undefined;
  let v = value;
  for (const seg of segments) v = v && typeof v === "object" ? (v as Record<string | number, unknown>)[seg] : undefined;
  if (typeof v !== "string" || !/[^\x00-\x7f]/.test(v)) return undefined; // an id's typo: the schema's did-you-mean says it
  const hint = closest(v.trim(), namesOf(rules)[field].keys());
  return hint ? { en: `did you mean ${hint}?`, zh: `是否指 ${hint}？` } : undefined;
}
