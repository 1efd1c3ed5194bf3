/**
 * A battery of bad claim files for `reimburse calc`. Each case asserts the exit
 * code, that the message names the file, the line and column and the field path,
 * and that no stack trace is printed. Bounds: every case runs within the test
 * timeout below (5 s; most take milliseconds; 15 s for the 1 MB file of 100,000
 * keys, which the YAML parser reads in ~4 s) and reads at most 2 MB of input
 * (MAX_CLAIM_BYTES): larger files are refused before they are read.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers.js";

const TIME_BOUND_MS = 5_000;
const dir = mkdtempSync(join(tmpdir(), "reimburse-battery-"));
let n = 0;
function file(content: string | Buffer, ext = "yaml"): string {
  const f = join(dir, `case-${++n}.${ext}`);
  writeFileSync(f, content);
  return f;
}

const OK_CLAIM = `date: 2025-03-09
insured: {region: "430700", scheme: employee}
treatment: {region: "420500", level: 3, kind: inpatient}
costs: {classA: 11100}
`;
/** The valid claim with one line replaced (1-based). */
function withLine(line: number, text: string): string {
  const lines = OK_CLAIM.split("\n");
  lines[line - 1] = text;
  return lines.join("\n");
}
const withCosts = (costs: string) => withLine(4, `costs: {${costs}}`);

interface Expect {
  exit: number;
  code?: string;
  line?: number;
  col?: number;
  path?: string;
  message?: RegExp;
}

async function expectRejected(content: string | Buffer, e: Expect, ext = "yaml") {
  const f = file(content, ext);
  const r = await cli(["calc", f]);
  expect(r.code).toBe(e.exit);
  expect(r.stdout).toBe(""); // nothing half-written
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?/); // no stack trace
  expect(r.stderr).not.toMatch(/internal error/);
  const first = r.stderr.split("\n")[0]!;
  if (e.exit !== 2 && e.exit !== 3) expect(first.startsWith(f)).toBe(true); // names the file
  if (e.line !== undefined) expect(first).toContain(`${f}:${e.line}:${e.col ?? ""}`);
  if (e.code) expect(first).toMatch(new RegExp(` error ${e.code} `));
  if (e.path) expect(r.stderr).toContain(` ${e.path}: `);
  if (e.message) expect(r.stderr).toMatch(e.message);
  return r;
}

describe("syntax", { timeout: TIME_BOUND_MS }, () => {
  it("broken YAML", () => expectRejected('date: 2025-03-09\ninsured: {region: "430700"\n', { exit: 4, code: "syntax", line: 3 }));
  it("broken JSON", () => expectRejected('{"date": "2025-03-09",', { exit: 4, code: "syntax", line: 1 }, "json"));
  it("tabs for indentation", () => expectRejected('date: 2025-03-09\ninsured:\n\tregion: "430700"\n', { exit: 4, code: "syntax", line: 3, col: 1, message: /tab used for indentation/ }));
  it("a duplicate key", () => expectRejected(`date: 2025-03-10\n${OK_CLAIM}`, { exit: 4, code: "duplicate-key", line: 2, col: 1 }));
  it("a BOM is accepted", async () => {
    const r = await cli(["calc", file(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(OK_CLAIM)])), "--format", "json"]);
    expect([r.code, JSON.parse(r.stdout).payable]).toEqual([0, 8500]);
  });
  it("CRLF line ends are accepted", async () => {
    const r = await cli(["calc", file(OK_CLAIM.replace(/\n/g, "\r\n")), "--format", "json"]);
    expect([r.code, JSON.parse(r.stdout).payable]).toEqual([0, 8500]);
  });
  it("CRLF keeps line numbers right", () => expectRejected(`${OK_CLAIM}costz: 1\n`.replace(/\n/g, "\r\n"), { exit: 4, code: "unknown-key", line: 5, col: 1, path: "costz" }));
  it("an empty file", () => expectRejected("", { exit: 4, code: "empty", line: 1, col: 1 }));
  it("a file of only comments", () => expectRejected("# a claim\n# to come\n", { exit: 4, code: "empty" }));
  it("binary garbage", () => expectRejected(Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919 + 13) % 256)), { exit: 4 }));
  it("invalid UTF-8, located at the first bad byte", () =>
    expectRejected(Buffer.concat([Buffer.from(`${OK_CLAIM}id: ab`), Buffer.from([0xff, 0xfe]), Buffer.from("\n")]), { exit: 4, code: "encoding", line: 5, col: 7 }));
  it("a 100 MB file is refused before it is read", async () => {
    const t = Date.now();
    await expectRejected(Buffer.alloc(100 * 1024 * 1024, "#"), { exit: 4, code: "too-large", message: /at most 2 MB/ });
    expect(Date.now() - t).toBeLessThan(TIME_BOUND_MS);
  });
  it("several YAML documents", () => expectRejected(`${OK_CLAIM}---\n${OK_CLAIM}`, { exit: 4, code: "syntax", line: 5 }));
  it("a list instead of a mapping", () => expectRejected("- 1\n- 2\n", { exit: 4, code: "invalid-type", line: 1, col: 1 }));
  it("a bare scalar", () => expectRejected("hello\n", { exit: 4, code: "invalid-type" }));
});

describe("types and values", { timeout: TIME_BOUND_MS }, () => {
  const amount = (value: string, message: RegExp) => expectRejected(withCosts(`classA: ${value}`), { exit: 4, code: "invalid-value", line: 4, col: 17, path: "costs.classA", message });
  it("a word where an amount goes", () => amount("abc", /plain decimal amount/));
  it('"1,000"', () => amount('"1,000"', /without thousands separators/));
  it("full-width digits", () => amount("１０００", /ASCII digits/));
  it("a negative amount", () => amount("-5", /must be ≥ 0/));
  it("three decimals", () => amount("10.001", /3 decimals/));
  it("NaN", () => amount(".nan", /plain decimal amount in yuan like 1234\.56, got "\.nan"/));
  it(".inf", () => amount(".inf", /plain decimal amount in yuan like 1234\.56, got "\.inf"/));
  it("1e308", () => amount("1e308", /without an exponent/));
  // YAML reads these as 11,100 and 11,000; an amount is read as written, a plain decimal (as in CSV).
  it("a hexadecimal amount", () => amount("0x2B5C", /plain decimal amount in yuan like 1234\.56, got "0x2B5C"/));
  it("an exponent that YAML reads as a whole number", () => amount("1.1e4", /got "1\.1e4" \(write it without an exponent\)/));
  it("an amount beyond a safe integer of fen", () => amount("90071992547409.93", /too large/));
  it("a boolean where an amount goes", () => amount("true", /amount in yuan.*got true/));
  it("-0, read as written, is a negative sign: refused as in CSV", () => amount("-0", /must be ≥ 0, got -0/));
  it("a total that does not match its parts", () =>
    expectRejected(withCosts("classA: 100, classB: 0, total: 101"), { exit: 4, path: "costs.total", message: /is 101\.00 but classA \+ classB \+ excluded = 100\.00/ }));
  it("an unknown scheme", () => expectRejected(withLine(2, 'insured: {region: "430700", scheme: staff}'), { exit: 4, line: 2, col: 37, path: "insured.scheme", message: /unknown scheme "staff"/ }));
  it("an unknown level", () => expectRejected(withLine(3, 'treatment: {region: "420500", level: 4, kind: inpatient}'), { exit: 4, code: "rejected", line: 3, col: 38, path: "treatment.level", message: /unknown hospital level "4"/ }));
  it("a fractional level", () => expectRejected(withLine(3, 'treatment: {region: "420500", level: 2.5, kind: inpatient}'), { exit: 4, path: "treatment.level" }));
  it("an unknown kind", () => expectRejected(withLine(3, 'treatment: {region: "420500", level: 3, kind: surgery}'), { exit: 4, path: "treatment.kind", message: /one of: inpatient, outpatient, chronic/ }));
  it("an unknown filing", () => expectRejected(`${OK_CLAIM}filing: maybe\n`, { exit: 4, line: 5, col: 9, path: "filing" }));
  it("an unknown region", () => expectRejected(withLine(2, 'insured: {region: "439999", scheme: employee}'), { exit: 4, code: "rejected", line: 2, col: 19, path: "insured.region" }));
  it("a province as region", () => expectRejected(withLine(2, "insured: {region: 湖南省, scheme: employee}"), { exit: 4, path: "insured.region", message: /not a pooling region/ }));
  it("a chronic claim without disease", () => expectRejected(withLine(3, 'treatment: {region: "420500", level: 3, kind: chronic}'), { exit: 4, path: "treatment.disease", message: /required when kind is chronic/ }));
  it("2025-02-30", () => expectRejected(withLine(1, "date: 2025-02-30"), { exit: 4, line: 1, col: 7, path: "date", message: /not a calendar date/ }));
  it("2025-13-01", () => expectRejected(withLine(1, "date: 2025-13-01"), { exit: 4, path: "date" }));
  it("a date as a YAML timestamp with time", () => expectRejected(withLine(1, "date: 2025-03-09T10:00:00"), { exit: 4, path: "date" }));
  it("a date before any rule version is a rules gap (exit 3)", () => expectRejected(withLine(1, "date: 2020-01-01"), { exit: 3, message: /first version/ }));
  it("admissions not a whole number", () => expectRejected(`${OK_CLAIM}history: {admissions: 1.5}\n`, { exit: 4, path: "history.admissions" }));
  it("negative admissions", () => expectRejected(`${OK_CLAIM}history: {admissions: -1}\n`, { exit: 4, path: "history.admissions" }));
  it("retired on the resident scheme", () => expectRejected(withLine(2, 'insured: {region: "430700", scheme: resident, retired: true}'), { exit: 4, path: "insured.retired" }));
  it('"yes" for a boolean', () => expectRejected(withLine(3, 'treatment: {region: "420500", level: 3, kind: inpatient, emergency: "yes"}'), { exit: 4, path: "treatment.emergency" }));
  it("both costs and items", () => expectRejected(`${OK_CLAIM}items: [{name: x, class: A, amount: 1}]\n`, { exit: 4, path: "items", message: /either costs or items/ }));
  it("neither costs nor items", () => expectRejected(withLine(4, ""), { exit: 4, path: "costs", message: /is required/ }));
  it("an empty item list", () => expectRejected(withLine(4, "items: []"), { exit: 4, path: "items" }));
  it("a prepay on a class A line", () => expectRejected(withLine(4, "items: [{name: x, class: A, amount: 10, prepay: 1}]"), { exit: 4, path: "items[0].prepay" }));
  it("a prepay larger than its line", () => expectRejected(withLine(4, "items: [{name: x, class: B, amount: 10, prepay: 11}]"), { exit: 4, path: "items[0].prepay", message: /more than the line's amount/ }));
  it("an unknown item class", () => expectRejected(withLine(4, "items: [{name: x, class: C, amount: 10}]"), { exit: 4, path: "items[0].class" }));
  it("all problems at once", async () => {
    const r = await expectRejected("date: 2025-02-30\ninsured: {region: 1, scheme: x}\ntreatment: {level: 3, kind: y}\ncosts: {classA: -1}\n", { exit: 4 });
    // date, insured.region (1: no such region), insured.scheme, treatment.region (missing), treatment.kind, costs.classA: all six, in file order
    expect(r.stderr.trim().split("\n").map((l) => l.split(" ")[3])).toEqual(["date:", "insured.region:", "insured.scheme:", "treatment.region:", "treatment.kind:", "costs.classA:"]);
    expect(r.stderr).toContain("treatment.region: region is required");
  });
});

describe("hostile input", { timeout: TIME_BOUND_MS }, () => {
  it("a YAML alias bomb (billion laughs) is refused quickly", async () => {
    const bomb = ["a: &a [x,x,x,x,x,x,x,x,x,x]", ...["b", "c", "d", "e", "f", "g", "h"].map((k, i) => `${k}: &${k} [${Array(10).fill(`*${"abcdefg"[i]}`).join(",")}]`)].join("\n");
    await expectRejected(bomb, { exit: 4, code: "syntax", message: /too many aliases/ });
  });
  it("deeply nested flow sequences", () => expectRejected(`id: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`, { exit: 4, message: /nesting too deep/ }));
  it("deeply nested block mappings", () => expectRejected(Array.from({ length: 3000 }, (_, i) => `${"  ".repeat(i)}a:`).join("\n"), { exit: 4 }));
  it("a 1.5 MB string", () => expectRejected(`${OK_CLAIM}id: ${"x".repeat(1_500_000)}\n`, { exit: 4, path: "id", message: /must have at most 200 character\(s\)/ }));
  it("a 5 MB string is over the size bound", () => expectRejected(`${OK_CLAIM}id: ${"x".repeat(5_000_000)}\n`, { exit: 4, code: "too-large" }));
  it("100,000 unknown keys: 200 located, the rest counted, 100 printed", { timeout: 15_000 }, async () => {
    const r = await expectRejected(`${OK_CLAIM}${Array.from({ length: 100_000 }, (_, i) => `k${i}: 1`).join("\n")}\n`, { exit: 4, code: "unknown-key", line: 5, col: 1, path: "k0" });
    // 200 located + 1 "99,800 more not located" = 201 diagnostics; 100 printed, then a count of the other 101
    expect(r.stderr).toMatch(/… and 101 more problem\(s\) not shown\n$/);
  });
  it.each(["__proto__", "constructor", "prototype"])("a %s key is an unknown key and pollutes nothing", async (key) => {
    await expectRejected(`${OK_CLAIM}${key}: {polluted: 1}\n`, { exit: 4, code: "unknown-key", line: 5, col: 1, path: key });
    await expectRejected(withLine(2, `insured: {region: "430700", scheme: employee, ${key}: {polluted: 1}}`), { exit: 4, code: "unknown-key", path: `insured.${key}` });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it("__proto__ in a JSON claim", async () => {
    const r = await expectRejected('{"__proto__": {"polluted": 1}, "date": "2025-03-09"}', { exit: 4, path: "__proto__" }, "json");
    expect(r.stderr).toMatch(/:1:2 error unknown-key __proto__: unknown key "__proto__"/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it("a recursive alias (a value that contains itself)", () => expectRejected(`${OK_CLAIM}filing: &a [*a]\n`, { exit: 4, code: "syntax", line: 5, col: 13, message: /recursive alias \*a/ }));
  it("a custom YAML tag", () => expectRejected(withCosts("classA: !!js/function 'return 1'"), { exit: 4, code: "unknown-tag", line: 4, col: 17 }));
  it("a local YAML tag", () => expectRejected(withCosts("classA: !money 100"), { exit: 4, code: "unknown-tag" }));
  it("a merge key is not merged", () => expectRejected(`base: &b {classA: 1}\n${withCosts("<<: *b")}`, { exit: 4, code: "unknown-key" }));
  it("a complex mapping key", () => expectRejected(`${OK_CLAIM}? [a, b]\n: c\n`, { exit: 4, code: "syntax", line: 5, col: 3, message: /mapping key must be a plain value/ }));
});
