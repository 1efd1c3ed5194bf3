/**
 * --help, as a user reads it through the built binary: every command ends with
 * two or three examples, and every example runs (in a copy of the package, as
 * a shell would run it) with the exit code it announces; the exit codes are
 * listed once, at the root; defaults and choices show as values; -V prints
 * the version.
 */
import { afterAll, describe, expect, it } from "vitest";
import pkg from "../../package.json" with { type: "json" };
import { buildProgram } from "../../src/cli.js";
import { commandPath } from "../../src/help.js";
import type { Command } from "commander";
import { bin } from "../helpers.js";
import { removeSandboxes, sandbox, shell } from "../sandbox.js";

afterAll(removeSandboxes);

/** Every command path of the program: "", "calc", …, "rules check", … (commander's own `help` aside). */
const PATHS: string[] = (() => {
  const all: string[] = [];
  const visit = (c: Command) => {
    all.push(commandPath(c));
    c.commands.forEach(visit);
  };
  visit(buildProgram({ stdout: { write: () => true }, stderr: { write: () => true }, env: {}, readStdin: () => "" }, () => {}));
  return all;
})();

const help = (path: string) => bin([...(path ? path.split(" ") : []), "--help"]);
/** The `$ …` lines under "Examples:", without the `$ `. */
const examplesOf = (text: string): string[] => (text.split("\nExamples:\n")[1] ?? "").split("\n\n")[0]!.split("\n").filter((l) => l.startsWith("  $ ")).map((l) => l.slice(4));

describe("--help", () => {
  it("covers every command (the list the examples are checked for)", () => {
    expect(PATHS).toEqual(expect.arrayContaining(["", "calc", "compare", "batch", "rules", "rules check", "rules test", "rules show", "rules coverage", "rules init", "rules schema", "rules diff"]));
  });

  it.each(PATHS.map((p) => [p || "(root)", p]))("%s: two or three examples, and exit codes listed at the root only", (_, path) => {
    const r = help(path);
    expect(r.code).toBe(0);
    const n = examplesOf(r.stdout).length;
    expect(n).toBeGreaterThanOrEqual(path === "" || path === "rules" ? 3 : 2);
    expect(n).toBeLessThanOrEqual(3);
    const tables = r.stdout.split("\n").filter((l) => /^  4 +claim invalid/.test(l)).length;
    expect(tables).toBe(path === "" ? 1 : 0);
    if (path) expect(r.stdout.trimEnd().endsWith("Exit codes: see reimburse --help")).toBe(true);
    expect(r.stdout).not.toMatch(/default: "/); // a value, not a JSON string
    expect(r.stdout).not.toMatch(/default: false/); // a flag is off unless given: nothing to say
  });

  it("shows defaults and choices as values", () => {
    const check = help("rules check").stdout.replace(/\s+/g, " ");
    expect(check).toContain("(default: 5)"); // --stale-years
    expect(check).toContain("(one of: text, json, github; default: text)");
  });

  it("-V and --version print the version", () => {
    expect(bin(["-V"]).stdout).toBe(`${pkg.version}\n`);
    expect(bin(["--version"]).stdout).toBe(`${pkg.version}\n`);
  });
});

describe("every example under --help runs", () => {
  const all = PATHS.flatMap((p) => examplesOf(help(p).stdout).map((e) => [p || "(root)", e] as const));
  it.each(all)("%s: $ %s", (_, example) => {
    const code = Number(/#.*\bexit (\d+)\b/.exec(example)?.[1] ?? 0);
    const r = shell(sandbox("help"), example);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
    expect(r.stderr).not.toMatch(/^error/m);
    expect({ code: r.code }).toEqual({ code });
  });
});

describe("--explain where the output has no room for steps", () => {
  it.each([
    [["calc", "examples/zone-changde-yichang.yaml", "-f", "csv"], "table, json, html output, not in csv (one row per claim): use --format json --explain"],
    [["calc", "examples/zone-changde-yichang.yaml", "-f", "tsv"], "table, json, html output, not in tsv (one row per claim): use --format json --explain"],
    [["compare", "examples/zone-changde-yichang.yaml"], "json output, not in table: use --format json --explain"],
    [["batch", "examples/batch/claims-2025.jsonl", "-f", "csv"], "jsonl output, not in csv (one row per claim): use --format jsonl --explain"],
  ])("%j --explain: refused with where the steps are (exit 2, nothing on standard output)", (args, why) => {
    const r = bin([...args, "--explain"]);
    expect(r).toEqual({ code: 2, stdout: "", stderr: `error: --explain lists the steps in ${why}\n` });
  });
});
