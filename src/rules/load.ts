/** Reads a rules directory from disk and compiles it (the IO half of rules/). */
import { readdirSync, readFileSync, readlinkSync, statSync, type Stats } from "node:fs";
import { dirname, join, relative, resolve as resolvePath, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { RuleSet } from "../core/model.js";
import type { Diagnostic } from "../diagnostics.js";
import { DiagnosticsError, EXIT, systemError, systemReason, UsageError } from "../errors.js";
import { decodeUtf8 } from "../io.js";
import type { RuleText } from "./compile.js";
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

/** How a path is shown in messages: relative to the working directory when inside it. */
export function displayPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith("..") && !resolvePath(rel).startsWith("..") ? rel.split(sep).join("/") : p;
}

/** Rule test cases live beside the rules (`reimburse rules test`); they are not rules. */
export const TEST_FILE = /\.test\.ya?ml$/;

export function readRuleTexts(dir: string): RuleText[] {
  const out = walkRulesDir(dir, (name) => /\.ya?ml$/.test(name) && !TEST_FILE.test(name)).map((f) =>
    "problem" in f ? { file: f.problem.file, text: "", problems: [f.problem] } : readRuleFile(f.path),
  );
  if (!out.length) throw new UsageError(`no .yaml rule files in ${dir}`);
  return out;
}

/** A file or directory under a rules directory that cannot be read, located at its path: a problem like any other of the rules. */
function unreadable(p: string, message: string, code = "unreadable"): Diagnostic {
  return { code, severity: "error", message, file: displayPath(p), line: 0, col: 0 };
}

/** Why `p`, which statSync could not follow, cannot be read: a dangling symbolic link, a loop of links, a permission. */
function whyUnreadable(p: string, e: unknown): string {
  if ((e as NodeJS.ErrnoException).code === "ENOENT")
    try {
      return `a symbolic link to ${readlinkSync(p)}, which does not exist: remove the link or restore its file`;
    } catch {
      /* not a link after all */
    }
  return `cannot read it: ${systemReason(e as NodeJS.ErrnoException)}`;
}

/**
 * The files under a rules directory whose names `wanted` accepts, in sorted
 * order, through symbolic links: each its path, or the problem that keeps it
 * from being read (a dangling link, no permission on it or on its directory),
 * located at its path, so that the rest is still read and every problem is
 * reported. A symbolic link back to a directory that holds it (a loop:
 * `rules/x → .`, or `/bin/X11 → .` under `--rules /`) is named and ends the
 * walk (exit 3): it is never followed round. An I/O error is the machine's (exit 74).
 */
export function walkRulesDir(dir: string, wanted: (name: string) => boolean): ({ readonly path: string } | { readonly problem: Diagnostic })[] {
  let st: Stats;
  try {
    st = statSync(dir);
  } catch (e) {
    throw (e as NodeJS.ErrnoException).code === "ENOENT" ? new UsageError(`rules directory not found: ${dir}`) : systemError(e, `rules directory ${dir}`, "read");
  }
  if (!st.isDirectory()) throw new UsageError(`not a directory: ${dir}`);
  const out: ({ path: string } | { problem: Diagnostic })[] = [];
  const walk = (d: string, ancestors: readonly { id: string; path: string }[]): void => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch (e) {
      const f = systemError(e, `rules directory ${d}`, "read");
      if (d === dir || !(f instanceof UsageError)) throw f; // the directory given cannot be listed (exit 2); an I/O error (exit 74)
      out.push({ problem: unreadable(d, `cannot read the directory: ${systemReason(e as NodeJS.ErrnoException)}`) });
      return;
    }
    for (const name of names) {
      const p = join(d, name);
      let s: Stats;
      try {
        s = statSync(p);
      } catch (e) {
        // What is not a rule file by its name is not the rules' business (a dangling README link).
        if (wanted(name)) out.push({ problem: unreadable(p, whyUnreadable(p, e)) });
        continue;
      }
      if (s.isDirectory()) {
        const id = `${s.dev}:${s.ino}`;
        const back = ancestors.find((a) => a.id === id);
        if (back)
          throw new DiagnosticsError(
            [unreadable(p, `a symbolic link loop: it leads back to ${displayPath(back.path)}, which holds it; remove the link, or give a directory without it`, "symlink-loop")],
            EXIT.rules,
          );
        walk(p, [...ancestors, { id, path: p }]);
      } else if (wanted(name)) out.push({ path: p });
    }
  };
  walk(dir, [{ id: `${st.dev}:${st.ino}`, path: dir }]);
  return out;
}

/** A rule file may be this large at most (the largest shipped one is under 20 KB):
 * parsing and checking stay within seconds on any rule file. */
export const MAX_RULE_BYTES = 2 * 1024 * 1024;

/** One rule file as text: strictly UTF-8 and bounded in size, or its problem
 * (located, reported by compile like any other) and no text. */
function readRuleFile(p: string): RuleText {
  const file = displayPath(p);
  let size: number;
  let bytes: Buffer;
  try {
    size = statSync(p).size;
    bytes = size > MAX_RULE_BYTES ? Buffer.alloc(0) : readFileSync(p);
  } catch (e) {
    const f = systemError(e, file, "read");
    if (!(f instanceof UsageError)) throw f; // an I/O error (exit 74)
    return { file, text: "", problems: [unreadable(p, `cannot read it: ${systemReason(e as NodeJS.ErrnoException)}`)] };
  }
  if (size > MAX_RULE_BYTES) {
    const mb = (x: number) => `${Number((x / 1024 / 1024).toFixed(1))} MB`;
    return { file, text: "", problems: [{ code: "too-large", severity: "error", message: `file is too large (${mb(size)}; a rule file may be at most ${mb(MAX_RULE_BYTES)}): not read`, file, line: 0, col: 0 }] };
  }
  try {
    decodeUtf8(file, bytes, EXIT.rules); // throws, located, on the first byte that is not UTF-8
    return { file, text: bytes.toString("utf8") }; // as read before: a BOM kept (the rule-set version hashes the text)
  } catch (e) {
    if (e instanceof DiagnosticsError) return { file, text: "", problems: e.diagnostics };
    throw e;
  }
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
  if (shipped !== undefined && resolvePath(dir) === shipped) {
    const snap = loadSnapshot(shipped);
    if (snap) return snap;
  }
  const { compileDir } = await import("./compile.js");
  const c = compileDir(dir);
  if (!c.rules) throw new DiagnosticsError(c.diagnostics.filter((d) => d.severity === "error"), EXIT.rules);
  return c.rules;
}
