/**
 * Scenarios for `reimburse compare`: named sets of overrides on one claim.
 * From `--vary path=v1,v2` (several: the cross product), `--scenario
 * name:path=value,...`, a scenarios file, or, when none is given, every route
 * the claim could take (README, "Scenarios").
 */
import { z } from "zod";
import type { Claim } from "./schema.js";
import type { Fen } from "../core/money.js";
import { ROUTE_NAMES, type Route, type RuleSet } from "../core/model.js";
import type { Settlement } from "../core/settlement.js";
import { closest } from "../core/suggest.js";
import { findRegion } from "../core/regions.js";
import { zoneFor } from "../core/route.js";
import { DiagnosticsError, EXIT, UsageError } from "../errors.js";
import { parseYaml } from "../yaml/document.js";
import { zodDiagnostics } from "../yaml/zod.js";
import { override, parseAssignment, scalar, type Override } from "./overrides.js";

export interface Scenario {
  readonly name: string;
  readonly set: readonly Override[];
  /** A name made here, not given: by the route (referral) or by the changes (level=2), shown in another language from them. */
  readonly made?: "route" | "changes";
}

/** The name of the claim as written; the default base of the deltas. */
export const BASE = "base";

/**
 * A comparison settles at most this many scenarios: each settlement is kept
 * for the output, so 10,000 take some 250–300 MB and 1 s (12 s as a table,
 * measured), where eight `--vary` of 8 values would be 16 million.
 */
export const MAX_SCENARIOS = 10_000;

/** A usage error when `count` scenarios (made by `how`) are more than a comparison settles. */
export function checkScenarioCount(count: number, how: string): void {
  if (count > MAX_SCENARIOS)
    throw new UsageError(`${how} would make ${count.toLocaleString("en")} scenarios; a comparison settles at most ${MAX_SCENARIOS.toLocaleString("en")}: vary fewer fields or fewer values`);
}

/** `--vary path=v1,v2,…`, several of them: one scenario per combination (at most MAX_SCENARIOS, counted before any is made). */
export function varyScenarios(varies: readonly string[]): Scenario[] {
  if (!varies.length) return [];
  const axes = varies.map((v) => {
    const origin = `--vary ${v}`;
    const eq = v.indexOf("=");
    if (eq <= 0 || eq === v.length - 1) throw new UsageError(`${origin}: expected path=value1,value2,… (e.g. treatment.level=1,2,3)`);
    const path = v.slice(0, eq).trim();
    return v
      .slice(eq + 1)
      .split(",")
      .map((text) => override(path, scalar(text), text, origin));
  });
  const paths = axes.map((a) => a[0]!.path);
  const dup = paths.find((p, i) => paths.indexOf(p) !== i);
  if (dup) throw new UsageError(`--vary ${dup} is given twice; list all its values in one --vary`);
  // Name each value by the path's last segment (level=2), or the whole path when two would read alike.
  const lasts = axes.map((a) => String(a[0]!.segments[a[0]!.segments.length - 1]));
  const short = (o: Override, i: number) => `${lasts.indexOf(lasts[i]!) === lasts.lastIndexOf(lasts[i]!) ? lasts[i] : o.path}=${o.text}`;
  checkScenarioCount(
    axes.reduce((n, a) => n * a.length, 1),
    `--vary ${axes.length > 1 ? `(${axes.map((a) => a.length).join(" × ")} values)` : `(${axes[0]!.length} values)`}`,
  );
  let combos: Override[][] = [[]];
  for (const axis of axes) combos = combos.flatMap((c) => axis.map((o) => [...c, o]));
  return combos.map((set) => ({ name: set.map(short).join(" "), set, made: "changes" as const }));
}

/** `--scenario name:path=value,path=value` (the name may be left out). */
export function namedScenario(arg: string): Scenario {
  const origin = `--scenario ${arg}`;
  const colon = arg.indexOf(":");
  const named = colon > 0 && !arg.slice(0, colon).includes("=");
  const name = named ? arg.slice(0, colon).trim() : arg.trim();
  const body = named ? arg.slice(colon + 1) : arg;
  if (!body.trim()) throw new UsageError(`${origin}: expected name:path=value,… (e.g. cheap:treatment.level=2,filing=referral)`);
  return { name, set: body.split(",").map((a) => parseAssignment(a.trim(), origin)), ...(named ? {} : { made: "changes" as const }) };
}

const scenariosFileSchema = z
  .array(
    z.strictObject({
      name: z.string({ error: "must be the scenario's name" }).min(1, { error: "must not be empty" }),
      set: z.record(z.string(), z.unknown(), { error: "must be a mapping of claim field paths to values, e.g. {treatment.level: 2}" }),
    }),
    { error: "a scenarios file is a list of {name, set: {path: value}}" },
  )
  .min(1, { error: "lists no scenario" });

/** A scenarios file: a YAML (or JSON) list of `{name, set: {path: value}}`. */
export function scenariosFile(file: string, text: string): Scenario[] {
  const parsed = parseYaml(file, text);
  if (parsed.diagnostics.length) throw new DiagnosticsError(parsed.diagnostics, EXIT.usage);
  const r = scenariosFileSchema.safeParse(parsed.value ?? []);
  if (!r.success) throw new DiagnosticsError(zodDiagnostics(parsed.yaml, r.error.issues, scenariosFileSchema), EXIT.usage);
  return r.data.map((s, i) => ({
    name: s.name,
    set: Object.entries(s.set).map(([path, value]) =>
      override(path, value, typeof value === "string" ? value : JSON.stringify(value), `${file}: scenario ${i + 1} (${s.name})`),
    ),
  }));
}

/** The cross-province routes a person can end up on, in the order shown. */
export const ROUTE_SCENARIOS = ["zone", "long-term", "referral", "emergency", "temporary", "unfiled"] as const satisfies readonly Route[];

/**
 * What a person would change to land on each route: their filing (备案), and
 * for temporary and unfiled also the emergency flag (an emergency counts as
 * filed). Where no such change leads there (inside a zone the filing does not
 * matter), the scenario sets the claim's what-if `route` instead.
 */
const NATURAL: Record<(typeof ROUTE_SCENARIOS)[number], readonly (readonly [string, unknown][])[]> = {
  zone: [],
  "long-term": [[["filing", "long-term"]]],
  referral: [[["filing", "referral"]]],
  emergency: [[["filing", "emergency"]]],
  temporary: [[["filing", "temporary"]], [["filing", "temporary"], ["treatment.emergency", false]]],
  unfiled: [[["filing", "none"]], [["filing", "none"], ["treatment.emergency", false]]],
};

export interface RouteScenarios {
  readonly scenarios: Scenario[];
  readonly notes: { readonly en: string; readonly zh: string }[];
}

/**
 * The default scenario set: every route the claim could take other than the
 * one it takes as written (that is the base row). Zone only where a
 * mutual-recognition pair covers the claim's places on its date and the claim
 * is an inpatient stay. `routeOf` settles the route of the claim under a set
 * of overrides (the caller knows the raw claim and the global --set).
 */
export function routeScenarios(rules: RuleSet, base: Claim, baseRoute: Route, routeOf: (set: readonly Override[]) => Route): RouteScenarios {
  if (baseRoute === "local" || baseRoute === "in-province")
    return {
      scenarios: [],
      notes: [
        {
          en: `the claim is settled ${baseRoute}: the cross-province routes do not apply to it; compare other choices with --vary or --scenario`,
          zh: `本结算单为${ROUTE_NAMES[baseRoute].zh}：跨省结算路径不适用；其他选择请用 --vary 或 --scenario 比较`,
        },
      ],
    };
  const insured = findRegion(rules, base.insured.region, ["insured", "region"]);
  const treated = findRegion(rules, base.treatment.region, ["treatment", "region"]);
  const zoneOpen = base.treatment.kind === "inpatient" && !!zoneFor(rules, insured, treated, base.date);
  const out: Scenario[] = [];
  for (const route of ROUTE_SCENARIOS) {
    if (route === baseRoute || (route === "zone" && !zoneOpen)) continue;
    const origin = `route scenario ${route}`;
    const natural = NATURAL[route]
      .map((pairs) => pairs.map(([path, value]) => override(path, value, String(value), origin)))
      .find((set) => routeOf(set) === route);
    out.push({ name: route, set: natural ?? [override("route", route, route, origin)], made: "route" });
  }
  return { scenarios: out, notes: [] };
}

/** Scenario names are unique and `base` is the claim as written. */
export function checkNames(scenarios: readonly Scenario[]): void {
  const seen = new Set<string>([BASE]);
  for (const s of scenarios) {
    if (!s.name) throw new UsageError("a scenario needs a name");
    if (seen.has(s.name))
      throw new UsageError(s.name === BASE ? `"${BASE}" names the claim as written; give the scenario another name` : `two scenarios are named ${JSON.stringify(s.name)}; names must be unique`);
    seen.add(s.name);
  }
}

/** Why a scenario has no settlement: the rules lack a figure for it, or refuse it. */
export interface ScenarioFailure {
  readonly kind: "rules" | "rejected";
  readonly message: string;
  readonly hint?: string;
  /** The message and hint in Chinese, where the core gives them (--lang zh). */
  readonly zh?: { readonly message: string; readonly hint?: string };
}

interface Row {
  readonly name: string;
  readonly set: readonly Override[];
  readonly isBase: boolean;
  readonly made?: Scenario["made"];
}

/** One settled scenario and its difference from the base row (scenario − base). */
export interface SettledRow extends Row {
  readonly settlement: Settlement;
  readonly delta: { readonly fund: Fen; readonly personal: Fen };
  readonly failure?: undefined;
}

/** A scenario that did not settle: shown as a row, the others still compared. */
export interface FailedRow extends Row {
  readonly failure: ScenarioFailure;
  readonly settlement?: undefined;
  readonly delta?: undefined;
}

export type ComparedRow = SettledRow | FailedRow;

/** Deltas against the row named `baseName` (the claim as written unless --base), which must have settled. */
export function compareRows(
  rows: readonly (Scenario & ({ readonly settlement: Settlement } | { readonly failure: ScenarioFailure }))[],
  baseName: string,
): ComparedRow[] {
  const base = rows.find((r) => r.name === baseName);
  if (!base) {
    const names = rows.map((r) => r.name);
    const hint = closest(baseName, names);
    throw new UsageError(`--base ${baseName}: no scenario of that name${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ""}; scenarios: ${names.join(", ")}`);
  }
  if ("failure" in base) throw new UsageError(`--base ${baseName}: that scenario did not settle (${base.failure.message}); choose another`);
  const b = base.settlement;
  return rows.map((r): ComparedRow => {
    const common = { name: r.name, set: r.set, isBase: r === base, ...(r.made ? { made: r.made } : {}) };
    if ("failure" in r) return { ...common, failure: r.failure };
    return { ...common, settlement: r.settlement, delta: { fund: r.settlement.fund - b.fund, personal: r.settlement.personal - b.personal } };
  });
}
