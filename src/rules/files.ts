/**
 * The files of a rules directory: one walk for the loader (src/rules/load.ts),
 * the snapshot (src/rules/snapshot.ts) and `rules test`, so all of them see the
 * same files in the same order and meet the same problems. Rule files end in
 * `.yaml` or `.yml`; rule test cases (`*.test.yaml`) are not rules; a file
 * named like a rule file in other letters (`Huangshi.YAML`) is not read, and
 * is listed so that `rules check` can say so rather than skip it silently.
 */
import { readdirSync, readlinkSync, statSync, type Stats } from "node:fs";
import { join, relative, resolve as resolvePath, sep } from "node:path";
import type { Diagnostic } from "../diagnostics.js";
import { DiagnosticsError, EXIT, systemError, systemReason, UsageError } from "../errors.js";

export const RULE_FILE = /\.ya?ml$/;
export const TEST_FILE = /\.test\.ya?ml$/;
export const isRuleFile = (name: string): boolean => RULE_FILE.test(name) && !TEST_FILE.test(name);
/** Named like a rule file, but not in lower case: not read. */
const OTHER_LETTERS = (name: string): boolean => /\.ya?ml$/i.test(name) && !RULE_FILE.test(name);

/** How a path is shown in messages: relative to the working directory when inside it. */
export function displayPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith("..") && !resolvePath(rel).startsWith("..") ? rel.split(sep).join("/") : p;
}

/** A file the walk found: its path inside the directory ("/"-separated), its full path, and what keeps it from being read, if anything. */
export interface Found {
  readonly rel: string;
  readonly path: string;
  readonly problem?: Diagnostic;
}

export interface Walk {
  /** The files whose names were wanted, sorted by path. */
  readonly files: readonly Found[];
  /** Files named like rule files in other letters, not read (paths inside the directory). */
  readonly ignored: readonly string[];
}

/** A file or directory under a rules directory that cannot be read, located at its path: a problem like any other of the rules. */
export function unreadable(p: string, message: string, code = "unreadable"): Diagnostic {
  return { code, severity: "error", message, file: displayPath(p), line: 0, col: 0 };
}

/** Why `p`, which statSync could not follow, cannot be read: a dangling symbolic link, or the system's reason. */
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
 * The files under `dir` whose names `wanted` accepts, in sorted order, through
 * symbolic links. What cannot be read (a dangling link, no permission on it or
 * on its directory) is a located problem, so the rest is still read and every
 * problem reported. A symbolic link back to a directory that holds it (a loop:
 * `rules/x → .`, or `/bin/X11 → .` under `--rules /`) is named and ends the
 * walk (exit 3): it is never followed round. An I/O error is the machine's (exit 74).
 */
export function walkRulesDir(dir: string, wanted: (name: string) => boolean = isRuleFile): Walk {
  let st: Stats;
  try {
    st = statSync(dir);
  } catch (e) {
    throw (e as NodeJS.ErrnoException).code === "ENOENT" ? new UsageError(`rules directory not found: ${dir}`) : systemError(e, `rules directory ${dir}`, "read");
  }
  if (!st.isDirectory()) throw new UsageError(`not a directory: ${dir}`);
  const files: Found[] = [];
  const ignored: string[] = [];
  const walk = (d: string, prefix: string, ancestors: readonly { id: string; path: string }[]): void => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch (e) {
      const f = systemError(e, `rules directory ${d}`, "read");
      if (d === dir || !(f instanceof UsageError)) throw f; // the directory given cannot be listed (exit 2); an I/O error (exit 74)
      files.push({ rel: prefix, path: d, problem: unreadable(d, `cannot read the directory: ${systemReason(e as NodeJS.ErrnoException)}`) });
      return;
    }
    for (const name of names) {
      const path = join(d, name);
      const rel = prefix + name;
      let s: Stats;
      try {
        s = statSync(path);
      } catch (e) {
        // What is not a rule file by its name is not the rules' business (a dangling README link).
        if (wanted(name)) files.push({ rel, path, problem: unreadable(path, whyUnreadable(path, e)) });
        continue;
      }
      if (s.isDirectory()) {
        const id = `${s.dev}:${s.ino}`;
        const back = ancestors.find((a) => a.id === id);
        if (back) throw new DiagnosticsError([unreadable(path, `a symbolic link loop: it leads back to ${displayPath(back.path)}, which holds it; remove the link, or give a directory without it`, "symlink-loop")], EXIT.rules);
        walk(path, `${rel}/`, [...ancestors, { id, path }]);
      } else if (wanted(name)) files.push({ rel, path });
      else if (OTHER_LETTERS(name)) ignored.push(rel);
    }
  };
  walk(dir, "", [{ id: `${st.dev}:${st.ino}`, path: dir }]);
  return { files, ignored };
}
