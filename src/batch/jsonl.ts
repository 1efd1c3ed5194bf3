/**
 * One settlement as a JSON Lines record, fast: exactly the text of
 * `JSON.stringify({ line, ...settlementJson(s, rules, lang) })`
 * (src/format/json.ts), written directly instead of building the object and
 * stringifying it. A settlement cites the same few dozen figures over and
 * over, and each citation is the bulk of the text (title, document, URL), so
 * the JSON of each cited figure is made once per run and reused.
 *
 * test/batch/jsonl.test.ts compares the two on generated claims: a change to
 * settlementJson that is not made here fails it.
 */
import { own } from "../core/own.js";
import type { Loc, RuleSet } from "../core/model.js";
import type { FigureRef, Settlement } from "../core/settle.js";
import { SCHEMA_VERSION } from "../format/json.js";
import type { Lang } from "../format/labels.js";

const str = JSON.stringify as (s: string) => string;
/** A number as JSON.stringify writes it. */
const num = (n: number): string => (Number.isFinite(n) ? String(n) : "null");
const yuan = (fen: number): string => num(fen / 100);
const rate = (r: { num: number; den: number }): string => num(r.num / r.den);

interface CachedRef {
  readonly name: string;
  readonly region: string;
  readonly from: string;
  readonly source: string;
  readonly confidence: string;
  readonly json: string;
}

export function jsonlSerializer(rules: RuleSet, lang: Lang): (line: number, s: Settlement) => string {
  const locs = new WeakMap<Loc, string>();
  const refs = new WeakMap<Loc, CachedRef>();
  const rulesTail = `,"rules":{"version":${str(rules.version)},"date":`;

  const locText = (l: Loc): string => {
    let t = locs.get(l);
    if (t === undefined) locs.set(l, (t = str(`${l.file}:${l.line}:${l.col}`)));
    return t;
  };
  const refJson = (f: FigureRef): string => {
    const c = refs.get(f.at);
    if (c && c.name === f.name && c.region === f.region && c.from === f.from && c.source === f.source && c.confidence === f.confidence) return c.json;
    const src = own(rules.sources, f.source);
    let json = `{"figure":${str(f.name)},"region":${str(f.region)},"from":${str(f.from)},"rule":${locText(f.at)},"source":${str(f.source)},"confidence":${str(f.confidence)}`;
    if (src) {
      json += `,"title":${str(src.title)}`;
      if (src.document) json += `,"document":${str(src.document)}`;
      if (src.url) json += `,"url":${str(src.url)}`;
      json += `,"sourceDate":${str(src.date)}`;
    }
    json += "}";
    refs.set(f.at, { name: f.name, region: f.region, from: f.from, source: f.source, confidence: f.confidence, json });
    return json;
  };
  const refList = (fs: readonly FigureRef[]): string => {
    if (!fs.length) return "[]";
    let t = "[" + refJson(fs[0]!);
    for (let i = 1; i < fs.length; i++) t += "," + refJson(fs[i]!);
    return t + "]";
  };

  return (line: number, s: Settlement): string => {
    let t = `{"line":${num(line)},"schemaVersion":${SCHEMA_VERSION}`;
    if (s.id !== undefined) t += `,"id":${str(s.id)}`;
    t += `,"date":${str(s.date)},"payable":${yuan(s.fund)},"personal":${yuan(s.personal)},"route":${str(s.route)},"routeForced":${s.routeForced}`;
    t += `,"insured":${JSON.stringify(s.insured)},"treatment":${JSON.stringify(s.treatment)}`;
    t +=
      `,"breakdown":{"total":${yuan(s.total)},"excluded":${yuan(s.excluded)},"prepay":${yuan(s.prepay)},"inPolicy":${yuan(s.inPolicy)}` +
      `,"routePrepay":${yuan(s.routePrepay)},"deductible":${yuan(s.deductible)},"ratio":${rate(s.ratio)},"ratioClassB":${rate(s.ratioB)}` +
      `,"reduction":{"mechanism":${str(s.reduction.mechanism)},"rate":${rate(s.reduction.rate)},"amount":${yuan(s.reduction.amount)}}` +
      `,"copay":${yuan(s.copay)},"fundBeforeCap":${yuan(s.fundBeforeCap)},"overCap":${yuan(s.overCap)},"fund":${yuan(s.fund)}}`;
    if (s.lines) {
      t += `,"lines":[`;
      s.lines.forEach((l, i) => {
        t += `${i ? "," : ""}{"name":${str(l.name)},"class":${str(l.class)},"amount":${yuan(l.amount)},"prepay":${yuan(l.prepay)},"inPolicy":${yuan(l.inPolicy)}}`;
      });
      t += "]";
    }
    t += `,"steps":[`;
    for (let i = 0; i < s.steps.length; i++) {
      const st = s.steps[i]!;
      t += `${i ? "," : ""}{"id":${str(st.id)},"what":${str(lang === "zh" ? st.zh : st.en)}`;
      if (st.amount !== undefined) t += `,"amount":${yuan(st.amount)}`;
      if (st.rate !== undefined) t += `,"rate":${rate(st.rate)}`;
      const f0 = st.figures[0];
      t += f0 ? `,"rule":${locText(f0.at)},"source":${str(f0.source)}` : `,"rule":null,"source":null`;
      t += `,"refs":${refList(st.figures)}}`;
    }
    t += `],"warnings":[`;
    for (let i = 0; i < s.warnings.length; i++) {
      const w = s.warnings[i]!;
      t += `${i ? "," : ""}{"code":${str(w.code)},"message":${str(lang === "zh" ? w.zh : w.en)}}`;
    }
    t += `],"figures":${refList(s.figures)}`;
    t += `,"ledger":{"fundPaid":${yuan(s.ledger.fundPaid)},"admissions":${num(s.ledger.admissions)},"deductiblePaid":${yuan(s.ledger.deductiblePaid)}}`;
    t += `${rulesTail}${str(s.date)}}}`;
    return t;
  };
}
