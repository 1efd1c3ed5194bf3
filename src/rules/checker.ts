/**
 * The checks of `rules check` themselves (src/rules/checks.ts runs them): per
 * file, per layer, along each region's chain of layers, against the national
 * caps, and of the zones. Pure, and free of the YAML library.
 */
import { formatYuan, type Fen } from "../core/money.js";
import { layerChain, resolve, versionAt, type Resolved } from "../core/lookup.js";
import { ROUTE_NAMES, SCHEMES, type Adjustment, type Figure, type Layer, type Route, type RuleSet, type Version } from "../core/model.js";
import { cmp, formatPercent, type Rate } from "../core/rate.js";
import { fieldPath, type Diagnostic, type Severity } from "../diagnostics.js";
import { orderFindings } from "./orders.js";
import { CHECKS, LEVEL_ORDER, REQUIRED, TEMPORARY_ROUTES, yearsBefore, type CheckCode, type CheckFile, type CheckOptions } from "./checks.js";
import { SAY, type GapState } from "./check-words.js";
import { figureZh, levelZh, regionText } from "../core/figure-words.js";
import type { Text } from "../core/settlement.js";

const TABLES = ["deductible", "ratio", "ratioClassB", "repeatAdmission", "deductibleCeiling", "annualCap"] as const;
/** The routes of temporary care: a cross-province claim on one cannot settle without its reduction. */
const KIND_IDS = ["inpatient", "outpatient", "chronic"] as const;

type Path = readonly (string | number)[];

interface Site {
  readonly file: CheckFile;
  readonly path: Path;
}

const isRate = (v: unknown): v is Rate => typeof v === "object" && v !== null && typeof (v as Rate).num === "number" && typeof (v as Rate).den === "number";
const isTable = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v) && !isRate(v);

export class Checker {
  private readonly found = new Map<string, Diagnostic>();
  private readonly sites = new Map<Figure, Site>();
  private readonly fileByName: Map<string, CheckFile>;

  constructor(
    private readonly rules: RuleSet,
    private readonly files: readonly CheckFile[],
    private readonly o: CheckOptions,
  ) {
    this.fileByName = new Map(files.map((f) => [f.file, f]));
    for (const layer of Object.values(rules.layers)) {
      const f = this.fileByName.get(layer.file);
      if (!f) continue;
      for (const [name, fig] of Object.entries(layer.figures)) {
        const path = name.startsWith("catalogue.") ? ["catalogue", ...name.slice("catalogue.".length).split(".")] : ["policy", ...name.split(".")];
        this.sites.set(fig, { file: f, path });
      }
    }
    for (const [route, fig] of Object.entries(rules.reductionCaps)) this.siteIn(fig, ["reductionCaps", route]);
  }

  private siteIn(fig: Figure<unknown>, path: Path): void {
    const file = fig.versions[0] && this.fileByName.get(fig.versions[0].at.file);
    if (file) this.sites.set(fig as Figure, { file, path });
  }

  /** One finding per code and place: the same table seen from several regions is reported once. */
  add(f: CheckFile, path: Path, code: CheckCode, message: Text, on: "key" | "value" = "value", hint?: Text, about = ""): void {
    const pos = f.doc.locate(path, on);
    const key = `${code}|${f.file}:${pos.line}:${pos.col}|${about}`;
    if (this.found.has(key)) return;
    const zh = { message: message.zh, ...(hint ? { hint: hint.zh } : {}) };
    this.found.set(key, { code, severity: CHECKS[code][0], message: message.en, file: f.file, ...pos, path: fieldPath(path), ...(hint ? { hint: hint.en } : {}), zh });
  }

  list(): Diagnostic[] {
    return [...this.found.values()];
  }

  // ── One file at a time, on the YAML as written (also for files the schema refused) ──

  fileChecks(f: CheckFile): void {
    const value = f.value;
    const walk = (node: unknown, path: Path): void => {
      if (!node || typeof node !== "object") return;
      const obj = node as Record<string, unknown>;
      if ("unit" in obj && "values" in obj && obj.values && typeof obj.values === "object" && !Array.isArray(obj.values)) {
        this.figureChecks(f, path, obj.unit, obj.values as Record<string, unknown>);
        return;
      }
      for (const [k, v] of Object.entries(obj)) walk(v, [...path, Array.isArray(node) ? Number(k) : k]);
    };
    walk(value, []);
  }

  private figureChecks(f: CheckFile, path: Path, unit: unknown, values: Record<string, unknown>): void {
    // Order as written: compile sorts versions, so only the YAML node order shows a slip.
    const written = f.doc.mapKeys([...path, "values"]) ?? Object.keys(values);
    let latest = "";
    for (const date of written) {
      if (date < latest)
        this.add(f, [...path, "values", date], "version-order", SAY.versionOrder(date, latest), "key");
      else latest = date;
    }
    const dates = Object.keys(values).sort();
    const entry = (d: string) => values[d] as { value?: unknown; source?: unknown } | null | undefined;
    for (let i = 1; i < dates.length; i++) {
      const [prev, cur] = [entry(dates[i - 1]!), entry(dates[i]!)];
      if (prev && cur && prev.source === cur.source && JSON.stringify(prev.value) === JSON.stringify(cur.value))
        this.add(f, [...path, "values", dates[i]!], "duplicate-version", SAY.duplicateVersion(dates[i]!, dates[i - 1]!, String(cur.source)), "key");
    }
    const last = dates[dates.length - 1];
    const limit = yearsBefore(this.o.asOf, this.o.staleYears);
    if (last && /^\d{4}-\d{2}-\d{2}$/.test(last) && entry(last)?.value !== null && last < limit)
      this.add(f, [...path, "values", last], "stale-figure", SAY.stale(last, this.o.staleYears, this.o.asOf), "key", SAY.staleHint);
    for (const d of dates) {
      const v = entry(d);
      if (v && typeof v === "object" && "value" in v) this.unitChecks(f, [...path, "values", d, "value"], unit, v.value);
    }
  }

  private unitChecks(f: CheckFile, path: Path, unit: unknown, value: unknown): void {
    if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) this.unitChecks(f, [...path, Array.isArray(value) ? Number(k) : k], unit, v);
      return;
    }
    if (typeof value !== "number") return;
    // A scale's band edges are yuan, its rates fractions.
    if (unit === "scale") unit = path[path.length - 1] === "rate" ? "fraction" : "yuan";
    if (unit === "fraction" && value > 1 && value <= 100) {
      const w = SAY.fractionAsPercent(value, String(value / 100));
      this.add(f, path, "fraction-as-percent", w.message, "value", w.hint);
    }
    if (unit === "yuan" && value >= 0) {
      const decimals = (String(value).split(".")[1] ?? "").length;
      if (/^\d+(\.\d+)?$/.test(String(value)) && decimals > 2)
        this.add(f, path, "amount-decimals", SAY.amountDecimals(value, decimals));
    }
  }

  // ── Each region's figures ──

  layerChecks(): void {
    for (const layer of Object.values(this.rules.layers)) {
      const region = this.rules.regions[layer.region];
      const file = this.fileByName.get(layer.file);
      if (!region || !file) continue;
      if (region.level === "county" && region.pool !== region.code && Object.keys(layer.figures).some((n) => !n.startsWith("catalogue."))) {
        const w = SAY.layerUnused(this.name(region.code), this.name(region.pool!), region.pool!);
        this.add(file, ["region"], "layer-unused", w.message, "value", w.hint);
      }
      // A region's file lies in its province's folder (beside its province.yaml), not in another province's.
      const folder = (p: string): string => p.replace(/[^/]*$/, "");
      const home = this.rules.layers[region.province], other = Object.values(this.rules.layers).find((l) => l.region !== region.province && this.rules.regions[l.region]?.level === "province" && folder(l.file) === folder(layer.file));
      if (region.level !== "province" && ((home && folder(home.file) !== folder(layer.file)) || (!home && other))) {
        const w = SAY.wrongProvince(this.name(region.code), this.name(region.province), folder(layer.file), other && this.name(other.region), home && folder(home.file));
        this.add(file, ["region"], "wrong-province", w.message, "value", w.hint);
      }
      for (const x of orderFindings(layer)) {
        const site = this.sites.get(x.fig);
        if (site) this.add(site.file, [...site.path, "values", x.from, "value", ...x.at], x.code, x.message);
      }
      for (const [name, fig] of Object.entries(layer.figures)) {
        this.adjustments(name, fig);
        this.startsLate(layer, name, fig);
      }
    }
  }

  private adjustments(name: string, fig: Figure): void {
    const parts = name.split(".");
    for (const v of fig.versions) {
      const adj = v.value as Adjustment | null;
      if (!adj || typeof adj !== "object") continue;
      if (parts[1] === "retiree" && "prepay" in adj) this.at(fig, v, undefined, "invalid-adjustment", SAY.retireePrepay);
      if (parts[0] === "reductions" && "copayFactor" in adj) this.at(fig, v, undefined, "invalid-adjustment", SAY.reductionCopay);
    }
    const site = this.sites.get(fig);
    if (!site) return;
    const [scheme, kind, item] = parts;
    if (scheme === "resident" && kind === "retiree")
      this.add(site.file, site.path, "ignored-figure", SAY.residentRetiree, "key");
    if (kind === "inpatient" && item === "settleAs")
      this.add(site.file, site.path, "ignored-figure", SAY.inpatientSettleAs, "key");
    if ((kind === "outpatient" || kind === "chronic") && item === "repeatAdmission")
      this.add(site.file, site.path, "ignored-figure", SAY.repeatAdmission(kind), "key");
    if (scheme === "resident" && item === "retired")
      this.add(site.file, site.path, "ignored-figure", SAY.residentRetired(kind!), "key");
    if (kind === "inpatient" && item === "countsIn")
      this.add(site.file, site.path, "ignored-figure", SAY.inpatientCountsIn, "key");
    if (item === "settleAs")
      for (const v of fig.versions)
        if (v.value === kind) this.at(fig, v, undefined, "ignored-figure", SAY.settleAsSelf(kind));
  }

  private startsLate(layer: Layer, name: string, fig: Figure): void {
    const chain = layerChain(this.rules, layer.region);
    const parent = chain.slice(chain.findIndex((l) => l.region === layer.region) + 1).find((l) => l.figures[name]?.versions.length);
    const mine = fig.versions[0];
    const theirs = parent?.figures[name]?.versions[0];
    const site = this.sites.get(fig);
    if (!parent || !mine || !theirs || !site || mine.from <= theirs.from) return;
    const w = SAY.startsLate(this.name(layer.region), name, mine.from, this.name(parent.region), theirs.from);
    this.add(site.file, [...site.path, "values", mine.from], "region-starts-late", w.message, "key", w.hint);
  }

  // ── The policy a claim sees: each region with its province, on every date a version starts ──

  chainChecks(): void {
    for (const start of Object.keys(this.rules.layers)) {
      const chain = layerChain(this.rules, start);
      const dates = [...new Set(chain.flatMap((l) => Object.values(l.figures).flatMap((f) => f.versions.map((v) => v.from))))].sort();
      for (const date of dates) {
        for (const scheme of SCHEMES)
          for (const kind of KIND_IDS) {
            if (kind !== "inpatient" && !this.ownFigures(chain, scheme, kind)) continue;
            this.kindOnDate(start, chain, scheme, kind, date);
          }
        this.routesOnDate(start, date);
      }
    }
  }

  /** Whether the chain defines any figure of this kind itself (else the kind is not offered or follows settleAs). */
  private ownFigures(chain: readonly Layer[], scheme: string, kind: string): boolean {
    return chain.some((l) => TABLES.some((t) => l.figures[`${scheme}.${kind}.${t}`]));
  }

  private kindFigure(start: string, scheme: string, kind: string, item: string, date: string): Resolved | undefined {
    const own = resolve(this.rules, start, `${scheme}.${kind}.${item}`, date);
    if (own || kind === "inpatient") return own;
    const as = resolve<string>(this.rules, start, `${scheme}.${kind}.settleAs`, date);
    return as ? resolve(this.rules, start, `${scheme}.${as.version.value}.${item}`, date) : undefined;
  }

  private kindOnDate(start: string, chain: readonly Layer[], scheme: string, kind: string, date: string): void {
    const what: Text = { en: `${scheme} ${kind}`, zh: `${this.rules.values.scheme[scheme]?.zh ?? scheme}${this.rules.values.kind[kind]?.zh ?? kind}` };
    const got = Object.fromEntries(TABLES.map((t) => [t, this.kindFigure(start, scheme, kind, t, date)])) as Record<(typeof TABLES)[number], Resolved | undefined>;
    // A kind whose payments count in the inpatient cap (countsIn) needs no cap of its own.
    const required = kind !== "inpatient" && this.kindFigure(start, scheme, kind, "countsIn", date) ? REQUIRED.filter((r) => r !== "annualCap") : REQUIRED;
    const present = required.filter((r) => got[r]);
    if (!present.length) return;
    for (const r of required.filter((x) => !got[x]))
      this.gap(start, chain, `${scheme}.${kind}.${r}`, date, (s) => SAY.kindGap(what, this.figure(r), date, this.name(start), present.map((p) => this.figure(p)), s));

    // Levels: every table must hold every level another table of this policy, or the province's, holds.
    const tables: [string, Resolved][] = [];
    for (const t of TABLES) {
      const r = got[t];
      if (r && isTable(r.version.value)) tables.push([t, r]);
    }
    const interest = new Map<string, Text>(); // level -> who has it
    const known = (l: string) => !!this.rules.levels[l] && !interest.has(l); // an unknown level is compile's error already
    for (const [t, r] of tables) for (const l of Object.keys(r.version.value as object)) if (known(l)) interest.set(l, SAY.tableOf(this.figure(t), r.layer.file));
    for (const [t] of tables)
      for (const layer of chain) {
        const v = layer.figures[`${scheme}.${kind}.${t}`] && versionAt(layer.figures[`${scheme}.${kind}.${t}`]!, date);
        if (v && isTable(v.value)) for (const l of Object.keys(v.value)) if (known(l)) interest.set(l, SAY.tableOf(this.figure(t), layer.file, this.name(layer.region)));
      }
    for (const [t, r] of tables) {
      const table = r.version.value as Record<string, unknown>;
      for (const [level, who] of interest)
        if (table[level] === undefined)
          this.at(r.figure, r.version, undefined, "level-gap", SAY.levelGap(what, this.figure(t), this.level(level), who, REQUIRED.includes(t as never)));
    }

    // Deductible ceiling and annual cap against a single deductible, level by level.
    const cell = (r: Resolved | undefined, level: string): { value: Fen; table: boolean } | undefined => {
      if (!r) return undefined;
      const v = r.version.value;
      if (typeof v === "number") return { value: v, table: false };
      const x = isTable(v) ? (v as Record<string, unknown>)[level] : undefined;
      return typeof x === "number" ? { value: x, table: true } : undefined;
    };
    const levels = interest.size ? [...interest.keys()] : ["*"];
    for (const level of levels) {
      const ded = cell(got.deductible, level);
      if (!ded) continue;
      for (const [t, r] of [["deductibleCeiling", got.deductibleCeiling], ["annualCap", got.annualCap]] as const) {
        const lim = cell(r, level);
        if (!r || !lim || lim.value >= ded.value) continue;
        const w = SAY.ceilingContradiction(what, this.figure(t), formatYuan(lim.value), level === "*" ? undefined : this.level(level), formatYuan(ded.value), got.deductible!.layer.file, date);
        this.at(r.figure, r.version, lim.table ? level : undefined, "ceiling-contradiction", w);
      }
    }
  }

  private routesOnDate(start: string, date: string): void {
    const chain = layerChain(this.rules, start);
    const open = SCHEMES.find((s) => REQUIRED.every((r) => this.kindFigure(start, s, "inpatient", r, date)));
    const red = Object.fromEntries(TEMPORARY_ROUTES.map((r) => [r, resolve<Adjustment>(this.rules, start, `reductions.${r}`, date)])) as Record<(typeof TEMPORARY_ROUTES)[number], Resolved<Adjustment> | undefined>;
    if (open)
      for (const route of TEMPORARY_ROUTES)
        if (!red[route])
          this.gap(start, chain, `reductions.${route}`, date, (s) => SAY.reductionGap({ id: route, ...ROUTE_NAMES[route as Route] }, date, this.name(start), { en: open, zh: this.rules.values.scheme[open]?.zh ?? open }, s));

    // 医保发〔2022〕22号: 急诊抢救 counts as filed, so it may not fare worse than a referral, nor as badly as unfiled.
    const size = (r: Resolved<Adjustment> | undefined): Rate | undefined => {
      const v = r?.version.value;
      return v && "points" in v ? v.points : v && "prepay" in v ? v.prepay : undefined;
    };
    const [e, ref, tmp, unf] = [size(red.emergency), size(red.referral), size(red.temporary), size(red.unfiled)];
    const show = (r: Rate, x: Resolved<Adjustment>) => SAY.reduction(formatPercent(r), "prepay" in x.version.value);
    if (e && ref && cmp(e, ref) > 0) this.at(red.emergency!.figure, red.emergency!.version, undefined, "emergency-as-unfiled", SAY.emergencyWorse(show(e, red.emergency!), show(ref, red.referral!), date));
    else if (e && unf && cmp(unf, { num: 0, den: 1 }) > 0 && cmp(e, unf) >= 0 && !(ref && cmp(ref, unf) >= 0))
      this.at(red.emergency!.figure, red.emergency!.version, undefined, "emergency-as-unfiled", SAY.emergencyAsUnfiled(show(e, red.emergency!), show(unf, red.unfiled!), date));
    if (tmp && ref && cmp(tmp, ref) < 0) this.at(red.temporary!.figure, red.temporary!.version, undefined, "route-order", SAY.temporaryBelowReferral(show(tmp, red.temporary!), show(ref, red.referral!), date));
    if (unf && tmp && cmp(unf, tmp) < 0) this.at(red.unfiled!.figure, red.unfiled!.version, undefined, "route-order", SAY.unfiledBelowTemporary(show(unf, red.unfiled!), show(tmp, red.temporary!), date));
  }

  /** A figure missing on a date: point at its null, at its first version, or at the policy that lacks it. */
  private gap(start: string, chain: readonly Layer[], name: string, date: string, message: (s: GapState) => Text): void {
    for (const layer of chain) {
      const fig = layer.figures[name];
      if (!fig?.versions.length) continue;
      const v = versionAt(fig, date);
      if (v && v.value === null) return this.at(fig, v, undefined, "coverage-gap", message({ ended: v.from }));
      if (!v) {
        const site = this.sites.get(fig);
        if (site) return this.add(site.file, [...site.path, "values", fig.versions[0]!.from], "coverage-gap", message({ starts: fig.versions[0]!.from }), "key");
      }
    }
    const own = this.rules.layers[start];
    const file = own && this.fileByName.get(own.file);
    if (!file) return;
    const parts = name.split(".");
    for (let n = parts.length - 1; n >= 0; n--) {
      const path = ["policy", ...parts.slice(0, n)];
      if (file.doc.has(path)) return this.add(file, n ? path : ["region"], "coverage-gap", message(undefined), "key", SAY.gapHint(name, file.file), name);
    }
  }

  /** A finding at a version's value, or at one level's cell of it. */
  private at(fig: Figure<unknown>, v: Version<unknown>, level: string | undefined, code: CheckCode, message: Text): void {
    const site = this.sites.get(fig as Figure);
    if (!site) return;
    const path = [...site.path, "values", v.from, "value", ...(level !== undefined ? [level] : [])];
    this.add(site.file, path, code, message);
  }

  // ── National caps on route reductions (医保发〔2022〕22号) ──

  capChecks(): void {
    for (const layer of Object.values(this.rules.layers))
      for (const [name, fig] of Object.entries(layer.figures)) {
        if (!name.startsWith("reductions.")) continue;
        const route = name.slice("reductions.".length);
        const cap = this.rules.reductionCaps[route];
        fig.versions.forEach((v, i) => {
          const adj = v.value as Adjustment | null;
          const size = adj && ("points" in adj ? adj.points : "prepay" in adj ? adj.prepay : undefined);
          if (!size || size.num === 0) return;
          const how = SAY.reduction(formatPercent(size), !!adj && "prepay" in adj, true);
          if (!cap) return this.at(fig, v, undefined, "reduction-uncapped", SAY.reductionUncapped(this.name(layer.region), route, how, (TEMPORARY_ROUTES as readonly string[]).includes(route)));
          const until = fig.versions[i + 1]?.from ?? "9999-12-31";
          const inForce = cap.versions.filter((c, j) => (c.from <= v.from && (cap.versions[j + 1]?.from ?? "9999-12-31") > v.from) || (c.from > v.from && c.from < until));
          for (const c of inForce)
            if (c.value !== null && cmp(size, c.value) > 0)
              return this.at(fig, v, undefined, "reduction-cap", SAY.reductionCap(this.name(layer.region), route, how, SAY.reduction(formatPercent(c.value), false), c.from, `${c.at.file}:${c.at.line}`));
        });
      }
  }

  // ── Zones ──

  zoneChecks(): void {
    const seen = new Map<string, string>();
    for (const zone of Object.values(this.rules.zones)) {
      const file = this.files.find((f) => f.hasZone(zone.id));
      if (!file) continue;
      const [x, y] = zone.between;
      const [a, b] = [this.rules.regions[x], this.rules.regions[y]];
      if (a && b && a.province === b.province && x !== y)
        this.add(file, ["zones", zone.id, "between"], "zone-same-province", SAY.zoneSameProvince(a.name, b.name, this.name(a.province)));
      const key = [x, y].sort().join("|");
      const prev = seen.get(key);
      if (prev) this.add(file, ["zones", zone.id, "between"], "duplicate-zone", SAY.duplicateZone(prev));
      else seen.set(key, zone.id);
    }
  }

  /** A figure's last part (deductible), as the file writes it and as the policies name it (起付线). */
  private figure(part: string): Text {
    return { en: part, zh: figureZh(this.rules, part) };
  }

  /** A level as the English messages write it ("3"), and by its Chinese name (三级). */
  private level(id: string): Text {
    return { en: id, zh: levelZh(this.rules, id) };
  }

  private name(code: string): Text {
    return this.rules.regions[code] ? regionText(this.rules, code) : { en: code, zh: code };
  }
}
