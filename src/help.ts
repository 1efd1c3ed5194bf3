/**
 * What --help says beyond commander's own: each command's examples (real
 * commands on the shipped examples; test/cli/help.test.ts runs every one),
 * the exit codes once, at the root, and option defaults and choices shown as
 * values (`default: 5`, not `default: "5"`).
 */
import type { Command, Help, Option } from "commander";

/** Examples by command path ("" is the root). A trailing `# … exit N` says the example ends with that code, on purpose. */
export const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  "": [
    "reimburse calc examples/zone-changde-yichang.yaml",
    "reimburse compare examples/unfiled-changde-wuhan.yaml",
    "reimburse rules show --region 武汉市 --date 2025-06-01",
  ],
  calc: [
    "reimburse calc examples/zone-changde-yichang.yaml --explain",
    "reimburse calc examples/referral-changde-wuhan.yaml --set filing=none --lang zh",
    "reimburse calc examples/*.yaml --format csv --fields id,payable,personal",
  ],
  compare: [
    "reimburse compare examples/unfiled-changde-wuhan.yaml",
    "reimburse compare examples/unfiled-changde-wuhan.yaml --vary treatment.level=1,2,3 --format csv",
    "reimburse compare examples/referral-changde-wuhan.yaml --scenario unfiled:filing=none --base base",
  ],
  batch: [
    "reimburse batch examples/batch/claims-2025.jsonl -o settled.jsonl   # 2 of its 10 records are wrong on purpose: exit 4",
    "reimburse batch examples/batch/claims-2025.csv --format csv -q > settled.csv   # as Excel writes CSV: all 10 settle",
    "reimburse claim new | reimburse batch - --input-format yaml",
  ],
  claim: ["reimburse claim new > claim.yaml", "reimburse claim schema > claim.schema.json"],
  "claim new": ["reimburse claim new > claim.yaml", "reimburse claim new | reimburse calc -"],
  "claim schema": ["reimburse claim schema > claim.schema.json", "reimburse claim schema > examples/claim.schema.json   # the copy the examples name on their first line"],
  rules: ["reimburse rules check", "reimburse rules test", "reimburse rules show --region 常德市"],
  "rules check": ["reimburse rules check", "reimburse rules check --format github   # annotations for a GitHub workflow", "reimburse rules check --as-of 2030-01-01 --stale-years 3   # figures then stale: warnings, exit 0"],
  "rules test": ["reimburse rules test", "reimburse rules test --name 武汉", "reimburse rules test --format junit > rules-test.xml"],
  "rules show": ["reimburse rules show --region 武汉市 --date 2025-06-01", "reimburse rules show --region 430700 --scheme employee --format json"],
  "rules coverage": ["reimburse rules coverage --date 2025-06-01", "reimburse rules coverage --format csv > coverage.csv"],
  "rules init": ["reimburse rules init my-rules", "reimburse rules init my-rules && reimburse calc examples/zone-changde-yichang.yaml --rules my-rules"],
  "rules schema": ["reimburse rules schema > rule-file.schema.json", "reimburse rules schema > rules/schema.json   # after a change to the rule-file schema: the copy editors read"],
  "rules new-region": [
    "reimburse rules new-region 黄石市",
    "reimburse rules init my-rules && reimburse rules new-region 黄石市 --rules my-rules -o my-rules/hubei/huangshi.yaml",
  ],
  "rules diff": [
    "reimburse rules init my-rules && reimburse rules diff rules my-rules",
    "reimburse rules init my-rules && reimburse rules diff rules my-rules --claims examples/batch/claims-2025.jsonl   # the 2 wrong records are skipped, with a warning",
  ],
};

export const EXIT_CODES = `
Exit codes:
  0    ok
  1    checks found problems (rules check, rules test)
  2    usage error (bad option, file not found)
  3    rules invalid, or the rules have no figure for this claim
  4    claim invalid, or rejected by the rules (unknown region, disease not covered)
  70   internal error (a bug in reimburse: please report it)
  74   input/output error: a read or a write failed (disk full, I/O error), with the file named
  130  interrupted (Ctrl-C); 143 terminated (SIGTERM), 129 hung up (SIGHUP): batch leaves no --output file
  141  the reader of the output left (\`| head\`): the run ends quietly`;

/** The path of a command under the root: "rules check". */
export function commandPath(c: Command): string {
  const names: string[] = [];
  for (let x: Command | null = c; x?.parent; x = x.parent) names.unshift(x.name());
  return names.join(" ");
}

/** An option's description with its choices and default as values: "(one of: table, json; default: table)". */
export function optionDescription(o: Option): string {
  const extra: string[] = [];
  if (o.argChoices) extra.push(`one of: ${o.argChoices.join(", ")}`);
  const d = o.defaultValue as unknown;
  if (d !== undefined && d !== false && !o.negate) extra.push(`default: ${o.defaultValueDescription ?? String(d)}`);
  return extra.length ? `${o.description} (${extra.join("; ")})` : o.description;
}

/** Adds the examples under every command's help, and the exit codes under the root's. */
export function addHelp(root: Command): void {
  const visit = (c: Command): void => {
    const examples = EXAMPLES[commandPath(c)];
    const text = examples?.length ? `\nExamples:\n${examples.map((e) => `  $ ${e}`).join("\n")}\n` : "";
    c.addHelpText("after", c === root ? `${text}${EXIT_CODES}` : `${text}\nExit codes: see reimburse --help`);
    c.commands.forEach(visit);
  };
  visit(root);
}

/** commander's help, with option descriptions as optionDescription words them. */
export const helpConfig: Partial<Help> = { optionDescription };
