// Helpers of bench/run.mjs: running and timing commands, the generated inputs, the claim in
// three written forms, and a baseline built from a git ref in a temporary worktree.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const node = process.execPath;
export const benchDir = join(root, ".bench");
const time = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

export const fmt = (x, d = 2) => (x === undefined || Number.isNaN(x) ? "n/a" : x.toLocaleString("en", { maximumFractionDigits: d, minimumFractionDigits: d }));
export const int = (x) => (x === undefined ? "n/a" : Math.round(x).toLocaleString("en"));
export const median = (xs) => {
  const s = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : undefined;
};

/** A child killed by Ctrl-C (the terminal sends SIGINT to the whole process group). */
export class Interrupted extends Error {}

export function sh(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { cwd: root, maxBuffer: 1 << 30, ...opts });
  if (r.error) throw r.error;
  if (r.signal === "SIGINT" || r.signal === "SIGTERM") throw new Interrupted(`interrupted (${r.signal})`);
  return r;
}

/** Lets a pending signal handler run between two synchronous child runs. */
export const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Runs `node ...argv` with stdout to /dev/null: wall seconds, peak RSS (MB), exit status. */
export function measure(argv, cwd = root) {
  const start = process.hrtime.bigint();
  let r;
  let m;
  if (time) {
    r = sh(time, ["-v", node, ...argv], { cwd, stdio: ["ignore", "ignore", "pipe"] });
    m = /Maximum resident set size \(kbytes\): (\d+)/.exec(String(r.stderr));
  } else {
    // Without /usr/bin/time: the child reports its own peak RSS.
    r = sh(node, ["--import", "data:text/javascript,process.on('exit',()=>process.stderr.write('\\nmaxRSS '+process.resourceUsage().maxRSS+'\\n'))", ...argv], { cwd, stdio: ["ignore", "ignore", "pipe"] });
    m = /maxRSS (\d+)/.exec(String(r.stderr));
  }
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  return { secs, rss: m ? Number(m[1]) / 1024 : undefined, status: r.status, stderr: String(r.stderr) };
}

/** The seeded year of n claims (bench/gen.mjs), generated into .bench/ once and kept. */
export function generate(n, seed) {
  mkdirSync(benchDir, { recursive: true });
  const file = join(benchDir, `claims-${n}-s${seed}.jsonl`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${n.toLocaleString("en")} claims into ${file} …\n`);
    const r = sh(node, [join(root, "bench", "gen.mjs"), "--claims", String(n), "--seed", String(seed), "--out", file], { stdio: "inherit" });
    if (r.status !== 0) throw new Error("bench/gen.mjs failed");
  }
  return file;
}

/** The example claim as written (block YAML), and the same claim in YAML flow style and as
 * JSON, written into .bench/: {block, flow, json} (absolute paths). */
export async function claimForms() {
  const block = join(root, "examples", "zone-changde-yichang.yaml");
  const { parse, stringify } = await import("yaml");
  const claim = parse(readFileSync(block, "utf8"));
  mkdirSync(benchDir, { recursive: true });
  const flow = join(benchDir, "zone-changde-yichang.flow.yaml");
  const json = join(benchDir, "zone-changde-yichang.json");
  // Top-level keys one a line, each nested mapping in flow style: insured: {region: "430700", scheme: employee}
  writeFileSync(flow, Object.entries(claim).map(([k, v]) => `${k}: ${stringify(v, { collectionStyle: "flow", flowCollectionPadding: false })}`).join(""));
  writeFileSync(json, `${JSON.stringify(claim, null, 2)}\n`);
  return { block, flow, json };
}

/** Median wall ms of each command ({argv, cwd}), `runs` rounds, the commands interleaved in
 * each round; a first round warms the disk cache and is not counted. */
export async function startups(cmds, runs) {
  const times = cmds.map(() => []);
  for (let i = 0; i < runs + 1; i++)
    for (const [j, c] of cmds.entries()) {
      const s = process.hrtime.bigint();
      const r = sh(node, c.argv, { cwd: c.cwd, stdio: "ignore" });
      if (i > 0) times[j].push(Number(process.hrtime.bigint() - s) / 1e6);
      if (r.status !== 0 && c.mustSucceed) c.failed = r.status;
      await tick();
    }
  return times.map(median);
}

export function machine() {
  let cpu = cpus()[0]?.model;
  try {
    cpu = /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpu;
  } catch {}
  return `${cpus().length} cores (nproc), ${cpu}; Node ${process.version}`;
}

/** Builds a tree (its own src/build/build.mjs, into its own dist/). */
export function build(treeRoot) {
  const r = sh(node, [join(treeRoot, "src", "build", "build.mjs")], { cwd: treeRoot, stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) throw new Error(`build failed in ${treeRoot} (exit ${r.status})`);
}

const git = (argv, opts = {}) => sh("git", argv, { encoding: "utf8", ...opts });

/** The baseline: REF checked out in a temporary worktree (git worktree add --detach), with the
 * working tree's node_modules symlinked in (npm is not run there), built with its own build.
 * Returns {root, ref, commit, remove}; remove() is idempotent and also runs on exit. */
export function baselineTree(ref) {
  const rev = git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (rev.status !== 0) throw new Error(`--baseline ${ref}: not a commit in this repository`);
  const commit = rev.stdout.trim();
  const parent = mkdtempSync(join(tmpdir(), "reimburse-bench-"));
  const dir = join(parent, "baseline");
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    // The node_modules link first, so that nothing below can reach the working tree's modules.
    rmSync(join(dir, "node_modules"), { force: true });
    const r = spawnSync("git", ["worktree", "remove", "--force", dir], { cwd: root, stdio: "ignore" });
    rmSync(parent, { recursive: true, force: true });
    // The worktree's record in .git/worktrees points at a directory that is gone: drop it.
    if (r.status !== 0) spawnSync("git", ["worktree", "prune"], { cwd: root, stdio: "ignore" });
  };
  process.on("exit", remove);
  const add = git(["worktree", "add", "--detach", dir, commit], { stdio: ["ignore", "pipe", "pipe"] });
  if (add.status !== 0) {
    remove();
    throw new Error(`git worktree add failed: ${add.stderr.trim()}`);
  }
  try {
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
    process.stderr.write(`building baseline ${ref} (${commit.slice(0, 10)}) in ${dir} …\n`);
    build(dir);
  } catch (e) {
    remove();
    throw e;
  }
  return { root: dir, ref, commit, remove };
}
