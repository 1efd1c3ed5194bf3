/**
 * Hospital levels by alias (rules/national.yaml `aliases`): 三级 is level 3,
 * settles as 3 and is shown as 3; an alias naming two levels is a rules error.
 */
import { describe, expect, it } from "vitest";
import { compileRules } from "../../src/rules/compile.js";
import { readRuleTexts } from "../../src/rules/load.js";
import { settle } from "../../src/core/settle.js";
import { ClaimRejectedError } from "../../src/core/errors.js";
import type { Claim } from "../../src/claims/schema.js";
import { join } from "node:path";
import { ROOT } from "../helpers.js";

const texts = readRuleTexts(join(ROOT, "rules"));
const rules = compileRules(texts).rules!;
// The seed zone claim: 常德 employee in 宜昌, inside the zone.
const claim = (level: string): Claim => ({
  date: "2025-03-09",
  insured: { region: "430700", scheme: "employee", retired: false },
  treatment: { region: "420500", level, kind: "inpatient", emergency: false },
  costs: { classA: 1_110_000, classB: 0, excluded: 0 },
  history: { fundPaid: 0, admissions: 0, deductiblePaid: 0, outpatient: { fundPaid: 0, deductiblePaid: 0 }, chronic: { fundPaid: 0, deductiblePaid: 0 }, criticalIllness: { base: 0, paid: 0 } },
});

describe("hospital levels", () => {
  it("三级 settles as level 3: (11,100 − 1,100) × 85% = 8,500, shown as level 3", () => {
    const [byId, byAlias] = [settle(claim("3"), rules), settle(claim("三级"), rules)];
    expect(byAlias.fund).toBe(850_000);
    expect(byAlias.treatment.level).toBe("3");
    expect(byAlias).toEqual(byId);
  });

  it("an unknown level lists the ids and aliases, and suggests the nearest", () => {
    expect(() => settle(claim("三甲"), rules)).toThrow(ClaimRejectedError);
    expect(() => settle(claim("三甲"), rules)).toThrow(/unknown hospital level "三甲"; one of: 1, 2, 3, community, provincial \(or 一级, 二级, 三级, 基层, 省部属\)/);
    try {
      settle(claim("三甲"), rules);
    } catch (e) {
      expect((e as ClaimRejectedError).hint).toBe("did you mean 三级?");
    }
  });

  it("an alias that names two levels (or is another level's id) is a located duplicate-definition", () => {
    const broken = texts.map((t) => (t.file.endsWith("national.yaml") ? { ...t, text: t.text.replace("aliases: [二级]", "aliases: [三级, '1']") } : t));
    const national = broken.find((t) => t.file.endsWith("national.yaml"))!;
    const lineOf = (s: string) => national.text.split("\n").findIndex((l) => l.includes(s)) + 1;
    const ds = compileRules(broken).diagnostics.filter((d) => d.code === "duplicate-definition");
    // Levels are read in file order: level 2 now claims 三级 first, so level 3's own alias is the duplicate.
    expect(ds.map((d) => [d.path, d.line, d.message])).toEqual([
      ["levels.2.aliases[1]", lineOf("aliases: [三级, '1']"), "level 1 is already defined in rules/national.yaml"],
      ["levels.3.aliases[0]", lineOf('"3": {'), "level 三级 is already defined in rules/national.yaml"],
    ]);
  });
});
