// Bundles the CLI into dist/ (run by `npm ci` through `prepare`, and before tests).
// One bundle with code splitting: start-up loads only the entry and the command it runs.
// dist/main.cjs is the binary's entry (src/main.ts: quick paths for `calc --format json` and
// `rules check`, else the CLI); dist/cli.js the CLI. Then the shipped rules are compiled once into
// dist/rules.snapshot.json (src/rules/snapshot.ts), checked against the files at every start.
import { build } from "esbuild";
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const banner = { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" };
// Built into a folder of its own and swapped in whole at the end: a CLI run during a build
// (npm test rebuilds) keeps the old dist/ until the new one is complete.
const DIST = join(root, "dist");
const OUT = join(root, `.dist-build-${process.pid}`);
rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: { cli: join(root, "src", "cli.ts") },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: false,
  logLevel: "warning",
  banner,
});
// The binary's entry, one CommonJS file (dist/main.cjs): start-up is mostly module loading,
// so no chunks, and no ES module loader (Node sets it up for the first ES module it loads:
// ~10 ms, a quarter of `node -e 0`). It holds the quick path of calc, and loads the quick path
// of rules check (below, also CommonJS) or the CLI above (ES modules) only when needed.
// import.meta.url, which CommonJS lacks, is the file's own URL.
const cjs = {
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  sourcemap: false,
  logLevel: "warning",
  banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  define: { "import.meta.url": "__import_meta_url" },
};
await build({
  ...cjs,
  entryPoints: [join(root, "src", "main.ts")],
  outfile: join(OUT, "main.cjs"),
  plugins: [
    {
      name: "entry-externals",
      setup: (b) => {
        b.onResolve({ filter: /^\.\/cli\.js$/ }, () => ({ path: "./cli.js", external: true }));
        // Required, not imported: a module of its own that main.cjs asks for by `require`.
        b.onResolve({ filter: /^\.\/startup\/check\.js$/ }, () => ({ path: "check", namespace: "required" }));
        b.onResolve({ filter: /^\.\/check\.cjs$/ }, () => ({ path: "./check.cjs", external: true }));
        b.onLoad({ filter: /.*/, namespace: "required" }, () => ({ contents: 'module.exports = require("./check.cjs");', loader: "js" }));
      },
    },
  ],
});
// The quick path of `rules check` (src/startup/check.ts), one file of its own: calc's start-up does not load it.
await build({ ...cjs, entryPoints: [join(root, "src", "startup", "check.ts")], outfile: join(OUT, "check.cjs") });

// The rules snapshot: compiled by the project's own compiler, bundled into a temporary module.
const tmp = mkdtempSync(join(tmpdir(), "reimburse-build-"));
try {
  const out = join(tmp, "snapshot-build.mjs");
  await build({ entryPoints: [join(root, "src", "rules", "snapshot-build.ts")], outfile: out, bundle: true, format: "esm", platform: "node", target: "node20", logLevel: "warning", banner });
  const { buildSnapshot } = await import(pathToFileURL(out).href);
  process.chdir(root); // file names as seen from the package root (npm runs scripts there)
  const r = buildSnapshot(join(root, "rules"));
  if (r.json) {
    writeFileSync(join(OUT, "rules.snapshot.json"), r.json);
    writeFileSync(join(OUT, "rules.snapshot.src"), r.src);
    if (r.check) writeFileSync(join(OUT, "rules.check.json"), r.check);
    else console.warn("build: no rules check snapshot (the check data would not survive JSON); rules check parses the files");
  } else console.warn(`build: no rules snapshot: ${r.problem}; the rules are compiled at every start`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const OLD = join(root, `.dist-old-${process.pid}`);
if (existsSync(DIST)) renameSync(DIST, OLD);
renameSync(OUT, DIST);
rmSync(OLD, { recursive: true, force: true });
