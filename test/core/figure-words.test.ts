/** The Chinese names of figures in messages (src/core/figure-words.ts). */
import { describe, expect, it } from "vitest";
import { figureZh } from "../../src/core/figure-words.js";
import { shippedRules } from "../helpers.js";

describe("figureZh", () => {
  const rules = shippedRules();
  it("a scheme's figure: the scheme and kind as rules/national.yaml names them, then the figure", () => {
    expect(figureZh(rules, "employee.inpatient.deductible")).toBe("职工医保住院起付线");
    expect(figureZh(rules, "resident.chronic.annualCap")).toBe("城乡居民医保门诊慢特病年度最高支付限额");
    expect(figureZh(rules, "employee.outpatient.deductibleCeiling")).toBe("职工医保普通门诊年度起付线累计上限");
    expect(figureZh(rules, "employee.criticalIllness.threshold")).toBe("职工医保大病保险起付标准");
  });
  it("a route's reduction by the route's name; the treatment place's class B share; the chronic lists", () => {
    expect(figureZh(rules, "reductions.referral")).toBe("异地转诊降低支付比例");
    expect(figureZh(rules, "catalogue.classBPrepay")).toBe("就医地乙类先行自付比例");
    expect(figureZh(rules, "chronicLists")).toBe("跨省门诊慢特病病种目录");
  });
  it("a part it has no word for stays as written", () => {
    expect(figureZh(rules, "employee.inpatient.somethingNew")).toBe("职工医保住院somethingNew");
  });
});
