/**
 * One settlement as a JSON Lines record, fast: exactly the UTF-8 bytes of
 * `JSON.stringify({ line, ...settlementJson(settlementOf(parts), rules, lang) })`
 * (src/format/json.ts), written straight into the output buffer instead of
 * building the Settlement, its JSON object and a string of 6 KB.
 *
 * Nearly all of a record is the same from one claim to the next — the
 * citations of the figures (title, document, URL), the step texts around the
 * amounts — and is turned into bytes once per run: each step (a template of
 * src/core/settle.ts) becomes a "program" of byte strings, already JSON-escaped
 * and UTF-8-encoded, with holes for the claim's numbers, which are written as
 * digits. Only the language asked for is rendered.
 *
 * test/batch/jsonl.test.ts compares the two byte for byte on generated claims
 * in both languages: a change to settlementJson that is not made here fails it.
 */
import { own } from "../core/own.js";
import { formatYuan } from "../core/money.js";
import type { Loc, RuleSet } from "../core/model.js";
import type { Rate } from "../core/rate.js";
import { DATE, INT, V, settlementOf, type FigureRef, type Parts, type StepSpec, type Tpl } from "../core/settle.js";
import { SCHEMA_VERSION, settlementJson } from "../format/json.js";
import type { Lang } from "../format/labels.js";
import type { ByteOut } from "./write.js";

const str = JSON.stringify as (s: string) => string;
const utf8 = (s: string): Buffer => Buffer.from(s, "utf8");

/** In a program: a slot written as JSON writes an amount (`toYuan`). */
const JSON_YUAN = 128;

/**
 * A step as bytes: byte strings `segs` with `holes` between them (a slot of
 * `Parts.v`, `INT + slot`, `JSON_YUAN + slot`, or `DATE`): segs[0], holes[0],
 * segs[1], …, segs[n].
 */
interface Program {
  readonly segs: readonly Buffer[];
  readonly holes: readonly number[];
}

/** A date as claims carry it, YYYY-MM-DD in ASCII digits (then it needs no JSON escaping). */
function plainDate(d: string): boolean {
  if (d.length !== 10) return false;
  for (let i = 0; i < 10; i++) {
    const c = d.charCodeAt(i);
    if (i === 4 || i === 7 ? c !== 45 : c < 48 || c > 57) return false;
  }
  return true;
}

/** The writer of one run: (output, line, parts) → the record's bytes, without the newline. */
export function jsonlRecord(rules: RuleSet, lang: Lang): (out: ByteOut, line: number, p: Parts) => void {
  // Bytes made once, by the key of what they are made from (src/core/settle.ts StepSpec.key):
  // an array index, not a hash lookup, on the hot path.
  let programs: (Program | undefined)[] = [];
  let bytes: (Buffer | undefined)[] = [];
  let listed: (Buffer | undefined)[] = []; // a figure after the first: ",{…}"
  const refJsons = new Map<FigureRef, string>();
  const rates = new Map<Rate, string>();
  const routes = new Map<string, Buffer>();
  const K = keys();
  const tail = utf8(`},"rules":{"version":${str(rules.version)},"date":"`);
  let records = 0;

  const loc = (l: Loc): string => str(`${l.file}:${l.line}:${l.col}`);
  const refJson = (f: FigureRef): string => {
    let json = refJsons.get(f);
    if (json !== undefined) return json;
    const src = own(rules.sources, f.source);
    json = `{"figure":${str(f.name)},"region":${str(f.region)},"from":${str(f.from)},"rule":${loc(f.at)},"source":${str(f.source)},"confidence":${str(f.confidence)}`;
    if (src) {
      json += `,"title":${str(src.title)}`;
      if (src.document) json += `,"document":${str(src.document)}`;
      if (src.url) json += `,"url":${str(src.url)}`;
      json += `,"sourceDate":${str(src.date)}`;
    }
    json += "}";
    refJsons.set(f, json);
    return json;
  };
  const refList = (fs: readonly FigureRef[]): string => `[${fs.map(refJson).join(",")}]`;
  const rate = (r: Rate): string => {
    let x = rates.get(r);
    if (x === undefined) rates.set(r, (x = num(r.num / r.den)));
    return x;
  };

  /**
   * A step's program: `{"id":…,"what":"…","amount":…,"rate":…,"rule":…,"source":…,"refs":[…]}`,
   * after a comma unless it is the rules step (always the first).
   */
  const program = (s: StepSpec): Program => {
    const segs: Buffer[] = [];
    const holes: number[] = [];
    let text = `${s.id === "rules" ? "" : ","}{"id":${str(s.id)},"what":"`;
    const tpl: Tpl = lang === "zh" ? s.zh : s.en;
    for (const x of tpl) {
      if (typeof x === "string") text += str(x).slice(1, -1); // escaping is per character: the same in pieces
      else {
        segs.push(utf8(text));
        holes.push(x);
        text = "";
      }
    }
    text += '"';
    if (s.amount !== undefined) {
      segs.push(utf8(`${text},"amount":`));
      holes.push(JSON_YUAN + s.amount);
      text = "";
    }
    if (s.rate !== undefined) text += `,"rate":${rate(s.rate)}`;
    const f0 = s.figures[0];
    text += f0 ? `,"rule":${loc(f0.at)},"source":${str(f0.source)}` : `,"rule":null,"source":null`;
    text += `,"refs":${refList(s.figures)}}`;
    segs.push(utf8(text));
    return { segs, holes };
  };

  return (out, line, p) => {
    if ((++records & 0xffff) === 0 && bytes.length + programs.length > 1_000_000) [programs, bytes, listed] = [[], [], []]; // keys only grow: stay bounded
    if (!plainDate(p.date)) {
      // Not a date a validated claim carries: the general way.
      out.text(JSON.stringify({ line, ...settlementJson(settlementOf(p), rules, lang) }));
      return;
    }
    const v = p.v;
    out.bytes(K.line);
    int(out, line);
    out.bytes(K.schema);
    if (p.id !== undefined) {
      out.bytes(K.id);
      out.text(str(p.id));
    }
    out.bytes(K.date);
    out.ascii(p.date);
    out.bytes(K.payable);
    yuanJson(out, v[V_FUND]!);
    out.bytes(K.personal);
    yuanJson(out, v[V_PERSONAL]!);
    const rk = p.routeForced ? `${p.route}!` : p.route;
    let b = routes.get(rk);
    if (!b) routes.set(rk, (b = utf8(`,"route":${str(p.route)},"routeForced":${p.routeForced},"insured":`)));
    out.bytes(b);
    b = bytes[p.insured.key];
    if (!b) bytes[p.insured.key] = b = utf8(`${JSON.stringify(p.insured.value)},"treatment":`);
    out.bytes(b);
    b = bytes[p.treatment.key];
    if (!b) bytes[p.treatment.key] = b = utf8(`${JSON.stringify(p.treatment.value)},"breakdown":{"total":`);
    out.bytes(b);
    yuanJson(out, v[V_TOTAL]!);
    out.bytes(K.excluded);
    yuanJson(out, v[V_EXCLUDED]!);
    out.bytes(K.prepay);
    yuanJson(out, v[V_PREPAY]!);
    out.bytes(K.inPolicy);
    yuanJson(out, v[V_IN_POLICY]!);
    out.bytes(K.routePrepay);
    yuanJson(out, v[V_ROUTE_PREPAY]!);
    out.bytes(K.deductible);
    yuanJson(out, v[V_DEDUCTIBLE]!);
    const r = p.ratios;
    b = bytes[r.key];
    if (!b) bytes[r.key] = b = utf8(`,"ratio":${rate(r.ratio)},"ratioClassB":${rate(r.ratioB)},"reduction":{"mechanism":${str(r.mechanism)},"rate":${rate(r.reductionRate)},"amount":`);
    out.bytes(b);
    yuanJson(out, v[V_REDUCTION]!);
    out.bytes(K.copay);
    yuanJson(out, v[V_COPAY]!);
    out.bytes(K.fundBeforeCap);
    yuanJson(out, v[V_FUND_BEFORE_CAP]!);
    out.bytes(K.overCap);
    yuanJson(out, v[V_OVER_CAP]!);
    out.bytes(K.fund);
    yuanJson(out, v[V_FUND]!);
    out.bytes(K.close);
    if (p.lines) {
      out.bytes(K.lines);
      for (let i = 0; i < p.lines.length; i++) {
        const l = p.lines[i]!;
        out.text(`${i ? "," : ""}{"name":${str(l.name)},"class":${str(l.class)},"amount":`);
        yuanJson(out, l.amount);
        out.bytes(K.linePrepay);
        yuanJson(out, l.prepay);
        out.bytes(K.lineInPolicy);
        yuanJson(out, l.inPolicy);
        out.bytes(K.close);
      }
      out.bytes(K.closeList);
    }
    out.bytes(K.steps);
    const steps = p.steps;
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i]!;
      let prog = programs[s.key];
      if (!prog) programs[s.key] = prog = program(s);
      const { segs, holes } = prog;
      for (let j = 0; j < holes.length; j++) {
        out.bytes(segs[j]!);
        const x = holes[j]!;
        if (x >= JSON_YUAN) yuanJson(out, v[x - JSON_YUAN]!);
        else if (x >= INT) int(out, v[x - INT]!);
        else if (x === DATE) out.ascii(p.date);
        else yuanText(out, v[x]!);
      }
      out.bytes(segs[holes.length]!);
    }
    const ws = p.warnings;
    b = bytes[ws.key];
    if (!b) bytes[ws.key] = b = utf8(`],"warnings":[${ws.list.map((w) => `{"code":${str(w.code)},"message":${str(lang === "zh" ? w.zh : w.en)}}`).join(",")}],"figures":[`);
    out.bytes(b);
    const { refs, keys: rkeys } = p.figures;
    for (let i = 0; i < refs.length; i++) {
      const k = rkeys[i]!;
      if (i) {
        b = listed[k];
        if (!b) listed[k] = b = utf8(`,${refJson(refs[i]!)}`);
      } else {
        b = bytes[k];
        if (!b) bytes[k] = b = utf8(refJson(refs[i]!));
      }
      out.bytes(b);
    }
    out.bytes(K.ledger);
    yuanJson(out, v[V_LEDGER_FUND]!);
    out.bytes(K.admissions);
    int(out, v[V_LEDGER_ADMISSIONS]!);
    out.bytes(K.deductiblePaid);
    yuanJson(out, v[V_LEDGER_DEDUCTIBLE]!);
    out.bytes(tail);
    out.ascii(p.date);
    out.bytes(K.end);
  };
}

// Slots of Parts.v (src/core/settle.ts V), as constants here.
const V_TOTAL = V.total;
const V_EXCLUDED = V.excluded;
const V_PREPAY = V.prepay;
const V_IN_POLICY = V.inPolicy;
const V_ROUTE_PREPAY = V.routePrepay;
const V_DEDUCTIBLE = V.deductible;
const V_REDUCTION = V.reductionAmount;
const V_COPAY = V.copay;
const V_FUND_BEFORE_CAP = V.fundBeforeCap;
const V_OVER_CAP = V.overCap;
const V_FUND = V.fund;
const V_PERSONAL = V.personal;
const V_LEDGER_FUND = V.ledgerFundPaid;
const V_LEDGER_ADMISSIONS = V.ledgerAdmissions;
const V_LEDGER_DEDUCTIBLE = V.ledgerDeductiblePaid;

function keys() {
  const b = (s: string) => utf8(s);
  return {
    line: b('{"line":'),
    steps: b(',"steps":['),
    schema: b(`,"schemaVersion":${SCHEMA_VERSION}`),
    id: b(',"id":'),
    date: b(',"date":"'),
    payable: b('","payable":'),
    personal: b(',"personal":'),
    excluded: b(',"excluded":'),
    prepay: b(',"prepay":'),
    inPolicy: b(',"inPolicy":'),
    routePrepay: b(',"routePrepay":'),
    deductible: b(',"deductible":'),
    copay: b('},"copay":'),
    fundBeforeCap: b(',"fundBeforeCap":'),
    overCap: b(',"overCap":'),
    fund: b(',"fund":'),
    lines: b(',"lines":['),
    linePrepay: b(',"prepay":'),
    lineInPolicy: b(',"inPolicy":'),
    close: b("}"),
    closeList: b("]"),
    comma: b(","),
    ledger: b('],"ledger":{"fundPaid":'),
    admissions: b(',"admissions":'),
    deductiblePaid: b(',"deductiblePaid":'),
    end: b('"}}'),
  };
}

/** A number as JSON.stringify writes it. */
function num(n: number): string {
  return Number.isFinite(n) ? String(n) : "null";
}

/** "00" to "99" and "000" to "999" as ASCII bytes: digits two or three at a time (int32 arithmetic; far faster than String(n)). */
const PAIRS = new Uint8Array(200);
const TRIPLES = new Uint8Array(3000);
for (let i = 0; i < 100; i++) [PAIRS[2 * i], PAIRS[2 * i + 1]] = [48 + ((i / 10) | 0), 48 + (i % 10)];
for (let i = 0; i < 1000; i++) [TRIPLES[3 * i], TRIPLES[3 * i + 1], TRIPLES[3 * i + 2]] = [48 + ((i / 100) | 0), 48 + (((i / 10) | 0) % 10), 48 + (i % 10)];

/** Decimal digits of an integer 0 ≤ n < 2^31. */
function digitCount(n: number): number {
  return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : n < 100000 ? 5 : n < 1000000 ? 6 : n < 10000000 ? 7 : n < 100000000 ? 8 : n < 1000000000 ? 9 : 10;
}

/**
 * An amount in fen as JSON writes `fen / 100` (src/core/money.ts toYuan):
 * below 10^15 fen the two-decimal form is the shortest that reads back as
 * that double, so it is what JSON.stringify prints (test/batch/jsonl.test.ts
 * checks it against JSON.stringify); anything else the general way.
 */
export function yuanJson(out: ByteOut, fen: number): void {
  if (!(fen >= 0 && fen < 2 ** 31 * 100 && Number.isInteger(fen))) {
    yuanJsonSlow(out, fen);
    return;
  }
  const whole = Math.floor(fen / 100);
  const frac = fen - whole * 100;
  digits(out, whole);
  if (frac) {
    out.room(3);
    const buf = out.buf;
    let p = out.pos;
    buf[p++] = 46; // .
    buf[p++] = PAIRS[2 * frac]!;
    if (frac % 10) buf[p++] = PAIRS[2 * frac + 1]!;
    out.pos = p;
  }
}

function yuanJsonSlow(out: ByteOut, fen: number): void {
  if (!Number.isInteger(fen) || fen >= 1e15 || fen <= -1e15) {
    out.ascii(num(fen / 100));
    return;
  }
  let a = fen;
  if (a < 0) {
    out.ascii("-");
    a = -a;
  }
  const whole = Math.floor(a / 100);
  const frac = a - whole * 100;
  out.ascii(String(whole));
  if (frac) out.ascii(frac % 10 ? `.${String(frac).padStart(2, "0")}` : `.${frac / 10}`);
}

/** formatYuan(fen) (src/core/money.ts), as bytes: 1234567 → "12,345.67". */
export function yuanText(out: ByteOut, fen: number): void {
  if (!(fen >= 0 && fen < 2 ** 31 * 100 && Number.isInteger(fen))) {
    out.ascii(formatYuan(fen));
    return;
  }
  let whole = Math.floor(fen / 100);
  const frac = fen - whole * 100;
  const n = digitCount(whole);
  const len = n + Math.floor((n - 1) / 3) + 3;
  out.room(len);
  const buf = out.buf;
  let p = out.pos + len - 1;
  buf[p--] = PAIRS[2 * frac + 1]!;
  buf[p--] = PAIRS[2 * frac]!;
  buf[p--] = 46; // .
  while (whole >= 1000) {
    const q = (whole / 1000) | 0;
    const r = whole - q * 1000;
    buf[p--] = TRIPLES[3 * r + 2]!;
    buf[p--] = TRIPLES[3 * r + 1]!;
    buf[p--] = TRIPLES[3 * r]!;
    buf[p--] = 44; // ,
    whole = q;
  }
  do {
    buf[p--] = 48 + (whole % 10);
    whole = (whole / 10) | 0;
  } while (whole);
  out.pos += len;
}

/** String(n) of an integer, as bytes. */
function int(out: ByteOut, n: number): void {
  if (n >= 0 && n < 2 ** 31 && Number.isInteger(n)) digits(out, n);
  else out.ascii(num(n));
}

/** The digits of an integer 0 ≤ n < 2^31. */
function digits(out: ByteOut, n: number): void {
  const len = digitCount(n);
  out.room(len);
  const buf = out.buf;
  let p = out.pos + len - 1;
  while (n >= 100) {
    const q = (n / 100) | 0;
    const r = n - q * 100;
    buf[p--] = PAIRS[2 * r + 1]!;
    buf[p--] = PAIRS[2 * r]!;
    n = q;
  }
  if (n >= 10) {
    buf[p--] = PAIRS[2 * n + 1]!;
    buf[p] = PAIRS[2 * n]!;
  } else buf[p] = 48 + n;
  out.pos += len;
}
