/**
 * Helpers for the fault batteries (test/hardening/{io,records,system}.test.ts):
 * the built binary run with a fault injected — standard output on /dev/full,
 * a process as an unprivileged user (EACCES as root), a tiny file system in a
 * mount namespace (ENOSPC), signals — and what the machine allows of them.
 */
import { execFileSync, spawn, spawnSync, type SpawnOptions } from "node:child_process";
import { chmodSync, mkdtempSync, openSync, readSync, closeSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../helpers.js";

export const BIN = join(ROOT, "bin", "reimburse.js");
export const STACK = /\n\s+at .+:\d+:\d+\)?/;
export const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export type Rec = Record<string, any>;
/** The seed claim: a 常德 employee, level 3 in 宜昌 (a zone), 11,100 of class A: (11,100 − 1,100) × 85% = 8,500 payable. */
export const SEED: Rec = {
  date: "2025-03-09",
  insured: { region: "430700", scheme: "employee" },
  treatment: { region: "420500", level: 3, kind: "inpatient" },
  filing: "none",
  costs: { classA: 11100 },
};
export const rec = (over: Rec = {}): string => JSON.stringify({ ...SEED, ...over });
export const GOOD = rec();

/** A directory every user may read and enter (the unprivileged runs need it). */
export function openDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), `reimburse-${prefix}-`));
  chmodSync(d, 0o755);
  return d;
}

export function write(dir: string, name: string, content: string | Buffer): string {
  const f = join(dir, name);
  writeFileSync(f, content);
  return f;
}

export interface Result {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The built binary, as a user runs it. `stdout`: a file descriptor to write to
 * (a device, say) instead of a pipe; `as: "nobody"`: run as uid 65534 (see
 * `unprivileged`).
 */
export function run(args: readonly string[], o: { stdin?: string; stdout?: number; cwd?: string; as?: "nobody"; timeout?: number } = {}): Result {
  const argv = [process.execPath, BIN, ...args];
  const [cmd, ...rest] = o.as === "nobody" && process.getuid?.() === 0 ? ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", ...argv] : argv;
  const r = spawnSync(cmd!, rest, {
    input: o.stdin ?? "",
    cwd: o.cwd ?? ROOT,
    env: { PATH: process.env.PATH },
    stdio: ["pipe", o.stdout ?? "pipe", "pipe"],
    timeout: o.timeout ?? 30_000,
    maxBuffer: 1 << 28,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout?.toString("utf8") ?? "", stderr: r.stderr.toString("utf8") };
}

/** A shell command line (sh -c), for faults that need one: a mount namespace, a FIFO with its reader. */
export function sh(script: string, o: { timeout?: number } = {}): Result {
  const r = spawnSync("sh", ["-c", script], { cwd: ROOT, env: { PATH: process.env.PATH, BIN, NODE: process.execPath }, encoding: "utf8", timeout: o.timeout ?? 60_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** The binary as a child process the test talks to while it runs (signals, a pipe closed by its reader). */
export function start(args: readonly string[], o: SpawnOptions = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH }, stdio: ["pipe", "pipe", "pipe"], ...o });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, exited, stderr: () => stderr };
}

/** Polls `cond` every 20 ms until it holds (or fails after `ms`). */
export async function until(cond: () => boolean, ms = 10_000, what = "the condition"): Promise<void> {
  const t = Date.now();
  while (!cond()) {
    if (Date.now() - t > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Why a fault cannot be injected on this machine (printed when its tests are skipped), or undefined when it can. */
export function unavailable(what: string, why: string | undefined): string | undefined {
  if (why) console.warn(`skipped: ${what}: ${why}`);
  return why;
}

/**
 * EACCES needs a process that permissions apply to: this one if not root, else
 * uid 65534 through setpriv, which must then be able to read the checkout (a
 * clone inside a private directory, such as `mktemp -d`'s, is not).
 */
export const noUnprivileged: string | undefined = (() => {
  if (process.getuid?.() !== 0) return undefined;
  const drop = ["--reuid", "65534", "--regid", "65534", "--clear-groups", process.execPath];
  try {
    execFileSync("setpriv", [...drop, "-e", "0"], { stdio: "ignore" });
  } catch {
    return "running as root without a working setpriv to drop to an unprivileged user";
  }
  try {
    execFileSync("setpriv", [...drop, "-e", `require("fs").accessSync(${JSON.stringify(join(ROOT, "bin", "reimburse.js"))}, require("fs").constants.R_OK)`], { stdio: "ignore" });
    return undefined;
  } catch {
    return `uid 65534 cannot read the checkout (${ROOT} lies in a directory private to root)`;
  }
})();

/** ENOSPC on a file system: a 64 KB tmpfs, mounted in a mount namespace of its own (root, unshare). */
export const noTinyFs: string | undefined = (() => {
  const r = spawnSync("unshare", ["-m", "sh", "-c", "d=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs $d && umount $d && rmdir $d"], { stdio: "ignore" });
  return r.status === 0 ? undefined : "cannot mount a tmpfs in a mount namespace here (needs root and unshare)";
})();

/** EIO: reading /proc/self/mem at offset 0 (an unmapped address) fails with EIO on Linux. */
export const noEio: string | undefined = (() => {
  try {
    const fd = openSync("/proc/self/mem", "r");
    try {
      readSync(fd, Buffer.alloc(8), 0, 8, null);
    } finally {
      closeSync(fd);
    }
    return "reading /proc/self/mem did not fail with EIO";
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EIO" ? undefined : `no /proc/self/mem to fail with EIO (${(e as Error).message})`;
  }
})();

/**
 * A /dev of its own (a tmpfs over /dev in a mount namespace, with null, full
 * and stdout made as on any Linux system): `-o /dev/null` is tested there, so
 * that a regression — renaming a file over the device, as the tool once did —
 * replaces the private node and never the machine's.
 */
export const PRIVATE_DEV =
  "mount -t tmpfs -o size=1m,mode=755 tmpfs /dev && mknod -m 666 /dev/null c 1 3 && mknod -m 666 /dev/full c 1 7 && ln -s /proc/self/fd/1 /dev/stdout && ln -s /proc/self/fd /dev/fd";
export const noPrivateDev: string | undefined = (() => {
  const r = spawnSync("unshare", ["-m", "sh", "-c", `${PRIVATE_DEV} && echo ok > /dev/null && test -c /dev/full`], { stdio: "ignore" });
  return r.status === 0 ? undefined : "cannot mount a /dev of its own in a mount namespace here (needs root, unshare and mknod)";
})();

/** `script` run by sh in a mount namespace with a /dev of its own (PRIVATE_DEV); the binary is "$NODE" "$BIN". */
export function withPrivateDev(script: string): Result {
  return sh(`unshare -m sh -c '${PRIVATE_DEV} && { ${script.replaceAll("'", "'\\''")} ; }'`);
}

/** /dev/full: every write fails with ENOSPC. */
export const noDevFull: string | undefined = (() => {
  try {
    closeSync(openSync("/dev/full", "w"));
    return undefined;
  } catch {
    return "no /dev/full";
  }
})();
