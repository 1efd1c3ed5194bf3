/** `--bom`: csv (and tsv) output that Excel opens as UTF-8. Through the built binary. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bin } from "../helpers.js";

const BOM = "\uFEFF";
const CLAIM = "examples/referral-changde-wuhan.yaml";
const dir = mkdtempSync(join(tmpdir(), "reimburse-bom-"));

describe("--bom", () => {
  it("calc -f csv: the BOM, then exactly the output without it", () => {
    const plain = bin(["calc", CLAIM, "-f", "csv", "-q"]);
    const marked = bin(["calc", CLAIM, "-f", "csv", "-q", "--bom"]);
    expect(marked.code).toBe(0);
    expect(plain.stdout.startsWith("id,date,")).toBe(true);
    expect(marked.stdout).toBe(BOM + plain.stdout);
    expect(Buffer.from(marked.stdout, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it("calc -f tsv and -o FILE", () => {
    expect(bin(["calc", CLAIM, "-f", "tsv", "-q", "--bom"]).stdout.startsWith(`${BOM}id\tdate\t`)).toBe(true);
    const out = join(dir, "calc.csv");
    expect(bin(["calc", CLAIM, "-f", "csv", "-q", "--bom", "-o", out]).code).toBe(0);
    expect(readFileSync(out, "utf8").startsWith(`${BOM}id,date,`)).toBe(true);
  });

  it("batch -f csv, on stdout and into -o FILE: once, before the header (the settled row of c-003 pays 6,000 as without it)", () => {
    const plain = bin(["batch", "examples/batch/claims-2025.jsonl", "-f", "csv", "-q"]);
    const marked = bin(["batch", "examples/batch/claims-2025.jsonl", "-f", "csv", "-q", "--bom"]);
    expect(marked.stdout).toBe(BOM + plain.stdout);
    expect(marked.stdout.split(BOM)).toHaveLength(2);
    const out = join(dir, "batch.csv");
    bin(["batch", "examples/batch/claims-2025.jsonl", "-f", "csv", "-q", "--bom", "-o", out]);
    expect(readFileSync(out, "utf8")).toBe(marked.stdout);
    // c-003: referral, (8,600 − 1,100) × (85% − 5 points) = 7,500 × 80% = 6,000
    expect(marked.stdout).toMatch(/\nc-003,2025-[\d-]+,referral,6000,/);
  });

  it("compare -f csv and rules coverage -f csv", () => {
    const c = bin(["compare", CLAIM, "-f", "csv", "-q", "--bom"]);
    expect(c.code).toBe(0);
    expect(c.stdout.startsWith(`${BOM}scenario,changes,`)).toBe(true);
    const plainCoverage = bin(["rules", "coverage", "--date", "2025-07-01", "-f", "csv"]);
    const cov = bin(["rules", "coverage", "--date", "2025-07-01", "-f", "csv", "--bom"]);
    expect(cov.stdout).toBe(BOM + plainCoverage.stdout);
  });

  it("is refused with a format that is not csv or tsv (exit 2), before any claim is read", () => {
    for (const args of [["calc", CLAIM], ["calc", CLAIM, "-f", "json"], ["compare", CLAIM, "-f", "html"], ["batch", "no-such-file.jsonl"], ["rules", "coverage"]]) {
      const r = bin([...args, "--bom"]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^error: --bom marks csv or tsv output for Excel; --format (table|json|html|jsonl|text) is neither \(add --format csv\)\n/);
      expect(r.stdout).toBe("");
    }
  });
});
