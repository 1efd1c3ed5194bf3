#!/usr/bin/env node
// Records today's outputs of the built binary as the golden files of test/golden/golden.test.ts.
//
//   npm run build && node test/golden/record.mjs
//
// Runs every case of cases.mjs twice and refuses to record anything when a case gives
// different output on the two runs, or prints today's date (it would go stale tomorrow: give
// the command an explicit --date / --as-of). Then replaces test/golden/expected/ whole:
// NAME.stdout and NAME.stderr (NAME.stdout.gz when above 100 KB, so that small outputs stay
// readable in git diffs) and exit-codes.json.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import cases from "./cases.mjs";
import { EXIT_CODES, EXPECTED, GZIP_ABOVE, ROOT, pool, prepareInputs, runCase } from "./harness.mjs";

if (!existsSync(join(ROOT, "dist", "main.cjs"))) {
  console.error("record: no build: run `npm run build` first");
  process.exit(2);
}
const names = new Set();
for (const c of cases) {
  if (!/^[\w.-]+$/.test(c.name)) throw new Error(`case name is not a plain file name: ${c.name}`);
  if (names.has(c.name)) throw new Error(`two cases named ${c.name}`);
  names.add(c.name);
}

prepareInputs();
const started = Date.now();
const local = new Date();
const pad = (n) => String(n).padStart(2, "0");
const todays = [...new Set([`${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`, local.toISOString().slice(0, 10)])];

const problems = [];
const results = await pool(cases, async (c) => {
  const first = await runCase(c);
  const second = await runCase(c);
  if (!first.stdout.equals(second.stdout) || !first.stderr.equals(second.stderr) || first.code !== second.code)
    problems.push(`${c.name}: not deterministic (two runs differ in ${[!first.stdout.equals(second.stdout) && "stdout", !first.stderr.equals(second.stderr) && "stderr", first.code !== second.code && "exit code"].filter(Boolean).join(", ")})`);
  for (const day of todays)
    for (const stream of ["stdout", "stderr"])
      if (first[stream].includes(day)) problems.push(`${c.name}: ${stream} holds today's date ${day} (give the command an explicit date)`);
  return first;
});
if (problems.length) {
  console.error(`record: nothing recorded; ${problems.length} problem(s):\n  ${problems.join("\n  ")}`);
  process.exit(1);
}

rmSync(EXPECTED, { recursive: true, force: true });
mkdirSync(EXPECTED, { recursive: true });
let bytes = 0;
let stored = 0;
let gzipped = 0;
const codes = {};
cases.forEach((c, i) => {
  const r = results[i];
  codes[c.name] = r.code;
  for (const stream of ["stdout", "stderr"]) {
    const data = r[stream];
    bytes += data.length;
    const big = data.length > GZIP_ABOVE;
    const out = big ? gzipSync(data, { level: 9 }) : data;
    if (big) gzipped++;
    stored += out.length;
    writeFileSync(join(EXPECTED, `${c.name}.${stream}${big ? ".gz" : ""}`), out);
  }
});
writeFileSync(EXIT_CODES, `{\n${cases.map((c) => `  ${JSON.stringify(c.name)}: ${JSON.stringify(codes[c.name])}`).join(",\n")}\n}\n`);

const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
const byCode = Object.entries(Object.values(codes).reduce((m, c) => ((m[c] = (m[c] ?? 0) + 1), m), {})).map(([c, n]) => `${n} × exit ${c}`);
console.log(`recorded ${cases.length} cases (each run twice, identical) in ${((Date.now() - started) / 1000).toFixed(1)} s: ${bytes.toLocaleString("en")} bytes of output (${mb(bytes)}), stored as ${stored.toLocaleString("en")} bytes (${mb(stored)}) in ${readdirSync(EXPECTED).length} files under test/golden/expected/ (${gzipped} gzipped)`);
console.log(`exit codes: ${byCode.join(", ")}`);
