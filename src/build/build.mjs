// Bundles the CLI into dist/ (run by `npm run build`, and before tests by `pretest`), and derives
// from the sources what start-up would otherwise compute at every run:
//
//   dist/main.cjs            the whole program, one CommonJS bundle (no ES module loader to set
//                            up); each command is initialised only when it runs (esbuild turns a
//                            dynamic import of a bundled module into a lazy initialiser)
//   dist/main.cjs.<id>.cache V8's code cache for it, made by running the common commands once
//                            (bin/reimburse.js uses it when V8 accepts it, else compiles as usual)
//   dist/rules.snapshot.*    the shipped rules compiled (src/rules/snapshot.ts), used while the rule
//                            files are byte for byte those it was made from
//   the claim validator      generated from the claim schema and bundled in place of
//                            src/claims/validate.ts, so a valid claim is validated without zod
//
// Everything is built into a folder of its own and swapped in whole at the end: a CLI run during a
// build (npm test rebuilds) keeps the old dist/ until the new one is complete.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Libraries bundled apart (dist/lib/NAME.cjs): most runs need none of them, and their code is most of the program. */
const LIBS = ["zod", "chalk", "cli-table3", "csv-parse"];
/** A CommonJS library re-exported whole (its module.exports is what `import X from` gives). */
const LIB_ENTRY = { "cli-table3": 'module.exports = require("cli-table3");\n' };

/** Appends the build id to a bundle: its code cache is used only with the bundle it was made from. */
function stamp(file) {
  const id = createHash("sha256").update(readFileSync(file)).digest("hex").slice(0, 16);
  appendFileSync(file, `\n//# reimburse-build:${id}\n`);
}
const DIST = join(root, "dist");
const OUT = join(root, `.dist-build-${process.pid}`);
rmSync(OUT, { recursive: true, force: true });
const tmp = mkdtempSync(join(tmpdir(), "reimburse-build-"));
try {
  // 1. What is derived from the sources: the validator module, the rules snapshot.
  const derive = join(tmp, "derive.mjs");
  const esmBanner = { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" };
  await build({ entryPoints: [join(root, "src", "build", "derive.ts")], outfile: derive, bundle: true, format: "esm", platform: "node", target: "node20", logLevel: "warning", banner: esmBanner });
  const d = await import(pathToFileURL(derive).href);
  const validator = join(tmp, "validate.mjs");
  writeFileSync(validator, d.validatorModule(join(root, "src", "claims", "fields.ts")));
  process.chdir(root); // file names as seen from the package root (npm runs scripts there)
  const snap = d.buildSnapshot(join(root, "rules"));

  // 2. The program.
  const main = join(OUT, "main.cjs");
  await build({
    entryPoints: [join(root, "src", "main.ts")],
    outfile: main,
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    sourcemap: false,
    minify: true, // less to read and to deserialise at every start; messages never show code
    logLevel: "warning",
    banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
    define: { "import.meta.url": "__import_meta_url" },
    plugins: [
      {
        // A library bundled apart: asked of the binary's loader when the program first imports it.
        name: "libraries-apart",
        setup: (b) => {
          b.onResolve({ filter: new RegExp(`^(${LIBS.join("|")})$`) }, (a) => ({ path: a.path, namespace: "lib" }));
          b.onLoad({ filter: /.*/, namespace: "lib" }, (a) => ({ contents: `module.exports = globalThis.__reimburseLib(${JSON.stringify(a.path)});`, loader: "js" }));
        },
      },
      {
        // Node's child_process (with net, streams and dgram) is loaded by commander only for
        // subcommands run as separate executables, which this CLI has none of: loaded when used.
        name: "lazy-child-process",
        setup: (b) => {
          b.onResolve({ filter: /^(node:)?child_process$/ }, (a) => (/[\\/]commander[\\/]/.test(a.importer) ? { path: "child_process", namespace: "lazy" } : undefined));
          b.onLoad({ filter: /.*/, namespace: "lazy" }, () => ({ contents: 'module.exports = new Proxy({}, { get: (_, k) => require("node:child_process")[k] });', loader: "js" }));
        },
      },
      {
        name: "compiled-validator",
        // src/claims/validate.ts compiles the validator from the schema when imported; the binary gets it emitted ahead of time.
        setup: (b) =>
          b.onResolve({ filter: /validate\.js$/ }, (a) => (join(dirname(a.importer), a.path.replace(/\.js$/, ".ts")) === join(root, "src", "claims", "validate.ts") ? { path: validator } : undefined)),
      },
    ],
  });
  // The libraries a run may not need: each a bundle of its own, loaded when first used (bin/reimburse.js lib).
  for (const name of LIBS) {
    const entry = join(tmp, `${name}.entry.js`);
    writeFileSync(entry, LIB_ENTRY[name] ?? `export * from ${JSON.stringify(name)};\n`);
    await build({ entryPoints: [entry], outfile: join(OUT, "lib", `${name}.cjs`), bundle: true, format: "cjs", platform: "node", target: "node20", minify: true, logLevel: "warning", nodePaths: [join(root, "node_modules")] });
  }
  for (const f of [main, ...LIBS.map((n) => join(OUT, "lib", `${n}.cjs`))]) stamp(f);

  if (snap.json) {
    writeFileSync(join(OUT, "rules.snapshot.json"), snap.json);
    writeFileSync(join(OUT, "rules.snapshot.src"), snap.src);
    if (snap.check) writeFileSync(join(OUT, "rules.check.json"), snap.check);
    else console.warn("build: no rules check snapshot (the check data would not survive JSON); rules check parses the files");
  } else console.warn(`build: no rules snapshot: ${snap.problem}; the rules are compiled at every start`);

  // 3. The code cache: the common commands run once, in a process of their own, then V8 writes what it compiled.
  const warm = spawnSync(process.execPath, [join(root, "src", "build", "warm.cjs"), OUT], { cwd: root, encoding: "utf8" });
  if (warm.status !== 0) console.warn(`build: no code cache (${(warm.stderr || warm.stdout).trim().split("\n").at(-1)}); start-up compiles the bundle`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const OLD = join(root, `.dist-old-${process.pid}`);
if (existsSync(DIST)) renameSync(DIST, OLD);
renameSync(OUT, DIST);
rmSync(OLD, { recursive: true, force: true });
