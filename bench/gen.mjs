#!/usr/bin/env node
// Generates a realistic, seeded year of cross-province claims for `reimburse batch`.
//
//   node bench/gen.mjs [--claims 1000000] [--seed 2025] [--csv] [--bad 0.015] [--out FILE]
//
// - One calendar year (2025), in date order (each person's claims in date order, persons
//   interleaved: what an export of a year looks like, and what `batch --sorted` accepts).
// - Both provinces as insured places and as treatment places, every route: zone (常德 ↔ 宜昌),
//   long-term, referral, emergency (filed or by the emergency flag), temporary, unfiled,
//   in-province and local; inpatient and chronic outpatient (Hunan).
// - Repeat persons: about one person per 3 claims, skewed (some people have many claims),
//   so annual caps, repeat admissions and deductible ceilings come into play.
// - Only regions, schemes and levels the shipped rules cover, so claims settle; a share of
//   records (--bad, default 1.5%) is broken on purpose: bad amounts, dates, regions, JSON,
//   diseases not yet covered.
// The same seed gives the same file, byte for byte.
import { createWriteStream } from "node:fs";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const N = Number(opt("claims", "1000000"));
const SEED = Number(opt("seed", "2025"));
const BAD = Number(opt("bad", "0.015"));
const CSV = args.includes("--csv");
const OUT = opt("out", undefined);

// mulberry32: small, fast, seeded.
let state = SEED >>> 0;
function rnd() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
/** [[value, weight], ...] */
const weighted = (pairs) => {
  const total = pairs.reduce((a, [, w]) => a + w, 0);
  let u = rnd() * total;
  for (const [v, w] of pairs) if ((u -= w) < 0) return v;
  return pairs[pairs.length - 1][0];
};
const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());

const HUNAN = ["430100", "430200", "430300", "430400", "430500", "430600", "430700", "430800", "430900", "431000", "431100", "431200", "431300", "433100"];
const HUBEI_TREAT = [["420100", 50], ["420500", 15], ["421000", 15], ["420200", 7], ["420300", 6], ["420600", 7]];
const HUNAN_TREAT = [["430100", 50], ["430700", 20], ["430600", 15], ["430400", 15]];
const NAMES = { "430100": "长沙市", "430700": "常德市", "430400": "衡阳市", "420100": "武汉市" };
const CLASS_B = new Set(["420100", "421000"]); // treatment places with a 乙类先行自付 share in the rules
const LEVELS = {
  hunan: [["community", 10], ["1", 15], ["2", 35], ["3", 35], ["provincial", 5]],
  hengyangResident: [["community", 10], ["1", 15], ["2", 35], ["3", 40]],
  wuhanEmployee: [["community", 10], ["1", 15], ["2", 35], ["3", 40]],
  threeLevels: [["1", 20], ["2", 40], ["3", 40]],
  enshi: [["1", 40], ["2", 60]],
};
const DISEASES_2025 = ["hypertension", "diabetes", "cancer-outpatient", "uremia-dialysis", "transplant-antirejection", "copd", "rheumatoid-arthritis", "coronary-heart-disease", "viral-hepatitis", "ankylosing-spondylitis"];
const HOSPITALS = ["武汉协和医院", "湘雅医院", "宜昌市中心人民医院", "荆州市第一人民医院", "常德市第一人民医院", "Tongji Hospital"];

// Persons: fixed attributes, drawn once.
const P = Math.max(1, Math.round(N / 3));
const persons = new Array(P);
for (let i = 0; i < P; i++) {
  const kind = weighted([["hunan", 70], ["wuhan-e", 10], ["wuhan-r", 8], ["jingzhou", 5], ["yichang", 4], ["enshi", 3]]);
  let region, scheme, levels, province;
  if (kind === "hunan") {
    region = pick(HUNAN);
    scheme = rnd() < 0.45 ? "employee" : "resident";
    levels = region === "430400" && scheme === "resident" ? LEVELS.hengyangResident : LEVELS.hunan;
    province = "hunan";
  } else {
    province = "hubei";
    [region, scheme, levels] = {
      "wuhan-e": ["420100", "employee", LEVELS.wuhanEmployee],
      "wuhan-r": ["420100", "resident", LEVELS.threeLevels],
      jingzhou: ["421000", "resident", LEVELS.threeLevels],
      yichang: ["420500", "resident", LEVELS.threeLevels],
      enshi: ["422800", "employee", LEVELS.enshi],
    }[kind];
  }
  persons[i] = {
    id: `P${String(i + 1).padStart(8, "0")}`,
    region,
    scheme,
    retired: scheme === "employee" && rnd() < 0.3,
    levels,
    province,
    // Some people write their region by name.
    regionAs: NAMES[region] && rnd() < 0.1 ? NAMES[region] : region,
  };
}

const yuan = (fen) => {
  const s = (fen / 100).toFixed(2);
  return rnd() < 0.4 ? s : Number(s);
};
const amountFen = (median) => Math.min(50_000_000, Math.max(5_000, Math.round(Math.exp(Math.log(median) + 0.9 * normal()))));

function claimFor(seq, date) {
  const p = persons[Math.floor(P * rnd() ** 1.6)];
  const cross = rnd();
  let treat;
  if (cross < 0.8) treat = weighted(p.province === "hunan" ? HUBEI_TREAT : HUNAN_TREAT);
  else if (cross < 0.92) treat = p.province === "hunan" ? pick(HUNAN.filter((r) => r !== p.region)) : pick(["420100", "420500", "421000", "420200"].filter((r) => r !== p.region));
  else treat = p.region;
  const chronic = p.province === "hunan" && rnd() < 0.12;
  const c = { id: `C${String(seq).padStart(8, "0")}`, date, insured: { id: p.id, region: p.regionAs, scheme: p.scheme } };
  if (p.retired) c.insured.retired = true;
  c.treatment = { region: treat };
  if (rnd() < 0.3) c.treatment.hospital = pick(HOSPITALS);
  const level = weighted(p.levels);
  c.treatment.level = /^\d$/.test(level) && rnd() < 0.5 ? Number(level) : level; // YAML-ish 3 or "3"
  c.treatment.kind = chronic ? "chronic" : "inpatient";
  if (chronic) c.treatment.disease = pick(DISEASES_2025);
  if (!chronic && rnd() < 0.04) c.treatment.emergency = true;
  c.filing = weighted([["referral", 30], ["long-term", 15], ["temporary", 20], ["emergency", 8], ["none", 27]]);
  const a = amountFen(chronic ? 300_000 : 800_000);
  const b = CLASS_B.has(treat) && rnd() < 0.6 ? Math.round(a * 0.3 * rnd()) : 0;
  const x = rnd() < 0.5 ? Math.round(a * 0.1 * rnd()) : 0;
  if (!CSV && rnd() < 0.04) {
    const items = [{ name: "床位费 ward", class: "A", amount: yuan(Math.round(a * 0.4)) }, { name: "检查 tests", class: "A", amount: yuan(a - Math.round(a * 0.4)) }];
    if (b) items.push({ name: "乙类药品 drugs", class: "B", amount: yuan(b) });
    if (x) items.push({ name: "自费 self-paid", class: "excluded", amount: yuan(x) });
    c.items = items;
  } else {
    c.costs = { classA: yuan(a) };
    if (b) c.costs.classB = yuan(b);
    if (x) c.costs.excluded = yuan(x);
    if (rnd() < 0.05) c.costs.total = yuan(a + b + x);
  }
  if (rnd() < 0.03) c.history = { fundPaid: yuan(Math.round(rnd() * 14_000_000)), admissions: Math.floor(rnd() * 3), deductiblePaid: yuan(Math.round(rnd() * 150_000)) };
  if (rnd() < BAD) return spoil(c);
  return c;
}

/** A broken record, of the kinds real files have. */
function spoil(c) {
  switch (Math.floor(rnd() * 7)) {
    case 0: if (c.costs) c.costs.classA = "12,345.00"; else c.date = "2025-02-30"; return c;
    case 1: if (c.costs) c.costs.classA = 1234.567; else c.date = "2025/03/01"; return c;
    case 2: c.date = "2025-02-30"; return c;
    case 3: c.insured.region = "439999"; return c; // not in the region table: rejected
    case 4: delete c.insured.scheme; return c;
    case 5: return { raw: JSON.stringify(c).slice(0, 60) }; // a truncated line
    default:
      c.treatment.kind = "chronic"; // not on a list before 2025-07-01 (nor for Hubei places): rejected or a rule gap
      c.treatment.disease = "cirrhosis";
      delete c.treatment.emergency;
      c.date = c.date < "2025-07-01" ? c.date : "2025-06-30";
      return c;
  }
}

const COLUMNS = ["id", "date", "insured.id", "insured.region", "insured.scheme", "insured.retired", "treatment.region", "treatment.hospital", "treatment.level", "treatment.kind", "treatment.disease", "treatment.emergency", "filing", "costs.classA", "costs.classB", "costs.excluded", "costs.total", "history.fundPaid", "history.admissions", "history.deductiblePaid"];
const cell = (v) => {
  if (v === undefined) return "";
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const get = (o, path) => path.split(".").reduce((x, k) => (x == null ? undefined : x[k]), o);

const out = OUT ? createWriteStream(OUT) : process.stdout;
let buf = CSV ? COLUMNS.join(",") + "\n" : "";
const flush = async () => {
  if (!out.write(buf)) await new Promise((r) => out.once("drain", r));
  buf = "";
};
let seq = 0;
const start = Date.UTC(2025, 0, 1);
for (let day = 0; day < 365; day++) {
  const date = new Date(start + day * 86_400_000).toISOString().slice(0, 10);
  const today = Math.floor(((day + 1) * N) / 365) - Math.floor((day * N) / 365);
  for (let k = 0; k < today; k++) {
    const c = claimFor(++seq, date);
    if (c.raw !== undefined) buf += CSV ? `${c.raw.replace(/[,\n"]/g, ";")},x\n` : c.raw + "\n"; // CSV: too few cells
    else buf += CSV ? COLUMNS.map((col) => cell(get(c, col))).join(",") + "\n" : JSON.stringify(c) + "\n";
    if (buf.length > 1 << 20) await flush();
  }
}
await flush();
if (OUT) await new Promise((r) => out.end(r));
