/**
 * Build step (src/build/build.mjs): compile the shipped rules once into
 * dist/rules.snapshot.json and .src (see src/rules/snapshot.ts).
 */
import { join } from "node:path";
import { compileRules } from "./compile.js";
import { displayPath, readRuleTexts } from "./load.js";
import { readRuleBytes, snapshotFiles } from "./snapshot.js";

/** The snapshot files, or why there are none (the rules do not compile: the CLI will say where). */
export function buildSnapshot(dir: string): { json?: string; src?: Buffer; problem?: string } {
  const files = readRuleBytes(dir);
  // The same files, in the same order and with the same names, as the loader reads.
  const loader = readRuleTexts(dir);
  const names = files.map((f) => displayPath(join(dir, f.rel)));
  if (loader.map((t) => t.file).join("\n") !== names.join("\n")) return { problem: "the snapshot's file list differs from the loader's" };
  const c = compileRules(loader);
  if (!c.rules) return { problem: `the rules do not compile (${c.diagnostics.filter((d) => d.severity === "error").length} errors)` };
  return snapshotFiles(files, names, c.rules);
}
