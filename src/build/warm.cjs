// Build step: runs the common commands once through the binary's own loader (bin/reimburse.js),
// then writes V8's code cache of every bundle it loaded beside it: what start-up would compile is
// compiled. `node src/build/warm.cjs DIR` (DIR holds main.cjs and lib/). Not batch: it changes
// V8's flags, and a cache made under other flags is refused.
"use strict";
const { writeFileSync } = require("node:fs");
const { resolve } = require("node:path");
const { load, loaded, cachePath } = require("../../bin/reimburse.js");

const main = load(resolve(process.argv[2]));
const sink = { write: () => true, isTTY: false };
const io = { stdout: sink, stderr: sink, env: {}, readStdin: () => "" };
const runs = [
  ["calc", "examples/zone-changde-yichang.yaml", "--format", "json"],
  ["calc", "examples/referral-changde-wuhan.yaml"],
  ["calc", "examples/chronic-dialysis-changde-wuhan.yaml", "--explain", "--lang", "zh"],
  ["calc", "test/fixtures/claims/broken.yaml"],
  ["compare", "examples/referral-changde-wuhan.yaml"],
  ["rules", "check"],
  ["rules", "show", "--region", "430700", "--date", "2025-03-09"],
  ["--help"],
];
(async () => {
  for (const argv of runs) await main.main(argv, io);
  for (const b of loaded) writeFileSync(cachePath(b.file, b.source), b.script.createCachedData());
})().catch((e) => {
  process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
  process.exitCode = 1;
});
