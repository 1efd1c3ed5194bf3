/**
 * CSV as a Chinese office writes it: Chinese headers (编号, 日期, 参保地 …),
 * Excel's dates (2025/3/9) and amounts with thousands separators (9,800.00).
 * Through the built binary.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CSV_COLUMNS } from "../../src/batch/csv.js";
import { bin, ROOT } from "../helpers.js";

const dir = mkdtempSync(join(tmpdir(), "reimburse-csv-zh-"));
const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
const lines = (r: { stdout: string }) => r.stdout.trim().split("\n").map((l) => JSON.parse(l));

// The 武汉 referral: (11,100 − 1,100) × (85% − 5 points) = 10,000 × 80% = 8,000.
const ZH_HEADER = "编号,日期,参保人编号,参保地,险种,退休,就医地,医院级别,就医类型,备案类型,甲类费用,乙类费用";

describe("CSV with Chinese headers", () => {
  it("reads each column by its Chinese name, values by theirs too: 8,000 as with the English header", () => {
    const zh = bin(["batch", file("zh.csv", `${ZH_HEADER}\nz-1,2025-03-09,HN-1,常德市,职工医保,否,武汉市,三级,住院,转诊,11100,\n`), "-q"]);
    const en = bin(["batch", file("en.csv", `id,date,insured.id,insured.region,insured.scheme,insured.retired,treatment.region,treatment.level,treatment.kind,filing,costs.classA,costs.classB\nz-1,2025-03-09,HN-1,430700,employee,false,420100,3,inpatient,referral,11100,\n`), "-q"]);
    expect(zh.code).toBe(0);
    expect(lines(zh)[0]).toMatchObject({ id: "z-1", payable: 8000, route: "referral", insured: { id: "HN-1", scheme: "employee", retired: false } });
    expect(zh.stdout).toBe(en.stdout);
  });

  it("itemised lines as 项目[0].名称, 项目[0].类别, 项目[0].金额: 甲类 10,000 + 自费 50 → (10,000 − 1,100) × 80% = 7,120", () => {
    const csv = "日期,参保地,险种,就医地,医院级别,就医类型,备案类型,项目[0].名称,项目[0].类别,项目[0].金额,项目[1].名称,项目[1].类别,项目[1].金额\n2025-03-09,常德,职工,武汉,3,住院,转诊,手术,甲类,10000,陪护,自费,50\n";
    const r = bin(["batch", file("items.csv", csv), "-q"]);
    expect(r.code).toBe(0);
    expect(lines(r)[0]).toMatchObject({ payable: 7120, breakdown: { excluded: 50 } });
  });

  it("every column has a Chinese name, all different, none an English one", () => {
    const zh = Object.values(CSV_COLUMNS);
    expect(new Set(zh).size).toBe(zh.length);
    for (const name of zh) expect(name).not.toMatch(/[A-Za-z]/);
  });

  it("docs/chinese-and-excel.md lists every column with its Chinese name (the hint sends people there)", () => {
    const doc = readFileSync(join(ROOT, "docs", "chinese-and-excel.md"), "utf8");
    for (const [path, zh] of Object.entries(CSV_COLUMNS)) expect(doc).toContain(`| \`${path}\` | ${zh} |`);
  });

  it("the README lists every column's Chinese name too (issue 14 point 2)", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    for (const [path, zh] of Object.entries(CSV_COLUMNS)) expect(readme).toContain(`${zh} \`${path}\``);
  });

  it("examples/batch/claims-zh.csv settles as the same five claims of claims-2025.csv (Chinese headers, values, Excel dates and amounts)", () => {
    const zh = bin(["batch", "examples/batch/claims-zh.csv", "-f", "csv", "-q"]);
    const en = bin(["batch", "examples/batch/claims-2025.csv", "-f", "csv", "-q"]);
    expect(zh.code).toBe(0);
    // id … kind: the settlement's columns (the disease column shows the disease as written: 尿毒症透析).
    const byId = (out: string) => new Map(out.trim().split("\n").slice(1).map((l) => [l.split(",")[0], l.split(",").slice(0, 23).join(",")]));
    const got = byId(zh.stdout);
    const want = byId(en.stdout);
    expect([...got.keys()].sort()).toEqual(["c-101", "c-102", "c-103", "c-104", "c-105"]);
    for (const [id, row] of got) expect(row, id).toBe(want.get(id));
    // c-103 (2025-01-14) comes first in HN-0001's year: referral, (8,600 − 1,100) × 80% = 6,000.
    expect(got.get("c-103")).toMatch(/^c-103,2025-01-14,referral,6000,/);
  });

  it("an unknown column names itself and the closest column; the hint (where the columns are listed) is said once", () => {
    const r = bin(["batch", file("bad.csv", "编号,日起,参保地,险种,就医地,医院级别,就医类型,insured.regoin\n")]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`bad.csv:1:1 error csv-header unknown column "日起" (did you mean 日期?) (the header names claim fields, by path (insured.region) or Chinese name (参保地): docs/chinese-and-excel.md lists the columns)`);
    expect(r.stderr).toContain(`bad.csv:1:1 error csv-header unknown column "insured.regoin" (did you mean insured.region?)\n`);
    expect(r.stderr).toContain("missing column date (日期): every claim needs it");
    expect(r.stderr.match(/lists the columns/g)).toHaveLength(1);
    expect(r.stderr).not.toContain("history.criticalIllness.paid"); // the whole column list is not repeated
  });

  it("a field named twice, once in each language, is refused", () => {
    const r = bin(["batch", file("twice.csv", "id,编号,日期,参保地,险种,就医地,医院级别,就医类型\n")]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`columns "id" and "编号" name the same field (id)`);
  });
});

describe("Excel's dates and amounts, in CSV cells", () => {
  const HEADER = "id,date,insured.region,insured.scheme,treatment.region,treatment.level,treatment.kind,filing,costs.classA,costs.classB";
  const row = (id: string, date: string, classA: string, classB = "") => `${id},${date},430700,employee,420100,3,inpatient,referral,${classA},${classB}`;

  it("2025/3/9 and 2025-3-9 are 2025-03-09; \"11,100.00\" is 11100.00: each pays 8,000", () => {
    const csv = [HEADER, row("a", "2025/3/9", '"11,100.00"'), row("b", "2025-3-9", "11100"), row("c", "2025/03/09", '"11,100"')].join("\n") + "\n";
    const r = bin(["batch", file("excel.csv", csv), "-q"]);
    expect(r.code).toBe(0);
    expect(lines(r).map((x) => [x.id, x.date, x.payable])).toEqual([["a", "2025-03-09", 8000], ["b", "2025-03-09", 8000], ["c", "2025-03-09", 8000]]);
  });

  it('"1,234,567.5" reads as 1234567.5: total = class A 0 + class B 1,234,567.50', () => {
    const r = bin(["batch", file("big.csv", `${HEADER}\n${row("big", "2025-03-09", "0", '"1,234,567.5"')}\n`), "-q"]);
    expect(r.code).toBe(0);
    expect(lines(r)[0].breakdown.total).toBe(1234567.5);
  });

  it('badly grouped "1,00,0" is refused with a hint; so is a date like 2025/2/30, as not a calendar date', () => {
    const csv = [HEADER, row("g", "2025-03-09", '"1,00,0"'), row("d", "2025/2/30", "11100")].join("\n") + "\n";
    const r = bin(["batch", file("bad-cells.csv", csv), "-q"]);
    expect(r.code).toBe(4);
    const [g, d] = lines(r);
    expect(g).toMatchObject({ id: "g", error: "invalid", problems: [{ path: "costs.classA", message: `must be a plain decimal amount in yuan like 1234.56, got "1,00,0" (the commas do not group thousands: write it without them, or, in a CSV cell, with a comma every three digits: 1,234,567.50)` }] });
    expect(d).toMatchObject({ id: "d", error: "invalid", problems: [{ path: "date", message: "is not a calendar date: 2025-02-30" }] });
  });

  it("only in CSV: a YAML claim with 2025/3/9 or \"11,100.00\" is refused (exit 4)", () => {
    const yaml = (date: string, amount: string) => file(`c-${date.replace(/\//g, "")}.yaml`, `date: ${date}\ninsured: {region: 430700, scheme: employee}\ntreatment: {region: 420100, level: 3, kind: inpatient}\nfiling: referral\ncosts: {classA: ${amount}}\n`);
    const d = bin(["calc", yaml("2025/3/9", "11100")]);
    expect([d.code, d.stderr]).toEqual([4, expect.stringContaining("date: must be a date written YYYY-MM-DD")]);
    const a = bin(["calc", yaml("2025-03-09", '"11,100.00"')]);
    expect([a.code, a.stderr]).toEqual([4, expect.stringContaining('got "11,100.00" (write it without thousands separators)')]);
  });
});
