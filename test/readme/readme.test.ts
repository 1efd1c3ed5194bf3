/**
 * The README cannot go stale: every ```console block in it is run, command by
 * command, as one shell session in a copy of the package (bin/, dist/, rules/,
 * examples/, package.json: what a user has after `npm ci`), with `reimburse`
 * on the PATH, and each command's output (stdout and stderr, interleaved) is
 * compared with the text under it. A line `…` in the README stands for any
 * number of lines; `…` inside a line stands for any text. Every file or folder
 * the README (and docs/) names exists in the repository.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers.js";
import { removeSandboxes, sandbox, shell } from "../sandbox.js";

interface Session {
  readonly line: number; // README line of the block's first command
  readonly commands: readonly { readonly command: string; readonly expected: readonly string[] }[];
}

/** The ```console blocks of a Markdown text, as sessions of `$ command` and the output under it. */
function sessions(markdown: string): Session[] {
  const lines = markdown.split("\n");
  const out: Session[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```console\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const commands: { command: string; expected: string[] }[] = [];
    const start = i + 2;
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]!); i++) {
      const text = lines[i]!.slice(indent);
      if (text.startsWith("$ ")) commands.push({ command: text.slice(2), expected: [] });
      else if (commands.length) commands[commands.length - 1]!.expected.push(text);
    }
    out.push({ line: start, commands });
  }
  return out;
}

/** Whether `actual` lines match `expected`: a line "…" (or "… text") is any lines; "…" in a line is any text. */
function matches(expected: readonly string[], actual: readonly string[]): boolean {
  const memo = new Map<number, boolean>();
  const lineRe = expected.map((e) => new RegExp(`^${e.split("…").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`));
  const go = (i: number, j: number): boolean => {
    const key = i * (actual.length + 1) + j;
    const seen = memo.get(key);
    if (seen !== undefined) return seen;
    let r: boolean;
    if (i === expected.length) r = j === actual.length;
    else if (expected[i]!.startsWith("…")) r = go(i + 1, j) || (j < actual.length && go(i, j + 1));
    else r = j < actual.length && lineRe[i]!.test(actual[j]!) && go(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

/** Runs a session in a sandbox; the output of each command, as lines. */
function run(box: { work: string; path: string }, s: Session): string[][] {
  const marker = "\u0001README-COMMAND";
  const script = ["__s=0", ...s.commands.flatMap((c) => [`printf '\\n${marker}\\n'`, `(exit $__s)`, `{ ${c.command}\n} 2>&1`, `__s=$?`])].join("\n");
  return shell(box, script)
    .stdout.split(`\n${marker}\n`)
    .slice(1)
    .map((o) => o.replace(/\n$/, "").split("\n"))
    .map((o) => (o.length === 1 && o[0] === "" ? [] : o));
}

const README = readFileSync(join(ROOT, "README.md"), "utf8");
const DOCS = readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md"));
afterAll(removeSandboxes);

describe("the README's examples", () => {
  const all = [["README.md", README] as const, ...DOCS.map((f) => [`docs/${f}`, readFileSync(join(ROOT, "docs", f), "utf8")] as const)];
  for (const [file, text] of all)
    for (const s of sessions(text))
      it(`${file}:${s.line}: ${s.commands[0]!.command}`, () => {
        // Each session runs in a fresh copy of the package, so one session's edits (rules init, sed) are its own.
        const outputs = run(sandbox(`${file.replace(/\W/g, "_")}-${s.line}`), s);
        s.commands.forEach((c, k) => {
          const actual = outputs[k] ?? ["(not run)"];
          if (!matches(c.expected, actual)) expect(actual.join("\n"), `$ ${c.command}`).toBe(c.expected.join("\n"));
        });
      });
});

describe("every path the README and docs/ name exists", () => {
  const named = (text: string): string[] => {
    const paths = new Set<string>();
    for (const m of text.matchAll(/`((?:examples|rules|docs|src|test|bench|bin|\.ci)\/[^`\s]*)`/g)) paths.add(m[1]!);
    for (const m of text.matchAll(/\]\(((?:\.\.\/)?(?:docs|examples|rules|src|test)\/[^)#\s]*)[)#]/g)) paths.add(m[1]!.replace(/^\.\.\//, ""));
    // A placeholder (rules/<province>/<city>.yaml) or a glob is not a file.
    return [...paths].filter((p) => !/[<*{]/.test(p)).map((p) => p.replace(/[:.,;]+$/, "").replace(/:\d+(:\d+)?$/, ""));
  };
  it("in README.md", () => expect(named(README).filter((p) => !existsSync(join(ROOT, p)))).toEqual([]));
  for (const f of DOCS) it(`in docs/${f}`, () => expect(named(readFileSync(join(ROOT, "docs", f), "utf8")).filter((p) => !existsSync(join(ROOT, p)))).toEqual([]));
});

describe("the matcher", () => {
  // The matcher decides whether the README passes: check it can fail.
  it("takes … as lines and as text, and refuses other differences", () => {
    expect(matches(["a", "…", "d"], ["a", "b", "c", "d"])).toBe(true);
    expect(matches(["a", "…", "d"], ["a", "d"])).toBe(true);
    expect(matches(["a (rules …): x"], ["a (rules 1f2e): x"])).toBe(true);
    expect(matches(["a", "…", "d"], ["a", "b", "c"])).toBe(false);
    expect(matches(["8,500.00"], ["8,000.00"])).toBe(false);
    expect(matches(["a"], ["a", "b"])).toBe(false);
  });
  it("reads a session's commands and outputs, indented or not", () => {
    const md = "x\n  ```console\n  $ reimburse a\n  out 1\n  $ echo $?\n  0\n  ```\n";
    expect(sessions(md)).toEqual([{ line: 3, commands: [{ command: "reimburse a", expected: ["out 1"] }, { command: "echo $?", expected: ["0"] }] }]);
  });
});
