/** src/core/vocabulary.ts: claim values by the names rules/national.yaml `values` gives them. */
import { describe, expect, it } from "vitest";
import { overridesWithIds, valueFieldAt, valueNameHint, withValueIds } from "../../src/core/vocabulary.js";
import { shippedRules } from "../helpers.js";

describe("withValueIds", () => {
  it("sets every enumerated field written by a name to its id, in place, blanks trimmed; leaves the rest as written", () => {
    const v = {
      insured: { scheme: " 职工医保 ", region: "常德" },
      treatment: { kind: "门诊慢特病", level: "三级" },
      filing: "转诊",
      route: "互认区域",
      items: [{ class: "乙类" }, { class: "丙类" }, { class: "A" }, { class: "甲" }, { class: 1 }],
    };
    expect(withValueIds(shippedRules(), v)).toBe(v);
    expect(v).toEqual({
      insured: { scheme: "employee", region: "常德" }, // a region is the core's to read (findRegion)
      treatment: { kind: "chronic", level: "三级" }, //   as is a level (findLevel)
      filing: "referral",
      route: "zone",
      items: [{ class: "B" }, { class: "excluded" }, { class: "A" }, { class: "甲" }, { class: 1 }], // unknown and non-text: for the schema to refuse
    });
  });
  it("a name of one field is not read in another: 未备案 is a filing (none) and a route (unfiled)", () => {
    const v = withValueIds(shippedRules(), { filing: "未备案", route: "未备案", insured: { scheme: "未备案" } });
    expect(v).toEqual({ filing: "none", route: "unfiled", insured: { scheme: "未备案" } });
  });
  it("anything but a mapping is left alone", () => {
    for (const v of [null, "职工", 3, undefined]) expect(withValueIds(shippedRules(), v)).toBe(v);
    expect(withValueIds(shippedRules(), { items: "乙类", insured: "职工" })).toEqual({ items: "乙类", insured: "职工" });
  });
});

describe("valueFieldAt, overridesWithIds, valueNameHint", () => {
  it("knows the enumerated fields by their paths", () => {
    expect(valueFieldAt(["items", 3, "class"])).toBe("class");
    expect(valueFieldAt(["insured", "scheme"])).toBe("scheme");
    expect(valueFieldAt(["items", "x", "class"])).toBeUndefined();
    expect(valueFieldAt(["treatment", "level"])).toBeUndefined();
  });
  it("--set filing=转诊 → referral; a number or another field unchanged", () => {
    const o = [{ segments: ["filing"], value: "转诊" }, { segments: ["treatment", "level"], value: "三级" }, { segments: ["items", 0, "class"], value: 1 }];
    expect(overridesWithIds(shippedRules(), o).map((x) => x.value)).toEqual(["referral", "三级", 1]);
  });
  it("the closest name for a Chinese value, none for an id's typo (the schema has that)", () => {
    expect(valueNameHint(shippedRules(), { insured: { scheme: "职工保险" } }, "insured.scheme")).toEqual({ en: "did you mean 职工医保?", zh: "是否指 职工医保？" });
    expect(valueNameHint(shippedRules(), { items: [{ class: "乙 类" }] }, "items[0].class")).toEqual({ en: "did you mean 乙类?", zh: "是否指 乙类？" });
    expect(valueNameHint(shippedRules(), { insured: { scheme: "employe" } }, "insured.scheme")).toBeUndefined();
    expect(valueNameHint(shippedRules(), { treatment: { level: "三級" } }, "treatment.level")).toBeUndefined();
  });
});

describe("the display names agree with the rules' names", () => {
  // Output labels (src/format/labels.ts, ROUTE_NAMES) are the formatter's; a claim reads the rules' names.
  // Until the labels come from the rules, they must say the same: what a table shows, a claim may write.
  it("scheme, kind, item class and route: the label's zh is the value's zh name in rules/national.yaml", async () => {
    const { SCHEME_NAMES, KIND_NAMES, CLASS_NAMES, ROUTE_NAMES } = await import("../../src/format/labels.js");
    const v = shippedRules().values;
    const zh = (t: Record<string, { zh: string }>) => Object.fromEntries(Object.entries(t).map(([k, n]) => [k, n.zh]));
    expect(zh(SCHEME_NAMES)).toEqual(zh(v.scheme));
    expect(zh(KIND_NAMES)).toEqual(zh(v.kind));
    expect(zh(CLASS_NAMES)).toEqual(zh(v.class));
    expect(zh(ROUTE_NAMES)).toEqual(zh(v.route));
  });
});
