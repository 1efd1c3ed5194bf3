#!/usr/bin/env node
// The binary. The program is CommonJS bundles in dist/ (src/build/build.mjs): main.cjs, and in
// dist/lib/ the libraries a run may not need, loaded when first used. Each is compiled with the
// V8 code cache the build made for it, so start-up skips most of compiling. A cache is used only
// with the bundle it was made from (the build id on the bundle's last line) and when V8 accepts
// it (same V8, same flags); otherwise the bundle is compiled as usual.
"use strict";
const { readFileSync } = require("node:fs");
const Module = require("node:module");
const { dirname, join } = require("node:path");
const vm = require("node:vm");

const DIST = join(__dirname, "..", "dist");

/** The code cache of a bundle: beside it, named by the build id its last line carries. */
function cachePath(file, source) {
  const id = /\/\/# reimburse-build:([0-9a-f]+)\s*$/.exec(source.slice(-64));
  return id ? `${file}.${id[1]}.cache` : undefined;
}

/** Every bundle loaded, for the build to write their caches. */
const loaded = [];

/** Loads a bundle as Node loads a CommonJS module, with its code cache when there is one. */
function loadFile(file) {
  const source = readFileSync(file, "utf8");
  const cache = cachePath(file, source);
  let cachedData;
  try {
    cachedData = cache && readFileSync(cache);
  } catch {
    /* no cache: compile */
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const module = { exports: {}, filename: file, id: file, loaded: false };
  script.runInThisContext().call(module.exports, module.exports, Module.createRequire(file), module, file, dirname(file));
  loaded.push({ file, source, script });
  return module.exports;
}

const libs = new Map();
/** A library bundled apart (dist/lib/NAME.cjs), loaded once, when the program first asks for it. */
function lib(name, dist = DIST) {
  let m = libs.get(name);
  if (!m) libs.set(name, (m = loadFile(join(dist, "lib", `${name}.cjs`))));
  return m;
}

/** The program: dist/main.cjs (or DIR/main.cjs, for the build). */
function load(dist = DIST) {
  globalThis.__reimburseLib = (name) => lib(name, dist);
  return loadFile(join(dist, "main.cjs"));
}

module.exports = { load, loaded, cachePath };

/** The program, or, in a checkout that was never built, a word on how to build it (exit 2). */
function program() {
  try {
    return load();
  } catch (e) {
    if (!e || e.code !== "ENOENT" || e.path !== join(DIST, "main.cjs")) throw e;
    process.stderr.write(`error: reimburse is not built yet: run \`npm run build\` in ${join(__dirname, "..")} (npm test builds it too)\n`);
    process.exit(2);
  }
}

if (require.main === module) {
  const { main, readStdin } = program();
  let done = false;
  // Node ends a process whose event loop is empty with exit 0, even with main still waiting:
  // a wait that can never end (a pipe that will not drain) would pass for success.
  process.on("beforeExit", () => {
    if (done) return;
    done = true;
    process.stderr.write("internal error (a bug in reimburse, please report it): the run stopped before it finished, waiting for nothing\n");
    process.exitCode = 70;
  });
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    readStdin,
    stdin: () => process.stdin,
  }).then(
    (code) => {
      done = true;
      process.exitCode = code;
    },
    (e) => {
      done = true;
      // main maps every failure to an exit code; this is a bug in reimburse.
      process.stderr.write(`internal error (a bug in reimburse, please report it): ${e && e.message ? e.message : String(e)}\n`);
      process.exitCode = 70;
    },
  );
}
