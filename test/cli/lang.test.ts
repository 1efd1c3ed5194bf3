/**
 * --lang zh for what goes wrong and for policy staff's reports, through the
 * built binary: refusals worded in Chinese where the rules' code words them,
 * `rules show` in Chinese and fitting the terminal, `rules check`'s tally.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { displayWidth } from "../../src/format/width.js";
import { bin } from "../helpers.js";

const dir = mkdtempSync(join(tmpdir(), "reimburse-lang-"));
const claimFile = (name: string, insured: string) => {
  const f = join(dir, name);
  writeFileSync(f, `date: 2025-03-09\ninsured: {region: ${insured}, scheme: employee}\ntreatment: {region: "420500", level: 3, kind: inpatient}\ncosts: {classA: 100}\n`);
  return f;
};

describe("refusals in Chinese", () => {
  const unknown = claimFile("unknown.yaml", "黄冈X");
  it("an unknown region: the message and its did-you-mean in Chinese, located as in English (exit 4)", () => {
    expect(bin(["calc", unknown, "--lang", "zh"])).toEqual({
      code: 4,
      stdout: "",
      stderr: `${unknown}:2:19 错误 rejected insured.region: 未知地区 "黄冈X"：不在地区表中（rules/regions.yaml）（是否指 黄冈市？）\n`,
    });
    expect(bin(["calc", unknown, "--lang", "en"]).stderr).toBe(`${unknown}:2:19 error rejected insured.region: unknown region "黄冈X": not in the region table (rules/regions.yaml) (did you mean 黄冈市?)\n`);
  });
  it("LANG=zh_CN.UTF-8 without --lang is Chinese too; --lang=en wins over it", () => {
    expect(bin(["calc", unknown], { env: { LANG: "zh_CN.UTF-8" } }).stderr).toContain("错误 rejected insured.region: 未知地区");
    expect(bin(["calc", unknown, "--lang=en"], { env: { LANG: "zh_CN.UTF-8" } }).stderr).toContain("error rejected insured.region: unknown region");
  });
  it("a province where a pooling region is needed", () => {
    expect(bin(["calc", claimFile("province.yaml", '"430000"'), "--lang", "zh"]).stderr).toMatch(/错误 rejected insured\.region: 湖南省（430000）不是统筹区：请写明市或县（例如湖南省的一个地级市）\n$/);
  });
});

describe("rules show --lang zh", () => {
  it("heads, values and sources in Chinese; within COLUMNS", () => {
    const show = (columns: number) => bin(["rules", "show", "--region", "常德市", "--date", "2025-06-01", "--lang", "zh"], { env: { COLUMNS: String(columns) } });
    const r = show(200); // wide: each figure on one line
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^常德市（430700） 2025-06-01 /);
    expect(r.stdout).toMatch(/│ 项目 +│ 数值 +│/);
    expect(r.stdout).toContain("+2 个百分点"); // employee.retiree: Hunan's +2 points for retirees
    expect(r.stdout).toContain("hn-employee-measures（转引）");
    expect(r.stdout).toMatch(/│ 异地转诊 +│ 10 个百分点 │/); // the national cap on the referral reduction
    expect(r.stdout).not.toMatch(/missing:|\d points|default|\(secondary\)|\(unverified\)/); // (figure names such as groups.points are ids)
    for (const line of show(90).stdout.trimEnd().split("\n")) expect(displayWidth(line), line).toBeLessThanOrEqual(90);
  });
});

describe("rules check --lang zh", () => {
  it("the tally in Chinese, with the same counts as the JSON summary", () => {
    const s = JSON.parse(bin(["rules", "check", "--format", "json"]).stdout).summary;
    const last = bin(["rules", "check", "--lang", "zh"]).stdout.trimEnd().split("\n").pop();
    expect(last).toBe(`${s.files} 个文件，${s.errors} 个错误，${s.warnings} 个警告；${s.values} 个带日期的数值，按可信度：官方 ${s.confidence.official}，转引 ${s.confidence.secondary}，未核实 ${s.confidence.unverified}`);
    expect(bin(["rules", "check", "--lang", "zh"]).stdout).toMatch(/^rules\/\S+ 警告 /m);
  });
});

describe("batch --lang zh", () => {
  it("each failure on standard error and the summary in Chinese; the output records keep their English problems", () => {
    const bad = JSON.stringify({ date: "2025-03-09", insured: { region: "黄冈X", scheme: "employee" }, treatment: { region: "420500", level: 3, kind: "inpatient" }, costs: { classA: 100 } });
    // The seed claim: (11,100 − 1,100) × 85% = 8,500.
    const good = JSON.stringify({ date: "2025-03-09", insured: { region: "430700", scheme: "employee" }, treatment: { region: "420500", level: 3, kind: "inpatient" }, costs: { classA: 11100 } });
    const r = bin(["batch", "-", "--lang", "zh"], { stdin: `${good}\n${bad}\n` });
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(
      "<stdin>:2: 被拒: insured.region: 未知地区 \"黄冈X\"：不在地区表中（rules/regions.yaml）\n  提示: 是否指 黄冈市？\n" +
        "batch：共 2 条记录：结算 1 条，失败 1 条（被拒 1）；统筹基金合计支付 8,500.00 元\n",
    );
    const failed = JSON.parse(r.stdout.trim().split("\n")[1]!);
    expect(failed.problems).toEqual([{ path: "insured.region", message: 'unknown region "黄冈X": not in the region table (rules/regions.yaml)', hint: "did you mean 黄冈市?" }]);
  });
});
