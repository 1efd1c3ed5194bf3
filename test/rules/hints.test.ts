/**
 * Hints that lead policy staff somewhere (issue 14, point 5), through the
 * built binary: `rules new-region`, the rule-gap hint for a region without
 * figures, did-you-mean for rule-table values, level aliases as table keys,
 * where to declare a source, a region in the wrong province's folder, a zone
 * claim before the zone starts, and no library wording in messages.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bin, ROOT } from "../helpers.js";

const RULES = join(ROOT, "rules");
const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "reimburse-hints-"));
  temps.push(d);
  return d;
}
/** A copy of the shipped rules. */
function rulesCopy(): string {
  const d = tempDir();
  cpSync(RULES, join(d, "rules"), { recursive: true });
  return join(d, "rules");
}
/** A claim file outside any rules directory. */
function claimFile(text: string): string {
  const p = join(tempDir(), "claim.yaml");
  writeFileSync(p, text);
  return p;
}

/** A 黄石 employee, level 3 inpatient in 黄石 itself (local). */
const HUANGSHI = `date: 2025-03-09
insured: {region: "420200", scheme: employee}
treatment: {region: "420200", level: 3, kind: inpatient}
costs: {classA: 11100}
`;

type Coverage = { combinations: { region: string; scheme: string; kind: string; level: string; routes: Record<string, { settles: boolean; missing?: { figure: string; file: string; create: boolean }[] } | null> }[] };
const localGap = (c: Coverage) => c.combinations.find((x) => x.region === "420200" && x.scheme === "employee" && x.kind === "inpatient" && x.level === "3")!.routes.local!;

describe("rules new-region", () => {
  it("the rule-gap hint for 黄石 names the file to create and the command that writes it", () => {
    const r = bin(["calc", claimFile(HUANGSHI)]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('create rules/hubei/huangshi.yaml (region: "420200") with `employee.inpatient.deductible`, `employee.inpatient.ratio` and `employee.inpatient.annualCap`');
    expect(r.stderr).toContain("(`reimburse rules new-region 420200 -o rules/hubei/huangshi.yaml` writes its skeleton)");
    expect(r.stderr).not.toContain("province.yaml");
  });

  it("writes a skeleton that passes rules check, and coverage then finds 黄石's figures missing in it", () => {
    const dir = rulesCopy();
    const before = JSON.parse(bin(["rules", "coverage", "--rules", dir, "--date", "2025-06-01", "-f", "json"]).stdout) as Coverage;
    // Before: nothing of 黄石's own, the file is to be created.
    expect(localGap(before)).toEqual({
      settles: false,
      missing: [
        { figure: "employee.inpatient.deductible", what: "employee inpatient deductible (起付线)", file: `${dir}/hubei/huangshi.yaml`, create: true },
        { figure: "employee.inpatient.ratio", what: "employee inpatient ratio (支付比例)", file: `${dir}/hubei/huangshi.yaml`, create: true },
        { figure: "employee.inpatient.annualCap", what: "employee inpatient annual cap (最高支付限额)", file: `${dir}/hubei/huangshi.yaml`, create: true },
      ],
    });
    const file = join(dir, "hubei", "huangshi.yaml");
    const printed = bin(["rules", "new-region", "420200", "--rules", dir]).stdout;
    const w = bin(["rules", "new-region", "黄石市", "--rules", dir, "-o", file]);
    expect(w.stderr).toBe("");
    expect(w.code).toBe(0);
    // 3 kinds × 3 figures (deductible, ratio, cap) × 2 schemes = 18, employee 大病保险 3, resident 大病 cap 1 (its threshold and bands are Hubei's), class B share 1: 23.
    expect(w.stdout).toBe(`wrote ${file}: 23 figures of 黄石市 (420200), each declared missing\nfill them in, then \`reimburse rules check\` and \`reimburse rules coverage\`\n`);
    const text = readFileSync(file, "utf8");
    expect(text).toBe(printed); // stdout and -o write the same
    expect(text.match(/^ +values: \{\}/gm)).toHaveLength(23);
    expect(text).toContain('region: "420200"');
    expect(text).toContain("#   reductions.referral"); // Hubei's, listed as given by the province, not repeated
    expect(text).not.toMatch(/^ {4}referral:/m);

    const check = bin(["rules", "check", dir, "-f", "json"]);
    expect(check.code).toBe(0);
    const ds = (JSON.parse(check.stdout) as { diagnostics: { code: string; severity: string; file: string }[] }).diagnostics.filter((d) => d.file.endsWith("huangshi.yaml"));
    // Only the placeholder source, never cited yet: a warning that says so.
    expect(ds.map((d) => `${d.severity} ${d.code}`)).toEqual(["warning unused-source"]);

    const after = JSON.parse(bin(["rules", "coverage", "--rules", dir, "--date", "2025-06-01", "-f", "json"]).stdout) as Coverage;
    // The same figures missing, now in the file that exists.
    expect(localGap(after)).toEqual({ settles: false, missing: localGap(before).missing!.map((m) => ({ ...m, create: false })) });
    // A claim names the file to add them to.
    const r = bin(["calc", claimFile(HUANGSHI), "--rules", dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`each with a version dated on or before 2025-03-09, to ${dir}/hubei/huangshi.yaml`);
  });

  it("refuses a region that has its file, a county of a pool, and an existing -o file", () => {
    const wuhan = bin(["rules", "new-region", "武汉市"]);
    expect(wuhan.code).toBe(2);
    expect(wuhan.stderr).toContain("武汉市 (420100) has its file already: rules/hubei/wuhan.yaml");
    const county = bin(["rules", "new-region", "420281"]);
    expect(county.code).toBe(2);
    expect(county.stderr).toContain("大冶市 (420281) is in the pooling region 黄石市 (420200)");
    const dir = tempDir();
    const p = join(dir, "huangshi.yaml");
    writeFileSync(p, "keep me\n");
    const again = bin(["rules", "new-region", "黄石市", "-o", p]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("exists already");
    expect(readFileSync(p, "utf8")).toBe("keep me\n");
    expect(existsSync(join(dir, "x.yaml"))).toBe(false);
  });
});
