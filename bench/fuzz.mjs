#!/usr/bin/env node
// Fuzzing: mutate valid claims and rule files for N minutes and report every
// internal error (exit 70) or hang, with the input that caused it.
//
//   npm run fuzz                      # 10 minutes
//   npm run fuzz -- --minutes 1 --seed 7
//
// Inputs run in-process (bin/reimburse.js `load`, as the binary) inside a worker thread; the main
// thread kills the worker when one input takes longer than --timeout ms (a hang).
// Failing inputs are written to .fuzz/ (git-ignored).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

function args() {
  const a = process.argv.slice(2);
  const get = (name, dflt) => {
    const i = a.indexOf(`--${name}`);
    return i >= 0 ? Number(a[i + 1]) : dflt;
  };
  return { minutes: get("minutes", 10), seed: get("seed", 20261122), timeout: get("timeout", 5000) };
}

/** mulberry32: a small seeded PRNG so runs can be replayed. */
function prng(seed) {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const WEIRD = [
  "-1", "0", "-0", "1e308", ".nan", ".inf", "-.inf", "'1,000'", "'１０００'", "0.001", "99999999999999999999", "''", "null", "~", "[]", "{}",
  "true", "'2025-02-30'", "2025-13-01", "'x'", "__proto__", "constructor", "!!js/function 'f'", "*undefined_alias", "&a [*a]", "'\u0000'",
  "\"\\uD800\"", "9007199254740993", "1.5", "community", "provincial", "'430000'", "'999999'", "常德", "\t", "|\n  x", "? complex\n: key",
];

function mutateText(text, rnd) {
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const lines = text.split("\n");
  const op = Math.floor(rnd() * 9);
  const i = Math.floor(rnd() * lines.length);
  switch (op) {
    case 0: { // replace a scalar value with a weird one
      const m = /^(\s*-?\s*[\w"'.\u4e00-\u9fff-]+:\s*)(.+)$/.exec(lines[i] ?? "");
      if (m) lines[i] = m[1] + pick(WEIRD);
      else lines.splice(i, 0, `${pick(["id", "costs", "x", "__proto__", "values", "unit"])}: ${pick(WEIRD)}`);
      break;
    }
    case 1: lines.splice(i, 1); break; // delete a line
    case 2: lines.splice(i, 0, lines[Math.floor(rnd() * lines.length)] ?? ""); break; // duplicate a line
    case 3: { const j = Math.floor(rnd() * lines.length); [lines[i], lines[j]] = [lines[j], lines[i]]; break; }
    case 4: { // flip characters
      const s = lines[i] ?? "";
      const k = Math.floor(rnd() * (s.length + 1));
      lines[i] = s.slice(0, k) + String.fromCharCode(Math.floor(rnd() * 0x3000)) + s.slice(k + 1);
      break;
    }
    case 5: lines[i] = (lines[i] ?? "").replace(/^\s*/, (ws) => (rnd() < 0.5 ? ws + " " : ws.slice(1))); break; // indentation
    case 6: lines[i] = (lines[i] ?? "").replace(/\d/g, () => String(Math.floor(rnd() * 10))); break; // digits
    case 7: return text.slice(0, Math.floor(rnd() * text.length)); // truncate
    case 8: lines.splice(i, 0, `${" ".repeat(Math.floor(rnd() * 6))}${pick(["k", "values", "2024-01-01", "value", "source"])}: ${pick(WEIRD)}`); break;
  }
  return lines.join("\n");
}

async function main() {
  const { minutes, seed, timeout } = args();
  const rnd = prng(seed);
  const claims = readdirSync(join(ROOT, "examples")).filter((f) => /\.ya?ml$/.test(f)).map((f) => readFileSync(join(ROOT, "examples", f), "utf8"));
  const ruleFiles = [];
  const walk = (d) => { for (const n of readdirSync(d)) { const p = join(d, n); if (statSync(p).isDirectory()) walk(p); else if (/\.ya?ml$/.test(n) && !/\.test\.ya?ml$/.test(n)) ruleFiles.push(relative(join(ROOT, "rules"), p)); } };
  walk(join(ROOT, "rules"));
  const work = mkdtempSync(join(tmpdir(), "reimburse-fuzz-"));
  const outDir = join(ROOT, ".fuzz");
  const deadline = Date.now() + minutes * 60_000;
  let worker = spawn();
  const stats = { inputs: 0, claims: 0, rules: 0, byCode: {}, internal: 0, hangs: 0, stackLeaks: 0 };
  let lastReport = Date.now();

  function spawn() { return new Worker(fileURLToPath(import.meta.url)); }
  function runJob(job) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => { worker.terminate(); worker = spawn(); resolve({ hang: true }); }, timeout);
      worker.once("message", (m) => { clearTimeout(timer); resolve(m); });
    }).then((r) => r);
  }
  function save(kind, content) {
    mkdirSync(outDir, { recursive: true });
    const f = join(outDir, `${kind}-${stats.inputs}.txt`);
    writeFileSync(f, content);
    return f;
  }

  while (Date.now() < deadline) {
    stats.inputs++;
    let job, input;
    if (rnd() < 0.75) {
      stats.claims++;
      let text = claims[Math.floor(rnd() * claims.length)];
      const n = 1 + Math.floor(rnd() * 4);
      for (let k = 0; k < n; k++) text = mutateText(text, rnd);
      input = text;
      const fmt = rnd() < 0.5 ? "json" : "table";
      // Half through a file (the quick start-up path reads files), half through standard input.
      let arg = "-";
      if (rnd() < 0.5) {
        arg = join(work, "claim.yaml");
        writeFileSync(arg, text);
      }
      job = { args: ["calc", arg, "--format", fmt, ...(rnd() < 0.3 ? ["--explain"] : [])], stdin: text };
      worker.postMessage(job);
    } else {
      stats.rules++;
      const dir = join(work, "rules");
      rmSync(dir, { recursive: true, force: true });
      cpSync(join(ROOT, "rules"), dir, { recursive: true });
      const target = ruleFiles[Math.floor(rnd() * ruleFiles.length)];
      let text = readFileSync(join(dir, target), "utf8");
      const n = 1 + Math.floor(rnd() * 3);
      for (let k = 0; k < n; k++) text = mutateText(text, rnd);
      writeFileSync(join(dir, target), text);
      input = `# rules/${target}\n${text}`;
      job = { args: ["calc", "-", "--rules", dir, "--format", "json"], stdin: claims[Math.floor(rnd() * claims.length)] };
      worker.postMessage(job);
    }
    const r = await runJob(job);
    if (r.hang) {
      stats.hangs++;
      console.log(`HANG (> ${timeout} ms): ${save("hang", input)}`);
      continue;
    }
    stats.byCode[r.code] = (stats.byCode[r.code] ?? 0) + 1;
    if (r.code === 70 || r.code === -1) {
      stats.internal++;
      console.log(`INTERNAL ERROR (exit ${r.code}): ${save("internal", input)}\n  ${r.err.split("\n")[0]}`);
    }
    if (r.stackLeak) {
      stats.stackLeaks++;
      console.log(`STACK TRACE PRINTED: ${save("stack", input)}`);
    }
    if (Date.now() - lastReport > 30_000) {
      lastReport = Date.now();
      console.log(`… ${stats.inputs} inputs, exit codes ${JSON.stringify(stats.byCode)}`);
    }
  }
  await worker.terminate();
  rmSync(work, { recursive: true, force: true });
  console.log(`fuzz: ${stats.inputs} inputs in ${minutes} min (seed ${seed}): ${stats.claims} mutated claims, ${stats.rules} mutated rule sets`);
  console.log(`exit codes: ${JSON.stringify(stats.byCode)}`);
  console.log(`internal errors: ${stats.internal}, hangs: ${stats.hangs}, stack traces printed: ${stats.stackLeaks}`);
  process.exitCode = stats.internal || stats.hangs || stats.stackLeaks ? 1 : 0;
}

if (!isMainThread) {
  // The binary's own loader: the bundles, with their code caches.
  const { createRequire } = await import("node:module");
  const { main: run } = createRequire(import.meta.url)(join(ROOT, "bin", "reimburse.js")).load();
  parentPort.on("message", async (job) => {
    let out = "";
    let err = "";
    const io = {
      stdout: { write: (s) => (out += s), isTTY: false },
      stderr: { write: (s) => (err += s), isTTY: false },
      env: {},
      readStdin: () => job.stdin ?? "",
    };
    let code;
    try {
      code = await run(job.args, io);
    } catch (e) {
      code = -1;
      err += `run() threw: ${e?.stack ?? e}`;
    }
    parentPort.postMessage({ code, err: err.slice(0, 2000), stackLeak: /\n\s+at .+\(.+:\d+:\d+\)/.test(err) });
  });
} else {
  await main();
}
