/**
 * The entry point of the binary (bin/reimburse.js → dist/main.cjs). `calc … --format json`
 * on a plain claim, and `rules check` on the shipped rules, are answered by
 * quick paths that load none of the CLI's libraries (src/startup/calc.ts,
 * src/startup/check.ts); everything else, and anything a quick path is not
 * sure of, runs the CLI (src/cli.ts), which maps every failure to an exit code.
 */
import { readText } from "./io.js";
import type { Streams } from "./cli.js";

export async function main(argv: readonly string[], io: Streams): Promise<number> {
  if (argv[0] === "rules" && argv[1] === "check") {
    const { quickCheck } = await import("./startup/check.js");
    const code = quickCheck(argv.slice(2), io);
    if (code !== undefined) return code;
  }
  const { run } = await import("./cli.js");
  return run(argv, io);
}

/** Standard input, bounded and strictly UTF-8 like any claim file. */
export function readStdin(): string {
  return readText("-").text;
}
