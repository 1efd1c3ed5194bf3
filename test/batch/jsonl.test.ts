import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { jsonlSerializer } from "../../src/batch/jsonl.js";
import { fastClaim } from "../../src/batch/fastclaim.js";
import { checkClaim } from "../../src/claims/load.js";
import { settle, type Settlement } from "../../src/core/settle.js";
import { settlementJson } from "../../src/format/json.js";
import { ROOT, shippedRules } from "../helpers.js";

describe("the JSON Lines record of batch", () => {
  it("is exactly JSON.stringify({ line, ...settlementJson(…) }) on 3,000 generated claims, in both languages", () => {
    const rules = shippedRules();
    const text = execFileSync(process.execPath, ["bench/gen.mjs", "--claims", "3000", "--seed", "11"], { cwd: ROOT, encoding: "utf8" });
    const settled: Settlement[] = [];
    for (const l of text.trim().split("\n")) {
      let v: unknown;
      try {
        v = JSON.parse(l);
      } catch {
        continue;
      }
      const c = fastClaim(v) ?? checkClaim("x", v).claim;
      if (!c) continue;
      try {
        settled.push(settle(c, rules));
      } catch {
        /* refused: not a settlement */
      }
    }
    expect(settled.length).toBeGreaterThan(2800);
    // Every route, itemised lines and class B all appear in the sample.
    expect(new Set(settled.map((s) => s.route))).toEqual(new Set(["local", "in-province", "zone", "long-term", "referral", "emergency", "temporary", "unfiled"]));
    expect(settled.some((s) => s.lines)).toBe(true);
    for (const lang of ["en", "zh"] as const) {
      const fast = jsonlSerializer(rules, lang);
      settled.forEach((s, i) => {
        expect(fast(i + 1, s)).toBe(JSON.stringify({ line: i + 1, ...settlementJson(s, rules, lang) }));
      });
    }
  }, 60_000);
});
