import { describe, expect, it } from "vitest";
import { cli } from "../helpers.js";

const ZONE = "examples/zone-changde-yichang.yaml"; // 常德 employee, level 3 in 宜昌 (zone), class A 11,100
const REFERRAL = "examples/referral-changde-wuhan.yaml"; // the same stay in 武汉, filed referral
const payable = async (...args: string[]) => {
  const r = await cli(["calc", ...args, "--format", "json", "--quiet"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { id?: string; payable: number; personal: number; route: string; routeForced: boolean; breakdown: { ratio: number; deductible: number }; warnings: { code: string }[] };
};

describe("reimburse calc --set path=value", () => {
  it("treatment.level=2 settles at level 2: (11,100 − 800) × 90% = 9,270", async () => {
    const j = await payable(ZONE, "--set", "treatment.level=2");
    expect([j.payable, j.breakdown.deductible, j.breakdown.ratio]).toEqual([9270, 800, 0.9]);
  });
  it("filing=none on the 武汉 referral: unfiled, 85% − 10 points: 10,000 × 75% = 7,500", async () => {
    expect((await payable(REFERRAL, "--set", "filing=none")).payable).toBe(7500);
  });
  it("insured.retired=true adds the Hunan retiree 2 points: 10,000 × 87% = 8,700 in the zone", async () => {
    expect((await payable(ZONE, "--set", "insured.retired=true")).payable).toBe(8700);
  });
  it("id=007 keeps the id as written (an insurance number with leading zeros), not the number 7", async () => {
    expect((await payable(ZONE, "--set", "id=007")).id).toBe("007");
    expect((await payable(ZONE, "--set", "treatment.level=三级")).payable).toBe(8500); // an alias of level 3
  });
  it("applies several overrides in order (the last one wins)", async () => {
    // referral at level 1: (11,100 − 500) × (92% − 5) = 10,600 × 87% = 9,222
    const j = await payable(REFERRAL, "--set", "treatment.level=2", "--set", "treatment.level=1");
    expect(j.payable).toBe(9222);
  });
  it("an emergency counts as filed: treatment.emergency=true on the unfiled claim pays 10,000 × 80% = 8,000", async () => {
    const j = await payable("examples/unfiled-changde-wuhan.yaml", "--set", "treatment.emergency=true");
    expect([j.route, j.payable]).toEqual(["emergency", 8000]);
  });
  it("an empty value removes the field: filing= → no filing given, settled unfiled (7,500) with a warning", async () => {
    const r = await cli(["calc", REFERRAL, "--set", "filing=", "-f", "json"]);
    expect(JSON.parse(r.stdout)).toMatchObject({ route: "unfiled", payable: 7500 });
    expect(r.stderr).toContain(`warning: ${REFERRAL}: no filing given: settled as unfiled`);
  });
  it("route=referral is a what-if inside the zone: 8,000, flagged routeForced", async () => {
    const j = await payable(ZONE, "--set", "route=referral");
    expect([j.route, j.routeForced, j.payable]).toEqual(["referral", true, 8000]);
  });
  it("costs are yuan like in the file: costs.classA=5100.50 → (5,100.50 − 1,100) × 85% = 3,400.425 → 3,400.43", async () => {
    expect((await payable(ZONE, "--set", "costs.classA=5100.50")).payable).toBe(3400.43);
  });
  it("applies to every claim of the call, and to standard input", async () => {
    const r = await cli(["calc", ZONE, "-", "--set", "treatment.level=2", "-f", "json", "--fields", "payable", "-q"], {
      stdin: 'date: 2025-03-09\ninsured: {region: "430700", scheme: employee}\ntreatment: {region: "420100", level: 3, kind: inpatient}\nfiling: referral\ncosts: {classA: 11100}\n',
    });
    // zone level 2: 9,270; 武汉 referral level 2: 10,300 × 85% = 8,755
    expect(JSON.parse(r.stdout)).toEqual([{ payable: 9270 }, { payable: 8755 }]);
  });
});

describe("reimburse calc --set: the command line is wrong → exit 2 naming the path", () => {
  it.each([
    ["treatment.levle=2", '--set treatment.levle=2: unknown claim field "treatment.levle": treatment has no field "levle"; its fields: region, hospital, level, kind, disease, emergency (did you mean "treatment.level"?)'],
    ["level=2", /unknown claim field "level": a claim has no field "level".*\(did you mean "treatment.level"\?\)/],
    ["insured.retired=yes", "invalid value for insured.retired (--set insured.retired=yes): must be true or false"],
    ["filing=nope", 'invalid value for filing (--set filing=nope): unknown filing "nope"; one of: long-term, referral, emergency, temporary, none (did you mean none?)'],
    ["costs.classA=-5", "invalid value for costs.classA (--set costs.classA=-5): must be ≥ 0, got -5"],
    ["date=2025-02-30", "invalid value for date (--set date=2025-02-30): is not a calendar date: 2025-02-30"],
    // No guess: "9" shares nothing with any level ("did you mean 1?" misled).
    ["treatment.level=9", /invalid value for treatment.level \(--set treatment.level=9\): unknown hospital level "9"; one of: 1, 2, 3, community, provincial \(or 一级, 二级, 三级, 基层, 省部属\)$/m],
    ["treatment.region=火星", /invalid value for treatment.region \(--set treatment.region=火星\): unknown region "火星"/],
    ["treatment.kind=chronic", "treatment.disease: is required when kind is chronic (an id from the disease catalogue) (after --set treatment.kind=chronic)"],
    ["insured", '--set insured: expected path=value (e.g. treatment.level=2), got "insured"'],
    ["items[0].amount=3", "--set items[0].amount=3: items is not in the claim, so items[0].amount cannot be set"],
  ])("--set %s", async (set, message) => {
    const r = await cli(["calc", ZONE, "--set", set]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    if (typeof message === "string") expect(r.stderr).toBe(`error: ${message}\n`);
    else expect(r.stderr).toMatch(message);
  });

  it("a claim file's own problem stays exit 4, located in the file", async () => {
    const r = await cli(["calc", "-", "--set", "filing=none"], { stdin: 'date: 2025-03-09\ninsured: {region: "430700", scheme: employee}\ntreatment: {region: "420500", level: 3, kind: inpatient}\ncosts: {classA: 1.234}\n' });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^<stdin>:4:17 error invalid-value costs.classA: has 3 decimals/);
  });
});
