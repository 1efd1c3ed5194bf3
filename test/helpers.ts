/** Test helpers: the CLI in-process, the shipped rules, and claims from objects. */
import { execFileSync, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkClaim } from "../src/claims/load.js";
import type { Claim, ClaimInput } from "../src/claims/schema.js";
import { run } from "../src/cli.js";
import type { RuleSet } from "../src/core/model.js";
import { compileRules, type Compiled, type RuleText } from "../src/rules/compile.js";
import { readRuleTexts } from "../src/rules/load.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `reimburse ARGS` in this process (fast; same code as the binary). */
export async function cli(args: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await run(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    env: { ...(opts.env ?? {}) },
    readStdin: () => opts.stdin ?? "",
  });
  return { code, stdout, stderr };
}

/** Runs the built binary (bin/reimburse.js → dist/) as a user would. */
export function bin(args: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "reimburse.js"), ...args], {
    input: opts.stdin ?? "",
    encoding: "utf8",
    cwd: opts.cwd ?? ROOT,
    env: { PATH: process.env.PATH, ...(opts.env ?? {}) },
    timeout: 30_000,
    maxBuffer: 1 << 28,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

let shipped: RuleSet | undefined;
/** The shipped rules, compiled once per test file. */
export function shippedRules(): RuleSet {
  return (shipped ??= compileDir(join(ROOT, "rules")).rules!);
}

/** Rules from in-memory files (fixtures); throws with the diagnostics when invalid. */
export function rulesFrom(texts: RuleText[]): RuleSet {
  const c = compileRules(texts);
  if (!c.rules) throw new Error(c.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code} ${d.path ?? ""} ${d.message}`).join("\n"));
  return c.rules;
}

/** A claim from a plain object, validated like a claim file. */
export function claim(input: ClaimInput | Record<string, unknown>): Claim {
  const r = checkClaim("<test>", input);
  if (!r.claim) throw new Error(r.diagnostics.map((d) => `${d.path}: ${d.message}`).join("\n"));
  return r.claim;
}

/** 常德 employee, level 3 inpatient, 11,100 of class A (the seed example); override what a test varies. */
export function seedClaim(over: Record<string, unknown> = {}): Claim {
  const base: Record<string, unknown> = {
    date: "2025-03-09",
    insured: { region: "430700", scheme: "employee" },
    treatment: { region: "420500", level: 3, kind: "inpatient" },
    filing: "none",
    costs: { classA: 11100 },
  };
  return claim(deepMerge(base, over));
}

export function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = v && typeof v === "object" && !Array.isArray(v) && prev && typeof prev === "object" && !Array.isArray(prev) ? deepMerge(prev as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

/** The lines of a year of claims from the bench's generator (bench/gen.mjs: seeded, ~1.5% broken records). */
export function benchLines(claims: number, seed: number): string[] {
  const text = execFileSync(process.execPath, ["bench/gen.mjs", "--claims", String(claims), "--seed", String(seed)], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
  return text.split("\n").filter(Boolean);
}

/** The valid claims among them, as batch reads them. */
export function benchClaims(claims: number, seed: number): Claim[] {
  const out: Claim[] = [];
  for (const l of benchLines(claims, seed)) {
    let v: unknown;
    try {
      v = JSON.parse(l);
    } catch {
      continue;
    }
    const c = checkClaim("x", v).claim;
    if (c) out.push(c);
  }
  return out;
}

/** The rules of a directory, read and compiled afresh (no snapshot). */
export const compileDir = (dir: string): Compiled => compileRules(readRuleTexts(dir));
