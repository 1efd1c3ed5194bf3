/**
 * rules/national.yaml `values`: the names of the enumerated claim fields'
 * values (职工 for employee, 转诊 for referral), compiled into the rule set's
 * one table of them. A name (zh or alias) names one value of its field, and is
 * not another value's id: `rules check` (and every command) refuses one that
 * names two.
 */
import { VALUE_FIELDS, type RuleSet, type ValueField, type ValueName } from "../core/model.js";
import { SAY, type Text } from "./check-words.js";

type Path = (string | number)[];

/** What compile gives this module to report with: an error at a path of the file, and its "defined twice" check. */
export interface ValuesReport {
  readonly error: (path: Path, message: Text, hint?: Text) => void;
  readonly define: (kind: string, key: string, path: Path) => boolean;
}

/** The values table being built from the files that declare parts of it. */
export class ClaimValues {
  private readonly table = Object.fromEntries(Object.keys(VALUE_FIELDS).map((f) => [f, Object.create(null)])) as Record<ValueField, Record<string, ValueName>>;
  /** Per field, every name → the value it names (the ids name themselves). */
  private readonly named = Object.fromEntries(Object.entries(VALUE_FIELDS).map(([f, { ids }]) => [f, new Map<string, string>(ids.map((v) => [v, v]))])) as Record<ValueField, Map<string, string>>;

  /** One file's `values` section. */
  add(section: Partial<Record<string, Partial<Record<string, ValueName | undefined>> | undefined>>, r: ValuesReport): void {
    for (const [f, values] of Object.entries(section)) {
      const field = f as ValueField;
      for (const [id, v] of Object.entries(values ?? {})) {
        if (!v || !r.define(`${field} value`, id, ["values", field, id])) continue;
        const accepted = (name: string, path: Path): boolean => {
          const other = this.named[field].get(name);
          if (other === undefined || other === id) return this.named[field].set(name, id), true;
          const w = SAY.valueNameTaken(field, name, id, other);
          r.error(path, w.message, w.hint);
          return false;
        };
        accepted(v.zh, ["values", field, id, "zh"]);
        const aliases = (v.aliases ?? []).filter((a, i) => accepted(a, ["values", field, id, "aliases", i]));
        this.table[field][id] = { zh: v.zh, en: v.en, ...(aliases.length ? { aliases } : {}) };
      }
    }
  }

  get values(): RuleSet["values"] {
    return this.table;
  }
}
