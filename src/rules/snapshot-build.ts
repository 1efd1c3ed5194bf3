/**
 * Build step (src/build/build.mjs): compile the shipped rules once into
 * dist/rules.snapshot.json and .src, and what `rules check` reads of them into
 * dist/rules.check.json (see src/rules/snapshot.ts).
 */
import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import { analyseRules, compileRules } from "./compile.js";
import { docIndex } from "./docview.js";
import { displayPath, readRuleTexts } from "./load.js";
import { CHECK_FORMAT, readRuleBytes, snapshotFiles, type CheckSnapshot } from "./snapshot.js";

/** The snapshot files, or why there are none (the rules do not compile: the CLI will say where). */
export function buildSnapshot(dir: string): { json?: string; src?: Buffer; check?: string; problem?: string } {
  const files = readRuleBytes(dir);
  // The same files, in the same order and with the same names, as the loader reads.
  const loader = readRuleTexts(dir);
  const names = files.map((f) => displayPath(join(dir, f.rel)));
  if (loader.map((t) => t.file).join("\n") !== names.join("\n")) return { problem: "the snapshot's file list differs from the loader's" };
  const c = compileRules(loader);
  if (!c.rules) return { problem: `the rules do not compile (${c.diagnostics.filter((d) => d.severity === "error").length} errors)` };
  return { ...snapshotFiles(files, names, c.rules), ...checkSnapshot(loader, names, c.rules) };
}

/**
 * What `rules check` reads besides the rule set (src/rules/checks.ts
 * CheckInput): each file's parsed value, an index of its document's positions,
 * the zones it declares, and compile's own findings — all a function of the
 * file bytes, so valid while they are unchanged. Left out (the check then
 * parses the files) if anything would not survive JSON exactly.
 */
function checkSnapshot(texts: readonly { file: string; text: string }[], names: readonly string[], rules: unknown): { check?: string } {
  const a = analyseRules(texts);
  if (JSON.stringify(a.rules) !== JSON.stringify(rules)) return {};
  const zoneIds = Object.keys(a.rules.zones);
  const schemaOk = new Map(a.files.map((f) => [f.file, f]));
  const snap: CheckSnapshot = {
    format: CHECK_FORMAT,
    names,
    fileCount: texts.length,
    files: a.raw.map((r) => ({
      file: r.file,
      schema: schemaOk.has(r.file),
      value: r.value,
      index: docIndex(r.yaml),
      zones: zoneIds.filter((id) => !!schemaOk.get(r.file)?.data.zones?.[id]),
    })),
    diagnostics: a.diagnostics,
    unusedSources: a.unusedSources,
  };
  const json = JSON.stringify(snap);
  return isDeepStrictEqual(JSON.parse(json), snap) ? { check: json } : {};
}
