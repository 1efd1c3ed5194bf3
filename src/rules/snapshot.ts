/**
 * The shipped rules, compiled at build time, so a command does not parse and
 * validate ~40 KB of YAML on every start (the yaml library, zod and the
 * compiler are most of `calc`'s start-up otherwise):
 *
 * - dist/rules.snapshot.json: the compiled RuleSet, the file names it shows
 *   (as seen from the package root) and its version;
 * - dist/rules.snapshot.src: the bytes of every rule file it was compiled from.
 *
 * At start the rule files are read again and compared byte for byte with the
 * .src file (well under a millisecond, no hashing library to load). Any
 * difference — an edited, added, removed or renamed rule file — and the
 * snapshot is ignored: the rules are compiled as usual, so an edit is never
 * missed. File names are turned into the names the loader would show from the
 * current directory; the version (a hash of the files' paths inside the rules
 * directory and their bytes) is the same from anywhere.
 *
 * No import of yaml, zod or node:crypto here, on purpose (crypto alone costs
 * ~3 ms to load).
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve as resolvePath, sep } from "node:path";
import type { RuleSet } from "../core/model.js";
import type { Diagnostic } from "../diagnostics.js";
import { walkRulesDir } from "./files.js";
import { indexView, type CheckFile, type CheckInput, type DocIndex } from "./checks.js";

export const SNAPSHOT_FORMAT = 2;
export const CHECK_FORMAT = 1;

export interface RuleBytes {
  /** Relative to the rules directory, "/"-separated. */
  readonly rel: string;
  readonly bytes: Buffer;
}

/**
 * The rule files of a directory, in the loader's order (src/rules/files.ts).
 * Throws on anything it cannot read, a symbolic link loop included: the
 * snapshot is then not used, and the loader reports the problem, located.
 */
export function readRuleBytes(dir: string): RuleBytes[] {
  return walkRulesDir(dir).files.map((f) => {
    if (f.problem) throw new Error(f.problem.message); // caught by the caller: no snapshot
    return { rel: f.rel, bytes: readFileSync(f.path) };
  });
}

/** Names and contents of the files, as one buffer: what the snapshot was made from. */
export function sourceBytes(files: readonly RuleBytes[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) parts.push(Buffer.from(`${f.rel}\0${f.bytes.length}\0`), f.bytes);
  return Buffer.concat(parts);
}

/** Where the snapshot of a rules directory lives: dist/ beside it (the package layout). */
export function snapshotPaths(rulesDir: string): { json: string; src: string; check: string } {
  const d = join(dirname(rulesDir), "dist");
  return { json: join(d, "rules.snapshot.json"), src: join(d, "rules.snapshot.src"), check: join(d, "rules.check.json") };
}

/** As src/rules/load.ts displayPath: relative to the working directory when inside it. */
export function displayPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith("..") && !resolvePath(rel).startsWith("..") ? rel.split(sep).join("/") : p;
}

interface SnapshotFile {
  readonly format: number;
  /** The names the rules show (Loc.file, Layer.file), in file order, as seen when it was built. */
  readonly names: readonly string[];
  readonly rules: RuleSet;
}

/** The snapshot of `dir`, if its files are byte for byte those it was made from; and their names as shown from here. */
function verified(dir: string): { snap: SnapshotFile; files: RuleBytes[]; names: string[]; same: boolean } | undefined {
  let snap: SnapshotFile;
  let files: RuleBytes[];
  try {
    const paths = snapshotPaths(dir);
    files = readRuleBytes(dir);
    if (!sourceBytes(files).equals(readFileSync(paths.src))) return undefined;
    snap = JSON.parse(readFileSync(paths.json, "utf8")) as SnapshotFile;
  } catch {
    return undefined;
  }
  if (snap.format !== SNAPSHOT_FORMAT || snap.names.length !== files.length) return undefined;
  const names = files.map((f) => displayPath(join(dir, f.rel)));
  return { snap, files, names, same: names.every((n, i) => n === snap.names[i]) };
}

/** The rules of `dir` from its snapshot, or undefined (no snapshot, or the files changed since). */
export function loadSnapshot(dir: string): RuleSet | undefined {
  const v = verified(dir);
  if (!v) return undefined;
  const { snap, names } = v;
  if (v.same) return snap.rules; // the same view as at build time
  // Another working directory: the files are shown by other names (the version hashes paths inside the directory: the same).
  renameFiles(snap.rules, new Map(snap.names.map((n, i) => [n, names[i]!])));
  return snap.rules;
}

/** Every `file` field (Loc.file, Layer.file) of the rule set, renamed. */
function renameFiles(v: unknown, rename: ReadonlyMap<string, string>): void {
  if (Array.isArray(v)) {
    for (const x of v) if (typeof x === "object" && x !== null) renameFiles(x, rename);
    return;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    if (k === "file" && typeof x === "string") {
      const to = rename.get(x);
      if (to !== undefined) o[k] = to;
    } else if (typeof x === "object" && x !== null) renameFiles(x, rename);
  }
}

/** The snapshot files for rules compiled from `files`, shown as `names`. */
export function snapshotFiles(files: readonly RuleBytes[], names: readonly string[], rules: RuleSet): { json: string; src: Buffer } {
  const snap: SnapshotFile = { format: SNAPSHOT_FORMAT, names, rules };
  return { json: JSON.stringify(snap), src: sourceBytes(files) };
}

/** dist/rules.check.json: what `rules check` reads besides the rule set (src/rules/snapshot-build.ts). */
export interface CheckSnapshot {
  readonly format: number;
  readonly names: readonly string[];
  readonly fileCount: number;
  readonly files: readonly {
    readonly file: string;
    /** It passed the schema (it is part of the rule set). */
    readonly schema: boolean;
    readonly value: unknown;
    readonly index: DocIndex;
    /** The zones of the rule set it declares. */
    readonly zones: readonly string[];
  }[];
  readonly diagnostics: readonly Diagnostic[];
  readonly unusedSources: readonly { readonly id: string; readonly file: string }[];
}

/**
 * What `rules check` reads of `dir`, from the snapshot: undefined unless the
 * rule files are byte for byte those it was made from and shown under the same
 * names (from the package root); then the checks run as on the parsed files,
 * without parsing them (the rules' own checks all run: only compile's
 * parsing, which gives the same for the same bytes, is skipped).
 */
export function loadCheckSnapshot(dir: string): CheckInput | undefined {
  const v = verified(dir);
  if (!v?.same) return undefined;
  let c: CheckSnapshot;
  try {
    c = JSON.parse(readFileSync(snapshotPaths(dir).check, "utf8")) as CheckSnapshot;
  } catch {
    return undefined;
  }
  if (c.format !== CHECK_FORMAT || c.names.length !== v.names.length || !c.names.every((n, i) => n === v.names[i])) return undefined;
  const raw = c.files.map((f): CheckFile & { schema: boolean } => ({ file: f.file, schema: f.schema, doc: indexView(f.index), value: f.value, hasZone: (id) => f.zones.includes(id) }));
  return { rules: v.snap.rules, files: raw.filter((f) => f.schema), raw, diagnostics: c.diagnostics, unusedSources: c.unusedSources, fileCount: c.fileCount };
}
