/**
 * A battery of faults of the machine around the built binary (bin/reimburse.js):
 * where the output goes (`-o /dev/null`, `/dev/full`, `/dev/stdout`, `-`, `''`,
 * a FIFO, a missing directory), full disks and I/O errors (ENOSPC on standard
 * output, on a file system; EIO reading and writing), a reader that closes
 * the pipe (`| head`), and signals (SIGTERM, SIGHUP, SIGINT) during a batch.
 * Each case asserts the exit code (74 for the machine's errors, src/errors.ts
 * EXIT.io), the message naming the file and the error, no stack trace, and
 * what is left on disk: devices still devices, no temporary file.
 *
 * The good record is the seed claim: (11,100 − 1,100) × 85% = 8,500 payable.
 * Faults this machine cannot make (no root for a mount namespace, no
 * /dev/full) are skipped with the reason printed.
 */
import { execFileSync } from "node:child_process";
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { esc, GOOD, noDevFull, noEio, noPrivateDev, noTinyFs, openDir, rec, run, sh, STACK, start, unavailable, until, withPrivateDev, write, type Rec } from "./faults.js";

const dir = openDir("io-battery");
/** 3 seed claims, a bad one at line 2: exit 4, 2 × 8,500 = 17,000 payable. */
const INPUT = write(dir, "claims.jsonl", [GOOD, rec({ date: "2025-02-30" }), GOOD].join("\n") + "\n");
/** Enough records that the output passes a pipe's buffer and a 64 KB file system (each settled record is ~3 KB). */
const MANY = write(dir, "many.jsonl", Array.from({ length: 2000 }, () => GOOD).join("\n") + "\n");
const records = (s: string): Rec[] => s.trim().split("\n").map((l) => JSON.parse(l) as Rec);
const temps = (d: string): string[] => readdirSync(d).filter((f) => f.endsWith(".tmp"));

/** The plain failure: the exit code, one `error:` line naming the file, no stack trace, no summary. */
function refused(r: { code: number | null; stderr: string }, code: number, message: RegExp): void {
  expect(r.stderr).not.toMatch(STACK);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.stderr).toMatch(message);
  expect(r.code).toBe(code);
}

describe("--output targets", () => {
  // In a /dev of its own (test/hardening/faults.ts PRIVATE_DEV): were the device replaced, the machine's is not.
  const DEV_AFTER = "character special file\ncharacter special file\nsymbolic link\nfd full null stdout\n";
  const devState = 'stat -c %F /dev/null /dev/full; stat -c %F /dev/stdout; echo $(ls -A /dev)';
  it.skipIf(unavailable("a /dev of its own", noPrivateDev))("-o /dev/null: written to the device, which stays a device; no temporary file beside it", () => {
    const r = withPrivateDev(`"$NODE" "$BIN" batch '${INPUT}' -o /dev/null; echo "rc=$?"; ${devState}`);
    expect(r.stdout).toBe(`rc=4\n${DEV_AFTER}`);
    expect(r.stderr).toMatch(/^batch: 3 records: 2 settled, 1 failed \(1 invalid\); total payable 17,000\.00 yuan; written to \/dev\/null\n$/m);
  });
  it.skipIf(unavailable("a /dev of its own", noPrivateDev))("-o /dev/full: exit 74, no space left named, no success summary, the device left as it was", () => {
    const r = withPrivateDev(`"$NODE" "$BIN" batch '${INPUT}' -o /dev/full -q; echo "rc=$?"; ${devState}`);
    refused({ code: 74, stderr: r.stderr }, 74, /^error: cannot write \/dev\/full: no space left on device \(ENOSPC\)\n$/m);
    expect(r.stderr).not.toMatch(/^batch:/m);
    expect(r.stdout).toBe(`rc=74\n${DEV_AFTER}`);
  });
  it.skipIf(unavailable("a /dev of its own", noPrivateDev))("calc -o, compare -o and --receipt write /dev/null through the same target: it stays a device", () => {
    const claim = "examples/zone-changde-yichang.yaml"; // run from the repository root, as the others
    const r = withPrivateDev(
      `"$NODE" "$BIN" calc '${claim}' -f html -o /dev/null --receipt /dev/null; echo "rc=$?"; ` +
        `"$NODE" "$BIN" compare '${claim}' -f json -o /dev/null -q; echo "rc=$?"; ` +
        `"$NODE" "$BIN" batch '${INPUT}' -q --receipt /dev/null > /dev/null; echo "rc=$?"; ${devState}`,
    );
    expect(r.stdout).toBe(`rc=0\nrc=0\nrc=4\n${DEV_AFTER}`);
  });
  it.skipIf(unavailable("a /dev of its own", noPrivateDev))("calc -o /dev/full: exit 74, named, the device left as it was", () => {
    const claim = "examples/zone-changde-yichang.yaml"; // run from the repository root, as the others
    const r = withPrivateDev(`"$NODE" "$BIN" calc '${claim}' -q -o /dev/full; echo "rc=$?"; ${devState}`);
    expect(r.stderr).toMatch(/^error: cannot write \/dev\/full: no space left on device \(ENOSPC\)\n$/m);
    expect(r.stdout).toBe(`rc=74\n${DEV_AFTER}`);
  });
  it.skipIf(unavailable("a /dev of its own", noPrivateDev))("-o /dev/stdout: the records on standard output, /dev/stdout still a link", () => {
    const got = join(openDir("stdout"), "got.jsonl");
    const r = withPrivateDev(`"$NODE" "$BIN" batch '${INPUT}' -o /dev/stdout -q > '${got}'; echo "rc=$?"; ${devState}`);
    expect(r.stdout).toBe(`rc=4\n${DEV_AFTER}`);
    expect(records(readFileSync(got, "utf8")).map((o) => [o.line, o.payable ?? o.error])).toEqual([
      [1, 8500],
      [2, "invalid"],
      [3, 8500],
    ]);
  });
  it("-o -: standard output, no file named -", () => {
    const cwd = openDir("dash");
    const r = run(["batch", INPUT, "-o", "-", "-q"], { cwd });
    expect(r.code).toBe(4);
    expect(records(r.stdout)).toHaveLength(3);
    expect(readdirSync(cwd)).toEqual([]);
    expect(r.stderr).not.toMatch(/written to/);
  });
  // /dev/zero as input: a run that read its input would never end; these end at once.
  it("-o '': a usage error before any input is read", () => {
    const r = run(["batch", "/dev/zero", "-o", ""], { timeout: 10_000 });
    refused(r, 2, /^error: --output needs a file name \(or - for standard output\)\n$/);
  });
  it("-o in a missing directory: a usage error before any input is read", () => {
    const r = run(["batch", "/dev/zero", "-o", join(dir, "no-such-dir", "out.jsonl")], { timeout: 10_000 });
    refused(r, 2, new RegExp(`^error: --output ${esc(join(dir, "no-such-dir", "out.jsonl"))}: no such directory ${esc(join(dir, "no-such-dir"))}; create it first\n$`));
  });
  it("-o a FIFO: written directly to its reader; the FIFO stays a FIFO", () => {
    const d = openDir("fifo");
    const fifo = join(d, "out.fifo");
    execFileSync("mkfifo", [fifo]);
    const got = join(d, "got.jsonl");
    const r = sh(`cat "${fifo}" > "${got}" & "$NODE" "$BIN" batch "${INPUT}" -o "${fifo}" -q; echo "rc=$?"; wait`);
    expect(r.stdout).toBe("rc=4\n");
    expect(records(readFileSync(got, "utf8")).map((o) => o.line)).toEqual([1, 2, 3]);
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(temps(d)).toEqual([]);
  });
  it("-o a symbolic link to a file: the file is replaced, the link stays a link", () => {
    const d = openDir("link");
    const target = write(d, "target.jsonl", "old\n");
    const link = join(d, "link.jsonl");
    symlinkSync("target.jsonl", link);
    const r = run(["batch", INPUT, "-o", link, "-q"]);
    expect(r.code).toBe(4);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(records(readFileSync(target, "utf8"))).toHaveLength(3);
    expect(temps(d)).toEqual([]);
  });
});

describe("full disks and I/O errors", () => {
  it.skipIf(unavailable("standard output on /dev/full", noDevFull))("batch > /dev/full: exit 74, no space left on standard output, no success summary, no trace", () => {
    const fd = openSync("/dev/full", "w");
    try {
      const r = run(["batch", INPUT], { stdout: fd });
      refused(r, 74, /^error: cannot write standard output: no space left on device \(ENOSPC\)\n$/m);
      expect(r.stderr).not.toMatch(/^batch:/m);
    } finally {
      closeSync(fd);
    }
  });
  it.skipIf(unavailable("standard output on /dev/full", noDevFull))("calc > /dev/full: exit 74 (it was a trace and exit 1)", () => {
    const fd = openSync("/dev/full", "w");
    try {
      refused(run(["calc", "examples/zone-changde-yichang.yaml"], { stdout: fd }), 74, /^error: cannot write standard output: no space left on device \(ENOSPC\)\n$/);
      // Nothing to write (a claim refused, exit 4): the run's own code stands.
      const bad = write(dir, "bad.yaml", "date: 2025-02-30\n");
      expect(run(["calc", bad], { stdout: fd }).code).toBe(4);
    } finally {
      closeSync(fd);
    }
  });
  it.skipIf(unavailable("a full file system", noTinyFs))("-o on a full file system: exit 74 (it was 70), the target named, nothing left in the directory", () => {
    // A 64 KB tmpfs in a mount namespace of its own; the output is ~6 MB.
    const r = sh(`d=$(mktemp -d) && unshare -m sh -c "mount -t tmpfs -o size=64k tmpfs $d && \\"$NODE\\" \\"$BIN\\" batch '${MANY}' -q -o $d/out.jsonl; echo rc=\\$?; ls -A $d"; rmdir $d`);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).toMatch(/^error: cannot write \/tmp\/[^ ]+\/out\.jsonl: no space left on device \(ENOSPC\); \/tmp\/[^ ]+\/out\.jsonl not written \(its temporary file is removed\)\n$/);
    expect(r.stdout).toBe("rc=74\n"); // and `ls -A` listed nothing: no out.jsonl, no temporary file
  });
  it.skipIf(unavailable("EIO", noEio))("an input that fails with EIO: exit 74, named, in batch (it was 70) and calc", () => {
    refused(run(["batch", "/proc/self/mem"]), 74, /^error: cannot read \/proc\/self\/mem: i\/o error \(EIO\)\n$/);
    refused(run(["calc", "/proc/self/mem"]), 74, /^error: cannot read \/proc\/self\/mem: i\/o error \(EIO\)\n$/);
    refused(run(["rules", "diff", "rules", "rules", "--claims", "/proc/self/mem"]), 74, /^error: cannot read \/proc\/self\/mem: i\/o error \(EIO\)\n$/);
  });
  it.skipIf(unavailable("EIO", noEio))("an output that fails with EIO: exit 74, named", () => {
    refused(run(["batch", INPUT, "-q", "-o", "/proc/self/mem"]), 74, /^error: cannot write \/proc\/self\/mem: i\/o error \(EIO\)\n$/);
  });
});

describe("a reader that closes the pipe (| head)", () => {
  const closedEarly = async (args: string[]) => {
    const p = start(args);
    p.child.stdout!.once("data", () => p.child.stdout!.destroy());
    const r = await p.exited;
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|error/);
    expect(r.code).toBe(141); // 128 + SIGPIPE, what the shell reports for `yes | head -1`
    return r;
  };
  it("batch: ends quietly at the next write, exit 141, no summary", async () => {
    const r = await closedEarly(["batch", MANY, "-q"]);
    expect(r.stderr).toBe("");
  });
  it("calc with a large output: ends quietly, exit 141", () => closedEarly(["calc", ...Array(40).fill("examples/chronic-dialysis-changde-wuhan.yaml"), "--format", "json", "--explain", "-q"]));
});

describe("signals during batch --output: stop, remove the temporary file, say how far it got", () => {
  it.each([
    ["SIGTERM", 143, "terminated \\(SIGTERM\\)"],
    ["SIGHUP", 129, "hung up \\(SIGHUP\\)"],
    ["SIGINT", 130, "interrupted"],
  ] as const)("%s while waiting for input: exit %i, no temporary file, no output file", async (signal, code, what) => {
    const d = openDir(`sig-${signal}`);
    const out = join(d, "out.jsonl");
    const p = start(["batch", "-", "-o", out]);
    p.child.stdin!.write(`${GOOD}\n${GOOD}\n`); // and standard input stays open: the batch waits
    try {
      await until(() => temps(d).length === 1, 10_000, "the temporary file");
    } catch (e) {
      p.child.kill("SIGKILL"); // leave no batch waiting on its input
      throw e;
    }
    await new Promise((r) => setTimeout(r, 200));
    p.child.kill(signal);
    const r = await p.exited;
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).toMatch(new RegExp(`^interrupted: ${what} after \\d+ records \\(input line \\d+\\); \\d+ settled; ${esc(out)} not written\\n$`));
    expect(r.code).toBe(code);
    expect(readdirSync(d)).toEqual([]);
  });
  it("batch /dev/zero: the over-long line fails as soon as it passes 10 MB (it ran silently); SIGTERM then stops it", { timeout: 30_000 }, async () => {
    const d = openDir("zero");
    const out = join(d, "out.jsonl");
    const p = start(["batch", "/dev/zero", "-o", out]);
    try {
      await until(() => p.stderr().includes("\n") || p.child.exitCode !== null, 20_000, "the first record's failure");
    } finally {
      p.child.kill("SIGTERM");
    }
    expect(p.stderr()).toMatch(/^\/dev\/zero:1: invalid: the line is longer than 10 MB; a claim is a few KB\n/);
    const r = await p.exited;
    expect(r.code).toBe(143);
    expect(r.stderr).toMatch(/\ninterrupted: terminated \(SIGTERM\) after 1 records \(input line 1\); 0 settled; .*out\.jsonl not written\n$/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(d)).toEqual([]);
  });
});
