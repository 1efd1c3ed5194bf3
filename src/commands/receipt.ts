/**
 * `--receipt FILE` (calc, batch): a record of what a settlement run read and
 * used, so that it can be reproduced and an auditor can tell whether two
 * results came from the same rules and input (compare regelrecht's execution
 * receipts): the rule-set version (a hash of the rule files' paths inside the
 * rules directory and their bytes) and the directory, the tool's version, each
 * input's SHA-256, the settlement dates used, the count of results.
 */
import { createHash, type Hash } from "node:crypto";
import pkg from "../../package.json" with { type: "json" };
import { today } from "../clock.js";
import type { RuleSet } from "../core/model.js";
import { writeWhole, type FileTarget } from "../sink.js";

export const RECEIPT_FORMAT = 1;

export interface ReceiptInput {
  readonly file: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface Receipt {
  readonly rules: RuleSet;
  readonly rulesDir: string;
  readonly inputs: readonly ReceiptInput[];
  /** The settlement dates of the results (the rule versions in force on each were used). */
  readonly dates: readonly string[];
  readonly results: { readonly records: number; readonly settled: number; readonly failed: number };
}

/** An input read whole (a claim file), as the receipt names it. */
export function inputOf(file: string, text: string): ReceiptInput {
  const bytes = Buffer.from(text, "utf8");
  return { file, sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length };
}

/** An input read in chunks (batch): hashed as it is read. */
export function hashing<T extends Buffer | string>(chunks: AsyncIterable<T> | Iterable<T>, into: { hash: Hash; bytes: number }): AsyncIterable<T> {
  return (async function* () {
    for await (const c of chunks) {
      into.hash.update(c);
      into.bytes += typeof c === "string" ? Buffer.byteLength(c) : c.length;
      yield c;
    }
  })();
}

export function newHash(): { hash: Hash; bytes: number } {
  return { hash: createHash("sha256"), bytes: 0 };
}

export function receiptText(r: Receipt): string {
  let first: string | undefined;
  let last: string | undefined;
  for (const d of r.dates) {
    if (first === undefined || d < first) first = d;
    if (last === undefined || d > last) last = d;
  }
  const record = {
    receipt: RECEIPT_FORMAT,
    tool: { name: pkg.name, version: pkg.version },
    rules: { version: r.rules.version, dir: r.rulesDir },
    inputs: r.inputs,
    dates: first === undefined ? null : { first, last },
    results: r.results,
    ranOn: today(),
  };
  return JSON.stringify(record, null, 2) + "\n";
}

/** Written whole to its target, checked before the run (src/sink.ts fileTarget). */
export function writeReceipt(to: FileTarget, r: Receipt): void {
  writeWhole(to, receiptText(r));
}
