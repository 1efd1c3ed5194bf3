/**
 * Chinese names of the enumerated claim values (rules/national.yaml values):
 * 职工医保, 住院, 转诊 … are read as employee, inpatient, referral in every way
 * a claim is given, and output keeps the ids. Through the built binary.
 */
import { mkdtempSync, readFileSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { claimSchema } from "../../src/claims/schema.js";
import { bin, ROOT } from "../helpers.js";

const dir = mkdtempSync(join(tmpdir(), "reimburse-zh-"));
const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));

// The 武汉 referral of examples/referral-changde-wuhan.yaml, every value by a Chinese name:
// (11,100 − 1,100 deductible) × (85% − 5 points) = 10,000 × 80% = 8,000.
const ZH_YAML = `id: zh-referral
date: 2025-03-09
insured: {region: 常德市, scheme: 职工医保}
treatment: {region: 武汉市, level: 三级, kind: 住院}
filing: 转诊
costs: {classA: 11100}
`;
const json = (r: { stdout: string }) => JSON.parse(r.stdout);

describe("Chinese names of claim values", () => {
  it("calc reads 职工医保, 住院, 转诊 as employee, inpatient, referral: 10,000 × 80% = 8,000, and prints the ids", () => {
    const r = bin(["calc", file("zh.yaml", ZH_YAML), "-f", "json", "-q"]);
    expect(r.code).toBe(0);
    const j = json(r);
    expect([j.payable, j.route, j.insured.scheme, j.treatment.kind]).toEqual([8000, "referral", "employee", "inpatient"]);
    const ids = json(bin(["calc", "examples/referral-changde-wuhan.yaml", "-f", "json", "-q"]));
    expect({ ...j, id: ids.id }).toEqual(ids); // the same settlement as the claim written with ids
  });

  it("a disease by its Chinese name settles as its id does, and the output shows the id (uremia-dialysis)", () => {
    const written = readFileSync(join(ROOT, "examples/chronic-dialysis-changde-wuhan.yaml"), "utf8");
    const zh = json(bin(["calc", file("dialysis-zh.yaml", written.replace("disease: uremia-dialysis", "disease: 尿毒症透析")), "-f", "json", "-q"]));
    const ids = json(bin(["calc", "examples/chronic-dialysis-changde-wuhan.yaml", "-f", "json", "-q"]));
    expect(zh.treatment.disease).toBe("uremia-dialysis");
    expect(zh).toEqual(ids);
  });

  it("every name of the brief names its value (each settles as the id does)", () => {
    const names: [string, string, string][] = [
      ["insured.scheme", "职工", "employee"], ["insured.scheme", "居民", "resident"], ["insured.scheme", "城乡居民", "resident"],
      ["treatment.kind", "门诊", "outpatient"], ["treatment.kind", "普通门诊", "outpatient"],
      ["filing", "长期居住", "long-term"], ["filing", "异地长期居住", "long-term"], ["filing", "异地转诊", "referral"],
      ["filing", "急诊", "emergency"], ["filing", "急诊抢救", "emergency"], ["filing", "临时外出", "temporary"], ["filing", "未备案", "none"],
      ["route", "互认区域", "zone"],
    ];
    const f = file("ids.yaml", ZH_YAML);
    for (const [path, name, id] of names) {
      const byName = bin(["calc", f, "--set", `${path}=${name}`, "-f", "csv", "-q"]);
      const byId = bin(["calc", f, "--set", `${path}=${id}`, "-f", "csv", "-q"]);
      expect(byName.stderr, `${path}=${name}`).toBe("");
      expect(byName.stdout, `${path}=${name}`).toBe(byId.stdout);
    }
  });

  it("--set filing=长期居住: long-term, no reduction: 10,000 × 85% = 8,500", () => {
    expect(json(bin(["calc", file("set.yaml", ZH_YAML), "--set", "filing=长期居住", "-f", "json", "-q"])).payable).toBe(8500);
  });

  it("a JSON claim and item classes: 甲类 10,000 and 丙类 (self-paid) 50 → (10,000 − 1,100) × 80% = 7,120", () => {
    const claim = { date: "2025-03-09", insured: { region: "常德", scheme: "职工" }, treatment: { region: "武汉", level: "三级", kind: "住院" }, filing: "异地转诊", items: [{ name: "x", class: "甲类", amount: 10000 }, { name: "y", class: "丙类", amount: 50 }] };
    const j = json(bin(["calc", file("zh.json", JSON.stringify(claim)), "-f", "json", "-q"]));
    expect([j.payable, j.breakdown.excluded]).toEqual([7120, 50]);
    expect(j.lines.map((l: { class: string }) => l.class)).toEqual(["A", "excluded"]);
  });

  it("batch reads the names in JSON Lines and CSV cells", () => {
    const line = JSON.stringify({ date: "2025-03-09", insured: { region: "常德", scheme: "职工医保" }, treatment: { region: "武汉", level: 3, kind: "住院" }, filing: "转诊", costs: { classA: 11100 } });
    const jl = bin(["batch", file("b.jsonl", `${line}\n`), "-q"]);
    expect(jl.code).toBe(0);
    expect(json(jl)).toMatchObject({ payable: 8000, route: "referral", insured: { scheme: "employee" } });
    const csv = "date,insured.region,insured.scheme,treatment.region,treatment.level,treatment.kind,filing,costs.classA\n2025-03-09,常德,职工医保,武汉,三级,住院,转诊,11100\n";
    const c = bin(["batch", file("b.csv", csv), "-f", "csv", "-q"]);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain(",referral,8000,3100,"); // person: 1,100 + 10,000 × 20% = 3,100
  });

  it("compare: a claim and scenarios written with names (--vary filing=长期居住,急诊)", () => {
    const r = bin(["compare", file("cmp.yaml", ZH_YAML), "--vary", "filing=长期居住,急诊", "-f", "json", "-q"]);
    expect(r.code).toBe(0);
    // long-term: 10,000 × 85% = 8,500; emergency: 85% − 5 points, as the referral: 8,000
    expect(json(r).map((s: { route: string; payable: number }) => [s.route, s.payable])).toEqual([["referral", 8000], ["long-term", 8500], ["emergency", 8000]]);
  });

  it("an unknown Chinese value is refused, located, saying where the names are (exit 4)", () => {
    const r = bin(["calc", file("bad.yaml", ZH_YAML.replace("职工医保", "职工保险"))]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`bad.yaml:3:32 error invalid-value insured.scheme: unknown scheme "职工保险"; one of: employee, resident, or a Chinese name of one (rules/national.yaml values.scheme)`);
  });

  it("a misspelt Chinese name gets the closest name the rules give, in calc and in batch", () => {
    const r = bin(["calc", file("hint.yaml", ZH_YAML.replace("职工医保", "职工保险"))]);
    expect(r.stderr).toContain("(rules/national.yaml values.scheme) (did you mean 职工医保?)");
    const line = JSON.stringify({ date: "2025-03-09", insured: { region: "常德", scheme: "职工" }, treatment: { region: "武汉", level: 3, kind: "住 院" }, costs: { classA: 100 } });
    const b = bin(["batch", file("hint.jsonl", `${line}\n`)]);
    expect(b.code).toBe(4);
    expect(json(b)).toMatchObject({ error: "invalid", problems: [{ path: "treatment.kind", hint: "did you mean 住院?" }] });
  });

  it("an English typo still gets its did-you-mean", () => {
    const r = bin(["calc", file("typo.yaml", ZH_YAML.replace("转诊", "referal"))]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`unknown filing "referal"; one of: long-term, referral, emergency, temporary, none (did you mean referral?)`);
  });

  it("the claim schema (the JSON Schema for editors is generated from it) still lists the ids only", () => {
    const s = z.toJSONSchema(claimSchema, { io: "input", unrepresentable: "any" }) as unknown as { properties: { insured: { properties: { scheme: { enum?: string[] } } } } };
    expect(JSON.stringify(s.properties.insured.properties.scheme)).toContain(`"enum":["employee","resident"]`);
  });

  it("rules test: a case's claim may write the names too", () => {
    const rules = join(dir, "rules-cases");
    cpSync(join(ROOT, "rules"), rules, { recursive: true });
    // (11,100 − 1,100) × (85% − 5 points) = 8,000, as the 武汉 referral written with ids
    writeFileSync(join(rules, "zh.test.yaml"), `- name: 转诊 in Chinese\n  claim: {date: 2025-03-09, insured: {region: 常德, scheme: 职工医保}, treatment: {region: 武汉, level: 三级, kind: 住院}, filing: 转诊, costs: {classA: 11100}}\n  expect: {route: referral, payable: 8000}\n`);
    const r = bin(["rules", "test", rules, "-n", "转诊 in Chinese"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("1 passed");
  });

  it("rules check refuses a name that names two values, or another value's id (exit 1)", () => {
    const rules = join(dir, "rules");
    cpSync(join(ROOT, "rules"), rules, { recursive: true });
    const nat = join(rules, "national.yaml");
    writeFileSync(nat, readFileSync(nat, "utf8").replace("aliases: [居民, 城乡居民,", "aliases: [职工, employee, 城乡居民,"));
    const r = bin(["rules", "check", rules]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain(`values.scheme.resident.aliases[0]: scheme name "职工" of resident already names scheme employee: a name names one scheme only (remove it from resident or from employee)`);
    expect(r.stdout + r.stderr).toContain(`values.scheme.resident.aliases[1]: scheme name "employee" of resident is the id of another scheme`);
  });
});
