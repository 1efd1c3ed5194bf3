#!/usr/bin/env node
// The benchmark of issue 5: prints each figure next to its goal, every figure measured in one run.
//
//   npm run bench                          1,000,000 claims (a few minutes on 2 cores)
//   npm run bench -- --quick               100,000 claims
//   npm run bench -- --claims N            any size
//   npm run bench -- --baseline REF        the same figures for REF (a git ref: HEAD, main~3, a
//                                          hash) and the working tree, measured interleaved
//   npm run bench -- --runs N              throughput rounds (default 1; 3 with --baseline)
//   npm run bench -- --no-extra            leave out the figures for information
//
// Throughput: `batch --sorted` claims/s (JSON Lines out, and --format csv) over a bare Node
//   JSON Lines pass-through (bench/passthrough.mjs) on the same generated file; medians of the
//   rounds, each round running the pass-through, then each figure for every tree in turn
//   (A B in one round, B A in the next).
// Start-up: median wall time of 15 interleaved runs of `calc CLAIM --format json` for the seed
//   example in three written forms (block YAML as in examples/, YAML flow style, JSON; the two
//   extra files generated into .bench/), `--format table` for the block form, and `rules check`,
//   over `node -e 0`.
// Memory: peak RSS of `batch --sorted` on the big file, over the same on 10,000 claims.
// Goals (issue 5): 1. batch --sorted ≥ 0.6 × pass-through (and ≥ the baseline); 2. calc json
//   ≤ 1.3 × node -e 0, for all three forms; 3. memory ratio ≤ 1.5; 4. rules check ≤ 1.5 × calc;
//   5. batch --sorted --format csv ≥ 0.3 × pass-through; 6. calc --format table ≤ 1.5 × node.
// With --baseline, REF is checked out in a temporary git worktree (node_modules symlinked from
// here, no npm run there), built with its own src/build/build.mjs, and removed at the end (also
// on failure and Ctrl-C); the working tree is rebuilt too, so both are measured from source.
// Files are generated into .bench/ (seeded: the same file every run) and kept for the next run.
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { Interrupted, baselineTree, build, claimForms, fmt, generate, int, machine, measure, median, node, root, sh, startups, tick } from "./lib.mjs";

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return undefined;
  if (args[i + 1] === undefined || args[i + 1].startsWith("--")) fail(`--${name} needs a value`);
  return args[i + 1];
};
function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}
const quick = args.includes("--quick");
const N = Number(opt("claims") ?? (quick ? 100_000 : 1_000_000));
const REF = opt("baseline");
const ROUNDS = Number(opt("runs") ?? (REF ? 3 : 1));
if (!(N > 0) || !(ROUNDS >= 1)) fail("--claims and --runs take a positive number");
const SMALL = 10_000;
const SEED = 2025;
const RUNS = 15;
const passthrough = join(root, "bench", "passthrough.mjs");
const batchOk = (status) => status === 0 || status === 3 || status === 4; // a generated year has broken records: 4

let base;
process.on("SIGINT", () => {
  base?.remove();
  console.error("\nbench: interrupted");
  process.exit(130);
});
process.on("SIGTERM", () => {
  base?.remove();
  process.exit(143);
});

try {
  await main();
} catch (e) {
  base?.remove();
  console.error(`bench: ${e instanceof Interrupted ? "interrupted" : e?.message ?? e}`);
  process.exit(e instanceof Interrupted ? 130 : 1);
}
base?.remove();

async function main() {
  console.log(`reimburse bench: ${N.toLocaleString("en")} claims${quick ? " (--quick)" : ""}${REF ? `, baseline ${REF}` : ""}`);
  console.log(`machine: ${machine()}; load average at start ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);

  // --- the trees: the baseline (if any) first, then the working tree
  const trees = [];
  if (REF) {
    base = baselineTree(REF);
    trees.push({ name: `baseline ${REF} (${base.commit.slice(0, 10)})`, short: "baseline", root: base.root });
  }
  if (REF || !existsSync(join(root, "dist", "main.cjs"))) {
    process.stderr.write("building the working tree (npm run build) …\n");
    build(root);
  }
  trees.push({ name: "working tree", short: "working tree", root });
  for (const t of trees) {
    t.bin = join(t.root, "bin", "reimburse.js");
    t.haveCheck = sh(node, [t.bin, "rules", "check", "--help"], { cwd: t.root, stdio: "ignore" }).status === 0;
  }
  const work = trees[trees.length - 1];

  // --- inputs
  const big = generate(N, SEED);
  const small = generate(SMALL, SEED);
  const forms = await claimForms();
  const outputs = Object.values(forms).map((f) => String(sh(node, [work.bin, "calc", f, "--format", "json"]).stdout));
  if (outputs.some((o) => o !== outputs[0])) console.log("note: the three written forms of the claim do not give the same JSON (they should: one claim)");

  // --- throughput and memory: ROUNDS rounds, interleaved
  const passRuns = [];
  for (const t of trees) Object.assign(t, { jsonl: [], csv: [], small: [] });
  for (let r = 0; r < ROUNDS; r++) {
    process.stderr.write(`throughput round ${r + 1}/${ROUNDS} …\n`);
    passRuns.push(measure([passthrough, big]));
    await tick();
    for (const [key, file, extra] of [["jsonl", big, []], ["csv", big, ["--format", "csv"]], ["small", small, []]])
      // A, B in even rounds, B, A in odd ones: a drift of the machine during a round then
      // favours neither tree in the medians.
      for (const t of r % 2 ? [...trees].reverse() : trees) {
        t[key].push(measure([t.bin, "batch", file, "--sorted", "-q", ...extra], t.root));
        await tick();
      }
  }
  const passSecs = median(passRuns.map((x) => x.secs));
  const passRate = N / passSecs;
  const passRss = median(passRuns.map((x) => x.rss));
  const rate = (runs) => (runs.every((x) => batchOk(x.status)) ? N / median(runs.map((x) => x.secs)) : undefined);
  for (const t of trees) {
    t.jsonlRate = rate(t.jsonl);
    t.csvRate = rate(t.csv);
    t.rss = median(t.jsonl.map((x) => x.rss));
    t.smallRss = median(t.small.map((x) => x.rss));
    t.summary = /batch: .*/.exec(t.jsonl[0].stderr)?.[0];
  }

  // --- start-up: node -e 0 and, for every tree, the five commands, all interleaved
  process.stderr.write(`start-up: ${RUNS} interleaved runs of ${1 + trees.length * 5} commands …\n`);
  const STARTUP = [
    ["calc", "calc block YAML --format json", (t) => ["calc", forms.block, "--format", "json"]],
    ["flow", "calc flow YAML --format json", (t) => ["calc", forms.flow, "--format", "json"]],
    ["json", "calc JSON file --format json", (t) => ["calc", forms.json, "--format", "json"]],
    ["table", "calc block YAML --format table", (t) => ["calc", forms.block, "--format", "table"]],
    ["check", "rules check", (t) => (t.haveCheck ? ["rules", "check"] : undefined)],
  ];
  const cmds = [{ argv: ["-e", "0"], cwd: root }];
  for (const t of trees)
    for (const [key, , argv] of STARTUP) {
      const a = argv(t);
      if (a) cmds.push({ tree: t, key, argv: [t.bin, ...a], cwd: t.root });
    }
  const ms = await startups(cmds, RUNS);
  const bare = ms[0];
  cmds.forEach((c, i) => c.tree && (c.tree[`${c.key}Ms`] = ms[i]));

  // --- report
  const W = 34;
  const C = 24;
  const both = trees.length > 1;
  const head = (title) => console.log(`\n${title}`);
  const row = (name, cell, ratio, goal = "") => {
    const cells = trees.map((t) => cell(t).padStart(C)).join("");
    const r = both ? (ratio ? fmt(ratio(work) / ratio(trees[0])) : "").padStart(16) : "";
    console.log(`  ${name.padEnd(W)}${cells}${r}${goal ? `   ${goal}` : ""}`);
  };
  console.log("");
  if (base) console.log(`baseline: ${REF} = ${base.commit.slice(0, 10)}, built in a temporary worktree; working tree: ${root}`);
  console.log(`  ${"".padEnd(W)}${trees.map((t) => t.short.padStart(C)).join("")}${both ? "working÷base".padStart(16) : ""}`);

  head(`throughput, claims/s (median of ${ROUNDS}), ×: ÷ pass-through (${int(passRate)} records/s, ${fmt(passSecs, 1)} s on ${N.toLocaleString("en")} records)`);
  const tput = (k) => (t) => (t[k] === undefined ? "n/a" : `${int(t[k])} ×${fmt(t[k] / passRate)}`);
  row("batch --sorted (JSON Lines)", tput("jsonlRate"), (t) => t.jsonlRate, `goal ×0.6${both ? ", ≥ baseline" : ""}`);
  row("batch --sorted --format csv", tput("csvRate"), (t) => t.csvRate, "goal ×0.3");
  for (const t of trees) if (t.summary) console.log(`  ${t.short}: ${t.summary}`);

  head(`start-up, ms (median of ${RUNS} interleaved runs), ×: ÷ node -e 0 (${fmt(bare, 1)} ms)`);
  const st = (k) => (t) => (t[`${k}Ms`] === undefined ? "n/a" : `${fmt(t[`${k}Ms`], 1)} ×${fmt(t[`${k}Ms`] / bare)}`);
  for (const [key, label] of STARTUP) row(label, st(key), (t) => t[`${key}Ms`], key === "table" ? "goal ×1.5" : key === "check" ? "" : "goal ×1.3");
  row("rules check ÷ calc (block, json)", (t) => fmt(t.checkMs / t.calcMs), (t) => t.checkMs / t.calcMs, "goal ≤ 1.5");

  head(`memory, peak RSS MB of batch --sorted, ×: ÷ pass-through (${fmt(passRss, 1)} MB)`);
  const mb = (k) => (t) => (t[k] === undefined ? "n/a" : `${fmt(t[k], 1)} ×${fmt(t[k] / passRss)}`);
  row(`on ${N.toLocaleString("en")} claims`, mb("rss"), (t) => t.rss);
  row(`on ${SMALL.toLocaleString("en")} claims`, mb("smallRss"), (t) => t.smallRss);
  row(`ratio ${N >= 1e6 ? `${N / 1e6}M` : `${N / 1000}k`} / 10k`, (t) => fmt(t.rss / t.smallRss), (t) => t.rss / t.smallRss, "goal ≤ 1.5");

  // --- goals, for the working tree (and the baseline, to compare)
  head("goals (working tree" + (both ? "; baseline in brackets" : "") + ")");
  const goal = (name, value, ok, target) => {
    const v = (t) => value(t);
    const status = (t) => (v(t) === undefined || Number.isNaN(v(t)) ? "n/a" : ok(v(t)) ? "met" : "NOT met");
    const b = both ? `   [${fmt(v(trees[0]))} ${status(trees[0])}]` : "";
    console.log(`${name.padEnd(W + 2)} ${fmt(v(work)).padStart(8)}   goal ${target.padEnd(7)} ${status(work)}${b}`);
  };
  goal("1. throughput ratio", (t) => t.jsonlRate / passRate, (x) => x >= 0.6, "≥ 0.6");
  if (both) {
    const x = work.jsonlRate / trees[0].jsonlRate;
    console.log(`${"1b. throughput ÷ baseline".padEnd(W + 2)} ${fmt(x).padStart(8)}   goal ≥ 1     ${Number.isNaN(x) ? "n/a" : x >= 1 ? "met" : x >= 0.97 ? "NOT met (within 3%: noise)" : "NOT met"}`);
  }
  goal("2. start-up ratio (calc / node)", (t) => t.calcMs / bare, (x) => x <= 1.3, "≤ 1.3");
  goal("2b. flow YAML / node", (t) => t.flowMs / bare, (x) => x <= 1.3, "≤ 1.3");
  goal("2c. JSON file / node", (t) => t.jsonMs / bare, (x) => x <= 1.3, "≤ 1.3");
  goal(`3. memory ratio (${N >= 1e6 ? `${N / 1e6}M` : `${N / 1000}k`} / 10k)`, (t) => t.rss / t.smallRss, (x) => x <= 1.5, "≤ 1.5");
  goal("4. rules check / calc start-up", (t) => t.checkMs / t.calcMs, (x) => x <= 1.5, "≤ 1.5");
  goal("5. csv throughput ratio", (t) => t.csvRate / passRate, (x) => x >= 0.3, "≥ 0.3");
  goal("6. table start-up / node", (t) => t.tableMs / bare, (x) => x <= 1.5, "≤ 1.5");
  for (const t of trees) if (!t.haveCheck) console.log(`note: ${t.short}: \`reimburse rules check\` does not exist in this build`);

  // --- for information, working tree only (on at most 100,000 claims, to keep the run short)
  if (!args.includes("--no-extra")) {
    const n = Math.min(N, 100_000);
    const f = generate(n, SEED);
    const p = n === N ? { secs: passSecs } : measure([passthrough, f]);
    const r = n / p.secs;
    const unsorted = measure([work.bin, "batch", f, "-q"]);
    const explained = measure([work.bin, "batch", f, "--sorted", "-q", "--explain"]);
    console.log("");
    console.log(`for information, working tree, on ${n.toLocaleString("en")} claims:`);
    console.log(`  batch without --sorted (buffers every claim, then sorts): ${fmt(unsorted.secs, 1)} s, ratio ${fmt(n / unsorted.secs / r)}, peak RSS ${unsorted.rss ? fmt(unsorted.rss, 0) : "?"} MB`);
    console.log(`  batch --sorted --explain (the steps too, ~6 KB a record): ${fmt(explained.secs, 1)} s, ratio ${fmt(n / explained.secs / r)}`);
  }
}
