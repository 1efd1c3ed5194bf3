/**
 * Rule files (text) → RuleSet, or located diagnostics. No file system here: the
 * loader reads the files, this turns them into the data the core computes with.
 * Everything `calc` needs to be safe is checked here (schema, references, units);
 * `rules check` adds consistency and compliance checks on top.
 */
import { createHash } from "node:crypto";
import { own } from "../core/own.js";
import {
  CONFIDENCES,
  type ChronicList,
  type Confidence,
  type Figure,
  type Group,
  type FigureValue,
  type Layer,
  type Level,
  type Loc,
  type Region,
  type RuleSet,
  type Source,
  type Version,
  type Zone,
} from "../core/model.js";
import type { Rate } from "../core/rate.js";
import { closest } from "../core/suggest.js";
import { fieldPath, type Diagnostic } from "../diagnostics.js";
import { find, locate, parseYaml, position, reservedKeys, type YamlFile } from "../yaml/document.js";
import { zodDiagnostics } from "../yaml/zod.js";
import { ruleFileSchema, type RuleFile } from "./schema.js";
import { convertValue, isTable, levelIdIn, levelIds } from "./values.js";
import { ClaimValues } from "./claim-values.js";
import { inBoth, SAY, words, type Text } from "./check-words.js";

export interface RuleText {
  readonly file: string; // as displayed, e.g. rules/hunan/province.yaml
  /** Relative to the rules directory, "/"-separated (hunan/province.yaml): what the rule-set version hashes. Default: `file`. */
  readonly rel?: string;
  readonly text: string;
  /** Why the file could not be read as text (too large, not UTF-8): reported, the file left out. */
  readonly problems?: readonly Diagnostic[];
}

export interface ParsedRuleFile {
  readonly file: string;
  readonly yaml: YamlFile;
  readonly data: RuleFile;
}

export interface Compiled {
  readonly rules?: RuleSet;
  readonly files: readonly ParsedRuleFile[];
  readonly diagnostics: readonly Diagnostic[];
}

type Path = readonly (string | number)[];

export function compileRules(texts: readonly RuleText[]): Compiled {
  const { files, diagnostics } = parseAll(texts);
  if (diagnostics.some((d) => d.severity === "error")) return { files, diagnostics };
  const b = new Builder(files, diagnostics);
  const rules = b.build(versionOf(texts));
  return diagnostics.some((d) => d.severity === "error") ? { files, diagnostics } : { rules, files, diagnostics };
}

/** A file that parsed as YAML (whether or not it passed the schema). */
export interface RawRuleFile {
  readonly file: string;
  readonly yaml: YamlFile;
  readonly value: unknown;
}

/** Everything `rules check` needs: unlike `compileRules`, the rule set is
 * built from the files that passed the schema even when others did not, so
 * one run reports every problem. */
export interface Analysis {
  readonly rules: RuleSet;
  readonly files: readonly ParsedRuleFile[];
  readonly raw: readonly RawRuleFile[];
  readonly diagnostics: readonly Diagnostic[];
  /** Sources declared and never referred to, with the file declaring them. */
  readonly unusedSources: readonly { readonly id: string; readonly file: string }[];
  /** Files with syntax or schema errors, left out of the rule set. */
  readonly broken: readonly string[];
}

/** Top-level sections whose names other files refer to, and the reference error each can explain. */
const DECLARING: Readonly<Record<string, string>> = {
  sources: "unknown-source",
  regions: "unknown-region",
  levels: "unknown-level",
  diseases: "unknown-disease",
  chronicLists: "unknown-chronic-list",
};

export function analyseRules(texts: readonly RuleText[]): Analysis {
  const { files, raw, diagnostics } = parseAll(texts);
  const broken = [...new Set(diagnostics.filter((d) => d.severity === "error").map((d) => d.file))];
  const built: Diagnostic[] = [];
  const b = new Builder(files, built);
  const rules = b.build(versionOf(texts));
  // A broken file may declare what others refer to: a reference error it could
  // explain is left out rather than reported against a correct file.
  const brokenTexts = texts.filter((t) => broken.includes(t.file)).map((t) => t.text);
  // A file that could not be read at all (too large, not UTF-8) may declare anything.
  const unread = texts.some((t) => t.problems?.length);
  const unsure = new Set(Object.entries(DECLARING).filter(([key]) => unread || brokenTexts.some((t) => new RegExp(`^${key}:`, "m").test(t))).map(([, code]) => code));
  diagnostics.push(...built.filter((d) => !unsure.has(d.code)));
  return { rules, files, raw, diagnostics, unusedSources: broken.length ? [] : b.unusedSources(), broken };
}

function parseAll(texts: readonly RuleText[]): { files: ParsedRuleFile[]; raw: RawRuleFile[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const files: ParsedRuleFile[] = [];
  const raw: RawRuleFile[] = [];
  for (const { file, text, problems } of texts) {
    if (problems?.length) {
      diagnostics.push(...problems);
      continue;
    }
    const parsed = parseYaml(file, text);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.diagnostics.length) continue;
    if (parsed.value === null || parsed.value === undefined) {
      diagnostics.push({ code: "empty-file", severity: "warning", ...inBoth(SAY.emptyFile), file, line: 1, col: 1 });
      continue;
    }
    raw.push({ file, yaml: parsed.yaml, value: parsed.value });
    // zod skips a record key named __proto__ without a word (a level, a version
    // date, a region code would vanish): every such key is an error of its own.
    const reserved = reservedKeys(parsed.yaml, parsed.value);
    const r = ruleFileSchema.safeParse(parsed.value);
    if (!r.success || reserved.length) {
      const at = new Set(reserved.map((d) => d.path));
      diagnostics.push(...reserved, ...(r.success ? [] : zodDiagnostics(parsed.yaml, r.error.issues, ruleFileSchema).filter((d) => d.path === undefined || !at.has(d.path))));
      continue;
    }
    files.push({ file, yaml: parsed.yaml, data: r.data });
  }
  return { files, raw, diagnostics };
}

/**
 * The rule-set version: a hash of each rule file's path inside the rules
 * directory and its contents, and nothing else, so the same rules give the same
 * version from any working directory and any install location.
 */
export function versionOf(texts: readonly RuleText[]): string {
  const h = createHash("sha256");
  const named = texts.map((t) => ({ rel: t.rel ?? t.file, text: t.text }));
  for (const t of named.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))) h.update(`${t.rel}\0${t.text}\0`);
  return h.digest("hex").slice(0, 16);
}

const rank = (c: Confidence): number => CONFIDENCES.indexOf(c);

class Builder {
  private readonly sources: Record<string, Source> = Object.create(null);
  private readonly sourceUses = new Map<string, number>();
  private readonly regions: Record<string, Region> = Object.create(null);
  private readonly levels: Record<string, Level> = Object.create(null);
  private readonly groups: Record<string, Group> = Object.create(null);
  private readonly diseases: Record<string, { zh: string; en: string }> = Object.create(null);
  private readonly lists: Record<string, ChronicList> = Object.create(null);
  private readonly caps: Record<string, Figure<Rate>> = Object.create(null);
  private readonly zones: Record<string, Zone> = Object.create(null);
  private readonly layers: Record<string, Layer> = Object.create(null);
  private readonly definedIn = new Map<string, string>();
  private readonly values = new ClaimValues();

  constructor(
    private readonly files: readonly ParsedRuleFile[],
    private readonly diagnostics: Diagnostic[],
  ) {}

  private error(f: ParsedRuleFile, path: Path, code: string, message: string | Text, hint?: string | Text, on: "key" | "value" = "value"): void {
    const [m, h] = [words(message), hint === undefined ? undefined : words(hint)];
    this.diagnostics.push({ code, severity: "error", message: m.en, file: f.file, ...locate(f.yaml, path, on), path: fieldPath(path), ...(h ? { hint: h.en } : {}), ...(m.zh ? { zh: { message: m.zh, ...(h?.zh ? { hint: h.zh } : {}) } } : {}) });
  }

  /** A name defined in two files is an error naming both. */
  private define(f: ParsedRuleFile, kind: string, key: string, path: Path): boolean {
    const k = `${kind}:${key}`;
    const prev = this.definedIn.get(k);
    if (prev) {
      this.error(f, path, "duplicate-definition", SAY.definedTwice(kind, key, prev), undefined, "key");
      return false;
    }
    this.definedIn.set(k, f.file);
    return true;
  }

  build(version: string): RuleSet {
    // Pass 1: the vocabularies (sources, regions, levels, diseases) that figures refer to.
    for (const f of this.files) {
      const d = f.data;
      for (const [sid, s] of Object.entries(d.sources ?? {}))
        if (this.define(f, "source", sid, ["sources", sid])) this.sources[sid] = { id: sid, ...s } as Source;
      for (const [lid, l] of Object.entries(d.levels ?? {}))
        if (this.define(f, "level", lid, ["levels", lid])) {
          // An alias shares the ids' name space: it may name one level only, and not be another's id.
          const aliases = (l.aliases ?? []).filter((a, i) => this.define(f, "level", a, ["levels", lid, "aliases", i]));
          this.levels[lid] = { zh: l.zh, en: l.en, ...(aliases.length ? { aliases } : {}) };
        }
      if (d.values) this.values.add(d.values, { error: (p, m, h) => this.error(f, p, "duplicate-definition", m, h), define: (k, key, p) => this.define(f, k, key, p) });
      for (const [did, dz] of Object.entries(d.diseases ?? {})) if (this.define(f, "disease", did, ["diseases", did])) this.diseases[did] = dz;
      for (const [gid, g] of Object.entries(d.groups ?? {}))
        if (this.define(f, "group", gid, ["groups", gid])) {
          const aliases = (g.aliases ?? []).filter((a, i) => this.define(f, "group", a, ["groups", gid, "aliases", i]));
          this.groups[gid] = { zh: g.zh, en: g.en, ...(aliases.length ? { aliases } : {}) };
        }
    }
    this.buildRegions();
    // Pass 2: figures.
    for (const f of this.files) {
      const d = f.data;
      if (d.source) this.useSource(f, d.source, ["source"]);
      for (const [lid, l] of Object.entries(d.chronicLists ?? {})) {
        if (!this.define(f, "chronic list", lid, ["chronicLists", lid])) continue;
        const fig = this.figure<readonly string[]>(f, ["chronicLists", lid], `chronicLists.${lid}`, l);
        for (const v of fig.versions)
          for (const [i, dis] of (v.value ?? []).entries())
            if (!this.diseases[dis]) this.unknownRef(f, ["chronicLists", lid, "values", v.from, "value", i], "disease", dis, Object.keys(this.diseases));
        for (const [i, code] of (l.scope ?? []).entries()) this.regionRef(f, ["chronicLists", lid, "scope", i], code);
        this.lists[lid] = { id: lid, name: l.name, ...(l.scope ? { scope: l.scope } : {}), figure: fig };
      }
      for (const [route, c] of Object.entries(d.reductionCaps ?? {})) {
        if (!c || !this.define(f, "reduction cap", route, ["reductionCaps", route])) continue;
        this.caps[route] = this.figure<Rate>(f, ["reductionCaps", route], `reductionCaps.${route}`, c);
      }
      for (const [zid, z] of Object.entries(d.zones ?? {})) {
        if (!this.define(f, "zone", zid, ["zones", zid])) continue;
        z.between.forEach((code, i) => this.regionRef(f, ["zones", zid, "between", i], code));
        if (z.between[0] === z.between[1]) this.error(f, ["zones", zid, "between"], "zone-self", SAY.zoneSelf(z.between[0]));
        this.zones[zid] = { id: zid, name: z.name, between: [z.between[0], z.between[1]], figure: this.figure<boolean>(f, ["zones", zid], `zones.${zid}`, z) };
      }
      if (d.region && (d.policy || d.catalogue)) this.buildLayer(f, d.region);
    }
    return {
      levels: this.levels,
      values: this.values.values,
      groups: this.groups,
      sources: this.sources,
      regions: this.regions,
      diseases: this.diseases,
      chronicLists: this.lists,
      reductionCaps: this.caps,
      zones: this.zones,
      layers: this.layers,
      version,
    };
  }

  /** Sources a rule set declares and never uses (for `rules check`), with the declaring file. */
  unusedSources(): { id: string; file: string }[] {
    return Object.keys(this.sources)
      .filter((s) => !this.sourceUses.has(s))
      .map((id) => ({ id, file: this.definedIn.get(`source:${id}`)! }));
  }

  private buildRegions(): void {
    const raw: Record<string, { name: string; level: Region["level"]; parent?: string; pool?: false; pinyin?: string; file: ParsedRuleFile }> = Object.create(null);
    for (const f of this.files)
      for (const [code, r] of Object.entries(f.data.regions ?? {})) if (this.define(f, "region", code, ["regions", code])) raw[code] = { ...r, file: f };
    for (const [code, r] of Object.entries(raw)) {
      if (r.parent && !raw[r.parent]) this.error(r.file, ["regions", code, "parent"], "unknown-region", SAY.parentUnknown(r.parent));
      let province = code;
      for (let c: string | undefined = code, n = 0; c && n < 10; c = raw[c]?.parent, n++) if (raw[c]?.level === "province") province = c;
      // The pool is the prefecture; a prefecture marked pool: false leaves its counties their own pools.
      let pool: string | null = null;
      if (r.level === "prefecture") pool = r.pool === false ? null : code;
      else if (r.level === "county") {
        const parent = r.parent ? raw[r.parent] : undefined;
        pool = parent && parent.level === "prefecture" && parent.pool !== false ? r.parent! : code;
      }
      this.regions[code] = { code, name: r.name, level: r.level, ...(r.parent ? { parent: r.parent } : {}), pool, province, ...(r.pinyin ? { pinyin: r.pinyin } : {}) };
    }
  }

  private buildLayer(f: ParsedRuleFile, region: string): void {
    if (!this.regionRef(f, ["region"], region)) return;
    if (!this.define(f, "policy layer of region", region, ["region"])) return;
    const figures: Record<string, Figure> = Object.create(null);
    const walk = (node: unknown, path: Path, name: string[]): void => {
      if (!node || typeof node !== "object") return;
      if ("unit" in node && "values" in node) {
        const fname = name.join(".");
        figures[fname] = this.figure(f, path, fname, node as RawFigure);
        return;
      }
      for (const [k, v] of Object.entries(node)) walk(v, [...path, k], [...name, k]);
    };
    walk(f.data.policy, ["policy"], []);
    walk(f.data.catalogue, ["catalogue"], ["catalogue"]);
    for (const [name, fig] of Object.entries(figures)) {
      if (name === "chronicLists")
        for (const v of fig.versions)
          for (const [i, lid] of ((v.value as string[] | null) ?? []).entries())
            if (!this.lists[lid] && !this.files.some((g) => g.data.chronicLists && own(g.data.chronicLists, lid)))
              this.unknownRef(f, ["policy", "chronicLists", "values", v.from, "value", i], "chronic list", lid, this.allListIds());
    }
    this.layers[region] = { region, file: f.file, figures };
  }

  private allListIds(): string[] {
    return this.files.flatMap((g) => Object.keys(g.data.chronicLists ?? {}));
  }

  private regionRef(f: ParsedRuleFile, path: Path, code: string): boolean {
    if (this.regions[code]) return true;
    this.unknownRef(f, path, "region", code, Object.keys(this.regions));
    return false;
  }

  private unknownRef(f: ParsedRuleFile, path: Path, what: string, ref: string, known: string[]): void {
    const hint = closest(ref, known);
    const code = what === "region" ? "unknown-region" : what === "hospital level" ? "unknown-level" : `unknown-${what.replace(/\s+/g, "-")}`;
    this.error(f, path, code, SAY.unknownRef(what, ref), hint && SAY.didYouMean(hint));
  }

  private useSource(f: ParsedRuleFile, sid: string, path: Path): Source | undefined {
    const s = this.sources[sid];
    if (!s) {
      // Where sources are declared: the file declaring the most of them (rules/sources.yaml).
      const home = this.files.reduce<ParsedRuleFile | undefined>((m, g) => (Object.keys(g.data.sources ?? {}).length > Object.keys(m?.data.sources ?? {}).length ? g : m), undefined);
      const near = closest(sid, Object.keys(this.sources));
      const w = SAY.unknownSource(sid, near, home ? home.file : "sources.yaml");
      this.error(f, path, "unknown-source", w.message, w.hint);
      return undefined;
    }
    this.sourceUses.set(sid, (this.sourceUses.get(sid) ?? 0) + 1);
    return s;
  }

  /** A raw dated figure → Figure with converted values, sorted versions and locations. */
  private figure<V = FigureValue>(f: ParsedRuleFile, path: Path, name: string, raw: RawFigure): Figure<V> {
    const versions: Version<V>[] = [];
    for (const [from, v] of Object.entries(raw.values)) {
      const vpath = [...path, "values", from];
      const src = this.useSource(f, v.source, [...vpath, "source"]);
      let conf: Confidence = src?.confidence ?? "unverified";
      if (v.confidence) {
        if (rank(v.confidence) < rank(conf))
          this.diagnostics.push({
            code: "confidence-raised",
            severity: "warning",
            ...inBoth(SAY.confidenceRaised(conf, v.confidence)),
            file: f.file,
            ...locate(f.yaml, [...vpath, "confidence"]),
            path: fieldPath([...vpath, "confidence"]),
          });
        else conf = v.confidence;
      }
      const at = { file: f.file, ...locate(f.yaml, [...vpath, "value"]) };
      const byLevel = (raw.unit === "yuan" || raw.unit === "fraction") && isTable(v.value);
      // Level ids for aliases (三级 is "3"); a level written twice (as "3" and 三级) is an error.
      const levelled = byLevel ? levelIds(v.value as Record<string, unknown>, (k) => levelIdIn(this.levels, k)) : undefined;
      for (const t of levelled?.twice ?? []) this.error(f, [...vpath, "value", t.key], "duplicate-key", `level ${t.id} is in this table twice: as ${t.first} and as ${t.key}`, undefined, "key");
      const written = levelled ? levelled.table : v.value;
      const value = written === null ? null : (convertValue(raw.unit, written, (code, message, at = []) => this.error(f, [...vpath, "value", ...at], code, message)) as V);
      const cells = value === null ? undefined : raw.unit === "scale" ? this.bandLocs(f, [...vpath, "value", "bands"], (v.value as { bands: unknown[] }).bands) : byLevel ? this.cellLocs(f, [...vpath, "value"], v.value as Record<string, unknown>) : undefined;
      versions.push({
        from,
        value,
        source: v.source,
        confidence: conf,
        ...(v.note ? { note: v.note } : {}),
        ...(typeof v.unknown === "number" ? { unknown: v.unknown } : {}),
        at,
        ...(cells ? { cells } : {}),
      });
    }
    versions.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    return { name, unit: raw.unit, versions };
  }

  /** Where each band of a scale is written, by its index. */
  private bandLocs(f: ParsedRuleFile, path: Path, bands: readonly unknown[]): Record<string, Loc> {
    const out: Record<string, Loc> = Object.create(null);
    bands.forEach((_, i) => (out[String(i)] = { file: f.file, ...locate(f.yaml, [...path, i]) }));
    return out;
  }

  private cellLocs(f: ParsedRuleFile, path: Path, table: Record<string, unknown>): Record<string, Loc> {
    const out: Record<string, Loc> = Object.create(null);
    for (const key of Object.keys(table)) {
      const level = levelIdIn(this.levels, key);
      if (!this.levels[level]) this.unknownRef(f, [...path, key], "hospital level", key, Object.keys(this.levels).flatMap((l) => [l, ...(this.levels[l]!.aliases ?? [])]));
      const found = find(f.yaml, [...path, key]);
      out[level] ??= { file: f.file, ...position(f.yaml, found.value ?? found.key) };
    }
    return out;
  }
}

interface RawFigure {
  readonly unit: string;
  readonly values: Record<string, { value: unknown; source: string; confidence?: Confidence; note?: string; unknown?: number }>;
}

