import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli.js";
import { loadRules, shippedRulesDir } from "../../src/rules/load.js";
import { loadSnapshot, snapshotPaths } from "../../src/rules/snapshot.js";
import { compileDir, ROOT } from "../helpers.js";

type Io = Parameters<typeof run>[1];
const capture = (env: NodeJS.ProcessEnv = {}) => {
  const o = { stdout: "", stderr: "" };
  const io: Io = { stdout: { write: (s: string) => (o.stdout += s) }, stderr: { write: (s: string) => (o.stderr += s) }, env, readStdin: () => "" };
  return { o, io };
};

// The snapshot is written by the build (npm test builds first: pretest).
const hasSnapshot = existsSync(snapshotPaths(join(ROOT, "rules")).json);

describe("the rules snapshot (dist/rules.snapshot.json)", () => {
  it.runIf(hasSnapshot)("gives exactly the rules the compiler gives, version included", () => {
    const snap = loadSnapshot(shippedRulesDir());
    expect(snap).toBeDefined();
    const compiled = compileDir(shippedRulesDir()).rules!;
    expect(JSON.stringify(snap)).toBe(JSON.stringify(compiled));
    expect(snap).toStrictEqual(JSON.parse(JSON.stringify(compiled)));
  });
  it.runIf(hasSnapshot)("shows file names relative to the working directory, as the compiler does", () => {
    const before = process.cwd();
    try {
      process.chdir(join(ROOT, "rules", "hunan"));
      const snap = loadSnapshot(shippedRulesDir())!;
      const compiled = compileDir(shippedRulesDir()).rules!;
      expect(snap.layers["430000"]!.file).toBe("province.yaml");
      expect(JSON.stringify(snap)).toBe(JSON.stringify(compiled));
    } finally {
      process.chdir(before);
    }
  });
  it.runIf(hasSnapshot)("is ignored as soon as a rule file differs: an edit is never missed", () => {
    const dir = mkdtempSync(join(tmpdir(), "reimburse-snap-"));
    cpSync(join(ROOT, "rules"), join(dir, "rules"), { recursive: true });
    for (const f of ["rules.snapshot.json", "rules.snapshot.src"]) cpSync(join(ROOT, "dist", f), join(dir, "dist", f), { recursive: true });
    expect(loadSnapshot(join(dir, "rules"))).toBeDefined(); // same files: used
    const f = join(dir, "rules", "hunan", "province.yaml");
    writeFileSync(f, readFileSync(f, "utf8").replace("{value: 150000, source: hn-employee-measures}", "{value: 160000, source: hn-employee-measures}"));
    expect(loadSnapshot(join(dir, "rules"))).toBeUndefined(); // edited: compiled instead
    writeFileSync(join(dir, "rules", "extra.yaml"), "# nothing\n");
    expect(loadSnapshot(join(dir, "rules"))).toBeUndefined();
  });
  it("loadRules gives the same rules with or without it", async () => {
    expect(JSON.stringify(await loadRules())).toBe(JSON.stringify(compileDir(shippedRulesDir()).rules));
  });
});
