/**
 * ByteOut.json (src/batch/bytes.ts) writes exactly the bytes of JSON.stringify,
 * whatever the value, however the chunks fall, and when a frozen object's bytes
 * are kept and written again.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteOut } from "../../src/batch/bytes.js";
import type { Sink } from "../../src/sink.js";
import { settle } from "../../src/core/settle.js";
import { settlementJson } from "../../src/format/json.js";
import { claim, shippedRules } from "../helpers.js";

/** A sink that keeps what it is given (copies: the writer may reuse its buffer). */
function collect(): Sink & { text(): string } {
  const parts: Buffer[] = [];
  return {
    write: (b) => (parts.push(Buffer.from(b)), "done"),
    drained: () => Promise.resolve(),
    commit() {},
    abort() {},
    text: () => Buffer.concat(parts).toString("utf8"),
  };
}

function written(values: readonly unknown[], chunk: number): string {
  const sink = collect();
  const out = new ByteOut(sink, chunk);
  for (const v of values) {
    out.json(v);
    out.byte(10);
  }
  out.flush();
  return sink.text();
}

const expected = (values: readonly unknown[]) => values.map((v) => `${JSON.stringify(v)}\n`).join("");

/** A JSON value with some of its objects and arrays frozen (their bytes are then kept). */
const frozenSome = (v: unknown, pick: () => boolean): unknown => {
  if (v === null || typeof v !== "object") return v;
  const copy: unknown = Array.isArray(v) ? v.map((x) => frozenSome(x, pick)) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, frozenSome(x, pick)]));
  return pick() ? Object.freeze(copy) : copy;
};

describe("ByteOut.json", () => {
  it("writes JSON.stringify's bytes for any JSON value, in chunks of any size, frozen parts written twice", () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 64 }), fc.array(fc.boolean(), { minLength: 1 }), (values, chunk, coin) => {
        let i = 0;
        const vs = values.map((v) => frozenSome(v, () => coin[i++ % coin.length]!));
        // Each value twice: the second time a frozen object's kept bytes are used.
        expect(written([...vs, ...vs], chunk)).toBe(expected([...vs, ...vs]));
      }),
      { numRuns: 2000 },
    );
  });

  it("writes numbers as JSON.stringify does: amounts of two decimals digit by digit, anything else through String", () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -1e15, max: 1e15 }).map((f) => f / 100), fc.double(), fc.integer(), fc.constantFrom(0, -0, 0.1, 0.07, 1e13 - 0.01, 1e13, 1e21, 5e-324, 0.888, 8500.12, 8500.1)), (x) => {
        expect(written([x, [x], { x }], 16)).toBe(expected([x, [x], { x }]));
      }),
      { numRuns: 20000 },
    );
  });

  it("leaves out undefined members and functions, writes them as null in arrays, as JSON.stringify does", () => {
    const v = { a: undefined, b: [undefined, () => 1, 1], c: () => 2, d: "x\u2028\"\\\n", e: -0, f: 1e21, g: "中文" };
    expect(written([v], 3)).toBe(expected([v]));
  });

  it("writes each settlement of a batch as JSON.stringify does: shared figures and warnings, in both languages, steps too", () => {
    const rules = shippedRules();
    const claims = [
      { date: "2025-03-09", insured: { region: "430700", scheme: "employee" }, treatment: { region: "420500", level: 3, kind: "inpatient" }, filing: "none", costs: { classA: 11100 } },
      { date: "2025-03-09", insured: { region: "430700", scheme: "employee", retired: true }, treatment: { region: "420100", level: 3, kind: "inpatient" }, filing: "referral", costs: { classA: 9000, classB: 3000 } },
      { date: "2025-08-09", insured: { region: "430700", scheme: "resident" }, treatment: { region: "420100", level: 2, kind: "chronic", disease: "肝硬化" }, filing: "long-term", items: [{ name: "x", class: "B", amount: 31.77 }] },
    ].map((c) => settle(claim(c), rules));
    const objs = ["en", "zh"].flatMap((lang) => [false, true].flatMap((explain) => claims.map((s) => settlementJson(s, rules, lang as "en" | "zh", explain))));
    for (const chunk of [7, 1024, 1 << 20]) expect(written([...objs, ...objs], chunk)).toBe(expected([...objs, ...objs]));
  });
});
