/**
 * The files of a rules directory: one walk for the loader (src/rules/load.ts)
 * and the snapshot (src/rules/snapshot.ts), so both see the same files in the
 * same order. Rule files end in `.yaml` or `.yml`; rule test cases
 * (`*.test.yaml`, `reimburse rules test`) are not rules; a file named like a
 * rule file in other letters (`Huangshi.YAML`) is not read, and is listed so
 * that `rules check` can say so rather than skip it silently.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const RULE_FILE = /\.ya?ml$/;
export const TEST_FILE = /\.test\.ya?ml$/;
/** Named like a rule file, but not in lower case: not read. */
const LOOKS_LIKE_RULES = /\.ya?ml$/i;

export interface RuleFiles {
  /** Path inside the directory ("/"-separated) and full path of each rule file, sorted by path. */
  readonly files: readonly { readonly rel: string; readonly path: string }[];
  /** Files named like rule files in other letters, not read (paths inside the directory). */
  readonly ignored: readonly string[];
}

export function ruleFiles(dir: string): RuleFiles {
  const files: { rel: string; path: string }[] = [];
  const ignored: string[] = [];
  const walk = (d: string, prefix: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(d, e.name);
      const rel = prefix + e.name;
      if (e.isDirectory() || (e.isSymbolicLink() && statSync(path).isDirectory())) walk(path, `${rel}/`);
      else if (TEST_FILE.test(e.name)) continue;
      else if (RULE_FILE.test(e.name)) files.push({ rel, path });
      else if (LOOKS_LIKE_RULES.test(e.name)) ignored.push(rel);
    }
  };
  walk(dir, "");
  return { files, ignored };
}
