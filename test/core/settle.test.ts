import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ClaimRejectedError, RuleGapError } from "../../src/core/errors.js";
import { settle } from "../../src/core/settle.js";
import type { Settlement } from "../../src/core/settlement.js";
import { toNumber } from "../../src/core/rate.js";
import { claim, compileDir, ROOT, seedClaim, shippedRules } from "../helpers.js";

const rules = shippedRules();
const run = (over: Record<string, unknown> = {}): Settlement => settle(seedClaim(over), rules);
/** fund + personal = total, and the personal parts add up to personal. */
function addsUp(s: Settlement): void {
  expect(s.fund + s.personal).toBe(s.total);
  expect(s.excluded + s.prepay + s.routePrepay + s.deductible + s.copay + s.overCap).toBe(s.personal);
}

describe("the seed example (工人日报 2024): 10,000 above the deductible", () => {
  // 常德 employee, level 3: deductible 1,100, ratio 85%; class A 11,100 → 10,000 above the deductible.
  const zone = run();
  const referral = run({ route: "referral" });
  const unfiled = run({ route: "unfiled" });

  it("settles in the 宜昌 ↔ 常德 zone as local: 10,000 × 85% = 8,500", () => {
    expect(zone.route).toBe("zone");
    expect(zone.deductible).toBe(110_000);
    expect(zone.fund).toBe(850_000);
    expect(zone.personal).toBe(260_000); // 1,100 deductible + 1,500 co-pay
    addsUp(zone);
  });

  it("pays 500 more in the zone than on referral: 10,000 × (85% − 80%)", () => {
    expect(referral.fund).toBe(800_000); // 10,000 × 80%
    expect(zone.fund - referral.fund).toBe(50_000);
    expect(referral.reduction).toEqual({ mechanism: "points", rate: { num: 1, den: 20 }, amount: 50_000 });
  });

  it("pays 1,000 more in the zone than unfiled: 10,000 × (85% − 75%)", () => {
    expect(unfiled.fund).toBe(750_000); // 10,000 × 75%
    expect(zone.fund - unfiled.fund).toBe(100_000);
    expect(unfiled.reduction.amount).toBe(100_000);
  });

  it("derives the same referral and unfiled figures for a stay in 武汉 outside the zone", () => {
    const wuhan = { treatment: { region: "420100" } };
    expect(run({ ...wuhan, filing: "referral" }).fund).toBe(800_000);
    expect(run({ ...wuhan, filing: "none" }).fund).toBe(750_000);
    expect(run({ ...wuhan, filing: "none" }).route).toBe("unfiled");
  });

  it("settles an emergency with filing: none as emergency (deemed filed), −5 points: 8,000", () => {
    const s = run({ treatment: { region: "420100", emergency: true }, filing: "none" });
    expect(s.route).toBe("emergency");
    expect(s.fund).toBe(800_000);
  });

  it("warns that the zone pair is unverified", () => {
    expect(zone.warnings.map((w) => w.code)).toContain("unverified-figure");
    expect(zone.figures.some((f) => f.name === "zones.yichang-changde" && f.confidence === "unverified")).toBe(true);
  });
});

describe("routes", () => {
  it("long-term residents keep the full ratio: 8,500", () => {
    const s = run({ treatment: { region: "420100" }, filing: "long-term" });
    expect([s.route, s.fund]).toEqual(["long-term", 850_000]);
  });
  it("other filed temporary patients lose 10 points in Hunan: 10,000 × 75% = 7,500", () => {
    const s = run({ treatment: { region: "420100" }, filing: "temporary" });
    expect([s.route, s.fund]).toEqual(["temporary", 750_000]);
  });
  it("an emergency overrides a temporary filing (−5, not −10): 8,000", () => {
    const s = run({ treatment: { region: "420100", emergency: true }, filing: "temporary" });
    expect([s.route, s.fund]).toEqual(["emergency", 800_000]);
  });
  it("a zone applies to inpatient stays only: outpatient care in 宜昌 follows the filing", () => {
    const c = seedClaim({ treatment: { kind: "chronic", disease: "hypertension" }, filing: "referral" });
    const s = settle(c, rules);
    expect(s.route).toBe("referral");
    // Hunan's chronic figures: no deductible, 80% − 5 points = 75%: 11,100 × 75% = 8,325
    expect(s.fund).toBe(832_500);
  });
  it("same pooling region is local, same province is in-province (no reduction, with a warning)", () => {
    const local = run({ treatment: { region: "430702" } }); // 武陵区, in 常德
    expect([local.route, local.fund]).toEqual(["local", 850_000]);
    const inProv = run({ treatment: { region: "430100" } }); // 长沙
    expect([inProv.route, inProv.fund]).toEqual(["in-province", 850_000]);
    expect(inProv.warnings.map((w) => w.code)).toContain("in-province");
  });
  it("a zone pair matches counties of its prefectures: 武陵区 (常德) → 夷陵区 (宜昌) is in the zone", () => {
    const s = run({ insured: { region: "430702" }, treatment: { region: "420506" } });
    expect(s.route).toBe("zone");
  });
  it("the zone is not in force before 2024-07-01: the same stay on 2024-06-30 is unfiled", () => {
    expect(run({ date: "2024-06-30" }).route).toBe("unfiled");
  });
});

describe("deductible", () => {
  it("halves it from the 2nd admission: (11,100 − 550) × 85% = 8,967.50", () => {
    const s = run({ history: { admissions: 1 } });
    expect(s.deductible).toBe(55_000);
    expect(s.fund).toBe(896_750);
    // The 大病保险 base accumulates: 11,100 − 8,967.50 = 2,132.50.
    expect(s.ledger).toEqual({ fundPaid: 896_750, admissions: 2, deductiblePaid: 55_000, outpatient: { fundPaid: 0, deductiblePaid: 0 }, chronic: { fundPaid: 0, deductiblePaid: 0 }, criticalIllness: { base: 213_250, paid: 0 } });
  });
  it("stops at the annual ceiling: 2,000 − 1,650 paid leaves 350; (11,100 − 350) × 85% = 9,137.50", () => {
    const s = run({ history: { admissions: 3, deductiblePaid: 1650 } });
    expect(s.deductible).toBe(35_000);
    expect(s.fund).toBe(913_750);
  });
  it("is not more than the in-policy amount: 800 of class A against 1,100 → fund 0, person pays 800", () => {
    const s = run({ costs: { classA: 800 } });
    expect([s.deductible, s.fund, s.personal]).toEqual([80_000, 0, 80_000]);
  });
  it("follows Wuhan's table: no halving in community centres", () => {
    const c = { insured: { region: "420100" }, treatment: { region: "430700", level: "community" }, filing: "long-term", history: { admissions: 2 } };
    const s = run(c);
    // Wuhan employee, community: deductible 200 (factor 1), ratio 92%: (11,100 − 200) × 92% = 10,028
    expect([s.route, s.deductible, s.fund]).toEqual(["long-term", 20_000, 1_002_800]);
  });
  it("takes Hubei's unverified 20% prepay from an unfiled Wuhan employee first: (11,100 − 2,220 − 200) × 92% = 7,985.60", () => {
    const s = run({ insured: { region: "420100" }, treatment: { region: "430700", level: "community" } });
    expect([s.route, s.routePrepay, s.deductible, s.fund]).toEqual(["unfiled", 222_000, 20_000, 798_560]);
  });
});

describe("ratio", () => {
  it("adds 2 points for Hunan retirees: 10,000 × 87% = 8,700", () => {
    const s = run({ insured: { retired: true } });
    expect(toNumber(s.ratio)).toBe(0.87);
    expect(s.fund).toBe(870_000);
  });
  it("multiplies a Wuhan retiree's co-pay by 0.8: (11,100 − 800) × 88.8% = 9,146.40", () => {
    // 1 − 0.8 × (1 − 0.86) = 0.888; 10,300 × 0.888 = 9,146.40 (long-term: no reduction)
    const s = run({ insured: { region: "420100", retired: true }, treatment: { region: "430700" }, filing: "long-term" });
    expect(toNumber(s.ratio)).toBe(0.888);
    expect(s.fund).toBe(914_640);
  });
  it("pays class B at Yichang's own ratio: deductible off class A first; 2,000 × 60% + 2,000 × 50% = 2,200", () => {
    const c = {
      insured: { region: "420500", scheme: "resident" },
      treatment: { region: "430700" },
      costs: undefined,
      items: [
        { name: "甲类", class: "A", amount: 3000 },
        { name: "乙类", class: "B", amount: 2000, prepay: 0 },
      ],
    };
    const s = run(c);
    // in policy 5,000; deductible 1,000 off A: A 2,000 × 60% + B 2,000 × 50% = 1,200 + 1,000
    expect([s.route, s.deductible, s.fund]).toEqual(["zone", 100_000, 220_000]);
    addsUp(s);
  });
});

describe("in policy", () => {
  it("takes Wuhan's 10% class B prepay: 5,000 A + 3,000 B + 500 excluded on referral", () => {
    const s = run({ treatment: { region: "420100" }, filing: "referral", costs: { classA: 5000, classB: 3000, excluded: 500 } });
    // prepay 3,000 × 10% = 300; in policy 5,000 + 2,700 = 7,700; (7,700 − 1,100) × 80% = 5,280
    expect([s.prepay, s.inPolicy, s.fund]).toEqual([30_000, 770_000, 528_000]);
    // person: 500 + 300 + 1,100 + 1,320 co-pay = 3,220
    expect(s.personal).toBe(322_000);
    addsUp(s);
  });
  it("rounds the prepay per line: 312.25 × 10% = 31.225 → 31.23 and 1,250.50 × 10% = 125.05", () => {
    const s = run({
      treatment: { region: "420100" },
      filing: "referral",
      costs: undefined,
      items: [
        { name: "a", class: "B", amount: "1250.50" },
        { name: "b", class: "B", amount: "312.25" },
      ],
    });
    expect(s.lines?.map((l) => l.prepay)).toEqual([12_505, 3_123]);
    expect(s.prepay).toBe(15_628);
  });
});

describe("route prepay (先行自付 mechanism, 荆州)", () => {
  it("takes 10% of the in-policy amount before the deductible on referral", () => {
    const s = run({ insured: { region: "421000", scheme: "resident" }, treatment: { region: "430100" }, filing: "referral" });
    // 荆州 resident level 3: deductible 1,200, ratio 65%. Prepay 11,100 × 10% = 1,110;
    // (11,100 − 1,110 − 1,200) × 65% = 8,790 × 0.65 = 5,713.50; without it 9,900 × 65% = 6,435
    expect([s.routePrepay, s.deductible, s.fund]).toEqual([111_000, 120_000, 571_350]);
    expect(s.reduction).toEqual({ mechanism: "prepay", rate: { num: 1, den: 10 }, amount: 72_150 });
    addsUp(s);
  });
});

describe("annual cap", () => {
  it("pays only what is left of the cap: 150,000 − 145,000 = 5,000; 3,500 over the cap", () => {
    const s = run({ history: { fundPaid: 145000 } });
    expect([s.fundBeforeCap, s.fund, s.overCap]).toEqual([850_000, 500_000, 350_000]);
    addsUp(s);
  });
  it("pays nothing once the cap is reached", () => {
    const s = run({ history: { fundPaid: 150000 } });
    expect([s.fund, s.overCap]).toEqual([0, 850_000]);
  });
});

describe("the national worked example E1 (domain.md §5), from a fixture rule set", () => {
  it("廊坊 retiree in 北京: 64.29 → fund 48.89", () => {
    const fixture = compileDir(join(ROOT, "test/fixtures/e1-langfang-beijing")).rules!;
    const s = settle(
      claim({
        date: "2022-07-01",
        insured: { region: "廊坊市", scheme: "employee", retired: true },
        treatment: { region: "110100", level: 3, kind: "chronic", disease: "diabetes" },
        filing: "long-term",
        items: [
          { name: "阿卡波糖片", class: "A", amount: 32.52 },
          { name: "瑞格列奈片", class: "B", amount: 31.77 },
        ],
      }),
      fixture,
    );
    // prepay 31.77 × 10% = 3.177 → 3.18; in scope 32.52 + 28.59 = 61.11; 61.11 × 80% = 48.888 → 48.89
    expect([s.total, s.prepay, s.inPolicy, s.deductible, s.fund]).toEqual([6_429, 318, 6_111, 0, 4_889]);
    expect(s.personal).toBe(1_540); // 3.18 prepay + 12.22 co-pay
    addsUp(s);
  });
});

describe("chronic outpatient diseases (5+15)", () => {
  const chronic = (disease: string, date: string) =>
    seedClaim({ date, treatment: { region: "420100", kind: "chronic", disease }, filing: "long-term" });
  it("refuses 肝硬化 before the Hunan–Hubei list is in force, naming the lists", () => {
    expect(() => settle(chronic("cirrhosis", "2025-03-01"), rules)).toThrow(ClaimRejectedError);
    expect(() => settle(chronic("cirrhosis", "2025-03-01"), rules)).toThrow(/liver cirrhosis \(肝硬化\).*national-5.*national-plus-5/);
  });
  it("settles 肝硬化 from 2025-07-01 (list of 15, 11 unknown): no deductible, 11,100 × 80% = 8,880", () => {
    expect(settle(chronic("cirrhosis", "2025-08-01"), rules).fund).toBe(888_000);
  });
  it("accepts the Chinese name of a disease", () => {
    expect(settle(chronic("高血压", "2025-03-01"), rules).route).toBe("long-term");
  });
  it("suggests the closest id for a misspelt disease", () => {
    try {
      settle(chronic("hypertensoin", "2025-03-01"), rules);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ClaimRejectedError);
      expect((e as ClaimRejectedError).path).toEqual(["treatment", "disease"]);
      expect((e as ClaimRejectedError).hint).toBe("did you mean hypertension?");
    }
  });
});

describe("regions", () => {
  it("resolve by code, full name or short name", () => {
    for (const region of ["430700", "常德市", "常德"]) expect(run({ insured: { region } }).insured.region).toBe("430700");
  });
  it("refuse a province and an unknown name", () => {
    expect(() => run({ insured: { region: "430000" } })).toThrow(/not a pooling region/);
    expect(() => run({ insured: { region: "常徳市" } })).toThrow(/unknown region/);
  });
});

/** The rule gap `run(over)` throws. */
function gap(over: Record<string, unknown>): RuleGapError {
  try {
    run(over);
  } catch (e) {
    if (e instanceof RuleGapError) return e;
    throw e;
  }
  throw new Error("settled: no rule gap");
}

describe("rule gaps name every missing figure at once, and the file each belongs in", () => {
  it("a Hubei city without figures (荆门): all three figures, and the city's own file to create", () => {
    const e = gap({ insured: { region: "420800" }, treatment: { region: "430100" }, filing: "referral" });
    expect(e.message).toBe("no employee inpatient deductible (起付线), employee inpatient ratio (支付比例) and employee inpatient annual cap (最高支付限额) for 荆门市 (420800) in force on 2025-03-09");
    // Not the province's file: a figure there would hold for every Hubei city without figures of its own.
    expect(e.hint).toBe('create rules/hubei/jingmen.yaml (region: "420800") with `employee.inpatient.deductible`, `employee.inpatient.ratio` and `employee.inpatient.annualCap`, each with a version dated on or before 2025-03-09 (`reimburse rules new-region 420800 -o rules/hubei/jingmen.yaml` writes its skeleton)');
  });
  it("a city with a file but without the figures (黄冈: its reductions only): the figures, to add to its file", () => {
    const e = gap({ insured: { region: "421100" }, treatment: { region: "430100" }, filing: "referral" });
    expect(e.hint).toBe("add `employee.inpatient.deductible`, `employee.inpatient.ratio` and `employee.inpatient.annualCap`, each with a version dated on or before 2025-03-09, to rules/hubei/huanggang.yaml");
  });
  it("a missing class B share and missing policy figures together, each with its place's file", () => {
    // 黄石 (no figures) treated in 长沙 (no class B share): one message for both places.
    const e = gap({ insured: { region: "黄石市" }, treatment: { region: "430100" }, filing: "referral", costs: { classA: 100, classB: 100 } });
    expect(e.message).toMatch(/^no 乙类先行自付 share \(class B prepay\) of the treatment place for 长沙市 \(430100\); and no employee inpatient deductible .* for 黄石市 \(420200\) in force on 2025-03-09$/);
    expect(e.hint).toMatch(/^create rules\/hunan\/changsha\.yaml \(region: "430100"\) with `catalogue\.classBPrepay`.*; create rules\/hubei\/huangshi\.yaml \(region: "420200"\) with `employee\.inpatient\.deductible`/);
  });
  it("a level missing from a table (恩施 level 3 is not shipped): the table to add it to", () => {
    const e = gap({ insured: { region: "422800" }, treatment: { region: "430100" }, filing: "referral" });
    expect(e.message).toMatch(/no employee inpatient deductible \(起付线\) and employee inpatient ratio \(支付比例\) for 恩施土家族苗族自治州 \(422800\).*its table of 2024-01-01 in rules\/hubei\/enshi\.yaml has no level 3/);
    expect(e.hint).toBe('add level "3" to `employee.inpatient.deductible` at rules/hubei/enshi.yaml:16; add level "3" to `employee.inpatient.ratio` at rules/hubei/enshi.yaml:20');
  });
  it("a date before the first version (a local stay reaches the deductible)", () => {
    expect(() => run({ date: "2022-12-31", treatment: { region: "430702" } })).toThrow(/in force on 2022-12-31 \(.*first version 2023-01-06/);
  });
  it("a reduction not yet in force (Hunan's are dated 2024-06-01)", () => {
    expect(() => run({ date: "2024-05-31", filing: "referral", treatment: { region: "420100" } })).toThrow(
      "no reduction for the referral route for 常德市 (430700) in force on 2024-05-31 (first version 2024-06-01, after the claim date)",
    );
  });
  it("figures that start after the date: the hint sends the earlier version to the file that holds the first, not to a new city file", () => {
    const e = gap({ date: "2019-03-09", filing: "referral", treatment: { region: "420100" } });
    expect(e.hint).toBe(
      "add an earlier version, dated on or before 2019-03-09, of `reductions.referral`, `employee.inpatient.deductible`, `employee.inpatient.ratio` and `employee.inpatient.annualCap` to rules/hunan/province.yaml",
    );
    expect(e.zh?.hint).toBe("在 rules/hunan/province.yaml 中为 `reductions.referral`、`employee.inpatient.deductible`、`employee.inpatient.ratio`和`employee.inpatient.annualCap` 各添加一个不晚于 2019-03-09 的更早版本");
  });
  it("a class B share the treatment place does not publish (常德)", () => {
    expect(() => run({ insured: { region: "420100" }, treatment: { region: "430700" }, costs: { classA: 100, classB: 100 } })).toThrow(/乙类先行自付 share .* for 常德市/);
  });
});
