import { describe, expect, it } from "vitest";
import { applyOverrides, claimWith, parsePath, parseSet, scalar } from "../../src/claims/overrides.js";
import { readRaw } from "../../src/claims/input.js";
import { DiagnosticsError, UsageError } from "../../src/errors.js";

const ZONE = `id: seed-zone
date: 2025-03-09
insured: {region: "430700", scheme: employee}
treatment: {region: "420500", level: 3, kind: inpatient}
filing: none
costs: {classA: 11100}
`;

const thrown = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("did not throw");
};

describe("scalar", () => {
  it.each([
    ["2", 2],
    ["true", true],
    ["none", "none"],
    ["430700", 430700],
    ['"430700"', "430700"],
    ["2025-03-09", "2025-03-09"], // YAML 1.2 core schema: no timestamps
    ["1234.56", 1234.56],
    ["", null],
    ["null", null],
    ["a: b", "a: b"], // not a scalar: kept as text
    ["[1, 2]", "[1, 2]"],
  ])("reads %j as %j", (text, value) => {
    expect(scalar(text)).toEqual(value);
  });
});

describe("parsePath", () => {
  it("accepts dotted paths and list indexes in either spelling", () => {
    expect(parsePath("treatment.level", "t")).toEqual(["treatment", "level"]);
    expect(parsePath("items[0].amount", "t")).toEqual(["items", 0, "amount"]);
    expect(parsePath("items.1.class", "t")).toEqual(["items", 1, "class"]);
    expect(parsePath("history.fundPaid", "t")).toEqual(["history", "fundPaid"]);
  });
  it("refuses a misspelt field with a did-you-mean and the fields allowed there", () => {
    const e = thrown(() => parsePath("treatment.levle", "--set treatment.levle=2"));
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe(
      '--set treatment.levle=2: unknown claim field "treatment.levle": treatment has no field "levle"; its fields: region, hospital, level, kind, disease, emergency (did you mean "treatment.level"?)',
    );
  });
  it("suggests the full path for a leaf named at the top (level → treatment.level)", () => {
    expect(thrown(() => parsePath("level", "o")).message).toMatch(/a claim has no field "level".*\(did you mean "treatment.level"\?\)$/);
  });
  it("refuses a path below a single value, and an index on a mapping", () => {
    expect(thrown(() => parsePath("filing.kind", "o")).message).toBe('o: unknown claim field "filing.kind": filing is a single value, not a mapping');
    expect(thrown(() => parsePath("costs[0]", "o")).message).toBe("o: costs is not a list, so costs[0] does not exist");
    expect(thrown(() => parsePath("treatment..level", "o")).message).toMatch(/is not a claim field path/);
  });
});

describe("applyOverrides", () => {
  const raw = { date: "2025-03-09", treatment: { level: 3 }, items: [{ name: "x", class: "A", amount: 10 }] };
  it("sets, creates missing mappings, removes on null, and leaves the original alone", () => {
    const out = applyOverrides(raw, [parseSet("treatment.level=2"), parseSet("history.fundPaid=100"), parseSet("date="), parseSet("items[0].amount=12.5")]);
    // Amounts as written (the schema reads them as plain decimals, as in a file or CSV); other numbers as YAML reads them.
    expect(out).toEqual({ treatment: { level: 2 }, history: { fundPaid: "100" }, items: [{ name: "x", class: "A", amount: "12.5" }] });
    expect(raw.treatment.level).toBe(3);
  });
  it("refuses an index past the end of a list", () => {
    expect(thrown(() => applyOverrides(raw, [parseSet("items[3].amount=1")])).message).toBe("--set items[3].amount=1: items[3].amount is past the end of the list (1 item(s))");
  });
});

describe("claimWith", () => {
  const zone = readRaw("zone.yaml", ZONE);
  it("parses override values with the claim schema (level 2 → \"2\", retired=true → true)", () => {
    const c = claimWith(zone, [parseSet("treatment.level=2"), parseSet("insured.retired=true"), parseSet("filing=referral")]);
    expect(c.treatment.level).toBe("2");
    expect(c.insured.retired).toBe(true);
    expect(c.filing).toBe("referral");
  });
  it("reads a number given to a text field as the text written (treatment.hospital=301)", () => {
    expect(claimWith(zone, [parseSet("treatment.hospital=301")]).treatment.hospital).toBe("301");
  });
  it("turns amounts into fen like the file does: costs.classA=12.34 → 1234 fen", () => {
    expect(claimWith(zone, [parseSet("costs.classA=12.34")]).costs!.classA).toBe(1234);
  });
  it("blames a bad value on the override, with the schema's message (a usage error)", () => {
    const e = thrown(() => claimWith(zone, [parseSet("insured.retired=yes")]));
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe("invalid value for insured.retired (--set insured.retired=yes): must be true or false");
    expect(thrown(() => claimWith(zone, [parseSet("costs.classA=1.234")])).message).toBe(
      "invalid value for costs.classA (--set costs.classA=1.234): has 3 decimals; amounts are exact to the fen (at most 2 decimals), got 1.234",
    );
  });
  it("blames a problem the override causes elsewhere on the override too", () => {
    const e = thrown(() => claimWith(zone, [parseSet("treatment.kind=chronic")]));
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe("treatment.disease: is required when kind is chronic (an id from the disease catalogue) (after --set treatment.kind=chronic)");
  });
  it("leaves a claim file's own problems to the file (located diagnostics, exit 4)", () => {
    const broken = readRaw("broken.yaml", ZONE.replace("classA: 11100", "classA: -1"));
    const e = thrown(() => claimWith(broken, [parseSet("filing=referral")]));
    expect(e).toBeInstanceOf(DiagnosticsError);
    expect((e as DiagnosticsError).exit).toBe(4);
    expect((e as DiagnosticsError).diagnostics[0]).toMatchObject({ file: "broken.yaml", line: 6, path: "costs.classA" });
  });
});
