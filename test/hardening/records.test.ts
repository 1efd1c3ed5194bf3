/**
 * A battery of hostile records and unbounded work, through the built binary:
 * numbers beyond 2^53 (18-digit ID-card numbers as JSON numbers), nesting
 * thousands deep, a line that never ends, BOMs inside a file, a cross product
 * of 25 million scenarios, /dev/zero as a sample of claims, and the smaller
 * points of issue 16 (GBK scenarios, a full-width colon, a semicolon CSV,
 * blanks around enumerated values). Each case asserts the exit code, the
 * message at its file, line and field, that no stack trace is printed, and
 * the money of what settles.
 *
 * The good record is the seed claim: a 常德 employee, level 3 in 宜昌 (a zone),
 * 11,100 of class A: (11,100 − 1,100) × 85% = 8,500 payable, 2,600 personal.
 * A second inpatient claim of the same person in the year pays the
 * repeat-admission deductible instead: the 8,967.50 is what a
 * second claim got when two ids were read as one.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { benchLines } from "../helpers.js";
import { esc, GOOD, openDir, rec, run, SEED, STACK, write, type Rec } from "./faults.js";

const dir = openDir("records-battery");
let n = 0;
const file = (content: string | Buffer, ext = "jsonl") => write(dir, `case-${++n}.${ext}`, content);
const records = (s: string): Rec[] => (s.trim() ? s.trim().split("\n").map((l) => JSON.parse(l) as Rec) : []);
function clean(r: { stderr: string }): void {
  expect(r.stderr).not.toMatch(STACK);
  expect(r.stderr).not.toMatch(/internal error/);
}

/** Two persons whose ID-card numbers differ in the last digits: as doubles both are 430702199001011260. */
const ID_A = "430702199001011234";
const ID_B = "430702199001011277";
const person = (id: string, date: string, numeric: boolean) => rec({ date, insured: { ...SEED.insured, id: numeric ? Number.NaN : id } }).replace("null", numeric ? id : JSON.stringify(id));

describe("numbers beyond 2^53: refused, never rounded", () => {
  it("JSON Lines: two 18-digit numeric ids are each refused at their line and field (it settled them as one person: 8,967.50 paid)", () => {
    const f = file([person(ID_A, "2025-03-09", true), person(ID_B, "2025-04-09", true)].join("\n") + "\n");
    const r = run(["batch", f]);
    clean(r);
    expect(r.code).toBe(4);
    const message = "is a number too large to read exactly (beyond 9007199254740991; it would read as 430702199001011260): write it as a string, in quotes";
    expect(records(r.stdout)).toEqual([
      { line: 1, error: "invalid", problems: [{ path: "insured.id", message }] },
      { line: 2, error: "invalid", problems: [{ path: "insured.id", message }] },
    ]);
    expect(r.stderr).toContain(`${f}:1: invalid: insured.id: ${message}\n${f}:2: invalid: insured.id: ${message}\n`);
    expect(r.stderr).toMatch(/^batch: 2 records: 0 settled, 2 failed \(2 invalid\); total payable 0\.00 yuan$/m);
  });
  it("the same ids as strings: two persons, two ledgers, 8,500 each (a first admission each)", () => {
    const r = run(["batch", file([person(ID_A, "2025-03-09", false), person(ID_B, "2025-04-09", false)].join("\n") + "\n"), "-q"]);
    clean(r);
    expect(r.code).toBe(0);
    expect(records(r.stdout).map((o) => [o.payable, o.ledger.admissions])).toEqual([
      [8500, 1],
      [8500, 1],
    ]);
  });
  it.each([
    ["an amount", rec({ costs: { classA: 0 } }).replace('"classA":0', '"classA":1e20'), "costs.classA", "100000000000000000000"],
    ["a negative number", rec({ id: 0 }).replace('"id":0', '"id":-9007199254740993'), "id", "-9007199254740992"],
    ["a number inside an item", rec({ costs: undefined, items: [{ name: "x", class: "A", amount: 0 }] }).replace('"amount":0', '"amount":12345678901234567890'), "items[0].amount", "12345678901234567000"],
  ])("%s beyond 2^53 is refused at its field", (_, line, path, read) => {
    const r = run(["batch", file(`${GOOD}\n${line}\n${GOOD}\n`), "-q"]);
    clean(r);
    expect(r.code).toBe(4);
    const out = records(r.stdout);
    expect(out[1]).toEqual({ line: 2, error: "invalid", problems: [{ path, message: expect.stringContaining(`it would read as ${read}): write it as a string`) }] });
    expect(out.filter((o) => o.payable === 8500).map((o) => o.line)).toEqual([1, 3]);
  });
  it("a JSON claim file (calc): refused at line:col of the number", () => {
    const f = file(`{"date": "2025-03-09",\n "insured": {"id": ${ID_A}, "region": "430700", "scheme": "employee"},\n "treatment": {"region": "420500", "level": 3, "kind": "inpatient"},\n "costs": {"classA": 11100}}\n`, "json");
    const r = run(["calc", f]);
    clean(r);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(new RegExp(`^${esc(f)}:2:20 error unsafe-number insured\\.id: is a number too large to read exactly .*write it as a string, in quotes\\n$`));
  });
  it("a generated year with 18-digit ids: as numbers, every record refused (none settled on a merged ledger); as strings, one ledger per person, as with the generator's ids", { timeout: 60_000 }, () => {
    // node bench/gen.mjs --claims 3000 --seed 16: persons P00000001…; the n-th becomes the ID-card number 430702199001010000 + n.
    const lines = benchLines(3000, 16);
    const card = (p: string) => String(430702199001010000n + BigInt(Number(p.slice(1))));
    const ids = new Set(lines.map((l) => /"insured":\{"id":"(P\d+)"/.exec(l)?.[1]).filter((x): x is string => !!x));
    // As doubles, neighbouring numbers fall together: the rounding merges persons (what the old reader settled as one).
    expect(new Set([...ids].map((p) => Number(card(p)))).size).toBeLessThan(ids.size / 10);
    const asNumbers = lines.map((l) => l.replace(/"insured":\{"id":"(P\d+)"/, (_, p: string) => `"insured":{"id":${card(p)}`));
    const asStrings = lines.map((l) => l.replace(/"insured":\{"id":"(P\d+)"/, (_, p: string) => `"insured":{"id":"${card(p)}"`));
    const original = records(run(["batch", file(lines.join("\n") + "\n"), "-q"]).stdout);

    const numeric = records(run(["batch", file(asNumbers.join("\n") + "\n"), "-q"]).stdout);
    const withId = new Set(asNumbers.flatMap((l, i) => (/"insured":\{"id":\d/.test(l) ? [i + 1] : [])));
    expect(withId.size).toBeGreaterThan(2500);
    for (const o of numeric.filter((x) => withId.has(x.line))) {
      expect(o.error, `line ${o.line}`).toBe("invalid");
      expect(o.problems[0].message).toMatch(/write it as a string/);
    }

    const strings = records(run(["batch", file(asStrings.join("\n") + "\n"), "-q"]).stdout);
    // Record for record the generator's own run: the same money and the same ledgers (each person's year on its own).
    const key = (o: Rec) => [o.line, o.error ?? null, o.payable ?? null, o.personal ?? null, o.ledger ? JSON.stringify(o.ledger) : null];
    expect(strings.map(key)).toEqual(original.map(key));
    expect(strings.filter((o) => !o.error).length).toBeGreaterThan(2500);
  });
});

describe("nesting: the record fails alone, the batch goes on", () => {
  const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
  const nested = GOOD.replace(/\}$/, `,"extra":${deep}}`);
  it.each([
    ["a bare [[[…]]] line", deep],
    ["a claim with a field nested 5,000 deep", nested],
  ])("batch: %s is an invalid record (it was exit 70 for the whole batch)", (_, line) => {
    const f = file(`${GOOD}\n${line}\n${GOOD}\n`);
    const r = run(["batch", f]);
    clean(r);
    expect(r.code).toBe(4);
    expect(records(r.stdout).map((o) => [o.line, o.payable ?? o.error])).toEqual([
      [1, 8500],
      [2, "invalid"],
      [3, 8500],
    ]);
    expect(r.stderr).toContain(`${f}:2: invalid: nesting too deep (more than 64 levels; a claim has 3): not read\n`);
    expect(r.stderr).toMatch(/^batch: 3 records: 2 settled, 1 failed \(1 invalid\); total payable 17,000\.00 yuan$/m);
  });
  it("rules diff --claims: the deep line is skipped as a warning, the others compared", () => {
    const r = run(["rules", "diff", "rules", "test/golden/rules-changed", "--claims", file(`${GOOD}\n${deep}\n${GOOD}\n`)]);
    clean(r);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/:2:1 warning invalid-claim skipped: nesting too deep/);
    expect(r.stdout).toMatch(/Claims: 2 of 2 change/);
  });
  it("calc on a JSON claim file nested 5,000 deep: exit 4, nesting too deep", () => {
    const r = run(["calc", file(nested, "json")]);
    clean(r);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/:1:1 error syntax nesting too deep/);
  });
});

describe("bounded work", () => {
  it("compare with 8 --vary (390,625 scenarios): refused with the count, before any is settled", () => {
    const vary = ["treatment.level=1,2,3,community,provincial", "filing=none,referral,long-term,emergency,temporary", "costs.classA=1,2,3,4,5", "costs.classB=1,2,3,4,5", "costs.excluded=1,2,3,4,5", "history.fundPaid=1,2,3,4,5", "history.admissions=1,2,3,4,5", "history.deductiblePaid=1,2,3,4,5"];
    const t = Date.now();
    const r = run(["compare", "examples/zone-changde-yichang.yaml", ...vary.flatMap((v) => ["--vary", v])]);
    clean(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: --vary (5 × 5 × 5 × 5 × 5 × 5 × 5 × 5 values) would make 390,625 scenarios; a comparison settles at most 10,000: vary fewer fields or fewer values\n");
    expect(Date.now() - t).toBeLessThan(5_000);
  });
  it("compare with 10,000 scenarios: settled (the bound is inclusive)", { timeout: 30_000 }, () => {
    // classA 1,000 … 10,999 yuan: 10,000 scenarios, and the base row.
    const values = Array.from({ length: 10_000 }, (_, i) => 1000 + i).join(",");
    const r = run(["compare", "examples/zone-changde-yichang.yaml", "--vary", `costs.classA=${values}`, "--format", "csv", "--fields", "scenario,payable", "-q"]);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split("\n");
    expect(rows).toHaveLength(1 + 1 + 10_000);
    expect(rows[2]).toBe("classA=1000,0"); // under the 1,100 deductible: nothing paid
    expect(rows.at(-1)).toBe("classA=10999,8414.15"); // (10,999 − 1,100) × 85% = 8,414.15
  });
  it("rules diff --claims /dev/zero: refused at 2 MB, not read into memory", () => {
    const r = run(["rules", "diff", "rules", "rules", "--claims", "/dev/zero"], { timeout: 10_000 });
    clean(r);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe("/dev/zero error too-large file is too large (over 3 MB; a list of claims may be at most 2 MB) (give more claims as JSON Lines (.jsonl), which is read as a stream)\n");
  });
  it("a JSON Lines line of 12 MB on standard input: refused, and the next line settles", { timeout: 20_000 }, () => {
    const r = run(["batch", "-", "-q"], { stdin: `${GOOD}\n${"x".repeat(12_000_000)}\n${GOOD}\n` });
    clean(r);
    expect(r.code).toBe(4);
    expect(records(r.stdout).map((o) => [o.line, o.payable ?? o.problems[0].message])).toEqual([
      [1, 8500],
      [2, "the line is longer than 10 MB; a claim is a few KB"],
      [3, 8500],
    ]);
  });
});

const HEADER = "id,date,insured.region,insured.scheme,treatment.region,treatment.level,treatment.kind,filing,costs.classA";
const ROW = (id: string) => `${id},2025-03-09,430700,employee,420500,3,inpatient,none,11100`;

describe("the smaller points", () => {
  it("a BOM before a CSV record (files put end to end) is not part of its first cell", () => {
    const r = run(["batch", file(`\uFEFF${HEADER}\n${ROW("c-1")}\n\uFEFF${ROW("c-2")}\n`, "csv"), "-q"]);
    clean(r);
    expect(r.code).toBe(0);
    expect(records(r.stdout).map((o) => [o.id, o.payable])).toEqual([
      ["c-1", 8500],
      ["c-2", 8500],
    ]);
  });
  it("a BOM before a JSON line is not a syntax error", () => {
    const r = run(["batch", file(`\uFEFF${rec({ id: "j-1" })}\n\uFEFF${rec({ id: "j-2" })}\n`), "-q"]);
    expect(r.code).toBe(0);
    expect(records(r.stdout).map((o) => [o.id, o.payable])).toEqual([
      ["j-1", 8500],
      ["j-2", 8500],
    ]);
  });
  it("a GBK --scenarios file: exit 2, as the README says (it was 4)", () => {
    const gbk = execFileSync("iconv", ["-f", "utf-8", "-t", "gbk"], { input: "- name: 二级\n  set: {treatment.level: 2}\n" });
    const f = file(gbk, "yaml");
    const r = run(["compare", "examples/zone-changde-yichang.yaml", "--scenarios", f]);
    clean(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${f}:1:9 error encoding not valid UTF-8 (byte 8); save the file as UTF-8\n`);
  });
  it.each([
    ["on the first line", "date：2025-03-09\ninsured: {region: \"430700\", scheme: employee}\ntreatment: {region: \"420500\", level: 3, kind: inpatient}\ncosts: {classA: 11100}\n", 1, 1],
    ["inside a mapping", "date: 2025-03-09\ninsured:\n  region：430700\n  scheme: employee\ntreatment: {region: \"420500\", level: 3, kind: inpatient}\ncosts: {classA: 11100}\n", 3, 3],
    ["with a space after it", "date: 2025-03-09\ninsured: {region: \"430700\", scheme: employee}\ntreatment: {region: \"420500\", level: 3, kind: inpatient}\nfiling： none\ncosts: {classA: 11100}\n", 4, 1],
  ])("a full-width colon %s: the syntax error says what it is", (_, text, line, col) => {
    const f = file(text, "yaml");
    const r = run(["calc", f]);
    clean(r);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(new RegExp(`^${esc(f)}:${line}:${col} error syntax .*\\(a full-width colon "：" does not separate a key from its value: write an ASCII colon and a space, "key: value"\\)\\n$`));
  });
  it.each([
    [";", "semicolons \\(;\\)"],
    ["\t", "tabs"],
  ])("a CSV separated by %j: the header's problems say so", (sep, words) => {
    const f = file(`${HEADER.replaceAll(",", sep)}\n${ROW("c-1").replaceAll(",", sep)}\n`, "csv");
    const r = run(["batch", f]);
    clean(r);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trim().split("\n");
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(new RegExp(`^${esc(f)}:1:1 error csv-header `));
    // The hint once, on the first problem (src/batch/csv.ts): not the same sentence under each.
    expect(lines[0]).toMatch(new RegExp(`\\(the header is separated by ${words}, and batch reads CSV separated by commas: save the file as CSV with commas`));
    expect(r.stderr.match(/the header is separated by/g)).toHaveLength(1);
  });
  it("blanks around every enumerated value are trimmed, as around regions: scheme, level (三级), kind, filing, item class", () => {
    const line = JSON.stringify({
      date: "2025-03-09",
      insured: { region: " 430700 ", scheme: " employee " },
      treatment: { region: "420500", level: "三级 ", kind: "inpatient " },
      filing: " none",
      items: [{ name: "床位费", class: " A ", amount: 11100 }],
    });
    const r = run(["batch", file(`${line}\n`), "-q"]);
    clean(r);
    expect(r.code).toBe(0);
    expect(records(r.stdout)[0]).toMatchObject({ payable: 8500, personal: 2600, route: "zone", treatment: { level: "3" } });
    // And in a claim file (YAML), a chronic disease with a blank after it.
    const example = run(["calc", "examples/chronic-dialysis-changde-wuhan.yaml", "--format", "json", "-q"]);
    const yaml = file(`date: 2025-03-20\ninsured: {region: "430700", scheme: employee}\ntreatment: {region: "420100", level: 3, kind: "chronic ", disease: "uremia-dialysis "}\nfiling: " long-term"\ncosts: {classA: 4800}\n`, "yaml");
    const c = run(["calc", yaml, "--format", "json", "-q"]);
    clean(c);
    expect([c.code, c.stderr]).toEqual([0, ""]);
    expect(JSON.parse(c.stdout)).toMatchObject({ route: JSON.parse(example.stdout).route, treatment: { kind: "chronic", disease: "uremia-dialysis" } });
  });
});
