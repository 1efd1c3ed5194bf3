/**
 * --lang zh for what goes wrong and for policy staff's reports, through the
 * built binary: refusals worded in Chinese where the rules' code words them,
 * `rules show` in Chinese and fitting the terminal, `rules check`'s tally.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { displayWidth } from "../../src/format/width.js";
import { bin, ROOT } from "../helpers.js";

const dir = mkdtempSync(join(tmpdir(), "reimburse-lang-"));
const claimFile = (name: string, insured: string) => {
  const f = join(dir, name);
  writeFileSync(f, `date: 2025-03-09\ninsured: {region: ${insured}, scheme: employee}\ntreatment: {region: "420500", level: 3, kind: inpatient}\ncosts: {classA: 100}\n`);
  return f;
};

/** What is left of a line once the file, the code, field paths, quoted text and ids are taken out: no English sentence. */
const english = (line: string) =>
  line
    .replace(/^\S+?(:\d+)*:? /, "")
    .replace(/^(错误|警告) [a-z-]+ ([\w.[\]-]+: )?/, "") // a diagnostic's severity, code and field path
    .replace(/"[^"]*"|`[^`]*`|“[^”]*”|[\w./[\]-]+\.(ya?ml|md|csv|jsonl)\b|\b[a-z]+(\.[A-Za-z\d[\]]+)+|\b(rule-gap|csv-header|invalid-value|invalid-type|missing-key|unknown-key|syntax|encoding|true|false|null|community|employee|resident|insured\.id|JSON|YAML|UTF-\d+|CSV|Excel|KB|MB|GBK|BE|LE|sorted|id|date|key|value)\b/g, "")
    .match(/[A-Za-z]{3,}(?: [A-Za-z]{3,})+/g);

describe("refusals in Chinese", () => {
  const unknown = claimFile("unknown.yaml", "黄冈X");
  it("an unknown region: the message and its did-you-mean in Chinese, located as in English (exit 4)", () => {
    expect(bin(["calc", unknown, "--lang", "zh"])).toEqual({
      code: 4,
      stdout: "",
      stderr: `${unknown}:2:19 错误 rejected insured.region: 未知地区 "黄冈X"：不在地区表中（rules/regions.yaml）（是否指 黄冈市？）\n`,
    });
    expect(bin(["calc", unknown, "--lang", "en"]).stderr).toBe(`${unknown}:2:19 error rejected insured.region: unknown region "黄冈X": not in the region table (rules/regions.yaml) (did you mean 黄冈市?)\n`);
  });
  it("LANG=zh_CN.UTF-8 without --lang is Chinese too; --lang=en wins over it", () => {
    expect(bin(["calc", unknown], { env: { LANG: "zh_CN.UTF-8" } }).stderr).toContain("错误 rejected insured.region: 未知地区");
    expect(bin(["calc", unknown, "--lang=en"], { env: { LANG: "zh_CN.UTF-8" } }).stderr).toContain("error rejected insured.region: unknown region");
  });
  it("a province where a pooling region is needed", () => {
    expect(bin(["calc", claimFile("province.yaml", '"430000"'), "--lang", "zh"]).stderr).toMatch(/错误 rejected insured\.region: 湖南省（430000）不是统筹区：请写明市或县（例如湖南省的一个地级市）\n$/);
  });
});

describe("rule gaps in Chinese: what is missing, and where to add it", () => {
  const gap = (name: string, insured: string, treated: string) => {
    const f = join(dir, name);
    writeFileSync(f, `date: 2025-06-01\ninsured: {region: ${insured}, scheme: employee}\ntreatment: {region: ${treated}, level: 3, kind: inpatient}\nfiling: long-term\ncosts: {classA: 20000, classB: 5000}\n`);
    return f;
  };
  it("a region without figures (黄石市): each figure by its Chinese name, the file to create and its skeleton (exit 3)", () => {
    const f = gap("huangshi.yaml", "黄石市", "长沙市");
    const r = bin(["calc", f, "--lang", "zh"]);
    expect(r.code).toBe(3);
    // Both places lack figures: the treatment place its class B share, the insured place its own figures.
    expect(r.stderr).toContain("错误 rule-gap 2025-06-01 没有生效的长沙市（430100）就医地乙类先行自付比例，也没有黄石市（420200）职工医保住院起付线、职工医保住院支付比例和职工医保住院年度最高支付限额（");
    expect(r.stderr).toContain("新建 rules/hubei/huangshi.yaml（region: \"420200\"）");
    expect(r.stderr).toContain("`reimburse rules new-region 420200 -o rules/hubei/huangshi.yaml` 可生成其骨架");
    expect(bin(["calc", f]).stderr).toContain("and no employee inpatient deductible (起付线), employee inpatient ratio (支付比例) and employee inpatient annual cap (最高支付限额) for 黄石市 (420200) in force on 2025-06-01");
  });
  it("a treatment place without a class B share (长沙市): the bill's costs.prepay offered in Chinese too", () => {
    const f = gap("changsha.yaml", "武汉市", "长沙市");
    const r = bin(["calc", f, "--lang", "zh"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("没有生效的长沙市（430100）就医地乙类先行自付比例");
    expect(r.stderr).toContain("或填写结算单上打印的乙类先行自付金额：costs.prepay");
  });
  it("the same words from a list (calc --keep-going), batch and compare's scenarios", () => {
    const f = gap("list.yaml", "武汉市", "长沙市");
    const ok = join(dir, "ok.yaml");
    writeFileSync(ok, "date: 2025-06-01\ninsured: {region: 常德市, scheme: employee}\ntreatment: {region: 宜昌市, level: 3, kind: inpatient}\ncosts: {classA: 11100}\n");
    expect(bin(["calc", f, ok, "--keep-going", "-f", "json", "-q", "--lang", "zh"]).stderr).toContain(`${f} 错误 rule-gap 2025-06-01 没有生效的长沙市（430100）就医地乙类先行自付比例`);
    const jsonl = join(dir, "gap.jsonl");
    writeFileSync(jsonl, JSON.stringify({ date: "2025-06-01", insured: { region: "武汉市", scheme: "employee" }, treatment: { region: "长沙市", level: 3, kind: "inpatient" }, filing: "long-term", costs: { classA: 20000, classB: 5000 } }) + "\n");
    expect(bin(["batch", jsonl, "--lang", "zh"]).stderr).toContain(`${jsonl}:1: 规则缺口: 2025-06-01 没有生效的长沙市（430100）就医地乙类先行自付比例`);
    // The settled base (常德 insured, in 宜昌) compared with a 黄石 insured: that scenario is the gap.
    const c = bin(["compare", ok, "--scenario", "黄石:insured.region=420200", "-f", "json", "--lang", "zh"]);
    expect(c.stderr).toContain("错误: 黄石：2025-06-01 没有生效的黄石市（420200）职工医保住院起付线");
  });
});

describe("a claim's problems in Chinese: schema, syntax, encoding, CSV, order", () => {
  const write = (name: string, text: string | Buffer) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  const zh = (args: string[], stdin?: string) => bin([...args, "--lang", "zh"], stdin !== undefined ? { stdin } : {});

  it("schema problems: each in Chinese, located as in English (exit 4)", () => {
    // 2025-02-30 is no date; employe no scheme; retird no key; 1234.567 has 3 decimals; "9,800.00" is YAML, not a CSV cell.
    const f = write("bad-schema.yaml", 'date: 2025-02-30\ninsured: {region: 常德市, scheme: employe, retird: true}\ntreatment: {region: 宜昌市, level: 3, kind: inpatient, emergency: 3}\ncosts: {classA: 1234.567, classB: "9,800.00"}\n');
    const r = zh(["calc", f]);
    expect(r.code).toBe(4);
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      `${f}:1:7 错误 invalid-value date: 不是有效的日期：2025-02-30`,
      `${f}:2:32 错误 invalid-value insured.scheme: 未知的险种 "employe"；可选：employee、resident（是否指 employee？）`,
      `${f}:2:41 错误 unknown-key insured.retird: 未知字段 "retird"；此处可填：id、region、scheme、retired、group（是否指 "retired"？）`,
      `${f}:3:64 错误 invalid-type treatment.emergency: 必须为 true 或 false`,
      `${f}:4:17 错误 invalid-value costs.classA: 有 3 位小数；金额精确到分（至多 2 位小数），实际为 1234.567`,
      `${f}:4:35 错误 invalid-value costs.classB: 必须为 1234.56 这样以元为单位的十进制金额，实际为 "9,800.00"（请去掉千位分隔符）`,
    ]);
    const missing = zh(["calc", write("missing.yaml", "insured: {region: 常德市}\ntreatment: {region: 宜昌市, level: 3, kind: inpatient}\ncosts: {classA: 100, classB: 10, prepay: 50}\n")]);
    expect(missing.stderr).toContain("missing-key date: 缺少必填字段 date");
    expect(missing.stderr).toContain("missing-key insured.scheme: 缺少必填字段 scheme");
  });

  it("a check between fields: the class B prepay above class B", () => {
    const r = zh(["calc", write("prepay.yaml", "date: 2025-03-09\ninsured: {region: 常德市, scheme: employee}\ntreatment: {region: 宜昌市, level: 3, kind: inpatient}\ncosts: {classA: 100, classB: 10, prepay: 50}\n")]);
    expect(r.stderr).toContain("costs.prepay: 大于乙类费用（50.00 > 10.00）：乙类先行自付是乙类费用的一部分");
  });

  it("YAML syntax, a full-width colon, UTF-16 and GBK", () => {
    expect(zh(["calc", write("dup.yaml", "id: a\nid: b\n")]).stderr).toContain("dup.yaml:2:1 错误 duplicate-key 重复的字段 \"id\"：一个字段在映射中只能出现一次");
    expect(zh(["calc", write("indent.yaml", "date: 2025-03-09\ninsured: {region: 常德市, scheme: employee\ncosts: [\n")]).stderr).toContain("错误 syntax 缩进不正确");
    expect(zh(["calc", write("colon.yaml", "date: 2025-03-09\ninsured:\n  region：430700\n  scheme: employee\n")]).stderr).toContain("（全角冒号“：”不能分隔键和值：请写半角冒号加空格，“key: value”）");
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("date: 2025-03-09\n", "utf16le")]);
    expect(zh(["calc", write("utf16.yaml", utf16)]).stderr).toContain("错误 encoding 文件是 UTF-16 编码（little-endian）：请另存为 UTF-8");
    const gbk = Buffer.from([0x64, 0x3a, 0x20, 0xb3, 0xa3, 0xb5, 0xc2, 0x0a]); // "d: 常德" in GBK
    expect(zh(["calc", write("gbk.yaml", gbk)]).stderr).toContain("不是有效的 UTF-8（第 3 字节）：请将文件另存为 UTF-8");
  });

  it("batch: JSON Lines that is not JSON, a CSV header, a stray quote, claims out of order", () => {
    const lines = zh(["batch", "-", "-f", "csv"], ['{"id": 1,}', '{"id":'].join("\n") + "\n");
    expect(lines.stderr).toContain("<stdin>:1: 无效: 不是有效的 JSON：第 10 列有误");
    expect(lines.stderr).toContain("<stdin>:2: 无效: 不是有效的 JSON：在值结束前就结束了（有未闭合的 {、[ 或字符串）");
    const header = zh(["batch", write("header.csv", "编号,日起,参保地\n")]);
    expect(header.stderr).toContain('错误 csv-header 未知的列 "日起"（是否指 日期？）');
    expect(header.stderr).toContain("缺少列 日期（date）、险种（insured.scheme）");
    const quote = zh(["batch", write("quote.csv", 'date,insured.region,insured.scheme,treatment.region,treatment.level,treatment.kind,costs.classA\n2025-03-09,常德市,employee,宜昌市,3,inpatient,1"00\n')]);
    expect(quote.stderr).toContain("无效: CSV：没有引号的第 7 个单元格中出现了引号");
    const order = zh(["batch", "examples/batch/claims-2025.csv", "--sorted"]);
    expect(order.stderr).toContain("examples/batch/claims-2025.csv:4: 顺序错误: 日期（date）: 2025-01-14 排在同一参保人（insured.id HN-0001）同一年度 2025-03-09 的申报之后");
    expect(order.stderr).toContain("  提示: 请按参保人和日期排序输入，或去掉 --sorted");
  });

  it("what a clerk writes by habit: 12万, a negative amount, an unclosed {, a GBK CSV, a Chinese name misspelt", () => {
    const f = write("habit.yaml", "date: 2025-03-09\ninsured: {region: 常德市, scheme: 职工保险}\ntreatment: {region: 宜昌市, level: 3, kind: inpatient}\ncosts: {classA: 12万, classB: -5}\n");
    expect(zh(["calc", f]).stderr.trimEnd().split("\n")).toEqual([
      `${f}:2:32 错误 invalid-value insured.scheme: 未知的险种 "职工保险"；可选：employee、resident，或其中文名称（rules/national.yaml values.scheme）（是否指 职工医保？）`,
      `${f}:4:17 错误 invalid-value costs.classA: 必须为 1234.56 这样以元为单位的十进制金额，实际为 "12万"（金额以元为单位：12万 写作 120000）`, // 12 × 10,000
      `${f}:4:30 错误 invalid-value costs.classB: 金额不能为负数，实际为 -5`,
    ]);
    expect(bin(["calc", f]).stderr).toContain('got "12万" (amounts are in yuan: 12万 is 120000)');
    expect(zh(["calc", write("open.yaml", "date: 2025-03-09\ninsured: {region: 常德市, scheme: employee\ntreatment: {region: 宜昌市, level: 3, kind: inpatient}\n")]).stderr).toContain("缩进不正确，或缺少结尾的 }");
    const gbk = write("gbk.csv", Buffer.concat([Buffer.from([0xc8, 0xd5, 0xc6, 0xda]), Buffer.from(",date\n1,2\n")])); // 日期 in GBK
    expect(zh(["batch", gbk])).toMatchObject({ code: 4, stderr: `${gbk}:1:1 错误 encoding 表头不是有效的 UTF-8（GBK？）：请将文件另存为 UTF-8（Excel：“CSV UTF-8”）\n` });
  });

  it("the table in Chinese: the route prepay and the sources' confidence", () => {
    // A 武汉 retiree's emergency in 长沙: Hubei reduces by a 10% prepay; the explained table cites 转引/未核实 sources.
    const f = write("prepay-route.yaml", "date: 2025-03-09\ninsured: {region: 武汉市, scheme: employee, retired: true}\ntreatment: {region: 长沙市, level: 3, kind: inpatient, emergency: true}\ncosts: {classA: 30000, prepay: 0}\n");
    const t = zh(["calc", f, "--explain"], undefined).stdout;
    expect(t).toMatch(/异地先行自付 10%（−[\d,.]+）/);
    expect(t).not.toMatch(/prepay \(|\((secondary|unverified)\)/);
  });

  it("no English sentence is left in any of them", () => {
    expect(english("f.yaml:1:1 error syntax Flow map in block collection must be indented")).not.toBeNull(); // the check can fail
    expect(english("f.yaml:1:1 错误 invalid-value costs.classA: 有 3 位小数")).toBeNull();
    const runs = [
      zh(["calc", join(dir, "bad-schema.yaml")]),
      zh(["calc", join(dir, "prepay.yaml")]),
      zh(["calc", join(dir, "indent.yaml")]),
      zh(["calc", join(dir, "colon.yaml")]),
      zh(["calc", join(dir, "gbk.yaml")]),
      zh(["batch", join(dir, "header.csv")]),
      zh(["batch", join(dir, "quote.csv"), "-f", "csv"]),
      zh(["batch", "examples/batch/claims-2025.csv", "--sorted", "-f", "csv"]),
      zh(["batch", "examples/batch/claims-2025.jsonl", "-f", "csv"]),
    ];
    for (const r of runs) for (const line of r.stderr.trimEnd().split("\n")) expect(english(line), line).toBeNull();
  });
});

describe("rules check --lang zh: every finding in Chinese", { timeout: 60_000 }, () => {
  it("on each broken fixture, no English sentence is left; the same findings, at the same places, as in English", () => {
    const root = join(ROOT, "test", "fixtures", "rules-broken");
    for (const name of readdirSync(root).filter((n) => n !== "_clean")) {
      const [zhRun, enRun] = [bin(["rules", "check", join(root, name), "--lang", "zh"]), bin(["rules", "check", join(root, name)])];
      const findings = (out: string) => out.split("\n").filter((l) => / (错误|警告|error|warning) /.test(l));
      const [zhLines, enLines] = [findings(zhRun.stdout + zhRun.stderr), findings(enRun.stdout + enRun.stderr)];
      expect(zhLines.length, name).toBe(enLines.length);
      zhLines.forEach((line, i) => {
        expect(line.split(/ (错误|警告) /)[0], name).toBe(enLines[i]!.split(/ (error|warning) /)[0]); // file:line:col
        expect(english(line), line).toBeNull();
      });
    }
  });
});

describe("a what-if the policy refuses is an answer, not a usage error", () => {
  const claim = "examples/chronic-dialysis-changde-wuhan.yaml"; // 常德 employee, 尿毒症透析 in 武汉
  it("calc --set a disease not on the lists of the date: refused (exit 4), located, in Chinese; a misspelt one stays a usage error (exit 2)", () => {
    // On 2024-06-01 常德 offers the national list of 5 only; 冠心病 joins with the extension of 2025-01-01.
    const r = bin(["calc", claim, "--set", "treatment.disease=冠心病", "--set", "date=2024-06-01", "--lang", "zh"]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`${claim}:15:12 错误 rejected treatment.disease: 冠心病 不能直接结算：不在常德市于 2024-06-01 开通的跨省门诊慢特病病种中：国家门诊慢特病跨省直接结算 5 种（已列出 5 种）`);
    expect(bin(["calc", claim, "--set", "treatment.disease=冠心"]).code).toBe(2);
  });
  it("compare --vary: the refused scenarios are rows that did not settle, the others settle (exit 4)", () => {
    const r = bin(["compare", claim, "-f", "json", "--vary", "treatment.disease=冠心病", "--vary", "date=2024-06-01,2025-08-01"]);
    expect(r.code).toBe(4);
    const rows = JSON.parse(r.stdout) as { scenario: string; error?: string }[];
    expect(rows.map((x) => [x.scenario, x.error ?? "settled"])).toEqual([
      ["base", "settled"],
      ["disease=冠心病 date=2024-06-01", "rejected"],
      ["disease=冠心病 date=2025-08-01", "settled"],
    ]);
  });
});

describe("rules check: a negative amount is one problem, not two", () => {
  it("-1100 is refused as below 0, and not also as having too many decimals", () => {
    const copy = join(dir, "neg-rules");
    bin(["rules", "init", copy]);
    const f = join(copy, "hunan", "province.yaml");
    writeFileSync(f, readFileSync(f, "utf8").replace('"3": 1100, provincial: 1600', '"3": -1100, provincial: 1600'));
    const lines = bin(["rules", "check", copy]).stdout.split("\n").filter((l) => l.includes("province.yaml:21:"));
    expect(lines).toEqual([`${f}:21:62 error invalid-value policy.employee.inpatient.deductible.values.2023-01-06.value.3: must be ≥ 0`]);
  });
});

describe("rules check --lang zh: annotations and JSON", () => {
  it("-f github annotates in Chinese; -f json keeps the English messages, with no zh key", () => {
    const gh = bin(["rules", "check", "-f", "github", "--lang", "zh", "--as-of", "2026-06-01"]).stdout;
    expect(gh).toContain("::warning file=rules/hubei/province.yaml,line=16,col=11,title=stale-figure::policy.resident.criticalIllness.threshold.values.2016-01-01: 最新版本自 2016-01-01 起生效，距 2026-06-01 已超过 5 年");
    const json = bin(["rules", "check", "-f", "json", "--lang", "zh", "--as-of", "2026-06-01"]).stdout;
    expect(json).toContain('"message": "the latest version took effect 2016-01-01, more than 5 years before 2026-06-01"');
    expect(json).not.toContain('"zh"');
  });
});

describe("usage errors in Chinese: commander's forms and the files given", () => {
  it.each([
    [["calc", "--frmat", "json", "x"], "错误：未知选项 '--frmat'\n（是否指 --format？）\n（用法见 --help）\n"],
    [["calc", "-f", "xml", "x"], "错误：选项 '-f, --format <format>' 的值 'xml' 无效，可选：table, json, csv, tsv, html\n（用法见 --help）\n"],
    [["calc"], "错误：缺少必需的参数 'claim'\n（用法见 --help）\n"],
    [["clac"], "错误：未知命令 'clac'\n（是否指 calc？）\n（用法见 --help）\n"],
    [["compare", "a", "b"], "错误：'compare' 的参数过多：应为 1 个，实际 2 个\n（用法见 --help）\n"],
    [["calc", "-f"], "错误：选项 '-f, --format <format>' 缺少值\n（用法见 --help）\n"],
    [["calc", "no-such-claim.yaml"], "错误：找不到文件：no-such-claim.yaml\n"],
    [["calc", "examples"], "错误：是目录，不是文件：examples\n"],
  ])("%j", (args, stderr) => {
    expect(bin([args[0]!, "--lang", "zh", ...args.slice(1)])).toMatchObject({ code: 2, stdout: "", stderr });
    expect(bin(args).stderr).toMatch(/^error: /); // English as before
  });
});

describe("rules coverage --lang zh", () => {
  it("the text in Chinese: schemes, kinds, levels, routes and figures by the rules' names; the same totals as in English", () => {
    const zhText = bin(["rules", "coverage", "--date", "2025-09-01", "--lang", "zh"]).stdout;
    expect(zhText).toContain("黄石市（420200）  — 作为就医地：没有乙类先行自付比例（结算单上的 costs.prepay 可代替）\n  无法结算：没有自己的数据（请新建 rules/hubei/huangshi.yaml）");
    expect(zhText).toContain("  职工医保　　 住院　　　 4/5 个级别；第一个缺口：省部属，本地就医（另有 6 条路径）：没有职工医保住院起付线（在 rules/hubei/wuhan.yaml:16）");
    const en = bin(["rules", "coverage", "--date", "2025-09-01"]).stdout.trimEnd().split("\n").pop()!;
    const [settle, combinations, routesSettle, routes] = en.match(/[\d,]+/g)!; // "353 of 930 combinations …; 2,501 of 6,570 …"
    expect(zhText.trimEnd().split("\n").pop()).toBe(`${combinations} 种组合中 ${settle} 种在各条路径都能结算；${routes} 个组合路径中 ${routesSettle} 个能结算`);
    for (const line of zhText.split("\n").slice(1)) expect(english(line), line).toBeNull();
  });
});

describe("rules show --lang zh", () => {
  it("heads, values and sources in Chinese; within COLUMNS", () => {
    const show = (columns: number) => bin(["rules", "show", "--region", "常德市", "--date", "2025-06-01", "--lang", "zh"], { env: { COLUMNS: String(columns) } });
    const r = show(200); // wide: each figure on one line
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^常德市（430700） 2025-06-01 /);
    expect(r.stdout).toMatch(/│ 项目 +│ 数值 +│/);
    expect(r.stdout).toContain("+2 个百分点"); // employee.retiree: Hunan's +2 points for retirees
    expect(r.stdout).toContain("hn-employee-measures（转引）");
    expect(r.stdout).toMatch(/│ 异地转诊 +│ 10 个百分点 │/); // the national cap on the referral reduction
    // Hunan's employee inpatient deductibles by level, the levels by their Chinese names (rules/hunan/province.yaml:21).
    expect(r.stdout).toContain("基层: 200.00 · 一级: 500.00 · 二级: 800.00 · 三级: 1,100.00 · 省部属: 1,600.00");
    expect(r.stdout).not.toMatch(/missing:|\d points|default|\(secondary\)|\(unverified\)/); // (figure names such as groups.points are ids)
    for (const line of show(90).stdout.trimEnd().split("\n")) expect(displayWidth(line), line).toBeLessThanOrEqual(90);
  });
});

describe("rules check --lang zh", () => {
  it("the tally in Chinese, with the same counts as the JSON summary", () => {
    const s = JSON.parse(bin(["rules", "check", "--format", "json"]).stdout).summary;
    const last = bin(["rules", "check", "--lang", "zh"]).stdout.trimEnd().split("\n").pop();
    expect(last).toBe(`${s.files} 个文件，${s.errors} 个错误，${s.warnings} 个警告；${s.values} 个带日期的数值，按可信度：官方 ${s.confidence.official}，转引 ${s.confidence.secondary}，未核实 ${s.confidence.unverified}`);
    expect(bin(["rules", "check", "--lang", "zh"]).stdout).toMatch(/^rules\/\S+ 警告 /m);
  });
});

describe("batch --lang zh", () => {
  it("each failure on standard error and the summary in Chinese; the output records keep their English problems", () => {
    const bad = JSON.stringify({ date: "2025-03-09", insured: { region: "黄冈X", scheme: "employee" }, treatment: { region: "420500", level: 3, kind: "inpatient" }, costs: { classA: 100 } });
    // The seed claim: (11,100 − 1,100) × 85% = 8,500.
    const good = JSON.stringify({ date: "2025-03-09", insured: { region: "430700", scheme: "employee" }, treatment: { region: "420500", level: 3, kind: "inpatient" }, costs: { classA: 11100 } });
    const r = bin(["batch", "-", "--lang", "zh"], { stdin: `${good}\n${bad}\n` });
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(
      "<stdin>:2: 被拒: 参保地（insured.region）: 未知地区 \"黄冈X\"：不在地区表中（rules/regions.yaml）\n  提示: 是否指 黄冈市？\n" +
        "batch：共 2 条记录：结算 1 条，失败 1 条（被拒 1）；统筹基金合计支付 8,500.00 元\n",
    );
    const failed = JSON.parse(r.stdout.trim().split("\n")[1]!);
    expect(failed.problems).toEqual([{ path: "insured.region", message: 'unknown region "黄冈X": not in the region table (rules/regions.yaml)', hint: "did you mean 黄冈市?" }]);
  });
});
