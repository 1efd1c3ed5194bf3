/**
 * The JSON Lines reader checks for a key written twice cheaply (src/batch/read.ts:
 * as many keys read as written) and only then looks for it (duplicateKey). The
 * cheap check must never miss one: on generated texts, with and without
 * duplicates, escapes, nesting and white space, "as many read as written" holds
 * exactly when duplicateKey finds none.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { duplicateKey, keysRead, keysWritten } from "../../src/claims/json.js";

const key = fc.constantFrom("a", "b", "id", "date", "__proto__", "constructor", "\\u0061", "a\\\"b", "x y", "理赔", ":", "{", "[");
const ws = fc.constantFrom("", " ", "\t", "\r\n ");
const scalar = fc.oneof(fc.integer().map(String), fc.constantFrom('"s"', '"a:b"', '"{\\"x\\":1}"', "true", "null", '"\\\\"', "1.5e3"));
const json: fc.Arbitrary<string> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, scalar, tie("object"), tie("array")),
  object: fc.array(fc.tuple(key, ws, ws, tie("value")), { maxLength: 5 }).map((kv) => `{${kv.map(([k, a, b, v]) => `${a}"${k}"${b}:${a}${v as string}`).join(",")}}`),
  array: fc.array(tie("value"), { maxLength: 4 }).map((vs) => `[${(vs as string[]).join(", ")}]`),
})).object as fc.Arbitrary<string>;

describe("the duplicate-key check of the JSON Lines reader", () => {
  it("counts as many keys as written exactly when duplicateKey finds none", () => {
    let withDup = 0;
    fc.assert(
      fc.property(json, (text) => {
        const value = JSON.parse(text) as unknown;
        const same = keysWritten(text) === keysRead(value);
        expect(same).toBe(duplicateKey(text) === undefined);
        if (!same) withDup++;
      }),
      { numRuns: 20_000, seed: 7 },
    );
    expect(withDup).toBeGreaterThan(1000); // duplicates were generated
  });
});
