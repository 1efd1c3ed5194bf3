/** Reads a rules directory from disk and compiles it (the IO half of rules/). */
import { readFileSync, statSync } from "node:fs";
import { dirname, join, resolve as resolvePath, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { RuleSet } from "../core/model.js";
import { DiagnosticsError, EXIT, systemError, systemReason, UsageError } from "../errors.js";
import { decodeUtf8 } from "../io.js";
import type { RuleText } from "./compile.js";
import { displayPath, unreadable, walkRulesDir } from "./files.js";
import { loadSnapshot } from "./snapshot.js";

/** The package's own rules/ folder, wherever the code runs from (src/ or dist/). */
export function shippedRulesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      if (statSync(join(dir, "rules", "national.yaml")).isFile()) return join(dir, "rules");
    } catch {
      /* keep walking up */
    }
    dir = dirname(dir);
  }
  throw new Error("cannot find the shipped rules/ folder next to the program");
}

function shippedOrUndefined(): string | undefined {
  try {
    return shippedRulesDir();
  } catch {
    return undefined;
  }
}

export { displayPath, TEST_FILE } from "./files.js";

/** The rule files of a directory as text (src/rules/files.ts walks it); one that cannot be read carries its problem. */
export function readRuleTexts(dir: string): RuleText[] {
  const out = walkRulesDir(dir).files.map((f) => (f.problem ? { file: f.problem.file, rel: f.rel, text: "", problems: [f.problem] } : readRuleFile(f.path, f.rel)));
  if (!out.length) throw new UsageError(`no .yaml rule files in ${dir}`);
  return out;
}

/** A rule file may be this large at most (the largest shipped one is under 20 KB):
 * parsing and checking stay within seconds on any rule file. */
export const MAX_RULE_BYTES = 2 * 1024 * 1024;

/** One rule file as text: strictly UTF-8 and bounded in size, or its problem
 * (located, reported by compile like any other) and no text. */
function readRuleFile(p: string, rel: string): RuleText {
  const file = displayPath(p);
  let size: number;
  let bytes: Buffer;
  try {
    size = statSync(p).size;
    bytes = size > MAX_RULE_BYTES ? Buffer.alloc(0) : readFileSync(p);
  } catch (e) {
    const f = systemError(e, file, "read");
    if (!(f instanceof UsageError)) throw f; // an I/O error (exit 74)
    return { file, rel, text: "", problems: [unreadable(p, `cannot read it: ${systemReason(e as NodeJS.ErrnoException)}`)] };
  }
  if (size > MAX_RULE_BYTES) {
    const mb = (x: number) => `${Number((x / 1024 / 1024).toFixed(1))} MB`;
    return { file, rel, text: "", problems: [{ code: "too-large", severity: "error", message: `file is too large (${mb(size)}; a rule file may be at most ${mb(MAX_RULE_BYTES)}): not read`, file, line: 0, col: 0 }] };
  }
  try {
    decodeUtf8(file, bytes, EXIT.rules); // throws, located, on the first byte that is not UTF-8
    return { file, rel, text: bytes.toString("utf8") }; // as read: a BOM kept (the rule-set version hashes the text)
  } catch (e) {
    if (e instanceof DiagnosticsError) return { file, rel, text: "", problems: e.diagnostics };
    throw e;
  }
}

/** The rules directory a command reads, as a full path: --rules DIR, or the shipped rules. */
export function rulesDirOf(dir?: string): string {
  return resolvePath(dir ?? shippedRulesDir());
}

/**
 * Rules ready for settlement, or exit 3 with every problem located. The
 * shipped rules come from their build-time snapshot while their files are
 * unchanged (src/rules/snapshot.ts); other rules are compiled, and only then
 * are the compiler and its libraries (yaml, zod) loaded.
 */
export async function loadRules(dir?: string): Promise<RuleSet> {
  const shipped = shippedOrUndefined();
  dir ??= shipped ?? shippedRulesDir();
  const installed = resolvePath(dir).split(sep).includes("node_modules"); // a hint then says to copy the rules before editing them
  if (shipped !== undefined && resolvePath(dir) === shipped) {
    const snap = loadSnapshot(shipped);
    if (snap) return installed ? { ...snap, installed } : snap;
  }
  const { compileRules } = await import("./compile.js");
  const c = compileRules(readRuleTexts(dir));
  if (!c.rules) throw new DiagnosticsError(c.diagnostics.filter((d) => d.severity === "error"), EXIT.rules);
  return installed ? { ...c.rules, installed } : c.rules;
}
