// What record.mjs and golden.test.ts share: how a case is run, where its expected output
// lives, and how two outputs are compared (the first differing line, never a whole diff).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { ROOT, YEAR, YEAR_GZ } from "./cases.mjs";

export { ROOT };
export const EXPECTED = join(ROOT, "test", "golden", "expected");
export const EXIT_CODES = join(EXPECTED, "exit-codes.json");
/** Outputs above this size are stored gzipped. */
export const GZIP_ABOVE = 100 * 1024;
const BIN = join(ROOT, "bin", "reimburse.js");

/** Un-gzips the committed inputs to their fixed paths (gitignored), when not already there. */
export function prepareInputs() {
  const target = join(ROOT, YEAR);
  const data = gunzipSync(readFileSync(join(ROOT, YEAR_GZ)));
  if (existsSync(target) && readFileSync(target).equals(data)) return;
  mkdirSync(join(target, ".."), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, target);
}

/** `batch` ends its summary line with the run's wall time and rate when it took 1 s or more
 * (src/commands/batch.ts): "; 1.4 s, 3,685 records/s". That part is cut out of stderr before
 * it is recorded or compared; everything else of stderr is golden. */
const TIMING = /(^batch: [^\n]*?); [\d.]+ s, [\d,]+ records\/s/gm;
/** The same in Chinese (--lang zh): "；1.4 秒，每秒 3,685 条". */
const TIMING_ZH = /(^batch：[^\n]*?)；[\d.]+ 秒，每秒 [\d,]+ 条/gmu;
export const withoutTiming = (stderr) => Buffer.from(stderr.toString("utf8").replace(TIMING, "$1").replace(TIMING_ZH, "$1"), "utf8");

/** Runs one case: {stdout: Buffer, stderr: Buffer (batch's timing cut out), code}. */
export function runCase(c) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...c.args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...(c.env ?? {}) },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out = [];
    const err = [];
    child.stdout.on("data", (b) => out.push(b));
    child.stderr.on("data", (b) => err.push(b));
    child.on("error", reject);
    child.stdin.on("error", () => {}); // a command that does not read stdin may close it early
    child.stdin.end(c.stdin ?? "");
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err);
      resolve({ stdout: Buffer.concat(out), stderr: c.args[0] === "batch" ? withoutTiming(stderr) : stderr, code: code ?? `signal ${signal}` });
    });
  });
}

/** Runs fn over items, n at a time; results in item order. */
export async function pool(items, fn, n = Math.max(2, availableParallelism())) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return results;
}

/** The file of one stream of one case: plain, or .gz when it was large. */
export function expectedFile(name, stream) {
  const plain = join(EXPECTED, `${name}.${stream}`);
  if (existsSync(plain)) return plain;
  if (existsSync(`${plain}.gz`)) return `${plain}.gz`;
  return undefined;
}

/** The recorded bytes of one stream of one case, or undefined when none was recorded. */
export function readExpected(name, stream) {
  const file = expectedFile(name, stream);
  if (!file) return undefined;
  const data = readFileSync(file);
  return file.endsWith(".gz") ? gunzipSync(data) : data;
}

export function readExitCodes() {
  return existsSync(EXIT_CODES) ? JSON.parse(readFileSync(EXIT_CODES, "utf8")) : {};
}

/** A long line is shown around column `at` only. */
const around = (line, at, width = 160) => {
  if (line.length <= 2 * width) return JSON.stringify(line);
  const from = Math.max(0, at - width);
  const to = Math.min(line.length, at + width);
  return `${from > 0 ? "…" : ""}${JSON.stringify(line.slice(from, to))}${to < line.length ? "…" : ""}`;
};

/** undefined when equal, else a few lines saying where the two first differ: line, column,
 * and the two lines around that column. */
export function firstDifference(expected, actual) {
  if (expected.equals(actual)) return undefined;
  const e = expected.toString("utf8").split("\n");
  const a = actual.toString("utf8").split("\n");
  let i = 0;
  while (i < e.length && i < a.length && e[i] === a[i]) i++;
  const sizes = `expected ${expected.length} bytes in ${e.length} lines, actual ${actual.length} bytes in ${a.length} lines`;
  if (i === e.length && i === a.length) return `outputs differ in bytes that are not valid UTF-8 (${sizes})`;
  const el = e[i];
  const al = a[i];
  let col = 0;
  if (el !== undefined && al !== undefined) while (col < el.length && col < al.length && el[col] === al[col]) col++;
  const show = (l) => (l === undefined ? "(end of output)" : around(l, col));
  return [`first difference at line ${i + 1}, column ${col + 1} (${sizes}):`, `  expected: ${show(el)}`, `  actual:   ${show(al)}`].join("\n");
}
