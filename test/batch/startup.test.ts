import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli.js";
import { main } from "../../src/main.js";
import { compileDir, loadRules, shippedRulesDir } from "../../src/rules/load.js";
import { loadSnapshot, snapshotPaths } from "../../src/rules/snapshot.js";
import { quickCalc } from "../../src/startup/calc.js";
import { ROOT } from "../helpers.js";

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
  it("loadRules gives the same rules with or without it", () => {
    expect(JSON.stringify(loadRules())).toBe(JSON.stringify(compileDir(shippedRulesDir()).rules));
  });
});

describe("the quick path of calc --format json (src/startup/calc.ts)", () => {
  const examples = ["zone-changde-yichang", "referral-changde-wuhan", "unfiled-changde-wuhan", "chronic-dialysis-changde-wuhan"].map((e) => `examples/${e}.yaml`);
  const cases: string[][] = [
    ...examples.map((e) => ["calc", e, "--format", "json"]),
    ["calc", examples[0]!, "-f", "json", "--lang", "zh"],
    ["calc", examples[1]!, "--format=json", "-q"],
    ["calc", ...examples, "--format", "json"],
    ["calc", examples[2]!, "--format", "json", "--explain", "--no-color"],
  ];
  it.runIf(hasSnapshot)("answers the common cases itself, with exactly what the CLI prints", async () => {
    for (const argv of cases) {
      const quick = capture({ LANG: "en_US.UTF-8" });
      expect(quickCalc(argv.slice(1), quick.io), argv.join(" ")).toBe(0);
      const usual = capture({ LANG: "en_US.UTF-8" });
      expect(await run(argv, usual.io)).toBe(0);
      expect(quick.o).toEqual(usual.o);
    }
  });
  it("leaves everything else to the CLI, having written nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reimburse-quick-"));
    writeFileSync(join(dir, "bad.yaml"), "date: 2025-03-09\ninsured: {region: '430700'}\n");
    writeFileSync(join(dir, "flow.yaml"), readFileSync("examples/zone-changde-yichang.yaml", "utf8").replace("costs:\n  classA: 11100", "costs: {classA: [11100]}"));
    // An insurance number with leading zeros, written as a plain YAML number: kept as written ("007"), not read as 7.
    writeFileSync(join(dir, "id.yaml"), readFileSync("examples/zone-changde-yichang.yaml", "utf8").replace("id: seed-zone", "id: 007").replace("insured:\n", "insured:\n  id: 00420\n"));
    writeFileSync(join(dir, "rejected.yaml"), readFileSync("examples/zone-changde-yichang.yaml", "utf8").replace('region: "420500"', 'region: "429999"'));
    for (const argv of [
      ["calc", "examples/zone-changde-yichang.yaml"], // table
      ["calc", "examples/zone-changde-yichang.yaml", "--format", "json", "--set", "filing=referral"],
      ["calc", "-", "--format", "json"],
      ["calc", "no-such.yaml", "--format", "json"],
      ["calc", join(dir, "bad.yaml"), "--format", "json"],
      ["calc", join(dir, "flow.yaml"), "--format", "json"],
      ["calc", join(dir, "rejected.yaml"), "--format", "json"],
      ["calc", join(dir, "id.yaml"), "--format", "json"],
      ["calc", "examples/zone-changde-yichang.yaml", "--format", "json", "--rules", "rules"],
    ]) {
      const q = capture();
      expect(quickCalc(argv.slice(1), q.io), argv.join(" ")).toBeUndefined();
      expect(q.o).toEqual({ stdout: "", stderr: "" });
      // …and main (the binary's entry) then gives what run gives.
      const m = capture();
      const r = capture();
      expect(await main(argv, m.io)).toBe(await run(argv, r.io));
      expect(m.o).toEqual(r.o);
    }
    const ids = capture();
    expect(await run(["calc", join(dir, "id.yaml"), "--format", "json", "--fields", "id"], ids.io)).toBe(0);
    expect(JSON.parse(ids.o.stdout)).toEqual({ id: "007" });
  });
});
