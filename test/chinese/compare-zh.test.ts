/** `compare --lang zh`: every word of the table, the chart and the notes in Chinese. Through the built binary. */
import { describe, expect, it } from "vitest";
import { bin } from "../helpers.js";

const REFERRAL = "examples/referral-changde-wuhan.yaml"; // id seed-referral: 常德 employee, level 3 in 武汉, filed referral, class A 11,100
const ZONE = "examples/zone-changde-yichang.yaml"; // id seed-zone: the same stay in 宜昌 (the zone)

/** The output without the claim's id (seed-referral: a code the claim gives, shown as written, as an insurance number would be). */
const withoutId = (out: string, id: string) => out.replace(`结算单 ${id} ·`, "结算单 ·");
const latin = (s: string) => s.match(/[A-Za-z][A-Za-z0-9.-]*/g) ?? [];

describe("compare --lang zh", () => {
  it("the route scenarios: no ASCII letter in the table or chart besides the claim's id", () => {
    const r = bin(["compare", REFERRAL, "--lang", "zh", "-q"]);
    expect(r.code).toBe(0);
    expect(latin(withoutId(r.stdout, "seed-referral"))).toEqual([]);
    // The rows by the routes' Chinese names; long-term: no reduction, (11,100 − 1,100) × 85% = 8,500.
    expect(r.stdout).toMatch(/│ 原结算单 +│ （未变更） +│ 异地转诊 +│ +8,000\.00 │/);
    expect(r.stdout).toMatch(/│ 异地长期居住 +│ 备案类型=异地长期居住 +│ 异地长期居住 +│ +8,500\.00 │/);
    expect(r.stdout).toContain("基金差额 对比 原结算单");
    expect(r.stdout).toMatch(/\n未备案（手工报销） +█+/); // the chart's labels too
  });

  it("inside the zone: the what-if routes (route=…) are 结算路径=…", () => {
    const r = bin(["compare", ZONE, "--lang", "zh", "-q", "--no-chart"]);
    expect(latin(withoutId(r.stdout, "seed-zone"))).toEqual([]);
    // referral from the zone's claim: (11,100 − 1,100) × (85% − 5 points) = 8,000
    expect(r.stdout).toMatch(/│ 异地转诊 +│ 结算路径=异地转诊 +│ 异地转诊 +│ +8,000\.00 │/);
  });

  it("--vary: fields and values by their Chinese names (医院级别=二级, 急诊抢救=是)", () => {
    const r = bin(["compare", REFERRAL, "--lang", "zh", "-q", "--vary", "treatment.level=2", "--vary", "treatment.emergency=true", "--no-chart"]);
    expect(latin(withoutId(r.stdout, "seed-referral"))).toEqual([]);
    // level 2 on the referral: (11,100 − 800) × (90% − 5 points) = 10,300 × 85% = 8,755
    expect(r.stdout).toMatch(/│ 医院级别=二级 急诊抢救=是 +│ 医院级别=二级 急诊抢救=是 +│ 异地转诊 +│ +8,755\.00 │/);
  });

  it("the notes: Chinese, only rule codes (a figure's path, a source's id) in letters; a given scenario name stays as given", () => {
    const r = bin(["compare", REFERRAL, "--lang", "zh", "--scenario", "cheap:treatment.level=2", "--scenario", "route=temporary", "--no-chart"]);
    expect(r.code).toBe(0);
    const out = withoutId(r.stdout, "seed-referral");
    expect(out).toContain("规则缺少参保地常德市职工大病保险数据（起付标准、分段支付比例、最高支付限额）");
    expect(out).toContain("结算路径=… 为假设情形");
    expect(out).toContain("结算路径=其他临时外出就医: 结果依赖 1 项未经核实的数据：reductions.temporary（hzbdd-365072）");
    expect(latin(out).sort()).toEqual(["cheap", "hzbdd-365072", "reductions.temporary"]); // the name given, and the cited figure and its source
  });

  it("a claim settled locally: the note says why in Chinese", () => {
    const r = bin(["compare", "-", "--lang", "zh", "--no-chart"], { stdin: "date: 2025-03-09\ninsured: {region: 常德, scheme: 职工}\ntreatment: {region: 常德, level: 3, kind: 住院}\ncosts: {classA: 11100}\n" });
    expect(r.stdout).toContain("本结算单为本地就医：跨省结算路径不适用；其他选择请用 --vary 或 --scenario 比较");
  });

  it("English is unchanged: the ids", () => {
    const r = bin(["compare", REFERRAL, "--lang", "en", "-q", "--no-chart"]);
    expect(r.stdout).toMatch(/│ long-term +│ filing=long-term +│ long-term +│ +8,500\.00 │/);
    expect(r.stdout).toContain("Δ fund vs base");
  });
});
