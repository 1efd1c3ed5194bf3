/**
 * One settlement as a JSON Lines record, fast: exactly the UTF-8 bytes of
 * `JSON.stringify({ line, ...settlementJson(settlementOf(parts), rules, lang, explain) })`
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
  /** At most this many bytes: the segments, and 32 a hole (a number or a date). */
  readonly size: number;
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

/** The writer of one run: (output, line, parts) → the record's bytes, and its newline (all written at once: see ByteOut). */
export function jsonlRecord(rules: RuleSet, lang: Lang, explain: boolean): (out: ByteOut, line: number, p: Parts) => void {
  // Bytes made once, by the key of what they are made from (src/core/settle.ts StepSpec.key):
  // an array index, not a hash lookup, on the hot path.
  let programs: (Program | undefined)[] = [];
  let bytes: (Buffer | undefined)[] = [];
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
    return { segs, holes, size: segs.reduce((n, b) => n + b.length, 0) + 32 * holes.length };
  };

  return (out, line, p) => {
    if ((++records & 0xffff) === 0 && bytes.length + programs.length > 1_000_000) [programs, bytes] = [[], []]; // keys only grow: stay bounded
    if (!plainDate(p.date)) {
      // Not a date a validated claim carries: the general way.
      out.text(JSON.stringify({ line, ...settlementJson(settlementOf(p), rules, lang, explain) }) + "\n");
      return;
    }
    // 1. The record's parts as bytes (made once each), and room for all of it in the output buffer:
    //    then the record is written with the buffer and position in local variables, unchecked.
    const rk = p.routeForced ? `${p.route}!` : p.route;
    let routeB = routes.get(rk);
    if (!routeB) routes.set(rk, (routeB = utf8(`,"route":${str(p.route)},"routeForced":${p.routeForced},"insured":`)));
    let insuredB = bytes[p.insured.key];
    if (!insuredB) bytes[p.insured.key] = insuredB = utf8(`${JSON.stringify(p.insured.value)},"treatment":`);
    let treatmentB = bytes[p.treatment.key];
    if (!treatmentB) bytes[p.treatment.key] = treatmentB = utf8(`${JSON.stringify(p.treatment.value)},"breakdown":{"total":`);
    const r = p.ratios;
    let ratiosB = bytes[r.key];
    if (!ratiosB) bytes[r.key] = ratiosB = utf8(`,"ratio":${rate(r.ratio)},"ratioClassB":${rate(r.ratioB)},"reduction":{"mechanism":${str(r.mechanism)},"rate":${rate(r.reductionRate)},"amount":`);
    const ws = p.warnings;
    let warningsB = bytes[ws.key];
    if (!warningsB) bytes[ws.key] = warningsB = utf8(`,"warnings":[${ws.list.map((w) => `{"code":${str(w.code)},"message":${str(lang === "zh" ? w.zh : w.en)}}`).join(",")}],"figures":[`);
    // The figures, one block a list (a list is memoised: src/core/settle.ts FigureList).
    const fs = p.figures;
    let figuresB = bytes[fs.key];
    if (!figuresB) bytes[fs.key] = figuresB = utf8(`${fs.refs.map(refJson).join(",")}],"ledger":{"fundPaid":`);
    const steps = explain ? p.steps : NO_STEPS;
    let need = FIXED + routeB.length + insuredB.length + treatmentB.length + ratiosB.length + warningsB.length + figuresB.length;
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i]!;
      let prog = programs[s.key];
      if (!prog) programs[s.key] = prog = program(s);
      need += prog.size;
    }
    // An id of plain characters is written as it is; any other as JSON.stringify writes it.
    const id = p.id === undefined ? undefined : plainText(p.id) ? p.id : str(p.id);
    if (id !== undefined) need += id.length * 3 + 2;
    const lines = p.lines;
    if (lines) for (const l of lines) need += 200 + str(l.name).length * 3;
    out.room(need);

    // 2. The bytes.
    const buf = out.buf;
    let pos = out.pos;
    const v = p.v;
    pos = put(buf, pos, K.line);
    pos = intAt(buf, pos, line);
    if (id !== undefined) {
      pos = put(buf, pos, K.schemaId);
      if (id === p.id) {
        buf[pos++] = 34; // "
        pos = asciiAt(buf, pos, id);
        buf[pos++] = 34;
      } else pos += buf.write(id, pos, "utf8");
    } else pos = put(buf, pos, K.schema);
    pos = put(buf, pos, K.date);
    pos = asciiAt(buf, pos, p.date);
    pos = put(buf, pos, K.payable);
    pos = yuanJsonAt(buf, pos, v[V_FUND]!);
    pos = put(buf, pos, K.personal);
    pos = yuanJsonAt(buf, pos, v[V_PERSONAL]!);
    pos = put(buf, pos, routeB);
    pos = put(buf, pos, insuredB);
    pos = put(buf, pos, treatmentB);
    pos = yuanJsonAt(buf, pos, v[V_TOTAL]!);
    pos = put(buf, pos, K.excluded);
    pos = yuanJsonAt(buf, pos, v[V_EXCLUDED]!);
    pos = put(buf, pos, K.prepay);
    pos = yuanJsonAt(buf, pos, v[V_PREPAY]!);
    pos = put(buf, pos, K.inPolicy);
    pos = yuanJsonAt(buf, pos, v[V_IN_POLICY]!);
    pos = put(buf, pos, K.routePrepay);
    pos = yuanJsonAt(buf, pos, v[V_ROUTE_PREPAY]!);
    pos = put(buf, pos, K.deductible);
    pos = yuanJsonAt(buf, pos, v[V_DEDUCTIBLE]!);
    pos = put(buf, pos, ratiosB);
    pos = yuanJsonAt(buf, pos, v[V_REDUCTION]!);
    pos = put(buf, pos, K.copay);
    pos = yuanJsonAt(buf, pos, v[V_COPAY]!);
    pos = put(buf, pos, K.fundBeforeCap);
    pos = yuanJsonAt(buf, pos, v[V_FUND_BEFORE_CAP]!);
    pos = put(buf, pos, K.overCap);
    pos = yuanJsonAt(buf, pos, v[V_OVER_CAP]!);
    pos = put(buf, pos, K.fund);
    pos = yuanJsonAt(buf, pos, v[V_FUND]!);
    buf[pos++] = 125; // }
    if (lines) {
      pos = put(buf, pos, K.lines);
      for (let i = 0; i < lines.length; i++) {
        const l = lines[i]!;
        pos += buf.write(`${i ? "," : ""}{"name":${str(l.name)},"class":${str(l.class)},"amount":`, pos, "utf8");
        pos = yuanJsonAt(buf, pos, l.amount);
        pos = put(buf, pos, K.linePrepay);
        pos = yuanJsonAt(buf, pos, l.prepay);
        pos = put(buf, pos, K.lineInPolicy);
        pos = yuanJsonAt(buf, pos, l.inPolicy);
        buf[pos++] = 125; // }
      }
      buf[pos++] = 93; // ]
    }
    if (explain) {
      pos = put(buf, pos, K.steps);
      for (let i = 0; i < steps.length; i++) {
        const { segs, holes } = programs[steps[i]!.key]!;
        for (let j = 0; j < holes.length; j++) {
          pos = put(buf, pos, segs[j]!);
          const x = holes[j]!;
          if (x >= JSON_YUAN) pos = yuanJsonAt(buf, pos, v[x - JSON_YUAN]!);
          else if (x >= INT) pos = intAt(buf, pos, v[x - INT]!);
          else if (x === DATE) pos = asciiAt(buf, pos, p.date);
          else pos = yuanTextAt(buf, pos, v[x]!);
        }
        pos = put(buf, pos, segs[holes.length]!);
      }
      buf[pos++] = 93; // ]
    }
    pos = put(buf, pos, warningsB);
    pos = put(buf, pos, figuresB);
    pos = yuanJsonAt(buf, pos, v[V_LEDGER_FUND]!);
    pos = put(buf, pos, K.admissions);
    pos = intAt(buf, pos, v[V_LEDGER_ADMISSIONS]!);
    pos = put(buf, pos, K.deductiblePaid);
    pos = yuanJsonAt(buf, pos, v[V_LEDGER_DEDUCTIBLE]!);
    pos = put(buf, pos, tail);
    pos = asciiAt(buf, pos, p.date);
    pos = put(buf, pos, K.end);
    out.pos = pos;
  };
}

/** Bytes at `pos`; the new position. */
function put(buf: Buffer, pos: number, b: Uint8Array): number {
  buf.set(b, pos);
  return pos + b.length;
}

/** Text that JSON.stringify writes as it is, in quotes: characters from U+0020 to U+007E but `"` and `\`. */
function plainText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c > 126 || c === 34 || c === 92) return false;
  }
  return true;
}

const NO_STEPS: Parts["steps"] = [];

/** Room for what a record writes besides its parts' bytes: the keys, and 32 bytes for each number (at most 24). */
const FIXED = 4096;

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
    schemaId: b(`,"schemaVersion":${SCHEMA_VERSION},"id":`),
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
    admissions: b(',"admissions":'),
    deductiblePaid: b(',"deductiblePaid":'),
    end: b('"}}\n'),
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

/** Text of characters below U+0080 at `pos`; the new position. */
function asciiAt(buf: Buffer, pos: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
  return pos;
}

/**
 * An amount in fen as JSON writes `fen / 100` (src/core/money.ts toYuan), at
 * `pos` (at most 24 bytes); the new position. Below 10^15 fen the two-decimal
 * form is the shortest that reads back as that double, so it is what
 * JSON.stringify prints (test/batch/jsonl.test.ts checks it against
 * JSON.stringify); anything else the general way.
 */
function yuanJsonAt(buf: Buffer, pos: number, fen: number): number {
  if (!(fen >= 0 && fen < 2 ** 31 * 100 && Number.isInteger(fen))) return asciiAt(buf, pos, yuanJsonSlow(fen));
  const whole = Math.floor(fen / 100);
  const frac = fen - whole * 100;
  pos = digitsAt(buf, pos, whole);
  if (frac) {
    buf[pos++] = 46; // .
    buf[pos++] = PAIRS[2 * frac]!;
    if (frac % 10) buf[pos++] = PAIRS[2 * frac + 1]!;
  }
  return pos;
}

function yuanJsonSlow(fen: number): string {
  if (!Number.isInteger(fen) || fen >= 1e15 || fen <= -1e15) return num(fen / 100);
  const a = Math.abs(fen);
  const whole = Math.floor(a / 100);
  const frac = a - whole * 100;
  return `${fen < 0 ? "-" : ""}${whole}${frac ? (frac % 10 ? `.${String(frac).padStart(2, "0")}` : `.${frac / 10}`) : ""}`;
}

/** formatYuan(fen) (src/core/money.ts) at `pos`: 1234567 → "12,345.67"; the new position. */
function yuanTextAt(buf: Buffer, pos: number, fen: number): number {
  if (!(fen >= 0 && fen < 2 ** 31 * 100 && Number.isInteger(fen))) return asciiAt(buf, pos, formatYuan(fen));
  let whole = Math.floor(fen / 100);
  const frac = fen - whole * 100;
  const n = digitCount(whole);
  const len = n + Math.floor((n - 1) / 3) + 3;
  let p = pos + len - 1;
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
  return pos + len;
}

/** String(n) of an integer at `pos`; the new position. */
function intAt(buf: Buffer, pos: number, n: number): number {
  return n >= 0 && n < 2 ** 31 && Number.isInteger(n) ? digitsAt(buf, pos, n) : asciiAt(buf, pos, num(n));
}

/** The digits of an integer 0 ≤ n < 2^31 at `pos`; the new position. */
function digitsAt(buf: Buffer, pos: number, n: number): number {
  const len = digitCount(n);
  let p = pos + len - 1;
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
  return pos + len;
}

/** yuanJsonAt and yuanTextAt on a ByteOut (for tests). */
export function yuanJson(out: ByteOut, fen: number): void {
  out.room(32);
  out.pos = yuanJsonAt(out.buf, out.pos, fen);
}
export function yuanText(out: ByteOut, fen: number): void {
  out.room(64);
  out.pos = yuanTextAt(out.buf, out.pos, fen);
}
