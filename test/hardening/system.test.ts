/**
 * A battery of errors of the operating system, through the built binary:
 * rules directories with a symbolic link loop (and `--rules /` where
 * `/usr/bin/X11 → .`), a dangling `.yaml` link, a link to itself, and files,
 * subdirectories, test files and inputs that cannot be read (EACCES, as an
 * unprivileged user). None is a bug (exit 70): each is located at its path,
 * exit 3 for the rules (calc), a problem of the report for `rules check` and
 * `rules test` (exit 1), exit 2 for an input or a directory given on the
 * command line. A loop is named and never followed round.
 *
 * EACCES needs a process that permissions apply to: as root, the runs drop to
 * uid 65534 (setpriv); skipped, with the reason printed, where that is not possible.
 */
import { chmodSync, cpSync, existsSync, lstatSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers.js";
import { esc, GOOD, noUnprivileged, openDir, run, STACK, unavailable, write } from "./faults.js";

const dir = openDir("system-battery");
let n = 0;
const CLAIM = join(ROOT, "examples/zone-changde-yichang.yaml");
/** A copy of the shipped rules every user can read. */
function rules(): string {
  const d = join(dir, `rules-${++n}`);
  cpSync(join(ROOT, "rules"), d, { recursive: true });
  chmodSync(d, 0o755);
  return d;
}
function clean(r: { stderr: string }): void {
  expect(r.stderr).not.toMatch(STACK);
  expect(r.stderr).not.toMatch(/internal error/);
}

describe("symbolic links in a rules directory", () => {
  it("a loop (hunan/loop → .): named, not followed; calc exits 3, rules check too (it was 70)", () => {
    const d = rules();
    symlinkSync(".", join(d, "hunan", "loop"));
    const message = `${d}/hunan/loop error symlink-loop a symbolic link loop: it leads back to ${d}/hunan, which holds it; remove the link, or give a directory without it\n`;
    for (const args of [["calc", CLAIM, "--rules", d], ["rules", "check", d]]) {
      const t = Date.now();
      const r = run(args);
      clean(r);
      expect([r.code, r.stdout, r.stderr]).toEqual([3, "", message]);
      expect(Date.now() - t).toBeLessThan(5_000);
    }
  });
  const x11 = ["/usr/bin/X11", "/bin/X11"].find((p) => {
    try {
      return lstatSync(p).isSymbolicLink();
    } catch {
      return false;
    }
  });
  it.skipIf(unavailable("--rules / with an X11 → . link", x11 ? undefined : "no /usr/bin/X11 → . on this machine"))("--rules / where /bin/X11 → .: the loop named at once (it walked the system and died, exit 70)", () => {
    const t = Date.now();
    const r = run(["calc", CLAIM, "--rules", "/"], { timeout: 10_000 });
    clean(r);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^\/(usr\/)?bin\/X11 error symlink-loop a symbolic link loop: it leads back to \/(usr\/)?bin, which holds it/);
    expect(Date.now() - t).toBeLessThan(5_000);
  });
  it("a dangling .yaml link: located, exit 3; rules check reports it (exit 1) with the rest", () => {
    const d = rules();
    symlinkSync("moved-away.yaml", join(d, "hunan", "gone.yaml"));
    const message = `${d}/hunan/gone.yaml error unreadable a symbolic link to moved-away.yaml, which does not exist: remove the link or restore its file`;
    const calc = run(["calc", CLAIM, "--rules", d]);
    clean(calc);
    expect([calc.code, calc.stderr]).toEqual([3, `${message}\n`]);
    const check = run(["rules", "check", d, "--as-of", "2026-06-01"]);
    clean(check);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(message);
  });
  it("a dangling link not named as a rule file is not the rules' business", () => {
    const d = rules();
    symlinkSync("nowhere", join(d, "README"));
    const r = run(["calc", CLAIM, "--rules", d, "--format", "json", "-q"]);
    expect([r.code, r.stderr, JSON.parse(r.stdout).payable]).toEqual([0, "", 8500]);
  });
  it("a .yaml link to itself (ELOOP): located, exit 3", () => {
    const d = rules();
    symlinkSync("self.yaml", join(d, "self.yaml"));
    const r = run(["calc", CLAIM, "--rules", d]);
    clean(r);
    expect([r.code, r.stderr]).toEqual([3, `${d}/self.yaml error unreadable cannot read it: too many symbolic links encountered (ELOOP)\n`]);
  });
});

describe.skipIf(unavailable("EACCES", noUnprivileged))("files that cannot be read (EACCES)", () => {
  const nobody = (args: string[]) => run(args, { as: "nobody" });
  it("an unreadable rule file: located, exit 3 (it was 70); rules check reports it (exit 1)", () => {
    const d = rules();
    chmodSync(join(d, "hunan", "province.yaml"), 0);
    const message = `${d}/hunan/province.yaml error unreadable cannot read it: permission denied (EACCES)`;
    const calc = nobody(["calc", CLAIM, "--rules", d]);
    clean(calc);
    expect([calc.code, calc.stderr]).toEqual([3, `${message}\n`]);
    const check = nobody(["rules", "check", d, "--as-of", "2026-06-01"]);
    clean(check);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(message);
  });
  it("an unreadable subdirectory: located, exit 3", () => {
    const d = rules();
    chmodSync(join(d, "hubei"), 0);
    const r = nobody(["calc", CLAIM, "--rules", d]);
    clean(r);
    expect([r.code, r.stderr]).toEqual([3, `${d}/hubei error unreadable cannot read the directory: permission denied (EACCES)\n`]);
  });
  it("an unreadable rules directory given with --rules: exit 2", () => {
    const d = rules();
    chmodSync(d, 0);
    const r = nobody(["calc", CLAIM, "--rules", d]);
    clean(r);
    expect([r.code, r.stderr]).toEqual([2, `error: cannot read rules directory ${d}: permission denied (EACCES)\n`]);
  });
  it("an unreadable .test.yaml: rules test reports it and exits 1, as the README says (it was 70); the other cases run", () => {
    const d = rules();
    chmodSync(join(d, "hunan", "hunan.test.yaml"), 0);
    const r = nobody(["rules", "test", d]);
    clean(r);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${d}/hunan/hunan.test.yaml error unreadable cannot read it: permission denied (EACCES)`);
    expect(r.stdout).toMatch(/\d+ cases in 2 files: \d+ passed, 0 failed, 1 file not readable/);
  });
  it.each([["batch"], ["calc"]])("an unreadable input: %s exits 2, the file and the error named (batch was 70)", (command) => {
    const f = write(dir, `unreadable-${command}.jsonl`, `${GOOD}\n`);
    chmodSync(f, 0);
    const r = nobody([command, f]);
    clean(r);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, "", `error: cannot read ${f}: permission denied (EACCES)\n`]);
  });
  it("batch -o in a directory it cannot write: exit 2 before anything is read, nothing left", () => {
    const d = openDir("readonly-out");
    chmodSync(d, 0o555);
    const r = nobody(["batch", "/dev/zero", "-o", join(d, "out.jsonl")]);
    clean(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: cannot write ${esc(join(d, "out.jsonl"))} \\(its temporary file ${esc(d)}/\\.out\\.jsonl\\.[^ ]+\\.tmp\\): permission denied \\(EACCES\\)\\n$`));
    expect(existsSync(join(d, "out.jsonl"))).toBe(false);
  });
});
