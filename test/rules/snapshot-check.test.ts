/**
 * `rules check` of the shipped rules from the build-time snapshot
 * (dist/rules.check.json, src/rules/snapshot.ts loadCheckSnapshot) and its
 * CLI answers `rules check` with on the shipped rules: exactly what checking the parsed
 * files gives.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { renderCheck } from "../../src/format/check.js";
import { checkRules, runChecks } from "../../src/rules/check.js";
import { indexView } from "../../src/rules/checks.js";
import { analyseRules } from "../../src/rules/compile.js";
import { docIndex, yamlView } from "../../src/rules/docview.js";
import { readRuleTexts } from "../../src/rules/load.js";
import { loadCheckSnapshot, snapshotPaths } from "../../src/rules/snapshot.js";
import { parseYaml } from "../../src/yaml/document.js";
import { run } from "../../src/cli.js";
import { main } from "../../src/main.js";
import { ROOT } from "../helpers.js";

const RULES = join(ROOT, "rules");
const hasSnapshot = existsSync(snapshotPaths(RULES).check);
const plain = { red: (s: string) => s, yellow: (s: string) => s, bold: (s: string) => s, dim: (s: string) => s };

/** Every path of a value, and for each a few that do not exist below and beside it. */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at, [...at, "no-such-key"], [...at, 0], [...at, 99]);
  if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) paths(x, [...at, Array.isArray(v) ? Number(k) : k], out);
  return out;
}

describe("the document index of the rules snapshot", () => {
  const texts = [
    ...readRuleTexts(RULES),
    // Broken files too: the index is of any document.
    ...readdirSync(join(ROOT, "test", "fixtures", "rules-broken")).flatMap((d) => readRuleTexts(join(ROOT, "test", "fixtures", "rules-broken", d))),
    { file: "odd.yaml", text: "a:\nb: [1, {c: 2}, [3]]\n? [k]\n: v\n1: one\n'1': again\n- not a map" },
    { file: "seq.yaml", text: "- a: 1\n- [x, y]\n-\n- b" },
    { file: "empty.yaml", text: "" },
  ];
  it("locates every path, present or not, as the YAML document does", () => {
    let n = 0;
    const seen = new Set<string>();
    for (const t of texts) {
      if (seen.has(t.text)) continue; // the fixtures share files
      seen.add(t.text);
      const parsed = parseYaml(t.file, t.text);
      const [y, ix] = [yamlView(parsed.yaml), indexView(JSON.parse(JSON.stringify(docIndex(parsed.yaml))))];
      for (const p of paths(parsed.value)) {
        for (const on of ["key", "value"] as const) expect(ix.locate(p, on), `${t.file} ${JSON.stringify(p)} ${on}`).toEqual(y.locate(p, on));
        expect(ix.has(p)).toBe(y.has(p));
        expect(ix.mapKeys(p)).toEqual(y.mapKeys(p));
        n++;
      }
    }
    expect(n).toBeGreaterThan(3000);
  }, 60_000);
});

describe.skipIf(!hasSnapshot)("rules check from the snapshot", () => {
  const texts = readRuleTexts(RULES);
  const snap = loadCheckSnapshot(RULES)!;

  it("holds what analysing the files gives: rule set, values, compile's findings", () => {
    expect(snap).toBeDefined();
    const a = analyseRules(texts);
    expect(isDeepStrictEqual(JSON.parse(JSON.stringify(snap.rules)), JSON.parse(JSON.stringify(a.rules)))).toBe(true);
    expect(snap.raw.map((f) => f.file)).toEqual(a.raw.map((f) => f.file));
    expect(snap.files.map((f) => f.file)).toEqual(a.files.map((f) => f.file));
    snap.raw.forEach((f, i) => expect(f.value).toEqual(a.raw[i]!.value));
    expect(snap.diagnostics).toEqual(a.diagnostics);
    expect(snap.unusedSources).toEqual(a.unusedSources);
    expect(snap.fileCount).toBe(texts.length);
  });

  it("finds exactly what checking the parsed files finds, for any date and staleness", () => {
    for (const asOf of ["2020-01-01", "2024-06-01", "2026-11-22", "2031-09-02", "2040-02-29"])
      for (const staleYears of [1, 2, 5, 10]) {
        const o = { asOf, staleYears };
        const [want, got] = [checkRules(texts, o), runChecks(snap, o)];
        expect(got).toEqual(want);
        for (const f of ["text", "json", "github"] as const) expect(renderCheck(got, f, plain)).toBe(renderCheck(want, f, plain));
      }
  }, 60_000);

  it("is used only while the rule files are byte for byte those it was made from, seen from the package root", () => {
    const dir = mkdtempSync(join(tmpdir(), "reimburse-check-snap-"));
    cpSync(RULES, join(dir, "rules"), { recursive: true });
    cpSync(join(ROOT, "dist"), join(dir, "dist"), { recursive: true });
    const before = process.cwd();
    try {
      process.chdir(dir);
      expect(loadCheckSnapshot(join(dir, "rules"))).toBeDefined(); // the same files, the same names
      const f = join(dir, "rules", "hunan", "province.yaml");
      writeFileSync(f, readFileSync(f, "utf8").replace("{value: 150000, source: hn-employee-measures}", "{value: 160000, source: hn-employee-measures}"));
      expect(loadCheckSnapshot(join(dir, "rules"))).toBeUndefined(); // edited: the files are parsed and checked
    } finally {
      process.chdir(before);
    }
    expect(loadCheckSnapshot(join(dir, "rules"))).toBeUndefined(); // seen from elsewhere: other file names
  });
});
