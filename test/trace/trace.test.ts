/**
 * Results that can be traced (issue "Results that can be traced and gaps
 * reported whole"): a rule-set version that depends only on the rules'
 * content, the inputs that identify a result echoed in it, receipts, every
 * missing figure in one message, names as people write them, no rule file
 * skipped silently, and --keep-going.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { bin, ROOT } from "../helpers.js";

const ZONE = join(ROOT, "examples", "zone-changde-yichang.yaml");
const versionOf = (out: string) => (JSON.parse(out) as { rules: { version: string } }).rules.version;

/** A claim file from YAML text. */
function claimFile(text: string): string {
  const f = join(mkdtempSync(join(tmpdir(), "reimburse-trace-")), "claim.yaml");
  writeFileSync(f, text);
  return f;
}

describe("the rule-set version depends only on the rules' content", () => {
  it("is the same from the repository root, from / and from a copy of the package installed elsewhere", () => {
    const here = versionOf(bin(["calc", ZONE, "--format", "json"]).stdout);
    expect(here).toMatch(/^[0-9a-f]{16}$/);
    expect(versionOf(bin(["calc", ZONE, "--format", "json"], { cwd: "/" }).stdout)).toBe(here);
    // A copy of the package elsewhere (as npm would install it: bin, dist, rules).
    const pkg = join(mkdtempSync(join(tmpdir(), "reimburse-pkg-")), "node_modules", "reimburse");
    for (const d of ["bin", "dist", "rules"]) cpSync(join(ROOT, d), join(pkg, d), { recursive: true });
    cpSync(join(ROOT, "package.json"), join(pkg, "package.json"));
    const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
    const r = spawnSync(process.execPath, [join(pkg, "bin", "reimburse.js"), "calc", ZONE, "--format", "json"], { encoding: "utf8", cwd: "/" });
    expect(r.status).toBe(0);
    expect(versionOf(r.stdout)).toBe(here);
    // And rules show, rules check -f json and rules test -f json print it.
    expect(bin(["rules", "show", "--region", "430700", "--date", "2025-03-09", "-f", "json"]).stdout).toContain(`"rulesVersion": "${here}"`);
    expect(JSON.parse(bin(["rules", "check", "-f", "json", "--as-of", "2026-06-01"]).stdout).rulesVersion).toBe(here);
    expect(JSON.parse(bin(["rules", "test", "-f", "json"]).stdout).rulesVersion).toBe(here);
  });
});

describe("the inputs that identify a result are in it", () => {
  const claim = claimFile(readFileSync(ZONE, "utf8").replace("insured:\n", "insured:\n  id: HN-0042\n").replace("treatment:\n", "treatment:\n  hospital: 宜昌市中心人民医院\n"));
  it("calc JSON carries insured.id and treatment.hospital; the table's headline names both", () => {
    const j = JSON.parse(bin(["calc", claim, "--format", "json"]).stdout);
    expect(j.insured).toMatchObject({ id: "HN-0042", region: "430700" });
    expect(j.treatment).toMatchObject({ region: "420500", hospital: "宜昌市中心人民医院", level: "3" });
    expect(j.payable).toBe(8500); // (11,100 − 1,100) × 85%
    expect(bin(["calc", claim, "--lang", "en"], { env: { COLUMNS: "200" } }).stdout.split("\n")[0]).toBe("Claim seed-zone · 2025-03-09  insured HN-0042, 常德市 (430700) employee → 宜昌市 (420500) 宜昌市中心人民医院, level-3 hospital, inpatient");
  });
  it("batch JSON Lines and CSV carry insured.id (and the hospital)", () => {
    const file = join(ROOT, "examples", "batch", "claims-2025.jsonl");
    const first = JSON.parse(readFileSync(file, "utf8").split("\n")[0]!);
    const lines = bin(["batch", file, "-q"]).stdout.trim().split("\n").map((l) => JSON.parse(l));
    const out = lines.find((l) => l.line === 1);
    expect(out.insured.id).toBe(first.insured.id);
    const rows = parse(bin(["batch", file, "-q", "--format", "csv"]).stdout, { columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r.line === "1")!.insuredId).toBe(first.insured.id);
    expect(Object.keys(rows[0]!).slice(-6)).toEqual(["insuredId", "hospital", "criticalIllness", "criticalIllnessBase", "line", "error"]);
  });
});

describe("receipts", () => {
  it("calc --receipt records the rules version and directory, the tool version, the input's SHA-256, the dates and the count", () => {
    const receipt = join(mkdtempSync(join(tmpdir(), "reimburse-receipt-")), "receipt.json");
    const r = bin(["calc", ZONE, "--format", "json", "--receipt", receipt]);
    expect(r.code).toBe(0);
    const got = JSON.parse(readFileSync(receipt, "utf8"));
    expect(got).toMatchObject({
      receipt: 1,
      tool: { name: "reimburse", version: JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version },
      rules: { version: versionOf(r.stdout), dir: join(ROOT, "rules") },
      inputs: [{ file: ZONE, sha256: createHash("sha256").update(readFileSync(ZONE)).digest("hex"), bytes: readFileSync(ZONE).length }],
      dates: { first: "2025-03-09", last: "2025-03-09" },
      results: { records: 1, settled: 1, failed: 0 },
    });
  });
  it("batch --receipt hashes the input as it reads it", () => {
    const file = join(ROOT, "examples", "batch", "claims-2025.jsonl");
    const receipt = join(mkdtempSync(join(tmpdir(), "reimburse-receipt-")), "r.json");
    bin(["batch", file, "-q", "--receipt", receipt]);
    const got = JSON.parse(readFileSync(receipt, "utf8"));
    expect(got.inputs).toEqual([{ file, sha256: createHash("sha256").update(readFileSync(file)).digest("hex"), bytes: readFileSync(file).length }]);
    expect(got.results.records).toBe(got.results.settled + got.results.failed);
  });
});

describe("a rule gap names every missing figure, and the file to create", () => {
  it("a 黄石 claim: every figure it needs, and rules/hubei/huangshi.yaml", () => {
    const f = claimFile("date: 2025-03-09\ninsured: {region: 黄石, scheme: employee}\ntreatment: {region: 武汉市, level: 3, kind: inpatient}\nfiling: referral\ncosts: {classA: 10000}\n");
    const r = bin(["calc", f]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("no employee inpatient deductible (起付线), employee inpatient ratio (支付比例) and employee inpatient annual cap (最高支付限额) for 黄石市 (420200) in force on 2025-03-09");
    expect(r.stderr).toContain('create rules/hubei/huangshi.yaml (region: "420200") with `employee.inpatient.deductible`, `employee.inpatient.ratio` and `employee.inpatient.annualCap`');
    expect(r.stderr).not.toContain("province.yaml");
  });
  it("rules inside an installed package: the hint says to copy them (rules init) and use --rules", () => {
    const pkg = join(mkdtempSync(join(tmpdir(), "reimburse-pkg-")), "node_modules", "reimburse");
    for (const d of ["bin", "dist", "rules"]) cpSync(join(ROOT, d), join(pkg, d), { recursive: true });
    cpSync(join(ROOT, "package.json"), join(pkg, "package.json"));
    const f = claimFile("date: 2025-03-09\ninsured: {region: 黄石, scheme: employee}\ntreatment: {region: 武汉市, level: 3, kind: inpatient}\nfiling: referral\ncosts: {classA: 10000}\n");
    const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
    const r = spawnSync(process.execPath, [join(pkg, "bin", "reimburse.js"), "calc", f], { encoding: "utf8" });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain("these rules are inside an installed package: copy them (reimburse rules init DIR) and settle with --rules DIR");
    // rules init makes that copy, and it settles the same.
    const copy = join(mkdtempSync(join(tmpdir(), "reimburse-init-")), "rules");
    expect(bin(["rules", "init", copy]).code).toBe(0);
    expect(JSON.parse(bin(["calc", ZONE, "--format", "json", "--rules", copy]).stdout).payable).toBe(8500);
    expect(bin(["rules", "init", copy]).stderr).toMatch(/is not empty/); // never over a directory that holds something
  });
});

describe("names as people write them", () => {
  const insuredAs = (name: string) => {
    const r = bin(["calc", claimFile(readFileSync(ZONE, "utf8").replace('region: "430700"', `region: ${name}`)), "--format", "json"]);
    return r.code === 0 ? JSON.parse(r.stdout).insured.name : r.stderr;
  };
  it("湘西州 is 湘西土家族苗族自治州, 恩施州 the 自治州 (not 恩施市), Wuhan 武汉市", () => {
    expect(insuredAs("湘西州")).toBe("湘西土家族苗族自治州");
    expect(insuredAs("Wuhan")).toBe("武汉市");
    expect(insuredAs("changde")).toBe("常德市");
    expect(insuredAs("湘西")).toBe("湘西土家族苗族自治州");
    expect(insuredAs("荆州")).toContain("荆州市 (421000)"); // a bare city name: the city, not its district 荆州区 (whose employee figures are missing)
    // 恩施州 means the 自治州, which has no level-3 figures: the gap names 422800, not 恩施市 (422801).
    expect(insuredAs("恩施州")).toBeDefined();
    const r = bin(["calc", claimFile(readFileSync(ZONE, "utf8").replace('region: "430700"', "region: 恩施州").replace('region: "420500"', 'region: "430100"')), "--format", "json"]);
    expect(r.stderr).toContain("恩施土家族苗族自治州 (422800)");
  });
  it("did-you-mean keeps to the level the name's suffix says, and prefers the city", () => {
    expect(insuredAs("湘西洲")).toMatch(/did you mean 湘西土家族苗族自治州\?/);
    expect(insuredAs("常得")).toMatch(/did you mean 常德市\?/);
  });
});

describe("no rule file is skipped silently", () => {
  it("a file named Huangshi.YAML is a rules check warning naming it", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "reimburse-ignored-")), "rules");
    cpSync(join(ROOT, "rules"), dir, { recursive: true });
    writeFileSync(join(dir, "hubei", "Huangshi.YAML"), "region: \"420200\"\n");
    const r = bin(["rules", "check", dir, "--as-of", "2026-06-01"]);
    expect(r.stdout).toContain(`${dir}/hubei/Huangshi.YAML warning ignored-file not read: rule files end in .yaml (or .yml), in lower case; rename it to Huangshi.yaml to have it read`);
  });
});

describe("calc --keep-going", () => {
  it("prints the claims that settled, reports the others on standard error, and exits as batch does", () => {
    const gap = join(ROOT, "test", "fixtures", "claims", "gap-huanggang.yaml");
    const r = bin(["calc", ZONE, gap, "--format", "json", "--keep-going"]);
    expect(r.code).toBe(3); // a rule gap only
    expect(JSON.parse(r.stdout).payable).toBe(8500);
    expect(r.stderr).toMatch(/gap-huanggang\.yaml error rule-gap no employee inpatient deductible/);
    const bad = bin(["calc", ZONE, gap, join(ROOT, "test", "fixtures", "claims", "broken.yaml"), "--format", "json", "--keep-going"]);
    expect(bad.code).toBe(4); // an invalid claim: 4 wins
    // Without it: nothing on stdout.
    expect(bin(["calc", ZONE, gap, "--format", "json"]).stdout).toBe("");
  });
});
