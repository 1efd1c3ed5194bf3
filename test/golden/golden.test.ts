// Golden outputs: every case of cases.mjs run against the current build must print exactly,
// byte for byte, the stdout and stderr recorded in expected/, and exit with the recorded code.
// Re-record (only when a change of output is intended): npm run build && node test/golden/record.mjs
// A failure names the case, its command line and the first differing line, never a whole diff.
import { readdirSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import cases from "./cases.mjs";
import { EXPECTED, firstDifference, prepareInputs, readExitCodes, readExpected, runCase } from "./harness.mjs";

const codes = readExitCodes();
const RECORD = "run `npm run build && node test/golden/record.mjs` if the change of output is intended";

beforeAll(() => prepareInputs());

// Concurrent: vitest runs up to maxConcurrency (default 5) of these cases at a time, each
// a child process, so the whole file takes ~15 s on 2 cores.
describe.concurrent("golden outputs", () => {
  it("has a recording for every case and no recording without a case", () => {
    const names = new Set(cases.map((c) => c.name));
    const missing = cases.filter((c) => !(c.name in codes)).map((c) => c.name);
    const stale = [...new Set(readdirSync(EXPECTED).filter((f) => f !== "exit-codes.json").map((f) => f.replace(/\.(stdout|stderr)(\.gz)?$/, "")))].filter((n) => !names.has(n));
    expect({ missing, stale }, RECORD).toEqual({ missing: [], stale: [] });
  });

  for (const c of cases)
    it(c.name, { timeout: 120_000 }, async () => {
      const command = `node bin/reimburse.js ${c.args.map((a) => (/^[\w./=:,-]+$/.test(a) ? a : JSON.stringify(a))).join(" ")}${c.stdin !== undefined ? " < (stdin)" : ""}${c.env ? ` (env ${JSON.stringify(c.env)})` : ""}`;
      const code = codes[c.name];
      const stdout = readExpected(c.name, "stdout");
      const stderr = readExpected(c.name, "stderr");
      if (code === undefined || !stdout || !stderr) throw new Error(`${c.name}: nothing recorded; ${RECORD}`);
      const want = { code, stdout, stderr };
      const got = await runCase(c);
      const problems: string[] = [];
      for (const stream of ["stdout", "stderr"] as const) {
        const d = firstDifference(want[stream], got[stream]);
        if (d) problems.push(`${stream}: ${d}`);
      }
      if (got.code !== want.code) problems.push(`exit code: expected ${want.code}, actual ${got.code}`);
      if (problems.length) throw new Error(`${c.name}: output changed\n  ${command}\n${problems.join("\n")}\n(${RECORD})`);
    });
});
