/**
 * The quick way through `reimburse calc FILE… --format json` (a script calling
 * calc in a loop): the common case is answered without loading commander, zod,
 * the yaml library, chalk or cli-table3, from the rules snapshot. It either
 * gives exactly what `calc` gives — stdout, warnings on stderr, exit 0 — or
 * returns undefined, having written nothing, and the caller runs the CLI as
 * usual. Anything unusual goes the usual way: another option, standard input,
 * a claim outside the plain YAML subset or not valid, a claim the rules refuse,
 * edited rules. test/batch/startup.test.ts checks it against `run`.
 */
import { readFileSync, statSync } from "node:fs";
import { fastClaim } from "../batch/fastclaim.js";
import { json, warn } from "../commands/output.js";
import { settle } from "../core/settle.js";
import { settlementJson } from "../format/json.js";
import { langFromEnv, type Lang } from "../format/labels.js";
import { loadSnapshot } from "../rules/snapshot.js";
import { shippedDir } from "./paths.js";
import { miniYaml } from "./miniyaml.js";

export interface QuickIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
  readonly env: NodeJS.ProcessEnv;
}

/** Claims larger than this go the usual way (src/io.ts has the limits and their messages). */
const MAX_BYTES = 1 << 20;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** `args` after "calc". Exit code, or undefined: not handled, nothing written. */
export function quickCalc(args: readonly string[], io: QuickIo): number | undefined {
  const files: string[] = [];
  let format: string | undefined;
  let lang: string | undefined;
  let quiet = false;
  let explain = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--format" || a === "-f") format = args[++i];
    else if (a.startsWith("--format=")) format = a.slice(9);
    else if (a === "--lang") lang = args[++i];
    else if (a.startsWith("--lang=")) lang = a.slice(7);
    else if (a === "-q" || a === "--quiet") quiet = true;
    else if (a === "--explain") explain = true;
    else if (a === "--no-color") continue; // no effect on JSON
    else if (a.startsWith("-")) return undefined; // stdin, --rules, --set, --fields, --, …: the usual way
    else files.push(a);
  }
  if (format !== "json" || !files.length) return undefined;
  if (lang !== undefined && lang !== "zh" && lang !== "en") return undefined;
  const dir = shippedDir();
  if (dir === undefined) return undefined;
  const rules = loadSnapshot(dir);
  if (!rules) return undefined;
  const l: Lang = lang === "zh" || lang === "en" ? lang : langFromEnv(io.env);
  const objs: { file: string; json: ReturnType<typeof settlementJson> }[] = [];
  for (const file of files) {
    let text: string;
    try {
      if (statSync(file).size > MAX_BYTES) return undefined;
      text = utf8.decode(readFileSync(file));
    } catch {
      return undefined;
    }
    const value = file.endsWith(".json") ? undefined : miniYaml(text);
    if (value === undefined || numericId(value)) return undefined; // an id written as a number is its text: the usual way reads it
    const claim = fastClaim(value);
    if (!claim) return undefined;
    try {
      objs.push({ file, json: settlementJson(settle(claim, rules), rules, l, explain) });
    } catch {
      return undefined; // refused by the rules, or a rule gap: the usual way words it
    }
  }
  warn({ readStdin: () => "", stderr: io.stderr }, quiet, objs.flatMap((r) => r.json.warnings.map((w) => `${r.file}: ${w.message}`)));
  io.stdout.write(json(objs.length === 1 ? objs[0]!.json : objs.map((o) => o.json)));
  return 0;
}

/** `id: 007` or `insured: {id: 007}`: src/claims/load.ts keeps the text as written, which this reader does not see. */
function numericId(v: unknown): boolean {
  const o = v as { id?: unknown; insured?: { id?: unknown } } | null;
  return typeof o?.id === "number" || typeof o?.insured?.id === "number";
}
