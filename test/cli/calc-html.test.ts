/**
 * `calc --format html` and `compare --format html`, read as text: one
 * self-contained page, its figures, its escaping, `-o`. The same pages in a
 * real browser: test/browser/slip.test.ts.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { settle } from "../../src/core/settle.js";
import { esc } from "../../src/format/escape.js";
import { split } from "../../src/format/html.js";
import { benchClaims, cli, claim, ROOT, shippedRules } from "../helpers.js";

const ZONE = "examples/zone-changde-yichang.yaml";
const REFERRAL = "examples/referral-changde-wuhan.yaml";
const HOSTILE = `<script>alert("x")</script>&'`;
const ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;";

const tmp = () => mkdtempSync(join(tmpdir(), "reimburse-html-"));

/** The text of the elements carrying `data-k="KEY"` (the page's figures, under their JSON names). */
function figures(html: string, key: string): string[] {
  return [...html.matchAll(new RegExp(`data-k="${key}">([^<]*)<`, "g"))].map((m) => m[1]!);
}

describe("esc: the one escaping function", () => {
  it("escapes the five characters that matter in text and quoted attributes, and nothing else", () => {
    expect(esc(`<a href="x" title='y'>&amp;</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
    expect(esc("常德市 (430700)")).toBe("常德市 (430700)");
    expect(esc(42)).toBe("42");
  });
});

describe("reimburse calc --format html", () => {
  it("writes one self-contained page: inline CSS, no script, nothing fetched", async () => {
    const r = await cli(["calc", ZONE, "-f", "html", "--lang", "en", "-q"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(r.stdout).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(r.stdout).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|\ssrc=|\shref=/i);
    expect(r.stdout.match(/<style>/g)).toHaveLength(1);
  });
  it("shows 8,500.00 as the fund's share of the zone claim, the headline in words and the rules version", async () => {
    const r = await cli(["calc", ZONE, "-f", "html", "--lang", "en", "-q"]);
    expect(figures(r.stdout, "payable")).toEqual(["8,500.00", "8,500.00"]); // the totals, the breakdown
    expect(figures(r.stdout, "total")).toEqual(["11,100.00", "11,100.00"]);
    expect(figures(r.stdout, "deductible")).toEqual(["1,100.00"]);
    expect(r.stdout).toContain("常德市 <span class=\"code\">(430700)</span> · employee");
    expect(r.stdout).toContain("宜昌市 <span class=\"code\">(420500)</span> · level-3 hospital");
    expect(r.stdout).toContain("<b>mutual-recognition zone</b>");
    const json = JSON.parse((await cli(["calc", ZONE, "-f", "json", "-q"])).stdout) as { rules: { version: string; date: string } };
    expect(figures(r.stdout, "rulesVersion")).toEqual([json.rules.version]);
    expect(figures(r.stdout, "rulesDate")).toEqual([json.rules.date]);
  });
  it("cites every step's sources with title, URL or document number and confidence", async () => {
    const r = await cli(["calc", ZONE, "-f", "html", "--lang", "en", "-q"]);
    expect(r.stdout.match(/<tr data-step=/g)?.length).toBe(10);
    expect(r.stdout).toContain('<span class="conf conf-unverified">unverified</span> <span class="title">宜昌医保报销政策 / 宜昌与常德区域互认 (bkwk.cn)</span>');
    expect(r.stdout).toContain("https://www.bkwk.cn/article/yczybxzcjxzjcbzkbxdsjmkqyylbxzm.html");
    expect(r.stdout).toMatch(/employee\.inpatient\.deductible from 2023-01-06, rules\/hunan\/province\.yaml:21/);
    const referral = (await cli(["calc", REFERRAL, "-f", "html", "--lang", "en", "-q"])).stdout;
    expect(referral).toMatch(/<span class="doc">[^<]+<\/span>|<span class="url">/);
  });
  it("shows a notice when the result depends on an unverified figure, and none otherwise", async () => {
    const zone = (await cli(["calc", ZONE, "-f", "html", "--lang", "en", "-q"])).stdout;
    expect(zone).toMatch(/<div class="notice" role="note" data-notice="unverified"><strong>⚠ This result depends on a figure that has not been verified/);
    expect(zone).toContain("zones.yichang-changde (bkwk-yichang)");
    const referral = (await cli(["calc", REFERRAL, "-f", "html", "--lang", "en", "-q"])).stdout;
    expect(referral).not.toContain("data-notice");
  });
  it("speaks Chinese where LANG is Chinese, English otherwise", async () => {
    const zh = (await cli(["calc", ZONE, "-f", "html", "-q"], { env: { LANG: "zh_CN.UTF-8" } })).stdout;
    expect(zh).toMatch(/^<!doctype html>\n<html lang="zh-CN">/);
    expect(zh).toContain("<h1>基本医疗保险结算单</h1>");
    expect(zh).toContain("统筹基金支付");
    expect((await cli(["calc", ZONE, "-f", "html", "-q"], { env: { LANG: "C.UTF-8" } })).stdout).toMatch(/<html lang="en">/);
  });
  it("warns on standard error as json does, unless --quiet", async () => {
    expect((await cli(["calc", ZONE, "-f", "html", "--lang", "en"])).stderr).toBe(
      "warning: examples/zone-changde-yichang.yaml: the rules have no employee 大病保险 (critical illness) threshold (起付标准), bands (分段支付比例), annual cap (最高支付限额) for 常德市: what the person pays is before any 大病保险 payment\nwarning: examples/zone-changde-yichang.yaml: depends on 1 unverified figure(s): zones.yichang-changde (bkwk-yichang)\n",
    );
  });
  it("several claims: one document, a sheet each", async () => {
    const r = await cli(["calc", ZONE, REFERRAL, "-f", "html", "-q"]);
    expect(r.stdout.match(/<article class="sheet slip">/g)).toHaveLength(2);
    expect(r.stdout.match(/<!doctype html>/g)).toHaveLength(1);
  });
  it("shows itemised lines, by name", async () => {
    const r = await cli(["calc", "examples/chronic-dialysis-changde-wuhan.yaml", "-f", "html", "--lang", "en", "-q"]);
    expect(r.stdout).toContain("<td>促红细胞生成素注射液</td><td>class B</td><td class=\"num\">1,250.50</td><td class=\"num\">125.05</td>");
  });
  it("--fields is refused: the page has its own layout", async () => {
    const r = await cli(["calc", ZONE, "-f", "html", "--fields", "payable"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the page has its own layout/);
  });
});

describe("the slip escapes every value from a claim or a rule file", () => {
  it("a hostile hospital name and claim id are shown as text", async () => {
    const stdin = readFileSync(join(ROOT, ZONE), "utf8").replace("id: seed-zone", `id: ${JSON.stringify(HOSTILE)}`).replace("  kind: inpatient", `  kind: inpatient\n  hospital: ${JSON.stringify(HOSTILE)}`);
    const r = await cli(["calc", "-", "-f", "html", "-q"], { stdin });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("<script");
    expect(r.stdout).toContain(`<span data-k="hospital">${ESCAPED}</span>`);
    expect(r.stdout).toContain(`<span data-k="id">${ESCAPED}</span>`);
    expect(r.stdout).toContain(`<title>Medical insurance settlement slip ${ESCAPED} · 2025-03-09</title>`);
  });
  it("a hostile region name and source title (a rules directory of one's own) are shown as text", async () => {
    const dir = hostileRules();
    const r = await cli(["calc", ZONE, "-f", "html", "-q", "--lang", "en", "--rules", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/<script|<img/);
    expect(r.stdout).toContain(`${ESCAPED}宜昌市 <span class="code">(420500)</span>`);
    expect(r.stdout).toContain(`<span class="title">${ESCAPED}</span>`);
  });
  it("compare's page escapes scenario names and changes", async () => {
    const r = await cli(["compare", ZONE, "--scenario", `${HOSTILE.replace(/[:,=]/g, "")}:treatment.level=2`, "-f", "html", "-q", "--rules", hostileRules()]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/<script|<img/);
    expect(r.stdout).toContain(`<span data-k="scenario">${esc(HOSTILE.replace(/[:,=]/g, ""))}</span>`);
  });
});

/** A copy of the shipped rules in which 宜昌's name and the zone's source title are markup. */
function hostileRules(): string {
  const dir = join(tmp(), "rules");
  cpSync(join(ROOT, "rules"), dir, { recursive: true });
  const edit = (file: string, from: string, to: string) => {
    const p = join(dir, file);
    const text = readFileSync(p, "utf8");
    if (!text.includes(from)) throw new Error(`${file}: no ${from}`);
    writeFileSync(p, text.replace(from, to));
  };
  edit("regions.yaml", `"420500": {name: 宜昌市,`, `"420500": {name: ${JSON.stringify(`${HOSTILE}宜昌市`)},`);
  edit("sources.yaml", "title: 宜昌医保报销政策 / 宜昌与常德区域互认 (bkwk.cn)", `title: ${JSON.stringify(HOSTILE)}`);
  return dir;
}

describe("calc -o FILE", () => {
  it("writes the result there whole, nothing on stdout", async () => {
    const out = join(tmp(), "slip.html");
    const r = await cli(["calc", ZONE, "-f", "html", "-o", out, "-q"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(readFileSync(out, "utf8")).toBe((await cli(["calc", ZONE, "-f", "html", "-q"])).stdout);
    expect(readdirSync(join(out, ".."))).toEqual(["slip.html"]); // no temporary file left beside it
  });
  it("works with every format (json here)", async () => {
    const out = join(tmp(), "r.json");
    expect((await cli(["calc", ZONE, "-f", "json", "--output", out, "-q"])).code).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8"))).toMatchObject({ payable: 8500 });
  });
  it("refuses to write onto the claim it reads (exit 2), leaving it as it was", async () => {
    const dir = tmp();
    const claimFile = join(dir, "claim.yaml");
    cpSync(join(ROOT, ZONE), claimFile);
    const r = await cli(["calc", claimFile, "-f", "html", "-o", claimFile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --output .*claim\.yaml is the input file/);
    expect(readFileSync(claimFile, "utf8")).toBe(readFileSync(join(ROOT, ZONE), "utf8"));
  });
  it("refuses a directory", async () => {
    const r = await cli(["calc", ZONE, "-o", tmp()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a directory; name a file/);
  });
  it("writes nothing when the claim fails", async () => {
    const dir = tmp();
    const out = join(dir, "slip.html");
    const r = await cli(["calc", "-", "-f", "html", "-o", out], { stdin: "date: 2025-03-09\n" });
    expect(r.code).toBe(4);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
  it("says so, before settling, when the file cannot be written", async () => {
    const r = await cli(["calc", ZONE, "-o", join(tmp(), "no", "such", "dir", "slip.html")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --output \S+\/no\/such\/dir\/slip\.html: no such directory \S+\/no\/such\/dir; create it first\n$/);
  });
});

describe("the slip's split of the total", () => {
  it("adds up to the total on a year of generated claims (else split throws)", () => {
    const rules = shippedRules();
    let settled = 0;
    for (const c of benchClaims(1500, 13)) {
      let s;
      try {
        s = settle(c, rules);
      } catch {
        continue; // rule gaps and refusals: not this test's business
      }
      const sp = split(s, "en");
      // The basic fund, then 大病保险 where it pays.
      expect(sp.payers.map((p) => p.fen)).toEqual(s.critical?.payable ? [s.fund, s.critical.payable] : [s.fund]);
      if (s.reduction.mechanism === "points" && !s.critical?.payable) expect(sp.person.find((p) => p.key === "reduction")?.fen ?? 0).toBe(s.reduction.amount);
      settled++;
    }
    expect(settled).toBeGreaterThan(1000);
  });
  it("a route prepay is its own part, a reduction in points is carved out of the co-payment", () => {
    const rules = shippedRules();
    // 荆州 resident referred to 长沙: 10% first (1,120), deductible 1,200, co-pay 3,108, fund 5,772 (rules/hubei/hubei.test.yaml)
    const prepay = split(settle(claim({ date: "2025-03-09", insured: { region: "421000", scheme: "resident" }, treatment: { region: "430100", level: 3, kind: "inpatient" }, filing: "referral", costs: { classA: 11200 } }), rules), "en");
    expect(prepay.person.map((p) => [p.key, p.fen])).toEqual([["routePrepay", 112000], ["deductible", 120000], ["copay", 310800]]);
    // referral 常德 → 武汉: co-pay 2,000 of which the 5 points cost 500
    const points = split(settle(claim({ date: "2025-03-09", insured: { region: "430700", scheme: "employee" }, treatment: { region: "420100", level: 3, kind: "inpatient" }, filing: "referral", costs: { classA: 11100 } }), rules), "en");
    expect(points.person.map((p) => [p.key, p.fen])).toEqual([["deductible", 110000], ["copay", 150000], ["reduction", 50000]]);
  });
});

describe("reimburse compare --format html", () => {
  it("puts the scenarios side by side, with a bar each", async () => {
    const r = await cli(["compare", ZONE, "-f", "html", "--lang", "en", "-q"]);
    expect(r.code).toBe(0);
    const json = JSON.parse((await cli(["compare", ZONE, "-f", "json", "-q"])).stdout) as { scenario: string; payable: number }[];
    expect([...r.stdout.matchAll(/data-k="scenario">([^<]*)</g)].map((m) => m[1])).toEqual(json.map((j) => j.scenario));
    expect(r.stdout.match(/<svg class="bar"/g)).toHaveLength(json.length);
    expect(figures(r.stdout, "payable")).toEqual(["8,500.00", "8,500.00", "8,000.00", "8,000.00", "7,500.00", "7,500.00"]);
    expect(r.stdout).toContain("@page{size:A4 landscape}");
    expect(r.stdout).not.toMatch(/<script/);
  });
  it("shows a scenario that did not settle as a column of its own, and writes the page with -o all the same (exit 3)", async () => {
    // 衡阳's resident ratio has no provincial level (README "rules check"): a rule gap for that scenario only
    const out = join(tmp(), "cmp.html");
    const args = ["compare", REFERRAL, "--set", "insured.region=430400", "--set", "insured.scheme=resident", "--vary", "treatment.level=3,provincial", "-f", "html", "--lang", "en", "-q"];
    const r = await cli([...args, "-o", out]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error: level=provincial: no resident inpatient ratio \(支付比例\) for 衡阳市 \(430400\)/);
    const html = readFileSync(out, "utf8");
    expect(html).toMatch(/<div class="failed">no rule: no resident inpatient ratio \(支付比例\) for 衡阳市 \(430400\)/);
    expect(html.match(/<svg class="bar"/g)).toHaveLength(2);
  });
});