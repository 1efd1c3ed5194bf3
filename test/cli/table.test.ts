/**
 * The table fits the terminal: COLUMNS (or the terminal's width) folds the
 * headline, the step texts and their references, and nothing is lost on the
 * way; --explain lists the itemised lines of a claim that has them.
 */
import { describe, expect, it } from "vitest";
import { displayWidth } from "../../src/format/width.js";
import { run } from "../../src/cli.js";
import { bin } from "../helpers.js";

const CHRONIC = "examples/chronic-dialysis-changde-wuhan.yaml"; // 4 itemised lines, 12 steps

/** The step column of the explain table, one text per step (its folded pieces joined, spaces dropped). */
function stepColumn(table: string): string[] {
  const rows: string[] = [];
  let inSteps = false;
  for (const line of table.split("\n")) {
    const cells = line.split("│");
    if (cells.length < 5) continue;
    if (/^(Step|步骤)$/.test(cells[2]!.trim())) inSteps = true;
    else if (inSteps && /^\d+$/.test(cells[1]!.trim())) rows.push(cells[2]!.trim());
    else if (inSteps) rows[rows.length - 1] += cells[2]!.trim();
  }
  return rows.map((r) => r.replace(/\s/g, ""));
}

describe("tables fit the terminal", () => {
  it.each([["en", 80], ["zh", 80], ["zh", 60], ["en", 120]] as const)("--lang %s, COLUMNS=%i: no line wider, every step's text kept", (lang, columns) => {
    const r = bin(["calc", CHRONIC, "--explain", "-q", "--lang", lang], { env: { COLUMNS: String(columns) } });
    expect(r.code).toBe(0);
    for (const line of r.stdout.trimEnd().split("\n")) expect(displayWidth(line), line).toBeLessThanOrEqual(columns);
    const json = JSON.parse(bin(["calc", CHRONIC, "--explain", "-q", "--lang", lang, "-f", "json"]).stdout) as { steps: { what: string }[] };
    expect(stepColumn(r.stdout)).toEqual(json.steps.map((s) => s.what.replace(/\s/g, "")));
  });

  it("a file gets 100 columns when COLUMNS is not set (the steps table, far wider unfolded, is folded)", () => {
    const lines = bin(["calc", CHRONIC, "--explain", "-q"]).stdout.trimEnd().split("\n");
    expect(Math.max(...lines.map(displayWidth))).toBeLessThanOrEqual(100);
    expect(Math.max(...lines.map(displayWidth))).toBeGreaterThan(90);
  });

  it("--explain lists the itemised lines: name, class, amount, prepay, in policy", () => {
    const out = bin(["calc", CHRONIC, "--explain", "-q"]).stdout;
    // 促红细胞生成素注射液, class B 1,250.50: prepay at 10% = 125.05, in policy 1,250.50 − 125.05 = 1,125.45
    expect(out).toMatch(/│ 2 │ 促红细胞生成素注射液\s+│ class B\s+│ 1,250\.50 │\s+125\.05 │\s+1,125\.45 │/);
    // 透析专用营养包, excluded 180.00: no prepay, nothing in policy
    expect(out).toMatch(/│ 4 │ 透析专用营养包\s+│ excluded\s+│\s+180\.00 │\s+0\.00 │\s+0\.00 │/);
    expect(bin(["calc", CHRONIC, "-q"]).stdout).not.toMatch(/促红细胞生成素注射液/); // without --explain: the totals only
  });

  it("a terminal's own width wins over COLUMNS", async () => {
    let stdout = "";
    const io = { stdout: { write: (s: string) => (stdout += s), isTTY: true, columns: 70 }, stderr: { write: () => true }, env: { COLUMNS: "150", NO_COLOR: "1" }, readStdin: () => "" };
    expect(await run(["calc", CHRONIC, "--explain", "-q"], io)).toBe(0);
    const widest = Math.max(...stdout.trimEnd().split("\n").map(displayWidth));
    expect(widest).toBeLessThanOrEqual(70);
    expect(widest).toBeGreaterThan(60);
  });
});
