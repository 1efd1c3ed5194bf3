#!/usr/bin/env node
// The benchmark of issue 5: prints four figures, each next to its goal, measured in one run.
//
//   npm run bench                 1,000,000 claims (a few minutes on 2 cores)
//   npm run bench -- --quick      100,000 claims
//   npm run bench -- --claims N   any size
//
// 1. throughput ratio: `reimburse batch --sorted` claims/s over a bare Node JSON Lines
//    pass-through (bench/passthrough.mjs) on the same generated file. Goal ≥ 0.6.
// 2. start-up ratio: median wall time of `reimburse calc examples/zone-changde-yichang.yaml
//    --format json` over `node -e 0`, 15 runs each, interleaved. Goal ≤ 1.3.
// 3. memory: peak RSS of `batch --sorted` on the big file over the same on 10,000 claims.
//    Goal ≤ 1.5.
// 4. `rules check` start-up over `calc` start-up (median, interleaved). Goal ≤ 1.5.
// Plus, for information (on at most 100,000 claims): batch without --sorted (buffers the
// input), batch to CSV, and batch --explain. --no-extra leaves them out.
// Files are generated into .bench/ (seeded: the same file every run) and kept for the next run.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const claimsArg = args.indexOf("--claims");
const N = claimsArg >= 0 ? Number(args[claimsArg + 1]) : quick ? 100_000 : 1_000_000;
const SMALL = 10_000;
const SEED = 2025;
const RUNS = 15;
const node = process.execPath;
const bin = join(root, "bin", "reimburse.js");
const dir = join(root, ".bench");
mkdirSync(dir, { recursive: true });

const time = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const fmt = (x, d = 2) => x.toLocaleString("en", { maximumFractionDigits: d, minimumFractionDigits: d });
const line = (name, value, goal, ok, note = "") => console.log(`${name.padEnd(34)} ${value.padStart(10)}   goal ${goal.padEnd(7)} ${ok === undefined ? "" : ok ? "met" : "NOT met"}${note ? `   ${note}` : ""}`);

function sh(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { cwd: root, maxBuffer: 1 << 30, ...opts });
  if (r.error) throw r.error;
  return r;
}

/** Runs a command with stdout to /dev/null; wall seconds and peak RSS (MB). */
function measure(argv) {
  const start = process.hrtime.bigint();
  let rss;
  let r;
  if (time) {
    r = sh(time, ["-v", node, ...argv], { stdio: ["ignore", "ignore", "pipe"] });
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(String(r.stderr));
    rss = m ? Number(m[1]) / 1024 : undefined;
  } else {
    // Without /usr/bin/time: the child reports its own peak RSS.
    r = sh(node, ["--import", "data:text/javascript,process.on('exit',()=>process.stderr.write('\\nmaxRSS '+process.resourceUsage().maxRSS+'\\n'))", ...argv], { stdio: ["ignore", "ignore", "pipe"] });
    const m = /maxRSS (\d+)/.exec(String(r.stderr));
    rss = m ? Number(m[1]) / 1024 : undefined;
  }
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  return { secs, rss, status: r.status, stderr: String(r.stderr) };
}

function generate(n) {
  const file = join(dir, `claims-${n}-s${SEED}.jsonl`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${n.toLocaleString("en")} claims into ${file} …\n`);
    const r = sh(node, [join(root, "bench", "gen.mjs"), "--claims", String(n), "--seed", String(SEED), "--out", file], { stdio: "inherit" });
    if (r.status !== 0) throw new Error("bench/gen.mjs failed");
  }
  return file;
}

/** Median wall ms of each command, runs interleaved. */
function startups(cmds) {
  const times = cmds.map(() => []);
  for (let i = 0; i < RUNS + 1; i++)
    cmds.forEach((argv, j) => {
      const s = process.hrtime.bigint();
      sh(node, argv, { stdio: "ignore" });
      if (i > 0) times[j].push(Number(process.hrtime.bigint() - s) / 1e6); // the first round warms the disk cache
    });
  return times.map((t) => t.sort((a, b) => a - b)[t.length >> 1]);
}

// --- the machine
const cpu = (() => {
  try {
    return /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpus()[0]?.model;
  } catch {
    return cpus()[0]?.model;
  }
})();
console.log(`reimburse bench: ${N.toLocaleString("en")} claims${quick ? " (--quick)" : ""}`);
console.log(`machine: ${cpus().length} cores (nproc), ${cpu}; Node ${process.version}; load average at start ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
if (!existsSync(join(root, "dist", "main.cjs"))) {
  console.log("building (npm run build) …");
  sh(node, [join(root, "src", "build", "build.mjs")], { stdio: "inherit" });
}

// --- 1. throughput and 3. memory
const big = generate(N);
const small = generate(SMALL);
const pass = measure([join(root, "bench", "passthrough.mjs"), big]);
const sorted = measure([bin, "batch", big, "--sorted", "-q"]);
const smallRun = measure([bin, "batch", small, "--sorted", "-q"]);
const passRate = N / pass.secs;
const batchRate = N / sorted.secs;
console.log("");
console.log(`pass-through: ${fmt(pass.secs, 1)} s, ${Math.round(passRate).toLocaleString("en")} records/s; batch --sorted (JSON Lines out): ${fmt(sorted.secs, 1)} s, ${Math.round(batchRate).toLocaleString("en")} claims/s`);
const summary = /batch: .*/.exec(sorted.stderr)?.[0];
if (summary) console.log(`  ${summary}`);
line("1. throughput ratio", fmt(batchRate / passRate), "≥ 0.6", batchRate / passRate >= 0.6);

// --- 2. start-up
const calcArgs = [bin, "calc", "examples/zone-changde-yichang.yaml", "--format", "json"];
const haveRulesCheck = sh(node, [bin, "rules", "check", "--help"], { stdio: "ignore" }).status === 0;
const cmds = [["-e", "0"], calcArgs, ...(haveRulesCheck ? [[bin, "rules", "check"]] : [])];
const [bare, calc, check] = startups(cmds);
console.log(`start-up medians of ${RUNS} interleaved runs: node -e 0 ${fmt(bare, 1)} ms, calc --format json ${fmt(calc, 1)} ms${check !== undefined ? `, rules check ${fmt(check, 1)} ms` : ""}`);
line("2. start-up ratio (calc / node)", fmt(calc / bare), "≤ 1.3", calc / bare <= 1.3);

// --- 3. memory
if (sorted.rss && smallRun.rss) {
  console.log(`peak RSS: ${fmt(sorted.rss, 1)} MB for ${N.toLocaleString("en")} claims, ${fmt(smallRun.rss, 1)} MB for ${SMALL.toLocaleString("en")} (batch --sorted)`);
  line(`3. memory ratio (${N >= 1e6 ? "1M" : `${N / 1000}k`} / 10k)`, fmt(sorted.rss / smallRun.rss), "≤ 1.5", sorted.rss / smallRun.rss <= 1.5);
} else line("3. memory ratio", "n/a", "≤ 1.5", undefined, "peak RSS not available on this machine");

// --- 4. rules check
if (check !== undefined) line("4. rules check / calc start-up", fmt(check / calc), "≤ 1.5", check / calc <= 1.5);
else line("4. rules check / calc start-up", "n/a", "≤ 1.5", undefined, "not available: `reimburse rules check` does not exist in this build");

// --- for information (on at most 100,000 claims, to keep the run short)
if (!args.includes("--no-extra")) {
  const n = Math.min(N, 100_000);
  const f = generate(n);
  const p = n === N ? pass : measure([join(root, "bench", "passthrough.mjs"), f]);
  const rate = n / p.secs;
  const unsorted = measure([bin, "batch", f, "-q"]);
  const csv = measure([bin, "batch", f, "--sorted", "-q", "--format", "csv"]);
  const explained = measure([bin, "batch", f, "--sorted", "-q", "--explain"]);
  console.log("");
  console.log(`for information, on ${n.toLocaleString("en")} claims:`);
  console.log(`  batch without --sorted (buffers every claim, then sorts): ${fmt(unsorted.secs, 1)} s, ratio ${fmt(n / unsorted.secs / rate)}, peak RSS ${unsorted.rss ? fmt(unsorted.rss, 0) : "?"} MB`);
  console.log(`  batch --sorted --format csv: ${fmt(csv.secs, 1)} s, ratio ${fmt(n / csv.secs / rate)}, peak RSS ${csv.rss ? fmt(csv.rss, 0) : "?"} MB`);
  console.log(`  batch --sorted --explain (the steps too, ~6 KB a record): ${fmt(explained.secs, 1)} s, ratio ${fmt(n / explained.secs / rate)}`);
}
