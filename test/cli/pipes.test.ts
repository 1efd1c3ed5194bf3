/**
 * A reader that closes the pipe, the most common shell idiom there is
 * (`reimburse … | head -1`): every command, and every command's --help, ends
 * quietly, as `yes | head -1` does: no stack trace, no "EPIPE", nothing on
 * standard error, and the status the shell reports for a writer whose reader
 * left (141 = 128 + SIGPIPE) or 0 when everything fitted in the pipe first.
 */
import { spawn, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BIN, GOOD, openDir, write } from "../hardening/faults.js";
import { ROOT } from "../helpers.js";

const ZONE = "examples/zone-changde-yichang.yaml";
/** Claims that all settle, so that rules diff (which has no -q) warns about none. */
const SEEDS = write(openDir("pipes"), "seeds.jsonl", `${GOOD}\n${GOOD}\n`);
/** One run of every command, each with -q where it has it so that a warning cannot pass for a pipe's error. */
const COMMANDS: string[][] = [
  ["calc", ZONE, "-q"],
  ["calc", ...Array(40).fill(ZONE), "--format", "json", "--explain", "-q"], // ~150 KB: more than a pipe holds
  ["calc", ZONE, "--format", "csv", "-q"],
  ["calc", ZONE, "--format", "html", "-q"],
  ["compare", ZONE, "-q"],
  ["compare", ZONE, "--format", "json", "-q"],
  ["batch", SEEDS, "-q"],
  ["rules", "check"],
  ["rules", "check", "--format", "json"],
  ["rules", "test"],
  ["rules", "show", "--region", "武汉市", "--date", "2025-06-01"],
  ["rules", "coverage", "--date", "2025-06-01", "--format", "csv"],
  ["rules", "schema"],
  ["rules", "diff", "rules", "rules", "--claims", SEEDS],
];
const HELPS: string[][] = [[], ["calc"], ["compare"], ["batch"], ["rules"], ["rules", "check"], ["rules", "test"], ["rules", "show"], ["rules", "coverage"], ["rules", "init"], ["rules", "schema"], ["rules", "diff"]].map((c) => [...c, "--help"]);

/** A command line for a test's name, a run of one argument written once with its count. */
const label = (args: string[]): string =>
  args
    .reduce<[string, number][]>((runs, a) => (runs.at(-1)?.[0] === a ? (runs.at(-1)![1]++, runs) : [...runs, [a, 1]]), [])
    .map(([a, n]) => (n > 1 ? `${a} ×${n}` : a))
    .join(" ");

/** The command with its standard output's reader gone before it writes a byte (closed in the tick it was spawned). */
function closedBeforeWriting(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH }, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.destroy();
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}

/** `reimburse ARGS | head -1` in bash: the first line, and the writer's status as the shell reports it. */
function headOne(args: string[]): { first: string; code: number; stderr: string } {
  const quoted = args.map((a) => `'${a}'`).join(" ");
  const r = spawnSync("bash", ["-c", `"$NODE" "$BIN" ${quoted} | head -1; echo "rc=\${PIPESTATUS[0]}"`], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NODE: process.execPath, BIN },
    stdio: ["ignore", "pipe", "pipe"], // (a socket on standard input would make bash read ~/.bashrc)
    encoding: "utf8",
    timeout: 60_000,
  });
  const [first, rc] = r.stdout.split("\n");
  return { first: first!, code: Number(rc!.slice(3)), stderr: r.stderr };
}

describe("a closed pipe ends every command quietly", () => {
  it.each([...COMMANDS, ...HELPS].map((a) => [label(a), a] as const))("%s, its reader gone before it writes: exit 141, nothing on standard error", async (_, args) => {
    expect(await closedBeforeWriting(args)).toEqual({ code: 141, stderr: "" });
  });

  it.each(COMMANDS.map((a) => [label(a), a] as const))("%s | head -1: its first line, no error, the shell's status", (_, args) => {
    const r = headOne(args);
    const whole = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH }, encoding: "utf8", maxBuffer: 1 << 26 });
    expect(r.first).toBe(whole.stdout.split("\n")[0]); // the same first line as the whole run
    // Cut short (141): not a word more. Fitted in the pipe (0): the run ended as the whole run does (batch's summary).
    expect([0, 141]).toContain(r.code);
    expect(r.stderr).toBe(r.code === 141 ? "" : whole.stderr);
  });

  it("the large one really passes the pipe's buffer, so the write that fails is a real one", () => {
    expect(headOne(COMMANDS[1]!).code).toBe(141);
  });
});
