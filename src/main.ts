/**
 * The entry point of the binary (bin/reimburse.js → dist/main.cjs): the CLI
 * (src/cli.ts), which maps every failure to an exit code.
 */
import { readText } from "./io.js";
import { run, type Streams } from "./cli.js";

export function main(argv: readonly string[], io: Streams): Promise<number> {
  return run(argv, io);
}

/** Standard input, bounded and strictly UTF-8 like any claim file. */
export function readStdin(): string {
  return readText("-").text;
}
