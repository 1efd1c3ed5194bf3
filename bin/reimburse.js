#!/usr/bin/env node
import { main, readStdin } from "../dist/main.js";

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  readStdin,
  stdin: () => process.stdin,
});
