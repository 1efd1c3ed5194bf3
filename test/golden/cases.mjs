// The golden cases: every CLI output the settlement engine and batch code produce today,
// recorded by test/golden/record.mjs into test/golden/expected/ and checked byte for byte by
// test/golden/golden.test.ts. One list, one case per command line.
//
// A case is {name, args, stdin?, env?}:
// - run as `node bin/reimburse.js ...args` with cwd = the repository root (rules.version and
//   every printed path depend on it);
// - env = {PATH, NO_COLOR: "1", ...env}: LANG is unset unless the case sets it;
// - stdin: text given on standard input (else empty);
// - stdout, stderr and the exit code are all golden, except the wall time and rate that
//   `batch` adds to its summary line on a run of 1 s or more (harness.mjs cuts it out).
// Names are file names in expected/: letters, digits, '.', '-' and '_' only.
//
// Dates are always given (`--date`, `--as-of`) so that no output depends on today.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The generated year (node bench/gen.mjs --claims 5000 --seed 777), committed gzipped so the
 * golden does not depend on gen.mjs staying the same; un-gzipped to YEAR by prepareInputs(). */
export const YEAR_GZ = "test/golden/input/claims-5000-s777.jsonl.gz";
export const YEAR = "test/golden/.work/claims-5000-s777.jsonl";

/** A copy of rules/ with one figure changed: Hunan's employee level-3 inpatient deductible
 * 1,100 → 1,200 (rules/hunan/province.yaml). Relative, so paths in the output are stable. */
export const CHANGED = "test/golden/rules-changed";

const AS_OF = "2026-06-01";
const DATE = "2025-03-09";
const text = (file) => readFileSync(join(ROOT, file), "utf8");

const examples = readdirSync(join(ROOT, "examples"))
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((f) => ({ file: `examples/${f}`, stem: f.replace(/\.yaml$/, "") }));

const cases = [];
const add = (name, args, extra = {}) => cases.push({ name, args, ...extra });
add("calc.csv.explain-refused", ["calc", "examples/zone-changde-yichang.yaml", "--format", "csv", "--explain"]);

// --- calc: every example, every format, with and without --explain (where it shows: not csv, tsv), both languages
for (const { file, stem } of examples)
  for (const format of ["table", "json", "csv", "tsv"])
    for (const explain of format === "csv" || format === "tsv" ? [false] : [false, true])
      for (const lang of ["en", "zh"])
        add(`calc.${stem}.${format}${explain ? ".explain" : ""}.${lang}`, ["calc", file, "--format", format, ...(explain ? ["--explain"] : []), "--lang", lang]);
const all = examples.map((e) => e.file);
add("calc.all.json.en", ["calc", ...all, "--format", "json", "--lang", "en"]);
add("calc.all.csv.en", ["calc", ...all, "--format", "csv", "--lang", "en"]);
add("calc.all.table.zh", ["calc", ...all, "--lang", "zh"]);
add("calc.all.tsv.quiet", ["calc", ...all, "--format", "tsv", "--quiet", "--lang", "en"]);
add("calc.zone.json.fields", ["calc", "examples/zone-changde-yichang.yaml", "--format", "json", "--fields", "payable,route,personal"]);
add("calc.zone.csv.fields", ["calc", "examples/zone-changde-yichang.yaml", "--format", "csv", "--fields", "id,route,payable,file"]);
add("calc.zone.table.lang-from-env", ["calc", "examples/zone-changde-yichang.yaml"], { env: { LANG: "zh_CN.UTF-8" } });
add("calc.zone.table.no-lang", ["calc", "examples/zone-changde-yichang.yaml"]);
add("calc.e1.other-rules.explain", ["calc", "test/fixtures/claims/e1-langfang-beijing.yaml", "--rules", "test/fixtures/e1-langfang-beijing", "--explain", "--lang", "en"]);
add("calc.zone.changed-rules.json", ["calc", "examples/zone-changde-yichang.yaml", "--rules", CHANGED, "--format", "json"]);

// --- calc --set (README "Overrides")
add("calc.set.filing-level", ["calc", "examples/zone-changde-yichang.yaml", "--set", "filing=none", "--set", "treatment.level=2", "--lang", "en"]);
add("calc.set.retired.json", ["calc", "examples/referral-changde-wuhan.yaml", "--set", "insured.retired=true", "--format", "json", "--explain", "--lang", "en"]);
add("calc.set.all-unfiled.csv", ["calc", ...all, "--set", "filing=none", "--format", "csv"]);
add("calc.set.bad-value", ["calc", "examples/zone-changde-yichang.yaml", "--set", "insured.retired=yes"]);
add("calc.set.chronic-no-disease", ["calc", "examples/zone-changde-yichang.yaml", "--set", "treatment.kind=chronic"]);
add("calc.set.bad-path", ["calc", "examples/zone-changde-yichang.yaml", "--set", "level=2"]);

// --- calc: failing inputs, standard input
add("calc.gap.table", ["calc", "test/fixtures/claims/gap-huanggang.yaml", "--lang", "en"]);
add("calc.gap.json", ["calc", "test/fixtures/claims/gap-huanggang.yaml", "--format", "json"]);
add("calc.broken.table", ["calc", "test/fixtures/claims/broken.yaml", "--lang", "en"]);
add("calc.broken.json.zh", ["calc", "test/fixtures/claims/broken.yaml", "--format", "json", "--lang", "zh"]);
add("calc.broken-and-good.json", ["calc", "examples/zone-changde-yichang.yaml", "test/fixtures/claims/broken.yaml", "test/fixtures/claims/gap-huanggang.yaml", "--format", "json"]);
add("calc.gap-and-good.csv", ["calc", "examples/zone-changde-yichang.yaml", "test/fixtures/claims/gap-huanggang.yaml", "--format", "csv"]);
add("calc.unknown-region", ["calc", "test/fixtures/claims/e1-langfang-beijing.yaml"]);
add("calc.missing-file", ["calc", "no/such/claim.yaml"]);
add("calc.bad-option", ["calc", "examples/zone-changde-yichang.yaml", "--format", "xml"]);
add("calc.stdin.table", ["calc", "-", "--lang", "en"], { stdin: text("examples/referral-changde-wuhan.yaml") });
add("calc.stdin.json.explain", ["calc", "-", "--format", "json", "--explain"], { stdin: text("examples/chronic-dialysis-changde-wuhan.yaml") });
add("calc.stdin-and-file.csv", ["calc", "examples/zone-changde-yichang.yaml", "-", "--format", "csv"], { stdin: text("examples/unfiled-changde-wuhan.yaml") });
add("calc.stdin.broken", ["calc", "-"], { stdin: text("test/fixtures/claims/broken.yaml") });
add("calc.stdin.json-claim", ["calc", "-", "--format", "json"], { stdin: '{"date":"2025-03-09","insured":{"region":"430700","scheme":"employee"},"treatment":{"region":"420500","level":3,"kind":"inpatient"},"costs":{"classA":11100}}\n' });

// --- compare: every example, three formats, both languages; --vary and friends
for (const { file, stem } of examples)
  for (const format of ["table", "json", "csv"])
    for (const lang of ["en", "zh"]) add(`compare.${stem}.${format}.${lang}`, ["compare", file, "--format", format, "--lang", lang]);
add("compare.vary-level.table", ["compare", "examples/referral-changde-wuhan.yaml", "--vary", "treatment.level=community,1,2,3", "--lang", "en"]);
add("compare.vary-level.tsv", ["compare", "examples/referral-changde-wuhan.yaml", "--vary", "treatment.level=community,1,2,3", "--format", "tsv"]);
add("compare.vary-two.json", ["compare", "examples/zone-changde-yichang.yaml", "--vary", "filing=referral,none", "--vary", "treatment.level=2,3", "--format", "json", "--explain"]);
add("compare.vary-date.no-rule", ["compare", "examples/zone-changde-yichang.yaml", "--vary", "date=2020-06-01", "--lang", "en"]);
add("compare.vary-bad-level", ["compare", "examples/zone-changde-yichang.yaml", "--vary", "treatment.level=2,9"]);
add("compare.scenario.base", ["compare", "examples/referral-changde-wuhan.yaml", "--scenario", "cheap:treatment.level=2,filing=long-term", "--scenario", "none:filing=none", "--base", "cheap", "--set", "insured.retired=true", "--no-chart", "--lang", "en"]);
add("compare.fields.csv.quiet", ["compare", "examples/referral-changde-wuhan.yaml", "--format", "csv", "--fields", "scenario,changes,route,payable,deltaPayable", "--quiet"]);
add("compare.stdin", ["compare", "-", "--lang", "zh", "--no-chart"], { stdin: text("examples/unfiled-changde-wuhan.yaml") });
add("compare.broken", ["compare", "test/fixtures/claims/broken.yaml"]);

// --- rules show / test / check / diff / schema
add("rules.show.430700", ["rules", "show", "--region", "430700", "--date", DATE]);
add("rules.show.420100.employee", ["rules", "show", "--region", "420100", "--date", DATE, "--scheme", "employee"]);
add("rules.show.wuhan-by-name.json", ["rules", "show", "--region", "武汉", "--date", DATE, "-f", "json"]);
add("rules.show.420100.2020", ["rules", "show", "--region", "420100", "--date", "2020-01-01"]);
add("rules.show.hengyang.resident.2025-07", ["rules", "show", "--region", "衡阳", "--date", "2025-07-01", "--scheme", "resident"]);
add("rules.show.county", ["rules", "show", "--region", "长沙县", "--date", DATE, "-f", "json"]);
add("rules.show.unknown", ["rules", "show", "--region", "constructor", "--date", DATE]);
add("rules.show.changed", ["rules", "show", "--region", "430700", "--date", DATE, "--scheme", "employee", "--rules", CHANGED]);
add("rules.test.text", ["rules", "test"]);
add("rules.test.json", ["rules", "test", "-f", "json"]);
add("rules.test.junit", ["rules", "test", "-f", "junit"]);
add("rules.test.name", ["rules", "test", "-n", "常德"]);
add("rules.test.changed", ["rules", "test", CHANGED]);
add("rules.test.changed.json", ["rules", "test", CHANGED, "-f", "json"]);
add("rules.check.text", ["rules", "check", "--as-of", AS_OF]);
add("rules.check.json", ["rules", "check", "--as-of", AS_OF, "-f", "json"]);
add("rules.check.github", ["rules", "check", "--as-of", AS_OF, "-f", "github"]);
add("rules.check.strict", ["rules", "check", "--as-of", AS_OF, "--strict"]);
add("rules.check.stale-3", ["rules", "check", "--as-of", AS_OF, "--stale-years", "3", "-f", "json"]);
add("rules.check.changed", ["rules", "check", CHANGED, "--as-of", AS_OF]);
add("rules.check.broken-reduction-cap", ["rules", "check", "test/fixtures/rules-broken/reduction-cap", "--as-of", AS_OF]);
add("rules.check.broken-fraction.json", ["rules", "check", "test/fixtures/rules-broken/fraction-as-percent", "--as-of", AS_OF, "-f", "json"]);
add("rules.diff.text", ["rules", "diff", "rules", CHANGED]);
add("rules.diff.json", ["rules", "diff", "rules", CHANGED, "-f", "json"]);
add("rules.diff.same", ["rules", "diff", "rules", "rules"]);
add("rules.diff.claims-jsonl", ["rules", "diff", "rules", CHANGED, "--claims", "examples/batch/claims-2025.jsonl"]);
add("rules.diff.claims-jsonl.json", ["rules", "diff", "rules", CHANGED, "--claims", "examples/batch/claims-2025.jsonl", "-f", "json"]);
add("rules.diff.claims-csv.top2", ["rules", "diff", "rules", CHANGED, "--claims", "examples/batch/claims-2025.csv", "--top", "2"]);
add("rules.diff.claims-year", ["rules", "diff", CHANGED, "rules", "--claims", YEAR, "-f", "json"], { needs: "year" });
add("rules.schema", ["rules", "schema"]);

// --- batch: the two example files, each output format, --sorted or not
for (const input of ["jsonl", "csv"])
  for (const format of ["jsonl", "csv"])
    for (const sorted of [false, true])
      add(`batch.example-${input}.${format}${sorted ? ".sorted" : ""}`, ["batch", `examples/batch/claims-2025.${input}`, "--format", format, ...(sorted ? ["--sorted"] : [])]);
add("batch.example-jsonl.explain", ["batch", "examples/batch/claims-2025.jsonl", "--explain"]);
add("batch.example-csv.zh", ["batch", "examples/batch/claims-2025.csv", "--lang", "zh", "--sorted"]);
add("batch.example-jsonl.quiet", ["batch", "examples/batch/claims-2025.jsonl", "--quiet", "--format", "csv"]);
add("batch.stdin", ["batch", "-", "--sorted"], { stdin: text("examples/batch/claims-2025.jsonl") });
add("batch.changed-rules", ["batch", "examples/batch/claims-2025.jsonl", "--rules", CHANGED, "--format", "csv"]);
add("batch.missing-file", ["batch", "no/such/claims.jsonl"]);

// --- batch: a generated year of 5,000 claims (both provinces, every route, ~1.5% broken)
for (const format of ["jsonl", "csv"])
  for (const sorted of [false, true]) add(`batch.year.${format}${sorted ? ".sorted" : ""}`, ["batch", YEAR, "--format", format, ...(sorted ? ["--sorted"] : [])], { needs: "year" });
add("batch.year.jsonl.sorted.explain.zh", ["batch", YEAR, "--sorted", "--explain", "--lang", "zh"], { needs: "year" });

// --- the command line itself
add("help", ["--help"]);
add("help.calc", ["calc", "--help"]);
add("help.batch", ["batch", "--help"]);
add("version", ["--version"]);
add("unknown-command", ["settle", "examples/zone-changde-yichang.yaml"]);

export default cases;
