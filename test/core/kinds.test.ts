/**
 * Claims real bills carry (issue "Settle the claims that real bills carry"):
 * the bill's own class B prepay, outpatient and chronic care with accounts of
 * their own, a kind counted in the inpatient cap, retirees' own figures, and
 * the warnings of a claim's dates. Every figure is the shipped rules', worked
 * out by hand in the comment above the assertion.
 */
import { describe, expect, it } from "vitest";
import { settle } from "../../src/core/settle.js";
import { explain } from "../../src/core/explain.js";
import { claim, shippedRules } from "../helpers.js";

const rules = shippedRules();
const wuhanInChangsha = (costs: Record<string, number>) =>
  claim({ date: "2025-06-01", insured: { region: "420100", scheme: "employee" }, treatment: { region: "430100", level: 3, kind: "inpatient" }, filing: "long-term", costs });
const outpatient = (over: Record<string, unknown> = {}) =>
  claim({ date: "2025-06-01", insured: { region: "430700", scheme: "employee" }, treatment: { region: "420100", level: 3, kind: "outpatient" }, filing: "long-term", costs: { classA: 1300 }, ...over });

describe("the bill's class B prepay (costs.prepay)", () => {
  it("settles without the treatment place's share: (24,500 − 800) × 86% = 20,382; the person 5,618", () => {
    // In policy 20,000 + 5,000 − 500 = 24,500; 武汉 employee level 3: deductible 800, 86%.
    const s = settle(wuhanInChangsha({ classA: 20000, classB: 5000, prepay: 500, excluded: 1000 }), rules);
    expect([s.prepay, s.inPolicy, s.deductible, s.fund, s.personal]).toEqual([50_000, 2_450_000, 80_000, 2_038_200, 561_800]);
    expect(s.fund + s.personal).toBe(s.total);
    expect(explain(s).find((st) => st.id === "prepay")!.en).toBe("Class B prepay (乙类先行自付) as printed on the bill: 500.00");
  });
  it("without it, the gap names the share and both ways forward from the bill", () => {
    expect(() => settle(wuhanInChangsha({ classA: 20000, classB: 5000 }), rules)).toThrow(
      expect.objectContaining({ hint: expect.stringContaining("or give the 乙类先行自付 printed on the bill: costs.prepay, or items with prepay on each class B line") }),
    );
  });
  it("may be 0 and may not exceed class B", () => {
    // prepay 0: class B counts in full. (20,000 + 5,000 − 800) × 86% = 20,812.
    expect(settle(wuhanInChangsha({ classA: 20000, classB: 5000, prepay: 0 }), rules).fund).toBe(2_081_200);
    expect(() => wuhanInChangsha({ classA: 100, classB: 50, prepay: 60 })).toThrow("costs.prepay: is more than classB (60.00 > 50.00)");
  });
});

describe("outpatient care: an account of its own", () => {
  it("a 常德 employee's level-3 outpatient bill in 武汉: (1,300 − 300) × 60% = 600", () => {
    const s = settle(outpatient(), rules);
    expect([s.deductible, s.fund]).toEqual([30_000, 60_000]);
    // Into the outpatient account; the inpatient account (cap 150,000) is untouched.
    expect(s.ledger.outpatient).toEqual({ fundPaid: 60_000, deductiblePaid: 30_000 });
    expect([s.ledger.fundPaid, s.ledger.deductiblePaid, s.ledger.admissions]).toEqual([0, 0, 0]);
  });
  it("the yearly outpatient deductibles stop at 300: 300 − 200 paid leaves 100; (1,300 − 100) × 60% = 720", () => {
    const s = settle(outpatient({ history: { outpatient: { deductiblePaid: 200 } } }), rules);
    expect([s.deductible, s.fund]).toEqual([10_000, 72_000]);
    expect(explain(s).find((st) => st.id === "deductible")!.en).toContain("annual deductible ceiling 300.00 − paid (outpatient account) 200.00 leaves 100.00, so that much");
  });
  it("the inpatient ceiling does not limit it: 2,000 of inpatient deductibles paid, the outpatient 300 is still due", () => {
    expect(settle(outpatient({ history: { deductiblePaid: 2000 } }), rules).deductible).toBe(30_000);
  });
  it("a retiree's cap is 2,000 at the same 60%: 1,900 paid leaves 100 of the 600", () => {
    const s = settle(outpatient({ insured: { region: "430700", scheme: "employee", retired: true }, history: { outpatient: { fundPaid: 1900 } } }), rules);
    expect([s.ratio, s.fundBeforeCap, s.fund, s.overCap]).toEqual([{ num: 3, den: 5 }, 60_000, 10_000, 50_000]);
    expect(s.trace.policy.ratio.retiree).toBe("own");
  });
  it("provincial hospitals have no outpatient figures in the source: a gap naming the tables", () => {
    expect(() => settle(outpatient({ treatment: { region: "420100", level: "provincial", kind: "outpatient" } }), rules)).toThrow(/employee outpatient deductible \(起付线\).*has no level provincial/);
  });
});

describe("chronic care counted in the inpatient cap (countsIn)", () => {
  const chronic = (over: Record<string, unknown> = {}) =>
    claim({ date: "2025-08-01", insured: { region: "430700", scheme: "employee" }, treatment: { region: "420100", level: 3, kind: "chronic", disease: "cirrhosis" }, filing: "long-term", costs: { classA: 2000 }, ...over });
  it("no deductible, 80% in service: 2,000 × 80% = 1,600, into the chronic account and the inpatient cap's", () => {
    const s = settle(chronic({ history: { fundPaid: 5000 } }), rules);
    expect([s.deductible, s.fund]).toEqual([0, 160_000]);
    expect(s.ledger.chronic.fundPaid).toBe(160_000);
    expect(s.ledger.fundPaid).toBe(500_000 + 160_000);
  });
  it("what the inpatient cap leaves caps it: 150,000 − 149,500 = 500 of the 1,600", () => {
    const s = settle(chronic({ history: { fundPaid: 149500 } }), rules);
    expect([s.fund, s.overCap]).toEqual([50_000, 110_000]);
    expect(explain(s).find((st) => st.id === "cap")!.en).toBe("Counted in the inpatient annual cap 150,000.00 − paid this year 149,500.00 = 500.00 left: 1,100.00 over the cap is borne by the person");
  });
  it("a retiree's own ratio is 85%, not 80% + 2 points: 2,000 × 85% = 1,700", () => {
    expect(settle(chronic({ insured: { region: "430700", scheme: "employee", retired: true } }), rules).fund).toBe(170_000);
  });
  it("before 2024 Hunan's chronic care followed its inpatient figures (settleAs), in the inpatient account", () => {
    // 2023-03-01: no cirrhosis list yet, so a national-5 disease. Level 3 deductible 1,100, 85%, no reduction (long-term).
    // (2,000 − 1,100) × 85% = 765; the deductible goes to the inpatient account.
    const s = settle(chronic({ date: "2023-03-01", treatment: { region: "420100", level: 3, kind: "chronic", disease: "hypertension" } }), rules);
    expect([s.deductible, s.fund, s.ledger.deductiblePaid, s.ledger.chronic.fundPaid]).toEqual([110_000, 76_500, 110_000, 0]);
  });
});

describe("the warnings of a claim's dates", () => {
  it("a claim dated after today says so; one without today given does not", () => {
    const c = outpatient({ date: "2027-03-01" });
    expect(settle(c, rules, c.history, "2026-12-02").warnings.map((w) => w.code)).toEqual(["future-date"]);
    expect(settle(c, rules).warnings.map((w) => w.code)).toEqual([]);
  });
  it("a figure whose version in force is more than 5 years older than the claim is named", () => {
    // 2028-03-01 − 5 years = 2023-03-01; Hunan's outpatient figures are from 2022-10-01.
    const s = settle(outpatient({ date: "2028-03-01" }), rules);
    const w = s.warnings.find((x) => x.code === "stale-figure")!;
    expect(w.en).toMatch(/^depends on 4 figure\(s\) whose version in force took effect more than 5 years before 2028-03-01: employee.outpatient.deductible \(from 2022-10-01\), /);
  });
});
