import { describe, expect, it } from "vitest";
import { claimWith, type Override } from "../../src/claims/overrides.js";
import { readRaw } from "../../src/claims/input.js";
import { checkNames, namedScenario, routeScenarios, scenariosFile, varyScenarios, type Scenario } from "../../src/claims/scenarios.js";
import type { Route } from "../../src/core/model.js";
import { findRegion } from "../../src/core/regions.js";
import { decideRoute } from "../../src/core/route.js";
import { DiagnosticsError, UsageError } from "../../src/errors.js";
import { shippedRules } from "../helpers.js";

const sets = (ss: readonly Scenario[]) => ss.map((s) => [s.name, s.set.map((o) => `${o.path}=${JSON.stringify(o.value)}`).join(" ")]);

describe("varyScenarios", () => {
  it("makes one scenario per value, the value read as YAML", () => {
    expect(sets(varyScenarios(["treatment.level=1,2,community"]))).toEqual([
      ["level=1", "treatment.level=1"],
      ["level=2", "treatment.level=2"],
      ["level=community", 'treatment.level="community"'],
    ]);
  });
  it("crosses several --vary (2 × 2 = 4 scenarios), and names by full path when two paths end alike", () => {
    expect(varyScenarios(["filing=referral,none", "treatment.level=2,3"]).map((s) => s.name)).toEqual([
      "filing=referral level=2",
      "filing=referral level=3",
      "filing=none level=2",
      "filing=none level=3",
    ]);
    expect(varyScenarios(["insured.region=430700", "treatment.region=420100,420500"]).map((s) => s.name)).toEqual([
      "insured.region=430700 treatment.region=420100",
      "insured.region=430700 treatment.region=420500",
    ]);
  });
  it("refuses a bad path (with a hint), a missing value list and a path given twice", () => {
    expect(() => varyScenarios(["treatment.levl=1,2"])).toThrow(/unknown claim field "treatment.levl".*did you mean "treatment.level"/);
    expect(() => varyScenarios(["treatment.level="])).toThrow(UsageError);
    expect(() => varyScenarios(["filing=none", "filing=referral"])).toThrow("--vary filing is given twice; list all its values in one --vary");
  });
});

describe("namedScenario", () => {
  it("reads name:path=value,path=value", () => {
    expect(sets([namedScenario("cheap:treatment.level=2,filing=referral")])).toEqual([["cheap", 'treatment.level=2 filing="referral"']]);
  });
  it("is named by its assignments when no name is given", () => {
    expect(namedScenario("treatment.level=2").name).toBe("treatment.level=2");
  });
  it("refuses a scenario with no assignment", () => {
    expect(() => namedScenario("empty:")).toThrow(UsageError);
  });
});

describe("scenariosFile", () => {
  it("reads a YAML list of {name, set}", () => {
    const text = "- name: retired\n  set: {insured.retired: true}\n- name: level 2 referral\n  set:\n    treatment.level: 2\n    filing: referral\n";
    expect(sets(scenariosFile("s.yaml", text))).toEqual([
      ["retired", "insured.retired=true"],
      ["level 2 referral", 'treatment.level=2 filing="referral"'],
    ]);
  });
  it("locates a misspelt key of the file (exit 2: the scenarios are command-line input)", () => {
    try {
      scenariosFile("s.yaml", "- name: a\n  sett: {filing: none}\n");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DiagnosticsError);
      expect((e as DiagnosticsError).exit).toBe(2);
      expect((e as DiagnosticsError).diagnostics.map((d) => [d.line, d.col, d.path, d.hint])).toEqual([
        [1, 3, "[0].set", undefined],
        [2, 3, "[0].sett", 'did you mean "set"?'],
      ]);
    }
  });
  it("names the scenario of a bad claim path", () => {
    expect(() => scenariosFile("s.yaml", "- name: a\n  set: {treatment.levle: 2}\n")).toThrow('s.yaml: scenario 1 (a): unknown claim field "treatment.levle"');
  });
});

describe("checkNames", () => {
  it("refuses two scenarios of one name, and the reserved name base", () => {
    expect(() => checkNames([namedScenario("a:filing=none"), namedScenario("a:filing=referral")])).toThrow('two scenarios are named "a"');
    expect(() => checkNames([namedScenario("base:filing=none")])).toThrow(/"base" names the claim as written/);
  });
});

describe("routeScenarios: every route the claim could take", () => {
  const rules = shippedRules();
  const scenariosOf = (text: string) => {
    const raw = readRaw("c.yaml", text);
    const routeOf = (set: readonly Override[]): Route => {
      const c = claimWith(raw, set);
      return c.route ?? decideRoute(rules, c, findRegion(rules, c.insured.region, []), findRegion(rules, c.treatment.region, [])).route;
    };
    const base = claimWith(raw, []);
    return routeScenarios(rules, base, routeOf([]), routeOf);
  };
  const claimIn = (treated: string, extra = "") =>
    `date: 2025-03-09\ninsured: {region: "430700", scheme: employee}\ntreatment: {region: "${treated}", level: 3, kind: inpatient${extra}}\nfiling: referral\ncosts: {classA: 11100}\n`;

  it("outside a zone (常德 → 武汉) changes the filing, and offers no zone", () => {
    expect(sets(scenariosOf(claimIn("420100")).scenarios)).toEqual([
      ["long-term", 'filing="long-term"'],
      ["emergency", 'filing="emergency"'],
      ["temporary", 'filing="temporary"'],
      ["unfiled", 'filing="none"'],
    ]);
  });
  it("inside the 宜昌 ↔ 常德 zone the filing changes nothing, so each route is a what-if (route=…)", () => {
    expect(sets(scenariosOf(claimIn("420500")).scenarios)).toEqual([
      ["long-term", 'route="long-term"'],
      ["referral", 'route="referral"'],
      ["emergency", 'route="emergency"'],
      ["temporary", 'route="temporary"'],
      ["unfiled", 'route="unfiled"'],
    ]);
  });
  it("for an emergency, not filing also means no emergency (an emergency counts as filed)", () => {
    const s = scenariosOf(claimIn("420100", ", emergency: true").replace("filing: referral", "filing: none")).scenarios;
    expect(sets(s)).toEqual([
      ["long-term", 'filing="long-term"'],
      ["referral", 'filing="referral"'],
      ["temporary", 'filing="temporary" treatment.emergency=false'],
      ["unfiled", 'filing="none" treatment.emergency=false'],
    ]);
  });
  it("offers a what-if zone when the claim forces another route inside the zone", () => {
    expect(sets(scenariosOf(claimIn("420500") + "route: unfiled\n").scenarios)[0]).toEqual(["zone", 'route="zone"']);
  });
  it("offers no cross-province route to a claim treated at home, and says so", () => {
    const r = scenariosOf(claimIn("430700"));
    expect(r.scenarios).toEqual([]);
    expect(r.notes[0]!.en).toMatch(/settled local: the cross-province routes do not apply/);
    expect(r.notes[0]!.zh).toBe("本结算单为本地就医：跨省结算路径不适用；其他选择请用 --vary 或 --scenario 比较");
  });
});
