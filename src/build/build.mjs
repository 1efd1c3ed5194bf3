// Bundles the CLI into dist/ (run by `npm ci` through `prepare`, and before tests).
// One bundle with code splitting: start-up loads only the entry and the command it runs.
// dist/main.js is the binary's entry (src/main.ts: a quick path for `calc --format json`,
// else the CLI); dist/cli.js the CLI. Then the shipped rules are compiled once into
// dist/rules.snapshot.json (src/rules/snapshot.ts), checked against the files at every start.
import { build } from "esbuild";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const banner = { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" };
// Node's built-in modules through require in the start-up bundles: an ESM import of node:fs
// builds its module namespace, which reads every export (fs.ReadStream, fs.promises, …) and so
// loads the stream modules: ~3 ms of every start, for nothing.
const builtinsByRequire = {
  name: "builtins-by-require",
  setup(b) {
    b.onResolve({ filter: /^node:(fs|path|url)$/ }, (a) => (a.namespace === "builtin-require" ? { path: a.path, external: true } : { path: a.path, namespace: "builtin-require" }));
    b.onLoad({ filter: /.*/, namespace: "builtin-require" }, (a) => ({ contents: `module.exports = require(${JSON.stringify(a.path)});`, loader: "js" }));
  },
};
rmSync(join(root, "dist"), { recursive: true, force: true });
await build({
  entryPoints: { cli: join(root, "src", "cli.ts") },
  outdir: join(root, "dist"),
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: false,
  logLevel: "warning",
  banner,
});
// The binary's entry, one file (no chunks to load: start-up is mostly module loading);
// it holds the quick path of calc and imports the CLI above (or the quick path of
// rules check, below) only when it is needed.
await build({
  entryPoints: [join(root, "src", "main.ts")],
  outfile: join(root, "dist", "main.js"),
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: false,
  logLevel: "warning",
  banner,
  plugins: [
    builtinsByRequire,
    {
      name: "cli-external",
      setup: (b) => {
        b.onResolve({ filter: /^\.\/cli\.js$/ }, () => ({ path: "./cli.js", external: true }));
        b.onResolve({ filter: /^\.\/startup\/check\.js$/ }, () => ({ path: "./check.js", external: true }));
      },
    },
  ],
});
// The quick path of `rules check` (src/startup/check.ts), one file of its own: calc's start-up does not load it.
await build({
  entryPoints: [join(root, "src", "startup", "check.ts")],
  outfile: join(root, "dist", "check.js"),
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: false,
  logLevel: "warning",
  banner,
  plugins: [builtinsByRequire],
});

// The rules snapshot: compiled by the project's own compiler, bundled into a temporary module.
const tmp = mkdtempSync(join(tmpdir(), "reimburse-build-"));
try {
  const out = join(tmp, "snapshot-build.mjs");
  await build({ entryPoints: [join(root, "src", "rules", "snapshot-build.ts")], outfile: out, bundle: true, format: "esm", platform: "node", target: "node20", logLevel: "warning", banner });
  const { buildSnapshot } = await import(pathToFileURL(out).href);
  process.chdir(root); // file names as seen from the package root (npm runs scripts there)
  const r = buildSnapshot(join(root, "rules"));
  if (r.json) {
    writeFileSync(join(root, "dist", "rules.snapshot.json"), r.json);
    writeFileSync(join(root, "dist", "rules.snapshot.src"), r.src);
    if (r.check) writeFileSync(join(root, "dist", "rules.check.json"), r.check);
    else console.warn("build: no rules check snapshot (the check data would not survive JSON); rules check parses the files");
  } else console.warn(`build: no rules snapshot: ${r.problem}; the rules are compiled at every start`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
