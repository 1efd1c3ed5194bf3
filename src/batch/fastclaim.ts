/**
 * A fast claim validator for the common case: a plain value that the claim
 * schema (src/claims/schema.ts) accepts. It returns exactly what
 * `claimSchema.parse` returns, or `undefined` whenever it is not sure — a
 * problem, or anything unusual — and the caller then asks zod, which decides
 * and words the messages. So it may only ever say "valid, and here is the
 * result"; it never rejects. test/batch/fastclaim.test.ts checks the
 * agreement with zod on generated values.
 *
 * Why: zod costs ~12 µs a claim and ~30 ms to load; this costs well under
 * 1 µs and nothing to load (batch hot path, calc start-up).
 *
 * No import of zod or yaml here, on purpose.
 */
import type { Claim } from "../claims/schema.js";
import { MAX_AMOUNT_FEN, parseYuan, type Fen } from "../core/money.js";

type Obj = Record<string, unknown>;

const SCHEMES = new Set(["employee", "resident"]);
const KINDS = new Set(["inpatient", "outpatient", "chronic"]);
const FILINGS = new Set(["long-term", "referral", "emergency", "temporary", "none"]);
const ROUTES = new Set(["local", "in-province", "zone", "long-term", "referral", "emergency", "temporary", "unfiled"]);
const CLASSES = new Set(["A", "B", "excluded"]);

const TOP = new Set(["format", "id", "date", "insured", "treatment", "filing", "route", "costs", "items", "history"]);
const INSURED = new Set(["id", "region", "scheme", "retired"]);
const TREATMENT = new Set(["region", "hospital", "level", "kind", "disease", "emergency"]);
const COSTS = new Set(["classA", "classB", "excluded", "total"]);
const ITEM = new Set(["name", "class", "amount", "prepay"]);
const HISTORY = new Set(["fundPaid", "admissions", "deductiblePaid"]);

/** Not sure: let zod decide. */
class Unsure {}
const UNSURE = new Unsure();

function isPlain(v: unknown): v is Obj {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Every own key known, no value undefined (zod keeps such keys; we do not guess how). */
function keysOk(o: Obj, known: ReadonlySet<string>): boolean {
  for (const k in o) {
    if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
    if (!known.has(k) || o[k] === undefined) return false;
  }
  // Own non-enumerable or symbol keys never come from JSON, YAML or CSV: refuse them all the same.
  return Object.getOwnPropertySymbols(o).length === 0;
}

function amount(v: unknown): Fen {
  if (typeof v !== "number" && typeof v !== "string") throw UNSURE;
  // The common case without parseYuan's regular expressions: what it reads, read the same.
  const fen = plainFen(typeof v === "number" ? (Number.isFinite(v) ? String(v) : "") : v);
  if (fen >= 0) return fen;
  const r = parseYuan(v);
  if (!r.ok) throw UNSURE;
  return r.value;
}

/**
 * Fen of a plain amount: 1 to 11 digits, then at most 2 decimals, nothing
 * else (no sign, space or exponent), at most MAX_AMOUNT_FEN: exactly what
 * parseYuan gives for such a text. -1 for anything else (parseYuan decides).
 */
export function plainFen(t: string): number {
  const n = t.length;
  let i = 0;
  let whole = 0;
  for (; i < n; i++) {
    const c = t.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    whole = whole * 10 + c;
  }
  if (i === 0 || i > 11) return -1;
  let frac = 0;
  if (i < n) {
    if (t.charCodeAt(i) !== 46 || n - i - 1 < 1 || n - i - 1 > 2) return -1; // "."
    for (let j = i + 1; j < n; j++) {
      const c = t.charCodeAt(j) - 48;
      if (c < 0 || c > 9) return -1;
      frac = frac * 10 + c;
    }
    if (n - i - 1 === 1) frac *= 10;
  }
  const fen = whole * 100 + frac;
  return fen <= MAX_AMOUNT_FEN ? fen : -1;
}

/** string (max) | number → String */
function idOf(v: unknown, max: number): string {
  if (typeof v === "string") {
    if (v.length > max) throw UNSURE;
    return v;
  }
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  throw UNSURE;
}

/** string | safe integer → String(v).trim() */
function code(v: unknown): string {
  if (typeof v === "string") return v.trim();
  if (typeof v === "number" && Number.isSafeInteger(v)) return String(v).trim();
  throw UNSURE;
}

function oneOf(v: unknown, set: ReadonlySet<string>): string {
  if (typeof v !== "string" || !set.has(v)) throw UNSURE;
  return v;
}

function bool(v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== "boolean") throw UNSURE;
  return v;
}

function count(v: unknown): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw UNSURE;
  return v;
}

const DIGITS = [0, 1, 2, 3, 5, 6, 8, 9];

/** A real calendar date written YYYY-MM-DD (as src/schemas.ts `isoDate`). */
function date(v: unknown): string {
  if (typeof v !== "string" || v.length !== 10) throw UNSURE;
  const c = (i: number) => v.charCodeAt(i) - 48;
  for (const i of DIGITS) if (c(i) < 0 || c(i) > 9) throw UNSURE;
  if (v[4] !== "-" || v[7] !== "-") throw UNSURE;
  const y = c(0) * 1000 + c(1) * 100 + c(2) * 10 + c(3);
  const mo = c(5) * 10 + c(6);
  const d = c(8) * 10 + c(9);
  if (mo < 1 || mo > 12 || d < 1) throw UNSURE;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  if (d > days) throw UNSURE;
  return v;
}

function str(v: unknown, min: number, max: number): string {
  if (typeof v !== "string" || v.length < min || v.length > max) throw UNSURE;
  return v;
}

/** The claim, exactly as `claimSchema.parse(value)` gives it, or undefined (ask zod). */
export function fastClaim(value: unknown): Claim | undefined {
  try {
    return build(value);
  } catch (e) {
    if (e === UNSURE) return undefined;
    throw e;
  }
}

function build(v: unknown): Claim {
  if (!isPlain(v) || !keysOk(v, TOP)) throw UNSURE;
  const out: Obj = {};
  if (v.format !== undefined) {
    if (v.format !== 1) throw UNSURE;
    out.format = 1;
  }
  if (v.id !== undefined) out.id = idOf(v.id, 200);
  out.date = date(v.date);

  const ins = v.insured;
  if (!isPlain(ins) || !keysOk(ins, INSURED)) throw UNSURE;
  const insured: Obj = {};
  if (ins.id !== undefined) insured.id = idOf(ins.id, 200);
  insured.region = code(ins.region);
  insured.scheme = oneOf(ins.scheme, SCHEMES);
  insured.retired = bool(ins.retired, false);
  out.insured = insured;

  const tr = v.treatment;
  if (!isPlain(tr) || !keysOk(tr, TREATMENT)) throw UNSURE;
  const treatment: Obj = {};
  treatment.region = code(tr.region);
  if (tr.hospital !== undefined) treatment.hospital = str(tr.hospital, 0, 500);
  if (typeof tr.level === "string") treatment.level = tr.level;
  else if (typeof tr.level === "number" && Number.isSafeInteger(tr.level)) treatment.level = String(tr.level);
  else throw UNSURE;
  treatment.kind = oneOf(tr.kind, KINDS);
  if (tr.disease !== undefined) treatment.disease = str(tr.disease, 0, Infinity);
  treatment.emergency = bool(tr.emergency, false);
  out.treatment = treatment;

  if (v.filing !== undefined) out.filing = oneOf(v.filing, FILINGS);
  if (v.route !== undefined) out.route = oneOf(v.route, ROUTES);

  let costs: { classA: Fen; classB: Fen; excluded: Fen; total?: Fen } | undefined;
  if (v.costs !== undefined) {
    const c = v.costs;
    if (!isPlain(c) || !keysOk(c, COSTS)) throw UNSURE;
    costs = {
      classA: c.classA === undefined ? 0 : amount(c.classA),
      classB: c.classB === undefined ? 0 : amount(c.classB),
      excluded: c.excluded === undefined ? 0 : amount(c.excluded),
    };
    if (c.total !== undefined) {
      costs.total = amount(c.total);
      if (costs.classA + costs.classB + costs.excluded !== costs.total) throw UNSURE;
    }
    out.costs = costs;
  }
  if (v.items !== undefined) {
    const its = v.items;
    if (!Array.isArray(its) || its.length < 1 || its.length > 100_000) throw UNSURE;
    const items: Obj[] = new Array(its.length);
    for (let i = 0; i < its.length; i++) {
      const it = its[i];
      if (!isPlain(it) || !keysOk(it, ITEM)) throw UNSURE;
      const o: Obj = { name: str(it.name, 1, 500), class: oneOf(it.class, CLASSES), amount: amount(it.amount) };
      if (it.prepay !== undefined) {
        const p = amount(it.prepay);
        if (o.class !== "B" || p > (o.amount as number)) throw UNSURE;
        o.prepay = p;
      }
      items[i] = o;
    }
    out.items = items;
  }
  if ((costs === undefined) === (v.items === undefined)) throw UNSURE; // exactly one of costs, items

  if (v.history === undefined) out.history = { fundPaid: 0, admissions: 0, deductiblePaid: 0 };
  else {
    const h = v.history;
    if (!isPlain(h) || !keysOk(h, HISTORY)) throw UNSURE;
    out.history = {
      fundPaid: h.fundPaid === undefined ? 0 : amount(h.fundPaid),
      admissions: h.admissions === undefined ? 0 : count(h.admissions),
      deductiblePaid: h.deductiblePaid === undefined ? 0 : amount(h.deductiblePaid),
    };
  }

  // The schema's cross-field rules.
  if (treatment.kind === "chronic" && !treatment.disease) throw UNSURE;
  if (treatment.kind !== "chronic" && treatment.disease !== undefined) throw UNSURE;
  if (insured.retired && insured.scheme !== "employee") throw UNSURE;
  return out as unknown as Claim;
}
