import { describe, expect, it } from "vitest";
import { cli } from "../helpers.js";

describe("reimburse calc (in-process)", () => {
  it("pays 8,500 on the seed zone claim: (11,100 − 1,100) × 85%", async () => {
    const r = await cli(["calc", "examples/zone-changde-yichang.yaml", "--format", "json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).payable).toBe(8500);
  });
});
