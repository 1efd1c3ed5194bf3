import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastClaim, plainFen } from "../../src/batch/fastclaim.js";
import { lineClaim } from "../../src/batch/lineclaim.js";
import { duplicateKey } from "../../src/batch/read.js";
import { benchLines } from "../helpers.js";
import { parseYuan } from "../../src/core/money.js";
import { claimSchema } from "../../src/claims/schema.js";

/** A value that is mostly right and sometimes subtly wrong, the way input is. */
const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: good as fc.Arbitrary<unknown>, weight: 12 }, { arbitrary: bad, weight: 1 });
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });
const amount = mostly(
  fc.oneof(
    fc.integer({ min: 0, max: 2_000_000 }),
    fc.integer({ min: 0, max: 99_999_999 }).map((f) => f / 100),
    fc.integer({ min: 0, max: 99_999_999 }).map((f) => (f / 100).toFixed(2)),
    pick<unknown>(-0, "00012.10", " 12.5 ", "99999999999.99"),
  ),
  pick<unknown>(-1, 1.005, 12.345, "12.3456", "1,000", "１２", "1e3", "", "abc", null, true, 1e13, "100000000000.01"),
);
const code = mostly(pick<unknown>("430700", "420500", 430700, " 420100 ", "常德市", -0), pick<unknown>(1.5, 2 ** 53, null, []));
const level = mostly(pick<unknown>(3, "3", 1, "community", "provincial", -1, ""), pick<unknown>(3.5, null, 2 ** 60, true));
const bool = mostly(pick<unknown>(true, false), pick<unknown>("true", 0, null));
const date = mostly(
  pick<unknown>("2025-03-09", "2024-02-29", "2000-02-29", "2025-12-31"),
  pick<unknown>("2025-02-29", "2025-13-01", "2025-3-9", "20250309", 20250309, "1900-02-29", "2025-00-10", "2025-04-31"),
);
const str = (max: number) => mostly(fc.oneof(fc.string({ maxLength: 4 }), fc.constant("x".repeat(max))), pick<unknown>("x".repeat(max + 1), 42, null));
const rare = <T>(a: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 10 }, { arbitrary: a, weight: 1 });
const extra = rare(pick(1));

const item = fc.record(
  { name: str(500), class: mostly(pick<unknown>("A", "B", "excluded"), pick("C")), amount, prepay: maybe(amount), extra },
  { requiredKeys: ["name", "class", "amount"] },
);
const money = fc.oneof(
  fc.record({ costs: fc.record({ classA: amount, classB: amount, excluded: amount, total: rare(amount) }, { requiredKeys: [] }) }),
  fc.record({ items: mostly(fc.array(item, { minLength: 1, maxLength: 3 }), pick<unknown>([], "x", null)) }),
  fc.constant({}),
  fc.record({ costs: fc.record({ classA: amount }), items: fc.array(item, { minLength: 1, maxLength: 1 }) }),
);
const claim = fc
  .tuple(
    fc.record(
      {
        format: rare(mostly(pick<unknown>(1), pick<unknown>(2, "1"))),
        id: maybe(mostly(fc.oneof(str(200), fc.integer()), pick<unknown>(Infinity, 1.25))),
        date,
        insured: fc.record(
          { id: maybe(mostly(fc.oneof(str(200), fc.integer()), pick<unknown>(null))), region: code, scheme: mostly(pick<unknown>("employee", "resident"), pick<unknown>("Employee")), retired: maybe(bool), extra },
          { requiredKeys: ["region", "scheme"] },
        ),
        treatment: fc.record(
          { region: code, hospital: maybe(str(500)), level, kind: mostly(pick<unknown>("inpatient", "outpatient", "chronic"), pick<unknown>("x")), disease: rare(pick<unknown>("uremia-dialysis", "", 3)), emergency: maybe(bool), extra },
          { requiredKeys: ["region", "level", "kind"] },
        ),
        filing: maybe(mostly(pick<unknown>("long-term", "referral", "emergency", "temporary", "none"), pick<unknown>("zone", null))),
        route: rare(mostly(pick<unknown>("zone", "unfiled", "local"), pick<unknown>("x"))),
        history: maybe(
          fc.record({ fundPaid: amount, admissions: mostly(pick<unknown>(0, 1, 2, -0), pick<unknown>(-1, 1.5, "2", 2 ** 53)), deductiblePaid: amount }, { requiredKeys: [] }),
        ),
        extra,
      },
      { requiredKeys: ["date", "insured", "treatment"] },
    ),
    money,
  )
  .map(([c, m]) => JSON.parse(JSON.stringify({ ...c, ...m })) as unknown); // as read from JSON: no undefined values

describe("fastClaim: the fast validator agrees with the claim schema", () => {
  it("whenever it answers, zod accepts the same value and gives the same claim (keys in the same order)", () => {
    let answered = 0;
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof({ arbitrary: claim, weight: 9 }, { arbitrary: fc.anything(), weight: 1 }), (v) => {
        const fast = fastClaim(v);
        const z = claimSchema.safeParse(v);
        if (z.success) accepted++;
        if (fast === undefined) {
          // It may only decline what zod refuses (JSON values carry no undefined, so nothing else).
          expect(z.success).toBe(false);
          return;
        }
        answered++;
        expect(z.success).toBe(true);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(z.data));
        expect(fast).toStrictEqual(z.data);
      }),
      { numRuns: 10000, seed: 20250309 },
    );
    // Both branches were exercised.
    expect(answered).toBeGreaterThan(200);
    expect(accepted).toBe(answered);
  }, 60_000);

  it("reads a claim as calc does: defaults applied, amounts in fen, level as text", () => {
    expect(fastClaim({ date: "2025-03-09", insured: { region: 430700, scheme: "employee" }, treatment: { region: "420500", level: 3, kind: "inpatient" }, costs: { classA: "11100.5" } })).toEqual({
      date: "2025-03-09",
      insured: { region: "430700", scheme: "employee", retired: false },
      treatment: { region: "420500", level: "3", kind: "inpatient", emergency: false },
      costs: { classA: 1110050, classB: 0, excluded: 0 }, // 11,100.50 yuan = 1,110,050 fen
      history: { fundPaid: 0, admissions: 0, deductiblePaid: 0 },
    });
  });

  it("reads a plain amount exactly as parseYuan does (its quick way), and leaves every other text to parseYuan", () => {
    const digits = fc.stringMatching(/^[0-9]{0,13}(\.[0-9]{0,3})?$/);
    const texts = fc.oneof(digits, fc.string({ maxLength: 16 }), fc.integer({ min: 0, max: 2e12 }).map((f) => String(f / 100)), fc.double().map(String), pick("1e3", " 1", "1 ", "-1", "+1", "1.", ".5", "0x10", "１２", "99999999999.99", "100000000000", "10000000000.01"));
    fc.assert(
      fc.property(texts, (t) => {
        const fen = plainFen(t);
        if (fen < 0) return; // not plain: parseYuan reads it
        expect(parseYuan(t)).toEqual({ ok: true, value: fen });
      }),
      { numRuns: 30_000 },
    );
    // And it does answer for the plain forms.
    for (const [t, fen] of [["0", 0], ["11100", 1_110_000], ["12.5", 1250], ["0.07", 7], ["007.10", 710], ["10000000000", 1e12]] as const) expect(plainFen(t)).toBe(fen);
  });
});

/**
 * src/batch/lineclaim.ts reads a JSON Lines line straight from its bytes to a
 * claim. Whenever it answers, the line must be what the usual way reads
 * without a problem (JSON, no key twice) and give the very same claim as
 * fastClaim(JSON.parse(line)); it may decline anything.
 */
describe("lineClaim: a JSON Lines line straight to its claim", () => {
  const usual = (line: string): unknown => {
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      return "not JSON";
    }
    return duplicateKey(line) !== undefined ? "a key twice" : fastClaim(v);
  };
  const check = (line: string): boolean => {
    const bytes = Buffer.from(`junk\n${line}\nmore`, "utf8"); // read in place, inside a larger buffer
    const start = 5;
    const got = lineClaim(bytes, start, start + Buffer.byteLength(line));
    if (got === undefined) return false;
    const want = usual(line);
    expect(typeof want, line).toBe("object");
    expect(JSON.stringify(got), line).toBe(JSON.stringify(want)); // same values, keys in the same order
    expect(got).toEqual(want);
    return true;
  };
  // The ways a line can be written: compact, spaced, keys reordered, escapes, a key twice, other number forms.
  const spaced = (s: string) => s.replace(/([,:{[])/g, "$1 ");
  const variants = (v: unknown): string[] => {
    const s = JSON.stringify(v);
    const o = v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    return [
      s,
      spaced(s),
      JSON.stringify(v, null, 2).replace(/\n/g, ""),
      o ? JSON.stringify(Object.fromEntries(Object.entries(o).reverse())) : s,
      s.replace(/"scheme":"employee"/, '"scheme":"\\u0065mployee"'),
      s.replace(/^\{/, '{"date":"2025-01-01",'), // date twice (or once more)
      s.replace(/"classA":(\d+)/, '"classA":$1e0'),
      s.replace(/"classA":(\d+)/, '"classA":-$1'),
      s.replace(/"level":"?(\w+)"?/, '"level":$1.0'),
      ` ${s}\t`,
    ];
  };
  it("on generated claims and their variants: the same claim whenever it answers", () => {
    let plain = 0;
    let answered = 0;
    fc.assert(
      fc.property(claim, (v) => {
        const [first, ...rest] = variants(v);
        plain++;
        if (check(first!)) answered++;
        for (const line of rest) check(line);
      }),
      { numRuns: 5_000, seed: 11 },
    );
    // Most generated claims carry some odd value (the generator is built to find edges), so it answers few of
    // them; enough to have compared many. How often it answers real lines is the next test's business.
    expect(answered).toBeGreaterThan(50);
    expect(plain).toBe(5_000);
  });
  it("on a generated year of claims (bench/gen.mjs, broken records included)", () => {
    const lines = benchLines(5000, 17);
    let answered = 0;
    for (const line of lines) if (check(line)) answered++;
    // Nearly every well-formed line takes the quick way (the broken ones, ~1.5%, never do).
    expect(answered).toBeGreaterThan(lines.length * 0.9);
    expect(answered).toBeLessThan(lines.length);
  }, 60_000);
});
