/**
 * The binary's start-up machinery (bin/reimburse.js, src/build/build.mjs): the
 * code caches the build made are accepted by V8 and used; a cache that does
 * not belong to its bundle is ignored, and the output is the same; libraries a
 * run does not need are not loaded.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bin, ROOT } from "../helpers.js";

/** Runs the binary's loader in a child process on `dist` (a copy, or the real one) and reports what it loaded. */
function probe(dist: string, argv: string[]): { out: string; loaded: { file: string; rejected: boolean | undefined }[] } {
  const script = `
    const { load, loaded } = require(${JSON.stringify(join(ROOT, "bin", "reimburse.js"))});
    let out = "";
    const io = { stdout: { write: (s) => (out += s) }, stderr: { write() {} }, env: {}, readStdin: () => "" };
    load(${JSON.stringify(dist)}).main(${JSON.stringify(argv)}, io).then(() => process.stdout.write(JSON.stringify({ out, loaded: loaded.map((b) => ({ file: b.file.slice(${JSON.stringify(dist)}.length + 1), rejected: b.script.cachedDataRejected })) })));`;
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" }));
}

const ZONE = ["calc", "examples/zone-changde-yichang.yaml", "--format", "json"];

describe("the binary's start-up", () => {
  it("uses the code cache the build made, and loads no library calc --format json does not need", () => {
    const r = probe(join(ROOT, "dist"), ZONE);
    expect(JSON.parse(r.out).payable).toBe(8500); // (11,100 − 1,100) × 85%
    expect(r.loaded).toEqual([{ file: "main.cjs", rejected: false }]); // V8 accepted the cache; no zod, chalk, cli-table3, csv-parse
  });

  it("loads a library apart when a run needs it, with its own cache (the table: cli-table3)", () => {
    const r = probe(join(ROOT, "dist"), ["calc", "examples/zone-changde-yichang.yaml"]);
    expect(r.loaded).toEqual([
      { file: "main.cjs", rejected: false },
      { file: join("lib", "cli-table3.cjs"), rejected: false },
    ]);
    // An invalid claim needs zod to word its problems.
    expect(probe(join(ROOT, "dist"), ["calc", "test/fixtures/claims/broken.yaml"]).loaded.map((b) => b.file)).toContain(join("lib", "zod.cjs"));
  });

  it("ignores a cache that is not its bundle's, and prints the same", () => {
    const root = mkdtempSync(join(tmpdir(), "reimburse-cache-"));
    const dist = join(root, "dist");
    cpSync(join(ROOT, "dist"), dist, { recursive: true });
    cpSync(join(ROOT, "rules"), join(root, "rules"), { recursive: true }); // the package layout: rules/ beside dist/
    const cache = readdirSync(dist).find((f) => f.startsWith("main.cjs.") && f.endsWith(".cache"))!;
    writeFileSync(join(dist, cache), Buffer.alloc(4096, 7)); // garbage
    const r = probe(dist, ZONE);
    expect(r.loaded).toEqual([{ file: "main.cjs", rejected: true }]);
    const same = (out: string) => ((j) => ({ payable: j.payable, breakdown: j.breakdown }))(JSON.parse(out));
    expect(same(r.out)).toEqual(same(probe(join(ROOT, "dist"), ZONE).out)); // (file names differ: the rules are elsewhere)
    // A bundle changed after its cache was made (another length): V8 refuses the cache.
    const main = join(dist, "main.cjs");
    const text = readFileSync(main, "utf8");
    const idLine = text.lastIndexOf("\n//# reimburse-build:");
    writeFileSync(join(dist, cache), readFileSync(join(ROOT, "dist", cache)));
    writeFileSync(main, `${text.slice(0, idLine)}\n/* edited */${text.slice(idLine)}`);
    const edited = probe(dist, ZONE);
    expect(edited.loaded).toEqual([{ file: "main.cjs", rejected: true }]);
    expect(edited.out).toBe(r.out);
  });

  it("prints exactly what the CLI prints in-process (the bundle is the program)", () => {
    expect(bin(ZONE).stdout).toBe(probe(join(ROOT, "dist"), ZONE).out);
  });
});
