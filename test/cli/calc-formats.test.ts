import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { FLAT_COLUMNS } from "../../src/format/flat.js";
import { cli } from "../helpers.js";

const ZONE = "examples/zone-changde-yichang.yaml";
const REFERRAL = "examples/referral-changde-wuhan.yaml";
const UNFILED = "examples/unfiled-changde-wuhan.yaml";

describe("reimburse calc --format json with several claims", () => {
  it("one claim: one object (scripts do jq .payable)", async () => {
    const r = await cli(["calc", ZONE, "-f", "json", "-q"]);
    expect(JSON.parse(r.stdout)).toMatchObject({ schemaVersion: 3, id: "seed-zone", payable: 8500 });
  });
  it("several claims: an array in argument order", async () => {
    const r = await cli(["calc", ZONE, REFERRAL, UNFILED, "-f", "json", "-q"]);
    expect(r.code).toBe(0);
    const all = JSON.parse(r.stdout) as { schemaVersion: number; id: string; payable: number }[];
    // zone 10,000 × 85%; referral × 80%; unfiled × 75%
    expect(all.map((j) => [j.schemaVersion, j.id, j.payable])).toEqual([
      [3, "seed-zone", 8500],
      [3, "seed-referral", 8000],
      [3, "seed-unfiled", 7500],
    ]);
  });
  it("--fields keeps only the named top-level keys, in that order", async () => {
    const r = await cli(["calc", REFERRAL, "-f", "json", "--fields", "route,payable,personal", "-q"]);
    expect(r.stdout).toBe('{\n  "route": "referral",\n  "payable": 8000,\n  "personal": 3100\n}\n');
  });
  it("an unknown key is a usage error with a did-you-mean", async () => {
    const r = await cli(["calc", ZONE, "-f", "json", "--fields", "payable,personel"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --fields: unknown key "personel" \(did you mean "personal"\?\); known: schemaVersion, id, date, payable/);
  });
});

describe("reimburse calc --format csv / tsv", () => {
  it("writes the documented flat columns, then the file, one row per claim; csv-parse reads it back", async () => {
    const r = await cli(["calc", ZONE, REFERRAL, "-f", "csv", "-q"]);
    expect(r.code).toBe(0);
    const rows = parse(r.stdout) as string[][];
    expect(rows[0]).toEqual([...FLAT_COLUMNS, "file"]);
    const recs = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(recs).toHaveLength(2);
    // referral: deductible 1,100; ratio 85% − 5 points; reduction 10,000 × 5% = 500; co-pay 10,000 − 8,000 = 2,000
    expect(recs[1]).toMatchObject({
      id: "seed-referral", date: "2025-03-09", route: "referral", payable: "8000", personal: "3100", total: "11100", inPolicy: "11100",
      deductible: "1100", ratio: "0.8", reductionMechanism: "points", reductionRate: "0.05", reductionAmount: "500", copay: "2000",
      overCap: "0", insuredRegion: "430700", scheme: "employee", retired: "false", treatmentRegion: "420100", level: "3", kind: "inpatient", file: REFERRAL,
    });
  });
  it("--fields chooses and orders the columns", async () => {
    const r = await cli(["calc", ZONE, REFERRAL, UNFILED, "-f", "tsv", "--fields", "file,route,payable"]);
    expect(r.stdout).toBe(`file\troute\tpayable\n${ZONE}\tzone\t8500\n${REFERRAL}\treferral\t8000\n${UNFILED}\tunfiled\t7500\n`);
  });
  it("quotes a value with a comma and quotes (an id set on the command line)", async () => {
    const r = await cli(["calc", ZONE, "--set", 'id=stay 1, "bis"', "-f", "csv", "--fields", "id,payable", "-q"]);
    expect(r.stdout).toBe('id,payable\n"stay 1, ""bis""",8500\n');
    expect(parse(r.stdout, { columns: true })).toEqual([{ id: 'stay 1, "bis"', payable: "8500" }]);
  });
  it("an unknown column is a usage error", async () => {
    const r = await cli(["calc", ZONE, "-f", "csv", "--fields", "payable,rout"]);
    expect([r.code, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toMatch(/unknown column "rout" \(did you mean "route"\?\)/);
  });
});

describe("reimburse calc: results on stdout, messages on stderr, --quiet", () => {
  it("machine formats put warnings on stderr, prefixed by the claim file", async () => {
    const r = await cli(["calc", ZONE, "-f", "csv", "--fields", "payable"]);
    expect(r.stdout).toBe("payable\n8500\n");
    // 常德 employees: no 大病保险 figures in the rules (a warning), and the zone is unverified.
    expect(r.stderr).toBe(`warning: ${ZONE}: the rules have no employee 大病保险 (critical illness) threshold (起付标准), bands (分段支付比例), annual cap (最高支付限额) for 常德市: what the person pays is before any 大病保险 payment\nwarning: ${ZONE}: depends on 1 unverified figure(s): zones.yichang-changde (bkwk-yichang)\n`);
  });
  it("--quiet: nothing on stderr, and no warnings under the table", async () => {
    const csv = await cli(["calc", ZONE, "-f", "csv", "--fields", "payable", "--quiet"]);
    expect(csv.stderr).toBe("");
    const table = await cli(["calc", ZONE, "--lang", "en", "-q"]);
    expect(table.stdout).not.toContain("Warnings");
    expect(table.stdout).toMatch(/Fund pays: 8,500.00 yuan\n$/);
    expect((await cli(["calc", ZONE, "--lang", "en"])).stdout).toContain("Warnings");
  });
  it("--fields means nothing to the table: a usage error, not a silent no-op", async () => {
    const r = await cli(["calc", ZONE, "--fields", "payable"]);
    expect(r.code).toBe(2);
  });
  it("an unknown format is refused by the option parser (exit 2)", async () => {
    const r = await cli(["calc", ZONE, "-f", "xml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Allowed choices are table, json, csv, tsv/);
  });
});
