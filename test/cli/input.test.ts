/**
 * One way to give claims (issue 14 point 4, docs/input.md), through the built
 * binary: every input kind × every command that reads claims, from a file and
 * from standard input; --input-format; UTF-16 refused (point 3); the claim
 * file's JSON Schema and template.
 *
 * The two claims (the seed examples):
 * - zone: 常德 employee, level 3 in 宜昌 (a zone), 11,100 class A:
 *   (11,100 − 1,100 deductible) × 85% = 8,500 from the fund;
 * - referral: the same stay in 武汉 on a filed referral, Hunan's reduction of 5 points:
 *   (11,100 − 1,100) × (85% − 5%) = 8,000.
 * Neither has an insured.id: batch settles each on its own, as calc does.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bin, ROOT } from "../helpers.js";

const ZONE = { id: "zone", date: "2025-03-09", insured: { region: "430700", scheme: "employee" }, treatment: { region: "420500", level: 3, kind: "inpatient" }, filing: "none", costs: { classA: 11100 } };
const REFERRAL = { id: "referral", date: "2025-03-09", insured: { region: "430700", scheme: "employee" }, treatment: { region: "420100", level: 3, kind: "inpatient" }, filing: "referral", costs: { classA: 11100 } };
const CSV_HEAD = "id,date,insured.region,insured.scheme,treatment.region,treatment.level,treatment.kind,filing,costs.classA";
const csvRow = (c: typeof ZONE) => [c.id, c.date, c.insured.region, c.insured.scheme, c.treatment.region, c.treatment.level, c.treatment.kind, c.filing, c.costs.classA].join(",");
const yamlOf = (c: typeof ZONE, indent = "") =>
  [`id: ${c.id}`, `date: ${c.date}`, `insured: {region: "${c.insured.region}", scheme: ${c.insured.scheme}}`, `treatment: {region: "${c.treatment.region}", level: ${c.treatment.level}, kind: ${c.treatment.kind}}`, `filing: ${c.filing}`, `costs: {classA: ${c.costs.classA}}`]
    .map((l, i) => (i === 0 && indent ? `- ${l}` : `${indent}${l}`))
    .join("\n");

const dir = mkdtempSync(join(tmpdir(), "reimburse-input-"));
const put = (name: string, text: string | Buffer): string => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};

/** Each kind of input, with the claims it holds (their payables) and whether it is one claim by nature. */
const INPUTS: readonly { kind: string; file: string; payables: number[]; one: boolean }[] = [
  { kind: "a YAML claim", file: put("zone.yaml", yamlOf(ZONE) + "\n"), payables: [8500], one: true },
  { kind: "a JSON claim", file: put("zone.json", JSON.stringify(ZONE, null, 2) + "\n"), payables: [8500], one: true },
  { kind: "a YAML list", file: put("list.yaml", `${yamlOf(ZONE, "  ")}\n${yamlOf(REFERRAL, "  ")}\n`), payables: [8500, 8000], one: false },
  { kind: "a JSON list", file: put("list.json", JSON.stringify([ZONE, REFERRAL], null, 2) + "\n"), payables: [8500, 8000], one: false },
  { kind: "JSON Lines", file: put("claims.jsonl", `${JSON.stringify(ZONE)}\n${JSON.stringify(REFERRAL)}\n`), payables: [8500, 8000], one: false },
  { kind: "CSV", file: put("claims.csv", `${CSV_HEAD}\n${csvRow(ZONE)}\n${csvRow(REFERRAL)}\n`), payables: [8500, 8000], one: false },
  // Named for no format at all: the content decides.
  { kind: "CSV named .txt", file: put("claims-csv.txt", `${CSV_HEAD}\n${csvRow(ZONE)}\n${csvRow(REFERRAL)}\n`), payables: [8500, 8000], one: false },
  { kind: "JSON Lines named .data", file: put("claims.data", `${JSON.stringify(ZONE)}\n${JSON.stringify(REFERRAL)}\n`), payables: [8500, 8000], one: false },
];

/** `-` reads the same text from standard input. */
const VIA = [
  ["a file", (f: string) => ({ arg: f, stdin: "" })],
  ["standard input", (f: string) => ({ arg: "-", stdin: readFileSync(f, "utf8") })],
] as const;

const json = (s: string) => JSON.parse(s);
const jsonLines = (s: string) => s.trim().split("\n").filter(Boolean).map(json);

describe.each(VIA)("every input kind, from %s", (_, via) => {
  it.each(INPUTS)("calc settles each claim of $kind (json: an object for one claim, else an array)", ({ file, payables, one }) => {
    const { arg, stdin } = via(file);
    const r = bin(["calc", arg, "-f", "json", "--fields", "id,payable", "-q"], { stdin });
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const out = json(r.stdout);
    expect(one ? [out.payable] : out.map((o: { payable: number }) => o.payable)).toEqual(payables);
  });

  it.each(INPUTS)("batch settles $kind record by record", ({ file, payables }) => {
    const { arg, stdin } = via(file);
    const r = bin(["batch", arg, "-q"], { stdin });
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout).map((o) => o.payable)).toEqual(payables);
    // 8,500 + 8,000 = 16,500 for two claims.
    expect(r.stderr).toBe(`batch: ${payables.length} record${payables.length > 1 ? "s" : ""}: ${payables.length} settled, 0 failed; total payable ${payables.length > 1 ? "16,500.00" : "8,500.00"} yuan\n`);
  });

  it.each(INPUTS)("compare takes $kind when it holds one claim, and says so when it holds more", ({ file, payables }) => {
    const { arg, stdin } = via(file);
    const r = bin(["compare", arg, "-f", "json", "-q"], { stdin });
    if (payables.length === 1) {
      expect(r.code).toBe(0);
      expect(json(r.stdout)[0]).toMatchObject({ scenario: "base", payable: 8500 });
    } else {
      expect([r.code, r.stdout]).toEqual([2, ""]);
      expect(r.stderr).toMatch(/^error: compare settles one claim; \S+ holds 2 \((a list|JSON Lines|CSV records)\): compare one of them, or settle them all with reimburse calc or batch\n$/);
    }
  });

  it.each(INPUTS)("rules diff --claims settles $kind under both rule sets", ({ file, payables }) => {
    const { arg, stdin } = via(file);
    const r = bin(["rules", "diff", "rules", "rules", "--claims", arg, "-f", "json"], { stdin });
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const sum = payables.reduce((a, b) => a + b, 0); // 8,500 (+ 8,000)
    expect(json(r.stdout).claims).toMatchObject({ count: payables.length, invalid: 0, changed: 0, payableBefore: sum, payableAfter: sum });
  });
});

describe("a list of claims: each claim located in the file", () => {
  const bad = put("bad-list.yaml", `${yamlOf(ZONE, "  ")}\n${yamlOf({ ...REFERRAL, insured: { region: "430700", scheme: "employe" } }, "  ")}\n`);
  it("calc names the field at its line and column, and settles nothing (exit 4)", () => {
    const r = bin(["calc", bad, "-q"]);
    expect([r.code, r.stdout]).toEqual([4, ""]);
    // Line 9 is the second claim's insured mapping; scheme's value starts at column 39.
    expect(r.stderr).toBe(`${bad}:9:39 error invalid-value insured.scheme: unknown scheme "employe"; one of: employee, resident (did you mean employee?)\n`);
  });
  it("calc --keep-going settles the others, each named FILE:LINE where it starts", () => {
    const r = bin(["calc", bad, "--keep-going", "-f", "csv", "--fields", "id,payable,file", "-q"]);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe(`id,payable,file\nzone,8500,${bad}:1\n`);
  });
  it("batch reports the record at the line where its claim starts", () => {
    const r = bin(["batch", bad]);
    expect(r.code).toBe(4);
    expect(jsonLines(r.stdout).map((o) => [o.line, o.payable ?? o.error])).toEqual([
      [1, 8500],
      [7, "invalid"],
    ]);
    expect(r.stderr.split("\n")[0]).toBe(`${bad}:7: invalid: insured.scheme: unknown scheme "employe"; one of: employee, resident (did you mean employee?)`);
  });
  it("calc on JSON Lines: a line that is not JSON is a problem at its line, the others settle with --keep-going", () => {
    const f = put("broken.jsonl", `${JSON.stringify(ZONE)}\n{"id": \n${JSON.stringify(REFERRAL)}\n`);
    const r = bin(["calc", f, "--keep-going", "-f", "json", "--fields", "payable", "-q"]);
    expect(r.code).toBe(4);
    expect(json(r.stdout)).toEqual([{ payable: 8500 }, { payable: 8000 }]);
    expect(r.stderr).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2:1 error invalid-record not valid JSON`));
  });
  it("an empty list holds no claims: a usage error (exit 2)", () => {
    const f = put("empty-list.yaml", "[]\n");
    const r = bin(["calc", f]);
    expect([r.code, r.stderr]).toEqual([2, `error: no claims in ${f}\n`]);
  });
});

describe("--input-format forces the format, on every command", () => {
  // One JSON object on one line, named .jsonl: JSON Lines of one record by its name, one JSON claim when forced.
  const one = put("one.jsonl", JSON.stringify(ZONE) + "\n");
  it("calc: JSON Lines by the name (an array), a JSON claim when forced (an object)", () => {
    expect(json(bin(["calc", one, "-f", "json", "--fields", "payable", "-q"]).stdout)).toEqual([{ payable: 8500 }]);
    expect(json(bin(["calc", one, "--input-format", "json", "-f", "json", "--fields", "payable", "-q"]).stdout)).toEqual({ payable: 8500 });
  });
  it.each([
    ["calc", ["calc"]],
    ["compare", ["compare"]],
    ["batch", ["batch"]],
    ["rules diff", ["rules", "diff", "rules", "rules", "--claims"]],
  ])("%s: a YAML claim forced as CSV fails on its header (exit 4); forced as yaml from stdin it settles", (_, cmd) => {
    const yaml = put(`forced-${cmd[0]}.yaml`, yamlOf(ZONE) + "\n");
    const r = bin([...cmd, yaml, "--input-format", "csv"]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/error csv-header /);
    const s = bin([...cmd, "-", "--input-format", "yaml", "-q"].filter((a) => !(cmd[0] === "rules" && a === "-q")), { stdin: readFileSync(yaml, "utf8") });
    expect(s.code).toBe(0);
    expect(s.stderr).toBe(cmd[0] === "batch" ? "batch: 1 record: 1 settled, 0 failed; total payable 8,500.00 yuan\n" : "");
  });
  it("forced json on YAML: JSON's own error, located (exit 4)", () => {
    const r = bin(["calc", INPUTS[0]!.file, "--input-format", "json"]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/:1:1 error syntax not valid JSON: .* \(--input-format json\)\n$/);
  });
  it("batch forced to a format its content is not: a hint first, then every record fails", () => {
    const r = bin(["batch", INPUTS[5]!.file, "--input-format", "jsonl", "-q"]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^hint: \S+claims\.csv reads as CSV by its content, but --input-format jsonl reads it as JSON Lines\n/);
    expect(jsonLines(r.stdout).every((o) => o.error === "invalid")).toBe(true);
  });
  it("an unknown format is a usage error (exit 2)", () => {
    const r = bin(["calc", INPUTS[0]!.file, "--input-format", "xml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/argument 'xml' is invalid\. Allowed choices are yaml, json, jsonl, csv\./);
  });
});

describe("UTF-16 is refused, with or without a byte-order mark (issue 14 point 3)", () => {
  const text = `${CSV_HEAD}\n${csvRow(ZONE)}\n`;
  const le = Buffer.from(text, "utf16le");
  const be = Buffer.from(le).swap16();
  const FILES = [
    ["little-endian with a BOM (FF FE)", put("le-bom.csv", Buffer.concat([Buffer.from([0xff, 0xfe]), le])), "little-endian"],
    ["big-endian with a BOM (FE FF)", put("be-bom.csv", Buffer.concat([Buffer.from([0xfe, 0xff]), be])), "big-endian"],
    ["little-endian without a BOM", put("le.csv", le), "little-endian"],
    ["big-endian without a BOM", put("be.csv", be), "big-endian"],
    ["a YAML claim, little-endian without a BOM", put("le.yaml", Buffer.from(yamlOf(ZONE) + "\n", "utf16le")), "little-endian"],
  ] as const;
  const COMMANDS = [["calc"], ["compare"], ["batch"], ["rules", "diff", "rules", "rules", "--claims"]];
  it.each(FILES)("%s: every command, file and stdin, says save it as UTF-8 (exit 4), nothing settled", (_, file, order) => {
    for (const cmd of COMMANDS)
      for (const [arg, stdin] of [
        [file, undefined],
        ["-", readFileSync(file)],
      ] as const) {
        const r = spawn([...cmd, arg], stdin);
        const name = arg === "-" ? "<stdin>" : file;
        expect([cmd.join(" "), arg, r.code, r.stdout, r.stderr]).toEqual([cmd.join(" "), arg, 4, "", `${name}:1:1 error encoding the file is UTF-16 (${order}); save it as UTF-8 (Excel: "CSV UTF-8"; Notepad: "UTF-8")\n`]);
      }
  });
  it("UTF-8 with NUL bytes throughout (/dev/zero's) is not called UTF-16", () => {
    const r = bin(["calc", put("zeros.yaml", Buffer.alloc(64))]);
    expect(r.code).toBe(4);
    expect(r.stderr).not.toMatch(/UTF-16/);
  });
});

/** The binary with bytes on standard input (bin() gives it text). */
function spawn(args: string[], stdin?: Buffer): { code: number; stdout: string; stderr: string } {
  if (!stdin) return bin(args);
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "reimburse.js"), ...args], { input: stdin, cwd: ROOT, env: { PATH: process.env.PATH }, encoding: "utf8", timeout: 30_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe("reimburse claim schema", () => {
  it("prints the claim file's JSON Schema, draft-07, equal to the shipped examples/claim.schema.json", () => {
    const r = bin(["claim", "schema"]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(ROOT, "examples", "claim.schema.json"), "utf8")).toBe(r.stdout); // regenerate: reimburse claim schema > examples/claim.schema.json
    const s = json(r.stdout);
    expect(s.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(s.additionalProperties).toBe(false); // strict, as the claim schema is
    expect(Object.keys(s.properties)).toEqual(["format", "id", "date", "insured", "treatment", "filing", "route", "costs", "items", "history"]);
    expect(s.required).toEqual(["date", "insured", "treatment"]);
    // An amount: a number ≥ 0 or a plain decimal string, as the claim schema reads it.
    expect(JSON.stringify(s)).toContain('"anyOf":[{"type":"number","minimum":0},{"type":"string","pattern":"^\\\\s*\\\\d+(\\\\.\\\\d{1,2})?\\\\s*$"}]');
  });
  it("is named on the first line of every example claim", () => {
    const files = readdirSync(join(ROOT, "examples")).filter((f) => f.endsWith(".yaml"));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) expect(readFileSync(join(ROOT, "examples", f), "utf8").split("\n")[0], f).toBe("# yaml-language-server: $schema=./claim.schema.json");
  });
});

describe("reimburse claim new", () => {
  const r = bin(["claim", "new"]);
  it("unedited, settles with the shipped rules: claim new | calc - pays 8,000", () => {
    expect(r.code).toBe(0);
    // 常德 employee, level 3 in 武汉 on a referral, 11,100 class A: (11,100 − 1,100) × (85% − 5 points) = 8,000.
    const c = bin(["calc", "-", "-f", "json", "--fields", "payable,route", "-q"], { stdin: r.stdout });
    expect([c.code, c.stderr, json(c.stdout)]).toEqual([0, "", { payable: 8000, route: "referral" }]);
    const b = bin(["batch", "-", "-q"], { stdin: r.stdout });
    expect(jsonLines(b.stdout).map((o) => o.payable)).toEqual([8000]);
  });
  it("explains every field of the claim schema, in Chinese and English", () => {
    const keys = (o: Record<string, unknown>, defs: Record<string, Record<string, unknown>>, prefix = ""): string[] =>
      Object.entries(o).flatMap(([k, v]) => {
        const ref = (v as { $ref?: string }).$ref?.split("/").at(-1);
        const d = (ref ? defs[ref] : v) as { properties?: Record<string, unknown>; items?: { $ref?: string; properties?: Record<string, unknown> } };
        const items = d.items?.$ref ? defs[d.items.$ref.split("/").at(-1)!] : d.items;
        return [`${prefix}${k}`, ...(d.properties ? keys(d.properties, defs, `${prefix}${k}.`) : []), ...(items?.properties ? keys(items.properties as Record<string, unknown>, defs, `${prefix}${k}[].`) : [])];
      });
    const s = json(bin(["claim", "schema"]).stdout);
    const fields = keys(s.properties, s.definitions);
    expect(fields.length).toBeGreaterThan(30);
    for (const f of fields) expect(r.stdout, f).toMatch(new RegExp(`(^|[\\s{,#-])${f.split(/\.|\[\]\./).at(-1)}:`, "m"));
    expect(r.stdout).toMatch(/金额单位为元/);
    expect(r.stdout).toMatch(/Amounts are yuan/);
  });
});
