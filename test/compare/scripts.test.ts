/**
 * The example shell scripts (examples/scripts/*.sh), run end to end against
 * the built binary, as a user would run them. `npm test` builds first.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers.js";

const script = (name: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT) => {
  const r = spawnSync("sh", [join(ROOT, "examples", "scripts", name), ...args], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH, ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const ex = (f: string) => join(ROOT, "examples", f);

beforeAll(() => {
  if (!existsSync(join(ROOT, "dist", "cli.js"))) spawnSync(process.execPath, [join(ROOT, "src", "build", "build.mjs")], { stdio: "inherit" });
});

describe("examples/scripts/cheapest-level.sh", () => {
  it("ranks the hospital levels by what the person pays (常德 → 武汉 referral)", () => {
    const r = script("cheapest-level.sh", [ex("referral-changde-wuhan.yaml")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    // person pays 11,100 − fund, fund = (11,100 − deductible) × (ratio − 5 points):
    // community (11,100 − 200) × 88% = 9,592 → 1,508; level 1 10,600 × 87% = 9,222 → 1,878;
    // level 2 10,300 × 85% = 8,755 → 2,345; level 3 10,000 × 80% = 8,000 → 3,100
    expect(r.stdout).toBe(
      [
        "level           fund pays      you pay",
        "community         9592.00      1508.00",
        "1                 9222.00      1878.00",
        "2                 8755.00      2345.00",
        "3                 8000.00      3100.00",
        "cheapest for you: level community (you pay 1508.00 yuan)",
        "",
      ].join("\n"),
    );
  });
  it("takes the levels to try, and fails with the CLI's exit code on a bad one", () => {
    const ok = script("cheapest-level.sh", [ex("zone-changde-yichang.yaml"), "2,3"]);
    // zone: level 2 (11,100 − 800) × 90% = 9,270 → 1,830; level 3 8,500 → 2,600
    expect(ok.stdout.split("\n").slice(1, 3)).toEqual(["2                 9270.00      1830.00", "3                 8500.00      2600.00"]);
    const bad = script("cheapest-level.sh", [ex("zone-changde-yichang.yaml"), "2,7"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid value for treatment.level \(--vary treatment.level=2,7\): unknown hospital level "7"/);
  });
});

describe("examples/scripts/filing-cost.sh", () => {
  it("sums what not filing costs over all the example claims", () => {
    const r = script("filing-cost.sh", ["zone-changde-yichang.yaml", "referral-changde-wuhan.yaml", "unfiled-changde-wuhan.yaml", "chronic-dialysis-changde-wuhan.yaml"], {}, join(ROOT, "examples"));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.slice(1, -1).map((l) => l.split(/\s+/))).toEqual([
      // in the zone filing does not matter: 8,500 either way
      ["zone-changde-yichang.yaml", "zone", "8500.00", "zone", "8500.00", "0.00"],
      // referral 10,000 × 80% = 8,000 → unfiled × 75% = 7,500
      ["referral-changde-wuhan.yaml", "referral", "8000.00", "unfiled", "7500.00", "500.00"],
      ["unfiled-changde-wuhan.yaml", "unfiled", "7500.00", "unfiled", "7500.00", "0.00"],
      // dialysis, long-term: no deductible, 6,206.47 × 80% = 4,965.176 → 4,965.18; unfiled × 70% = 4,344.529 → 4,344.53
      ["chronic-dialysis-changde-wuhan.yaml", "long-term", "4965.18", "unfiled", "4344.53", "620.65"],
    ]);
    // 0 + 500 + 0 + 620.65
    expect(lines.at(-1)).toBe("not filing would cost you 1120.65 yuan over 4 claim(s)");
  });
});

describe("examples/scripts/by-route.sh", () => {
  it("sums fund and person by route from the JSON array of several claims (REIMBURSE points at the binary)", () => {
    const r = script("by-route.sh", [ex("zone-changde-yichang.yaml"), ex("referral-changde-wuhan.yaml"), ex("unfiled-changde-wuhan.yaml"), ex("chronic-dialysis-changde-wuhan.yaml")], {
      REIMBURSE: `${process.execPath} ${join(ROOT, "bin", "reimburse.js")}`,
    }, tmpdir());
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split("\n").map((l) => l.trim().split(/\s+/))).toEqual([
      ["route", "claims", "fund", "pays", "you", "pay"],
      ["zone", "1", "8500.00", "2600.00"],
      ["referral", "1", "8000.00", "3100.00"],
      ["unfiled", "1", "7500.00", "3600.00"],
      // dialysis: total 6,542.75 − fund 4,965.18 = 1,577.57
      ["long-term", "1", "4965.18", "1577.57"],
      // 8,500 + 8,000 + 7,500 + 4,965.18 = 28,965.18; 2,600 + 3,100 + 3,600 + 1,577.57 = 10,877.57
      ["total", "4", "28965.18", "10877.57"],
    ]);
  });
  it("accepts the single object JSON gives for one claim", () => {
    const r = script("by-route.sh", [ex("zone-changde-yichang.yaml")]);
    expect(r.stdout.trimEnd().split("\n").slice(1).map((l) => l.trim().split(/\s+/))).toEqual([
      ["zone", "1", "8500.00", "2600.00"],
      ["total", "1", "8500.00", "2600.00"],
    ]);
  });
});
