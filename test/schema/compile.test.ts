/**
 * The compiled claim validator (src/schema/compile.ts, src/claims/validate.ts)
 * against zod, the definition it is compiled from: whenever the compiled one
 * answers, it answers what zod's parse gives; when zod refuses, it says "not
 * sure" (undefined). Checked on a generated year, on values mutated field by
 * field, and on the module the build emits.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as fields from "../../src/claims/fields.js";
import { claimSchema } from "../../src/claims/schema.js";
import { validateClaim } from "../../src/claims/validate.js";
import { compileSchema, emitModule, instantiate } from "../../src/schema/compile.js";
import { benchLines, ROOT } from "../helpers.js";

/** The compiled validator agrees with zod on `v`: the same claim, or undefined where zod refuses. */
function agrees(validate: (v: unknown) => unknown, v: unknown): void {
  const z = claimSchema.safeParse(v);
  const c = validate(v);
  if (z.success) {
    // zod accepts: the compiled validator must give the same claim, key order included.
    expect(c, JSON.stringify(v)).toStrictEqual(z.data);
    expect(JSON.stringify(c)).toBe(JSON.stringify(z.data));
  } else expect(c, JSON.stringify(v)).toBeUndefined();
}

const year = benchLines(3000, 31).flatMap((l) => {
  try {
    return [JSON.parse(l) as Record<string, unknown>];
  } catch {
    return [];
  }
});

/** Values a field may be given: right, wrong, and odd. */
const odd = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e21, "", " ", "3", "12.345", "1,000", "-0", "0x10", "2025-02-30", "2025-13-01", "community", "三级", "none", "B", "__proto__"),
  fc.constantFrom("x".repeat(200), "x".repeat(201), "x".repeat(500), "x".repeat(501)), // at the schema's length bounds
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.constantFrom("classA", "classB", "x", "amount", "name", "class"), fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.constant("12.5")), { maxKeys: 3 }),
);

/** A copy of `v` with the value at a random path (an existing key or a new one) replaced, or the key removed. */
function mutate(v: Record<string, unknown>, picks: number[], value: unknown, remove: boolean): unknown {
  const copy = structuredClone(v);
  let node: Record<string, unknown> = copy;
  for (let i = 0; ; i++) {
    const keys = [...Object.keys(node), "extra"];
    const key = keys[picks[i % picks.length]! % keys.length]!;
    const next = node[key];
    if (i < 3 && next && typeof next === "object" && !Array.isArray(next) && picks[(i + 1) % picks.length]! % 3 !== 0) {
      node = next as Record<string, unknown>;
      continue;
    }
    if (remove) delete node[key];
    else node[key] = value;
    return copy;
  }
}

describe("the compiled claim validator", () => {
  it("answers exactly what zod answers on a generated year of claims (broken records included)", () => {
    expect(year.length).toBeGreaterThan(2900);
    for (const v of year) agrees(validateClaim, v);
    // It is not merely cautious: it accepts every claim zod accepts.
    const accepted = year.filter((v) => claimSchema.safeParse(v).success);
    expect(accepted.length).toBeGreaterThan(2800);
    expect(accepted.every((v) => validateClaim(v) !== undefined)).toBe(true);
  });

  it("agrees with zod on claims with one field changed, added or removed", () => {
    fc.assert(
      fc.property(fc.nat(year.length - 1), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), odd, fc.boolean(), (i, picks, value, remove) => {
        agrees(validateClaim, mutate(year[i]!, picks, value, remove));
      }),
      { numRuns: 4000 },
    );
  });

  it("agrees on itemised claims and on the cross-field rules", () => {
    const base = { date: "2025-03-09", insured: { region: "430700", scheme: "employee" }, treatment: { region: "420100", level: 3, kind: "inpatient" } };
    const items = [
      { name: "a", class: "A", amount: "10.00" },
      { name: "b", class: "B", amount: 31.77, prepay: "3.18" },
    ];
    for (const v of [
      { ...base, items },
      { ...base, items, costs: { classA: 1 } }, // both: refused
      { ...base }, // neither: refused
      { ...base, items: [{ name: "b", class: "A", amount: 1, prepay: 0 }] }, // prepay on class A: refused
      { ...base, items: [{ name: "b", class: "B", amount: 1, prepay: 2 }] }, // prepay above the line: refused
      { ...base, costs: { classA: 1, total: 2 } }, // total does not add up: refused
      { ...base, costs: { classA: 1, total: 1 } },
      { ...base, treatment: { ...base.treatment, kind: "chronic" }, costs: { classA: 1 } }, // chronic without disease
      { ...base, insured: { ...base.insured, scheme: "resident", retired: true }, costs: { classA: 1 } },
      { ...base, items: [] },
      { ...base, id: 7, insured: { ...base.insured, id: 42 }, costs: { classA: 1 } },
    ])
      agrees(validateClaim, v);
  });

  it("compiles from the schema's definition: a kind of schema it has no form for is refused by name and path", () => {
    expect(() => compileSchema(z.strictObject({ when: z.date() }))).toThrow(/no compiled form for a date schema at when/);
    expect(() => compileSchema(z.object({ a: z.string() }).passthrough())).toThrow(/catchall/);
    // What it does compile gives zod's answers on a schema of its own too.
    const s = z.strictObject({ n: z.number().int().min(1), tag: z.union([z.literal("x"), z.enum(["y", "z"])]).optional(), list: z.array(z.string().max(2)).max(2).default([]) });
    const v = instantiate(compileSchema(s));
    for (const x of [{ n: 1 }, { n: 0 }, { n: 1.5 }, { n: 2, tag: "y" }, { n: 2, tag: "w" }, { n: 2, list: ["ab", "c"] }, { n: 2, list: ["abc"] }, { n: 2, list: ["a", "b", "c"] }, { n: 3, other: 1 }])
      expect(v(x) ?? "refused").toStrictEqual(s.safeParse(x).success ? s.parse(x) : "refused");
  });

  it("as the module the build emits, names every function of the schema and gives the same answers", async () => {
    const text = emitModule(compileSchema(claimSchema), fields, join(ROOT, "src", "claims", "fields.ts"), "validateClaim");
    expect(text).toMatch(/M\.fenOfYuan/);
    const dir = mkdtempSync(join(ROOT, "test", "schema", ".emit-"));
    try {
      writeFileSync(join(dir, "validate.ts"), text);
      const emitted = (await import(join(dir, "validate.ts"))) as { validateClaim: (v: unknown) => unknown };
      for (const v of year.slice(0, 500)) agrees(emitted.validateClaim, v);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // A function that is not an export of the module cannot be named: the build fails, naming the fix.
    const inline = z.strictObject({ a: z.string().transform((s) => s.trim()) });
    expect(() => emitModule(compileSchema(inline), fields, "x", "v")).toThrow(/not an export of x/);
  });
});
