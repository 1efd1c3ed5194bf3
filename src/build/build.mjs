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
// it holds the quick path and imports the CLI above only when it is needed.
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
  plugins: [{ name: "cli-external", setup: (b) => b.onResolve({ filter: /^\.\/cli\.js$/ }, () => ({ path: "./cli.js", external: true })) }],
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
  } else console.warn(`build: no rules snapshot: ${r.problem}; the rules are compiled at every start`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
