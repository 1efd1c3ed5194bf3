import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonlRecord, yuanJson, yuanText } from "../../src/batch/jsonl.js";
import { ByteOut, type Sink } from "../../src/batch/write.js";
import { formatYuan, toYuan } from "../../src/core/money.js";
import { settle, settleParts } from "../../src/core/settle.js";
import { settlementJson } from "../../src/format/json.js";
import { benchClaims, shippedRules } from "../helpers.js";

/** A ByteOut whose bytes are collected (a small buffer size is not needed: records flush at 1 MB). */
function collector(): { out: ByteOut; take(): Buffer } {
  const parts: Buffer[] = [];
  const sink: Sink = { write: (b) => (parts.push(Buffer.from(b)), "done"), drained: () => Promise.resolve(), commit() {}, abort() {} };
  const out = new ByteOut(sink);
  return {
    out,
    take() {
      out.flush();
      const b = Buffer.concat(parts);
      parts.length = 0;
      return b;
    },
  };
}


describe("the JSON Lines record of batch", () => {
  it("is exactly the bytes of JSON.stringify({ line, ...settlementJson(settle(…)) }) on 6,000 generated claims, in both languages, with and without the steps", () => {
    const rules = shippedRules();
    const claims = [...benchClaims(3000, 11), ...benchClaims(3000, 12)];
    // Odd ids and a line number past 2^31 too.
    claims.push({ ...claims[0]!, id: 'q"uote\\ \u0001 理赔 \ud800' }, { ...claims[1]!, id: "" });
    const settled = claims.flatMap((c) => {
      try {
        return [{ c, s: settle(c, rules) }];
      } catch {
        return []; // refused: not a settlement
      }
    });
    expect(settled.length).toBeGreaterThan(5600);
    // Every route, itemised lines and class B all appear in the sample.
    expect(new Set(settled.map(({ s }) => s.route))).toEqual(new Set(["local", "in-province", "zone", "long-term", "referral", "emergency", "temporary", "unfiled"]));
    expect(settled.some(({ s }) => s.lines)).toBe(true);
    expect(settled.some(({ s }) => s.prepay > 0)).toBe(true);
    expect(settled.some(({ s }) => s.overCap > 0)).toBe(true);
    for (const [lang, explain] of [["en", true], ["zh", true], ["en", false], ["zh", false]] as const) {
      const record = jsonlRecord(rules, lang, explain);
      const { out, take } = collector();
      let want = "";
      settled.forEach(({ c, s }, i) => {
        const line = i === 7 ? 2 ** 33 + 1 : i + 1;
        record(out, line, settleParts(c, rules)); // with its newline
        want += JSON.stringify({ line, ...settlementJson(s, rules, lang, explain) }) + "\n";
      });
      const got = take();
      const wantBytes = Buffer.from(want, "utf8");
      if (!got.equals(wantBytes)) {
        // Show the first record that differs.
        const [g, w] = [got.toString("utf8").split("\n"), want.split("\n")];
        const i = w.findIndex((x, k) => x !== g[k]);
        expect(g[i]).toBe(w[i]);
      }
      expect(got.equals(wantBytes)).toBe(true);
    }
  }, 120_000);

  it("writes amounts as JSON.stringify(toYuan(fen)) and formatYuan(fen) do", () => {
    const { out, take } = collector();
    const check = (fen: number): void => {
      yuanJson(out, fen);
      out.ascii(" ");
      yuanText(out, fen);
      expect(take().toString()).toBe(`${JSON.stringify(toYuan(fen))} ${formatYuan(fen)}`);
    };
    for (const fen of [0, -0, 1, 5, 10, 50, 99, 100, 101, 110, 99_999, 100_000, 999_999, 1_000_000, 99_999_999, 100_000_000, 123_456_789, 2 ** 31 * 100 - 1, 2 ** 31 * 100, 2 ** 31 * 100 + 1, 1e15 - 1, 1e15, 1e15 + 1, -1, -50, -123_456, 2 ** 53 - 1, 2 ** 53, 1e21, 1e22, 0.5, NaN, Infinity])
      check(fen);
    fc.assert(fc.property(fc.oneof(fc.integer({ min: 0, max: 10_000_000 }), fc.maxSafeInteger(), fc.integer({ min: -1e15, max: 1e15 }), fc.double()), check), { numRuns: 20_000 });
  });
});
