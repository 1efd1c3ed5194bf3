/**
 * A copy of the package as a user has it after `npm ci && npm run build` (bin/,
 * dist/, rules/, examples/, package.json), with `reimburse` on a PATH of its own,
 * for tests that run shell sessions as a user would (the README's examples,
 * the examples under every --help).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./helpers.js";

const PACKAGE = ["bin", "dist", "rules", "examples", "package.json"];
let root: string | undefined;
let made = 0;

/** A fresh copy of the package in a directory of its own, and a PATH directory whose `reimburse` runs that copy. */
export function sandbox(name: string): { work: string; path: string } {
  root ??= mkdtempSync(join(tmpdir(), "reimburse-sandbox-"));
  const dir = join(root, `${++made}-${name}`); // a name given twice is two sandboxes
  const work = join(dir, "work");
  const path = join(dir, "path");
  for (const p of PACKAGE) cpSync(join(ROOT, p), join(work, p), { recursive: true });
  mkdirSync(path);
  writeFileSync(join(path, "reimburse"), `#!/bin/sh\nexec "${process.execPath}" "${join(work, "bin", "reimburse.js")}" "$@"\n`);
  chmodSync(join(path, "reimburse"), 0o755);
  return { work, path };
}

/** Removes every sandbox (afterAll). */
export function removeSandboxes(): void {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
}

/** A bash script run in a sandbox as a user's shell: plain UTF-8, no colour, UTC. */
export function shell(box: { work: string; path: string }, script: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync("bash", ["-c", script], {
    cwd: box.work,
    encoding: "utf8",
    env: { PATH: `${box.path}:${process.env.PATH}`, HOME: box.work, LANG: "C.UTF-8", NO_COLOR: "1", TZ: "UTC" },
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
