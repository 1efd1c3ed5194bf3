/**
 * Installing the package as a user would: `npm link` puts `reimburse` on the PATH with
 * no warning (the package has no install scripts npm would ask to approve), and a
 * checkout that was never built says how to build it instead of a stack trace.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers.js";

describe("installing reimburse", () => {
  it("npm link warns about nothing, and the linked command settles the seed example", () => {
    const prefix = mkdtempSync(join(tmpdir(), "reimburse-prefix-"));
    const env = { ...process.env, npm_config_prefix: prefix, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" };
    const link = spawnSync("npm", ["link", "--offline"], { cwd: ROOT, env, encoding: "utf8", timeout: 120_000 });
    expect(link.status, link.stderr).toBe(0);
    expect(link.stderr).not.toMatch(/warn/i);
    const r = spawnSync(join(prefix, "bin", "reimburse"), ["calc", "examples/zone-changde-yichang.yaml", "--format", "json"], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).payable).toBe(8500); // (11,100 − 1,100) × 85%, as README's quick start
  }, 150_000);

  it("a checkout that was never built says to run npm run build (exit 2, no stack trace)", () => {
    const root = mkdtempSync(join(tmpdir(), "reimburse-unbuilt-"));
    cpSync(join(ROOT, "bin"), join(root, "bin"), { recursive: true }); // no dist/
    const r = spawnSync(process.execPath, [join(root, "bin", "reimburse.js"), "--help"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: reimburse is not built yet: run \`npm run build\` in ${root} (npm test builds it too)\n`);
    expect(r.stdout).toBe("");
  });
});
