/** Terminal widths: display width, folding without loss, and sharing a table's columns out. */
import { describe, expect, it } from "vitest";
import { displayWidth, fitWidths, fold } from "../../src/format/width.js";

describe("displayWidth", () => {
  it("counts a Chinese character 2 columns, ASCII 1, colour codes 0", () => {
    expect(displayWidth("起付线 800")).toBe(10); // 3 × 2 + 1 + 3
    expect(displayWidth("\x1b[33m(unverified)\x1b[39m")).toBe(12);
  });
});

describe("fold", () => {
  it("breaks at the last space that fits, and drops the space it broke at", () => {
    expect(fold("Fund pays 4,965.18; the person pays 1,577.57", 20)).toBe("Fund pays 4,965.18;\nthe person pays\n1,577.57");
  });
  it("breaks a run without spaces at the column, counting Chinese as 2: every character kept", () => {
    // 10 characters, 20 columns, folded at 8 columns: 4 + 4 + 2 characters
    expect(fold("在异地长期居住备案人员", 8)).toBe("在异地长\n期居住备\n案人员");
    expect(fold("hn-employee-measures", 8)).toBe("hn-emplo\nyee-meas\nures");
  });
  it("breaks a path after a slash, and a dotted name before a name (not inside 1,600.00)", () => {
    expect(fold("rules/hunan/province.yaml:225", 14)).toBe("rules/hunan/\nprovince.\nyaml:225"); // 17 columns from "province": after its "." (no break at ":")
    expect(fold("employee.inpatient.repeatAdmission", 20)).toBe("employee.inpatient.\nrepeatAdmission");
    expect(fold("provincial: 1,600.00", 16)).toBe("provincial:\n1,600.00");
  });
  it("keeps the lines it was given, and a text that fits as it is", () => {
    expect(fold("a b\nc", 10)).toBe("a b\nc");
    expect(fold("", 10)).toBe("");
  });
  it("carries colour codes without counting them", () => {
    expect(fold("\x1b[33mab cd\x1b[39m", 2)).toBe("\x1b[33mab\ncd\x1b[39m");
  });
});

describe("fitWidths", () => {
  it("leaves columns as wide as their content when the table fits", () => {
    // 2 + 40 + 10 + 3 × 3 + 1 = 62 ≤ 80
    expect(fitWidths([2, 40, 10], 80, [1])).toEqual([2, 40, 10]);
  });
  it("shares what the fixed columns leave among the flexible ones, by what each lacks beyond its least width", () => {
    // chrome 4 × 3 + 1 = 13; fixed 2 + 10 = 12; least 8 + 30 = 38; spare 100 − 13 − 12 − 38 = 37;
    // lacking (150 − 8) + (60 − 30) = 172: step 8 + ⌊37 × 142 / 172⌋ = 8 + 30, refs 30 + ⌊37 × 30 / 172⌋ = 30 + 6;
    // the 1 column rounding left goes to the step: 2 + 39 + 10 + 36 + 13 = 100
    expect(fitWidths([2, 150, 10, 60], 100, [1, 3], [0, 8, 0, 30])).toEqual([2, 39, 10, 36]);
  });
  it("never goes below a column's least width, even when the total cannot be met", () => {
    expect(fitWidths([2, 150, 10, 60], 30, [1, 3], [0, 8, 0, 30])).toEqual([2, 8, 10, 30]);
    expect(fitWidths([2, 150], 30, [1], [0, 3])).toEqual([2, 21]); // no least given: 6, here room for 30 − 7 − 2 = 21
  });
});
