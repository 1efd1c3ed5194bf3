#!/usr/bin/env node
// CommonJS (bin/package.json), like dist/main.cjs: Node then sets up no ES module loader
// unless the full CLI is needed (src/build/build.mjs).
"use strict";
const { main, readStdin } = require("../dist/main.cjs");

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  readStdin,
  stdin: () => process.stdin,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    // main maps every failure to an exit code; this is a bug in reimburse.
    process.stderr.write(`internal error (a bug in reimburse, please report it): ${e && e.message ? e.message : String(e)}\n`);
    process.exitCode = 70;
  },
);
