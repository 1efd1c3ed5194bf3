import { parse } from "csv-parse/sync";
import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import { bar, barChart } from "../../src/format/chart.js";
import { displayWidth } from "../../src/format/width.js";
import { csvCell, delimited, tsvCell } from "../../src/format/csv.js";
import { signedYuan } from "../../src/format/compare.js";

const plain = new Chalk({ level: 0 });

describe("delimited (csv)", () => {
  const rows = [
    { id: 'a, "b"', note: "two\nlines", n: 8500.5, ok: true },
    { id: " padded ", note: "", n: 0, ok: false },
  ];
  it("quotes what needs quoting and nothing else", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('a, "b"')).toBe('"a, ""b"""');
    expect(csvCell(" padded ")).toBe('" padded "');
    expect(csvCell(8500.5)).toBe("8500.5");
    expect(csvCell(undefined)).toBe("");
  });
  it("round-trips through a standard CSV parser (csv-parse)", () => {
    const text = delimited(["id", "note", "n", "ok"], rows, ",");
    expect(parse(text, { columns: true })).toEqual([
      { id: 'a, "b"', note: "two\nlines", n: "8500.5", ok: "true" },
      { id: " padded ", note: "", n: "0", ok: "false" },
    ]);
  });
  it("escapes tabs, line breaks and backslashes in tsv, one line per record", () => {
    expect(tsvCell("a\tb\\c\nd")).toBe("a\\tb\\\\c\\nd");
    const text = delimited(["id", "note"], rows, "\t");
    expect(text).toBe('id\tnote\na, "b"\ttwo\\nlines\n padded \t\n');
  });
});

describe("bar chart", () => {
  it("draws bars in eighths of a column, scaled to the largest value", () => {
    expect(bar(850_000, 850_000, 40)).toBe("█".repeat(40));
    // 8,000 / 8,500 × 40 × 8 = 301.18 → 301 eighths = 37 full blocks + 5/8
    expect(bar(800_000, 850_000, 40)).toBe("█".repeat(37) + "▋");
    // 7,500 / 8,500 × 320 = 282.35 → 282 eighths = 35 full + 2/8
    expect(bar(750_000, 850_000, 40)).toBe("█".repeat(35) + "▎");
    expect(bar(0, 850_000, 40)).toBe("");
  });
  it("lines up labels (CJK counts two columns) and amounts, with no escape codes when plain", () => {
    const text = barChart(
      [
        { label: "base", value: 850_000, strong: true },
        { label: "未备案", value: 750_000, note: "−1,000.00" },
      ],
      { color: plain, width: 8, title: "Fund pays" },
    );
    // 7,500 / 8,500 × 8 × 8 = 56.47 → 56 eighths = 7 full blocks
    expect(text).toBe(["Fund pays", "base    ████████  8,500.00", "未备案  ███████   7,500.00  −1,000.00", ""].join("\n"));
    expect(displayWidth("未备案")).toBe(6);
  });
});

describe("signedYuan", () => {
  it("signs deltas with a real minus sign", () => {
    expect([signedYuan(50_000), signedYuan(-100_000), signedYuan(0)]).toEqual(["+500.00", "−1,000.00", "0.00"]);
  });
});
