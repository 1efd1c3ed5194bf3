/**
 * What `rules check` says of each finding, in English and in Chinese
 * (`--lang zh`): one function per message, so a check's wording is read, and
 * translated, in one place. src/rules/checker.ts decides what is found; here
 * is only how it is said. Region names come in as `Text` ("常德市 (430700)" /
 * "常德市（430700）").
 */
import type { Text } from "../core/settlement.js";

export type { Text };

/** A diagnostic's message fields from words in both languages. */
export const inBoth = (w: Text): { readonly message: string; readonly zh: { readonly message: string } } => ({ message: w.en, zh: { message: w.zh } });

/** A message in English only (a string), or in both languages. */
export const words = (w: string | Text): { readonly en: string; readonly zh?: string } => (typeof w === "string" ? { en: w } : w);

type Name = Text;

/** What an unknown reference is to, in Chinese. */
const REF_ZH: Readonly<Record<string, string>> = {
  region: "地区",
  "hospital level": "医院级别",
  level: "医院级别",
  disease: "病种",
  "chronic list": "慢特病目录",
  group: "人员类别",
  source: "依据",
  zone: "互认区域",
  "reduction cap": "降比上限",
};

/** Where a missing figure stands on the date: absent, ended by a null, or starting later. */
export type GapState = { readonly ended: string } | { readonly starts: string } | undefined;

/** "in force on D" in the state's words. */
const inForce = (date: string, s: GapState): Text =>
  s && "ended" in s ? { en: `(ended ${s.ended}) on ${date}`, zh: `在 ${date}（已于 ${s.ended} 终止）` } : { en: `in force on ${date}`, zh: `在 ${date} 生效` };
const starts = (s: GapState): Text => (s && "starts" in s ? { en: ` (it starts ${s.starts})`, zh: `（自 ${s.starts} 起才有）` } : { en: "", zh: "" });

export const SAY = {
  versionOrder: (date: string, latest: string): Text => ({
    en: `version ${date} is listed after ${latest}: list versions oldest first, so the file reads as a history`,
    zh: `版本 ${date} 列在 ${latest} 之后：版本请按从早到晚列出，文件才读得出沿革`,
  }),
  duplicateVersion: (date: string, prev: string, source: string): Text => ({
    en: `version ${date} repeats ${prev} (same value, same source ${source}); remove it, or cite the source that confirms it again`,
    zh: `版本 ${date} 与 ${prev} 重复（数值相同，依据同为 ${source}）；请删除，或引用再次确认它的依据`,
  }),
  stale: (last: string, years: number, asOf: string): Text => ({
    en: `the latest version took effect ${last}, more than ${years} years before ${asOf}`,
    zh: `最新版本自 ${last} 起生效，距 ${asOf} 已超过 ${years} 年`,
  }),
  staleHint: { en: "confirm it against a current source and add a version, or end it with a dated null", zh: "请对照现行依据核实并添加新版本，或以带日期的 null 终止它" } as Text,
  fractionAsPercent: (value: number, meant: string): { message: Text; hint: Text } => ({
    message: { en: `${value} is a percentage; fractions are written between 0 and 1`, zh: `${value} 是百分数；比例应写成 0 到 1 之间的小数` },
    hint: { en: `did you mean ${meant}?`, zh: `是否指 ${meant}？` },
  }),
  amountDecimals: (value: number, decimals: number): Text => ({
    en: `${value} has ${decimals} decimals; amounts are yuan exact to the fen (at most 2 decimals)`,
    zh: `${value} 有 ${decimals} 位小数；金额以元计，精确到分（至多 2 位小数）`,
  }),
  layerUnused: (region: Name, pool: Name, poolCode: string): { message: Text; hint: Text } => ({
    message: { en: `${region.en} lies in the pooling region ${pool.en}: claims read the policy of the pool, never these figures`, zh: `${region.zh}属于统筹区${pool.zh}：申报按统筹区的政策结算，从不读这些数据` },
    hint: { en: `move them to the file of ${poolCode}`, zh: `请移到 ${poolCode} 的文件中` },
  }),
  wrongProvince: (region: Name, province: Name, folder: string, other: Name | undefined, home: string | undefined): { message: Text; hint: Text } => ({
    message: {
      en: `${region.en} is in ${province.en}, but this file is in ${folder}${other ? `, the folder of ${other.en}` : ""}`,
      zh: `${region.zh}属于${province.zh}，但本文件在 ${folder}${other ? `（${other.zh}的目录）` : ""}`,
    },
    hint: home ? { en: `move it to ${home}`, zh: `请移到 ${home}` } : { en: `move it to the folder of ${province.en}`, zh: `请移到${province.zh}的目录` },
  }),
  retireePrepay: { en: "a retiree adjustment is points or copayFactor; prepay applies to route reductions only", zh: "退休人员调整为 points 或 copayFactor；prepay 只用于异地降比" } as Text,
  reductionCopay: { en: "a route reduction is points or prepay; copayFactor applies to retirees only", zh: "异地降比为 points 或 prepay；copayFactor 只用于退休人员" } as Text,
  residentRetiree: { en: "resident.retiree is never read: retirement status applies to the employee scheme only (职工医保)", zh: "resident.retiree 从不被读取：退休身份只适用于职工医保" } as Text,
  inpatientSettleAs: { en: "inpatient care always settles with its own figures; settleAs is read for outpatient and chronic only", zh: "住院总按住院自己的数据结算；settleAs 只对普通门诊和门诊慢特病有效" } as Text,
  repeatAdmission: (kind: string): Text => ({ en: `repeatAdmission applies to inpatient admissions only; ${kind} claims never read it`, zh: `repeatAdmission 只适用于住院；${kind} 申报从不读取它` }),
  residentRetired: (kind: string): Text => ({ en: `resident.${kind}.retired is never read: retirement status applies to the employee scheme only (职工医保)`, zh: `resident.${kind}.retired 从不被读取：退休身份只适用于职工医保` }),
  inpatientCountsIn: { en: "inpatient payments are the inpatient account's already; countsIn is read for outpatient and chronic only", zh: "住院支付本就计入住院账户；countsIn 只对普通门诊和门诊慢特病有效" } as Text,
  settleAsSelf: (kind: string): Text => ({ en: `${kind} settling as ${kind} changes nothing`, zh: `${kind} 按 ${kind} 结算，等于没有设置` }),
  startsLate: (region: Name, name: string, from: string, parent: Name, theirs: string): { message: Text; hint: Text } => ({
    message: {
      en: `${region.en}'s ${name} starts ${from}, after ${parent.en}'s (${theirs}): claims from ${theirs} to the day before ${from} use ${parent.en}'s value`,
      zh: `${region.zh}的 ${name} 自 ${from} 起，晚于${parent.zh}的（${theirs}）：${theirs} 至 ${from} 前一天的申报用${parent.zh}的数值`,
    },
    hint: { en: `if ${region.en}'s value applied earlier, date its first version ${theirs} or before`, zh: `如果${region.zh}的数值更早就适用，请把它的第一个版本定在 ${theirs} 或更早` },
  }),
  kindGap: (what: Text, figure: Text, date: string, region: Name, present: readonly Text[], s: GapState): Text => {
    const on = inForce(date, s);
    return {
      en: `no ${what.en} ${figure.en} ${on.en} for ${region.en}, while its ${present.map((p) => p.en).join(" and ")} ${present.length > 1 ? "are" : "is"}: a claim on that date is a rule gap${starts(s).en}`,
      zh: `${region.zh}${on.zh}的${what.zh}有${present.map((p) => p.zh).join("、")}，却没有${figure.zh}：该日期的申报无法结算（规则缺口）${starts(s).zh}`,
    };
  },
  reductionGap: (route: Text & { id: string }, date: string, region: Name, open: Text, s: GapState): Text => {
    const on = inForce(date, s);
    return {
      en: `no reduction for the ${route.id} route ${on.en} for ${region.en}, while its ${open.en} inpatient figures are: a cross-province ${route.id} claim on that date is a rule gap${starts(s).en}`,
      zh: `${region.zh}${on.zh}的${open.zh}住院数据齐全，却没有${route.zh}的降低支付比例：该日期的跨省${route.zh}申报无法结算（规则缺口）${starts(s).zh}`,
    };
  },
  gapHint: (name: string, file: string): Text => ({ en: `add ${name} to ${file}`, zh: `请在 ${file} 中添加 ${name}` }),
  tableOf: (table: Text, file: string, region?: Name): Text =>
    region ? { en: `${region.en}'s ${table.en} table (${file})`, zh: `${region.zh}的${table.zh}表（${file}）` } : { en: `the ${table.en} table (${file})`, zh: `${table.zh}表（${file}）` },
  levelGap: (what: Text, table: Text, level: Text, who: Text, required: boolean): Text => ({
    en: `${what.en} ${table.en} has no level ${level.en}, which ${who.en} has: ${required ? "a claim at that level is a rule gap" : "that level silently goes without it"}`,
    zh: `${what.zh}的${table.zh}没有${level.zh}，而${who.zh}有：${required ? "该级别的申报无法结算（规则缺口）" : "该级别会悄悄地缺少这一项"}`,
  }),
  ceilingContradiction: (what: Text, table: Text, limit: string, level: Text | undefined, deductible: string, file: string, date: string): Text => ({
    en: `${what.en} ${table.en} ${limit}${level !== undefined ? ` at level ${level.en}` : ""} is below a single deductible (${deductible}, ${file}) on ${date}`,
    zh: `${date} ${what.zh}的${table.zh} ${limit}${level !== undefined ? `（${level.zh}）` : ""}低于一次起付线（${deductible}，${file}）`,
  }),
  emergencyWorse: (e: Text, ref: Text, date: string): Text => ({
    en: `emergency is reduced by ${e.en}, more than referral (${ref.en}) on ${date}: an emergency counts as filed (医保发〔2022〕22号) and may not fare worse than a referral`,
    zh: `${date} 急诊抢救降低 ${e.zh}，多于转诊（${ref.zh}）：急诊抢救视同已备案（医保发〔2022〕22号），不得比转诊更差`,
  }),
  emergencyAsUnfiled: (e: Text, unf: Text, date: string): Text => ({
    en: `emergency is reduced by ${e.en}, as much as unfiled (${unf.en}) on ${date}: an emergency counts as filed (医保发〔2022〕22号)`,
    zh: `${date} 急诊抢救降低 ${e.zh}，与未备案（${unf.zh}）一样多：急诊抢救视同已备案（医保发〔2022〕22号）`,
  }),
  temporaryBelowReferral: (tmp: Text, ref: Text, date: string): Text => ({
    en: `other temporary patients are reduced by ${tmp.en}, less than referral (${ref.en}) on ${date}`,
    zh: `${date} 其他临时外出就医降低 ${tmp.zh}，少于转诊（${ref.zh}）`,
  }),
  unfiledBelowTemporary: (unf: Text, tmp: Text, date: string): Text => ({
    en: `unfiled claims are reduced by ${unf.en}, less than filed temporary ones (${tmp.en}) on ${date}`,
    zh: `${date} 未备案申报降低 ${unf.zh}，少于已备案的临时外出就医（${tmp.zh}）`,
  }),
  /** A reduction's size: "5 points" or "a 10% prepay" (`prepay`), as the check names it. */
  reduction: (percent: string, prepay: boolean, article = false): Text =>
    prepay ? { en: `${article ? "a " : ""}${percent} prepay`, zh: `${percent} 先行自付` } : { en: `${percent.replace("%", "")} points`, zh: `${percent.replace("%", "")} 个百分点` },
  reductionUncapped: (region: Name, route: string, how: Text, temporary: boolean): Text => ({
    en: `${region.en} reduces ${route} by ${how.en}, but ${temporary ? "the rules hold no national cap for it (reductionCaps in national.yaml)" : "医保发〔2022〕22号 allows a lower ratio for temporary patients only (referral, emergency, other temporary); no cap is set for it"}`,
    zh: `${region.zh}对 ${route} 降低 ${how.zh}，但${temporary ? "规则中没有它的国家上限（national.yaml 的 reductionCaps）" : "医保发〔2022〕22号 只允许对临时外出就医人员（转诊、急诊抢救、其他临时外出）降低比例；它没有上限"}`,
  }),
  reductionCap: (region: Name, route: string, how: Text, cap: Text, from: string, at: string): Text => ({
    en: `${region.en} reduces ${route} by ${how.en}, above the national cap of ${cap.en} (in force from ${from}, ${at})`,
    zh: `${region.zh}对 ${route} 降低 ${how.zh}，超过国家上限 ${cap.zh}（自 ${from} 起，${at}）`,
  }),
  zoneSameProvince: (a: string, b: string, province: Name): Text => ({
    en: `${a} and ${b} are both in ${province.en}: care between them settles as in-province, so this zone never applies`,
    zh: `${a}和${b}同属${province.zh}：两地之间就医按省内异地结算，这个互认区域永远用不上`,
  }),
  duplicateZone: (prev: string): Text => ({ en: `pairs the same regions as zone ${prev}`, zh: `与互认区域 ${prev} 的两地相同` }),
  zoneSelf: (region: string): Text => ({ en: `a zone pairs two different regions, got ${region} twice`, zh: `互认区域须由两个不同地区组成，这里 ${region} 出现了两次` }),
  unknownRef: (what: string, ref: string): Text => ({ en: `unknown ${what} ${JSON.stringify(ref)}`, zh: `未知的${REF_ZH[what] ?? what} ${JSON.stringify(ref)}` }),
  didYouMean: (near: string): Text => ({ en: `did you mean "${near}"?`, zh: `是否指 "${near}"？` }),
  unknownSource: (id: string, near: string | undefined, home: string): { message: Text; hint: Text } => ({
    message: { en: `unknown source ${JSON.stringify(id)}`, zh: `未知的依据 ${JSON.stringify(id)}` },
    hint: {
      en: `${near ? `did you mean "${near}"? If not, ` : ""}declare it in ${home}, under sources: with its title, date and confidence`,
      zh: `${near ? `是否指 "${near}"？如果不是，` : ""}请在 ${home} 的 sources: 下声明它，写明标题、日期和可信度`,
    },
  }),
  confidenceRaised: (source: string, value: string): Text => ({
    en: `a value may lower its source's confidence, not raise it (${source} → ${value}); ${source} is used`,
    zh: `数值只能降低其依据的可信度，不能提高（${source} → ${value}）；按 ${source} 计`,
  }),
  definedTwice: (kind: string, key: string, prev: string): Text => ({ en: `${kind} ${key} is already defined in ${prev}`, zh: `${REF_ZH[kind] ?? kind} ${key} 已在 ${prev} 中定义` }),
  parentUnknown: (parent: string): Text => ({ en: `parent ${parent} is not in the region table`, zh: `上级地区 ${parent} 不在地区表中` }),
  valueNameTaken: (field: string, name: string, id: string, other: string): { message: Text; hint: Text } => ({
    message: {
      en: `${field} name ${JSON.stringify(name)} of ${id} ${other === name ? `is the id of another ${field}` : `already names ${field} ${other}`}: a name names one ${field} only`,
      zh: `${id} 的${field}名称 ${JSON.stringify(name)}${other === name ? `是另一个 ${field} 的编号` : `已用于 ${field} ${other}`}：一个名称只能指一个 ${field}`,
    },
    hint: { en: `remove it from ${id}${other === name ? "" : ` or from ${other}`}`, zh: `请从 ${id}${other === name ? "" : ` 或 ${other}`} 中删除它` },
  }),
  emptyFile: { en: "file holds no rules", zh: "文件中没有规则" } as Text,
  unusedSource: (id: string): Text => ({ en: `source ${id} is declared but no figure cites it`, zh: `依据 ${id} 已声明，但没有数据引用它` }),
  ignoredFile: (rename: string): Text => ({
    en: `not read: rule files end in .yaml (or .yml), in lower case; rename it to ${rename} to have it read`,
    zh: `未读取：规则文件须以小写的 .yaml（或 .yml）结尾；请改名为 ${rename}`,
  }),
};
