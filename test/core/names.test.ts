/** Names people type: a bare city name, and "did you mean" only when the guess keeps something of the word. */
import { describe, expect, it } from "vitest";
import { regionsNamed } from "../../src/core/regions.js";
import { closest } from "../../src/core/suggest.js";
import { shippedRules } from "../helpers.js";

describe("region names", () => {
  const rules = shippedRules();
  const codes = (name: string) => regionsNamed(rules, name).map((r) => `${r.name} ${r.code}`);
  it("a bare city name means the city, not the county or district of the same name", () => {
    expect(codes("长沙")).toEqual(["长沙市 430100"]); // not 长沙县
    expect(codes("荆州")).toEqual(["荆州市 421000"]); // not 荆州区
    expect(codes("常德")).toEqual(["常德市 430700"]);
  });
  it("a full name is exact, and a county is found by its own name", () => {
    expect(codes("长沙县")).toEqual(["长沙县 430121"]);
    expect(codes("荆州区")).toEqual(["荆州区 421003"]);
  });
});

describe("did you mean", () => {
  it("suggests a near miss", () => {
    expect(closest("referal", ["referral", "emergency"])).toBe("referral");
    expect(closest("三甲", ["一级", "二级", "三级"])).toBe("三级");
    expect(closest("employe", ["employee", "resident"])).toBe("employee");
  });
  it("keeps quiet when the guess would share nothing with the word", () => {
    expect(closest("4", ["1", "2", "3", "community"])).toBeUndefined();
    expect(closest("宜宾", ["房县", "宜昌市"])).toBeUndefined();
  });
});
