/** `reimburse calc CLAIM…`: parse, settle, render. */
import { readFileSync } from "node:fs";
import { Chalk } from "chalk";
import { parseClaim, rejectionDiagnostic } from "../claims/load.js";
import { ClaimRejectedError } from "../core/errors.js";
import type { RuleSet } from "../core/model.js";
import { settle, type Settlement } from "../core/settle.js";
import { DiagnosticsError, EXIT, UsageError } from "../errors.js";
import { settlementJson } from "../format/json.js";
import type { Lang } from "../format/labels.js";
import { renderSettlement } from "../format/table.js";
import { loadRules } from "../rules/load.js";

export interface CalcOptions {
  readonly rules?: string;
  readonly format: "table" | "json";
  readonly explain: boolean;
  readonly lang: Lang;
  readonly color: boolean;
}

export interface Io {
  readonly readStdin: () => string;
}

/** Reads a claim argument: a path, or "-" for standard input. */
export function readInput(arg: string, io: Io): { file: string; text: string } {
  if (arg === "-") return { file: "<stdin>", text: io.readStdin() };
  try {
    return { file: arg, text: readFileSync(arg, "utf8") };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === "ENOENT" ? `claim file not found: ${arg}` : code === "EISDIR" ? `is a directory, not a claim file: ${arg}` : `cannot read ${arg}: ${(e as Error).message}`);
  }
}

/** Settles one claim text, turning every problem into located diagnostics (exit 4). */
export function settleText(file: string, text: string, rules: RuleSet): Settlement {
  const loaded = parseClaim(file, text);
  if (!loaded.claim) throw new DiagnosticsError(loaded.diagnostics, EXIT.claim);
  try {
    return settle(loaded.claim, rules);
  } catch (e) {
    if (e instanceof ClaimRejectedError) throw new DiagnosticsError([rejectionDiagnostic(loaded, e)], EXIT.claim);
    throw e;
  }
}

export function calc(args: readonly string[], o: CalcOptions, io: Io): string {
  if (!args.length) throw new UsageError("give a claim file (or - for standard input)");
  if (args.filter((a) => a === "-").length > 1) throw new UsageError("standard input (-) can be read once");
  const rules = loadRules(o.rules);
  const results = args.map((a) => {
    const { file, text } = readInput(a, io);
    return settleText(file, text, rules);
  });
  if (o.format === "json") {
    const objs = results.map((s) => settlementJson(s, rules, o.lang));
    return JSON.stringify(objs.length === 1 ? objs[0] : objs, null, 2) + "\n";
  }
  const color = new Chalk({ level: o.color ? 1 : 0 });
  return results.map((s) => renderSettlement(s, rules, { lang: o.lang, color, explain: o.explain })).join("\n");
}
