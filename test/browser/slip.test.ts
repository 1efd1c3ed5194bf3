/**
 * The slips in a real browser: headless Chromium (the system's, through
 * playwright-core) renders the HTML the built binary writes, and the test
 * checks what a person would see: the figures equal the JSON's, nothing runs or
 * is fetched, nothing overflows an A4 page. Screenshots go to
 * test/.output/browser/ (ignored by git); the README's docs/slip.png is made
 * here too, when it is missing or with UPDATE_SCREENSHOTS=1.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bin, ROOT } from "../helpers.js";
import { findChromium, launch, NO_BROWSER } from "./chromium.js";

const OUT = join(ROOT, "test", ".output", "browser");
const README_PNG = join(ROOT, "docs", "slip.png");
const ZONE = "examples/zone-changde-yichang.yaml";
const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

/** An A4 page less the slip's 10 mm margins, in CSS pixels (96 per inch): 190 × 277 mm, and landscape. */
const A4 = { width: 718, height: 1047 };
const A4_LANDSCAPE = { width: 1047, height: 718 };

/** The examples, and how many A4 pages each may print on: a typical claim one; the itemised one puts its lines on a second. */
const EXAMPLES: [string, number][] = [
  ["zone-changde-yichang", 1],
  ["referral-changde-wuhan", 1],
  ["unfiled-changde-wuhan", 1],
  ["chronic-dialysis-changde-wuhan", 2],
  // 大病保险 as a second payer: 129,220 + 34,107 of 200,000.
  ["critical-illness-changde-wuhan", 2],
];

const browser = findChromium();
if (!browser) process.stderr.write(`\n*** ${NO_BROWSER}\n\n`);

interface Json {
  id?: string;
  date: string;
  payable: number;
  personal: number;
  criticalIllness?: { payable: number }; // 大病保险, where it applies
  breakdown: {
    total: number; excluded: number; prepay: number; inPolicy: number; routePrepay: number; deductible: number; copay: number; overCap: number;
    ratio: number; ratioClassB: number; reduction: { mechanism: string; amount: number };
  };
  figures: { confidence: string }[];
  rules: { version: string; date: string };
}

describe.skipIf(!browser)("slips in headless Chromium", () => {
  let ctx: BrowserContext;
  let close: () => Promise<void>;
  /** Every URL any page asked for, and whatever ran (dialogs, errors). */
  const requests: string[] = [];
  const ran: string[] = [];

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    ({ ctx, close } = await launch(browser!));
    ctx.on("request", (r) => requests.push(r.url()));
    await ctx.route("**/*", (route) => (route.request().url().startsWith("file:") ? route.continue() : route.abort()));
  }, 60_000);
  afterAll(async () => close?.());

  /** Opens a file the binary wrote; anything it runs or fetches beyond itself is recorded. */
  async function open(file: string): Promise<Page> {
    const page = await ctx.newPage();
    page.on("dialog", (d) => {
      ran.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on("pageerror", (e) => ran.push(`error: ${e.message}`));
    page.on("console", (m) => ran.push(`console: ${m.text()}`));
    const before = requests.length;
    await page.goto(pathToFileURL(file).href);
    expect(requests.slice(before)).toEqual([pathToFileURL(file).href]);
    return page;
  }

  /** Writes a page with the built binary, as a user would: `reimburse ARGS -o FILE`. */
  function write(args: string[], name: string): string {
    const file = join(OUT, name);
    const r = bin([...args, "-o", file]);
    expect(r.stdout).toBe("");
    expect([0, 3]).toContain(r.code);
    return file;
  }

  const json = <T = Json>(args: string[]): T => JSON.parse(bin([...args, "--format", "json", "-q"]).stdout) as T;
  /** "8,500.00" → 8500; a page's amount is always grouped by thousands with two decimals. */
  const amount = (text: string): number => {
    expect(text).toMatch(/^[+−]?\d{1,3}(,\d{3})*\.\d{2}$/);
    return Number(text.replace(/,/g, "").replace("−", "-"));
  };

  /** Prints the page as Chromium would (A4, the page's own @page rules): the number of pages of the PDF. */
  async function printedPages(page: Page): Promise<number> {
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const pages = pdf.toString("latin1").match(/\/Type\s*\/Page\b(?!s)/g)?.length ?? 0;
    expect(pages).toBeGreaterThan(0); // a PDF the count can read
    return pages;
  }

  /**
   * Laid out for print on the page's width: the elements that stick out of the
   * page or out of their own cell, and the height of the tallest sheet.
   */
  async function printLayout(page: Page, size: { width: number; height: number }): Promise<{ overflows: string[]; height: number }> {
    await page.emulateMedia({ media: "print" });
    await page.setViewportSize(size);
    const out = await page.evaluate((width) => {
      const what = (e: Element) => `${e.tagName.toLowerCase()}${e.className ? `.${String(e.className).replace(/\s+/g, ".")}` : ""} "${(e.textContent ?? "").slice(0, 40)}"`;
      const bad: string[] = [];
      if (document.documentElement.scrollWidth > width + 0.5) bad.push(`the document is ${document.documentElement.scrollWidth}px wide`);
      for (const e of document.querySelectorAll("body *")) {
        const r = e.getBoundingClientRect();
        if (r.right > width + 0.5) bad.push(`${what(e)} ends at ${Math.round(r.right)}px`);
        if ((e.tagName === "TD" || e.tagName === "TH" || e.tagName === "DD") && e.scrollWidth > e.clientWidth + 1) bad.push(`${what(e)} is wider than its cell`);
      }
      const height = Math.max(...[...document.querySelectorAll(".sheet")].map((e) => e.getBoundingClientRect().height));
      return { overflows: bad, height };
    }, size.width);
    await page.emulateMedia({ media: null }); // as it was: page.pdf() prints with print media unless screen is emulated
    return out;
  }

  /** The figures of a slip, by their JSON names (`data-k`), as shown. */
  const shown = (page: Page) => page.$$eval("[data-k]", (es) => es.map((e) => [(e as HTMLElement).dataset.k!, (e as HTMLElement).innerText] as [string, string]));

  it("`calc examples/zone-changde-yichang.yaml --format html -o slip.html` shows 8,500.00 as the fund's share", async () => {
    const file = join(OUT, "slip.html");
    const r = bin(["calc", ZONE, "--format", "html", "-o", file], { env: { LANG: "en_US.UTF-8" } });
    expect(r.code).toBe(0);
    const page = await open(file);
    const fund = page.locator(".totals .fund [data-k=payable]");
    expect(await fund.isVisible()).toBe(true);
    expect(await fund.innerText()).toBe("8,500.00");
    expect(await page.locator(".totals .fund").innerText()).toMatch(/^Fund pays\s+8,500.00 yuan$/);
    expect(await page.locator('.breakdown tr.fund [data-k="payable"]').innerText()).toBe("8,500.00");
    await page.screenshot({ path: join(OUT, "slip.png"), fullPage: true });
    // The README's picture: this slip's sheet.
    const sheet = await page.locator(".sheet").screenshot();
    writeFileSync(join(OUT, "slip-sheet.png"), sheet);
    if (!existsSync(README_PNG) || process.env.UPDATE_SCREENSHOTS === "1") copyFileSync(join(OUT, "slip-sheet.png"), README_PNG);
    await page.close();
  }, 30_000);

  for (const [example, pages] of EXAMPLES)
    for (const lang of ["en", "zh"])
      it(`${example} (${lang}): the figures on the page are the JSON's, the parts add up, and it prints on ${pages} A4 page(s), nothing cut off`, async () => {
        const args = ["calc", `examples/${example}.yaml`, "--lang", lang];
        const file = write([...args, "--format", "html", "-q"], `${example}.${lang}.html`);
        const j = json(args);
        const page = await open(file);
        const b = j.breakdown;
        const expected: Record<string, number | undefined> = {
          total: b.total, excluded: b.excluded, prepay: b.prepay, inPolicy: b.inPolicy, routePrepay: b.routePrepay, deductible: b.deductible,
          copay: b.copay, overCap: b.overCap, personal: j.personal, payable: j.payable, reduction: b.reduction.amount,
          ...(j.criticalIllness ? { criticalIllness: j.criticalIllness.payable } : {}),
        };
        const seen = new Set<string>();
        for (const [k, text] of await shown(page)) {
          seen.add(k);
          if (k in expected) expect(amount(text), k).toBe(expected[k]);
          else if (k === "ratio") {
            const [a, classB = a] = text.split(" / B ").map((t) => Number(t.replace("%", "")) / 100);
            expect(a).toBeCloseTo(b.ratio, 12);
            expect(classB).toBeCloseTo(b.ratioClassB, 12);
          } else if (k === "rulesVersion") expect(text).toBe(j.rules.version);
          else if (k === "rulesDate" || k === "date") expect(text).toBe(j.date);
          else if (k === "id") expect(text).toBe(j.id);
          else throw new Error(`a figure the test does not know: ${k}`);
        }
        for (const k of ["total", "excluded", "prepay", "inPolicy", "deductible", "copay", "overCap", "personal", "payable", "ratio", "rulesVersion"]) expect(seen, k).toContain(k);
        // The bar's legend: the payers are what the fund and 大病保险 pay; with the person's parts they make the total, in fen.
        const fen = (t: string) => Math.round(amount(t) * 100);
        const parts = await page.$$eval("[data-part]", (es) => es.map((e) => [(e as HTMLElement).dataset.part!, (e as HTMLElement).innerText] as [string, string]));
        const payers = parts.filter(([k]) => k === "payable" || k === "criticalIllness");
        expect(payers.reduce((a, [, t]) => a + fen(t), 0)).toBe(Math.round((j.payable + (j.criticalIllness?.payable ?? 0)) * 100));
        expect(parts.reduce((a, [, t]) => a + fen(t), 0)).toBe(Math.round(b.total * 100));
        expect(await page.locator("svg.bar rect").count()).toBe(parts.length);
        // A notice when the result depends on an unverified figure, visible.
        const unverified = j.figures.some((f) => f.confidence === "unverified");
        expect(await page.locator("[data-notice=unverified]").isVisible()).toBe(unverified);
        expect(await page.locator("tr[data-step]").count()).toBeGreaterThan(8);
        await page.screenshot({ path: join(OUT, `${example}.${lang}.png`), fullPage: true });
        const layout = await printLayout(page, A4);
        expect(layout.overflows).toEqual([]);
        if (pages === 1) expect(layout.height).toBeLessThanOrEqual(A4.height);
        expect(await printedPages(page)).toBeLessThanOrEqual(pages);
        await page.close();
      }, 30_000);

  it("a hostile hospital name, claim id and region name are shown as text, and nothing runs", async () => {
    const claim = readFileSync(join(ROOT, ZONE), "utf8")
      .replace("id: seed-zone", `id: ${JSON.stringify(HOSTILE)}`)
      .replace("  kind: inpatient", `  kind: inpatient\n  hospital: ${JSON.stringify(HOSTILE)}`);
    const claimFile = join(OUT, "hostile.yaml");
    writeFileSync(claimFile, claim);
    const rules = join(mkdtempSync(join(tmpdir(), "reimburse-hostile-")), "rules");
    copyRules(rules);
    const file = write(["calc", claimFile, "--rules", rules, "--format", "html", "--lang", "en", "-q"], "hostile.html");
    const before = ran.length;
    const page = await open(file);
    expect(await page.locator("script, img, iframe, object, embed").count()).toBe(0);
    expect(await page.locator("[data-k=hospital]").innerText()).toBe(HOSTILE);
    expect(await page.locator("[data-k=id]").innerText()).toBe(HOSTILE);
    expect(await page.locator("dl.claim").innerText()).toContain(`${HOSTILE}宜昌市 (420500)`);
    expect(await page.title()).toContain(HOSTILE);
    expect(ran.slice(before)).toEqual([]);
    await page.screenshot({ path: join(OUT, "hostile.png"), fullPage: true });
    await page.close();
  }, 30_000);

  it("compare: a column and a bar per scenario, the JSON's figures, nothing cut off on A4 landscape", async () => {
    const args = ["compare", ZONE, "--lang", "zh"];
    const file = write([...args, "--format", "html", "-q"], "compare.zh.html");
    const rows = json<{ scenario: string; payable: number; personal: number; breakdown: { total: number } }[]>(args);
    const page = await open(file);
    // In Chinese: the claim as written, then the route scenarios by their routes' names (the JSON keeps the ids).
    expect(rows.map((r) => r.scenario)).toEqual(["base", "long-term", "referral", "emergency", "temporary", "unfiled"]);
    expect(await page.locator("thead [data-k=scenario]").allInnerTexts()).toEqual(["原结算单", "异地长期居住", "异地转诊", "异地急诊抢救", "其他临时外出就医", "未备案（手工报销）"]);
    expect(await page.locator("table.bars svg.bar").count()).toBe(rows.length);
    for (const [i, r] of rows.entries()) {
      const cell = (k: string) => page.locator(`table.side td[data-s="${i}"] [data-k="${k}"]`).innerText();
      expect(amount(await cell("payable"))).toBe(r.payable);
      expect(amount(await cell("personal"))).toBe(r.personal);
      expect(amount(await cell("total"))).toBe(r.breakdown.total);
      expect(amount(await page.locator(`table.bars tr[data-s="${i}"] [data-k=funds]`).innerText())).toBe(r.payable);
    }
    await page.screenshot({ path: join(OUT, "compare.zh.png"), fullPage: true });
    const layout = await printLayout(page, A4_LANDSCAPE);
    expect(layout.overflows).toEqual([]);
    expect(layout.height).toBeLessThanOrEqual(A4_LANDSCAPE.height);
    expect(await printedPages(page)).toBe(1);
    await page.close();
  }, 30_000);

  it("the README's picture (docs/slip.png) is a PNG of the sheet, A4-shaped", () => {
    const png = readFileSync(README_PNG);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    expect(width).toBe(794); // 210 mm at 96 px per inch
    expect(height / width).toBeCloseTo(297 / 210, 1);
  });
});

/** The shipped rules with 宜昌's name made markup. */
function copyRules(dir: string): void {
  cpSync(join(ROOT, "rules"), dir, { recursive: true });
  const p = join(dir, "regions.yaml");
  writeFileSync(p, readFileSync(p, "utf8").replace(`"420500": {name: 宜昌市,`, `"420500": {name: ${JSON.stringify(`${HOSTILE}宜昌市`)},`));
}
