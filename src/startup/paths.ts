import { statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package's rules/ folder (as src/rules/load.ts shippedRulesDir), or undefined. */
export function shippedDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      if (statSync(join(dir, "rules", "national.yaml")).isFile()) return join(dir, "rules");
    } catch {
      /* keep walking up */
    }
    dir = dirname(dir);
  }
  return undefined;
}
