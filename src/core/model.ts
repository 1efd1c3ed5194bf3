/**
 * The compiled rule set the core computes with. Plain, JSON-serialisable data:
 * amounts are integer fen, rates exact fractions, and every dated value keeps
 * the file location it was read from so results can cite it.
 */
import type { Fen } from "./money.js";
import type { Rate } from "./rate.js";

export interface Loc {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export const CONFIDENCES = ["official", "secondary", "unverified"] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export interface Source {
  readonly id: string;
  readonly title: string;
  readonly document?: string;
  readonly url?: string;
  readonly date: string; // YYYY-MM-DD or "undated"
  readonly confidence: Confidence;
  readonly note?: string;
}

/** How a route or a retiree status changes a ratio. */
export type Adjustment =
  | { readonly points: Rate } //     ratio ± N percentage points
  | { readonly prepay: Rate } //     the person first pays N of the in-policy amount
  | { readonly copayFactor: Rate }; // co-pay share multiplied by N (Wuhan retirees)

/** A value that may differ by hospital level: one value for all, or a table. */
export type ByLevel<T> = T | { readonly [level: string]: T };

/** One band of a scale: from an amount (inclusive) to another (open at the top when absent), at a rate. */
export interface Band {
  readonly from: Fen;
  readonly to?: Fen;
  readonly rate: Rate;
}

/**
 * Amount bands with a rate each, like OpenFisca's scales (大病保险 分段支付).
 * `measure` says what the band edges count: `aboveThreshold`, the part of the
 * base above the threshold (Hunan: "0至3万元(含)部分" is the first 30,000 above
 * 16,000); `base`, the base itself (武汉: the 60% band is 12,000–30,000).
 */
export interface Scale {
  readonly measure: "aboveThreshold" | "base";
  readonly bands: readonly Band[];
}

export type FigureValue = ByLevel<Fen> | ByLevel<Rate> | Adjustment | Scale | string | readonly string[] | boolean;

export interface Version<V = FigureValue> {
  readonly from: string; // YYYY-MM-DD, inclusive
  readonly value: V | null; // null ends the figure from this date
  readonly source: string;
  readonly confidence: Confidence; // the source's, or lower where the version says so
  readonly note?: string;
  readonly unknown?: number; // lists: members announced but not named
  readonly at: Loc; // where the value is written
  readonly cells?: { readonly [key: string]: Loc }; // per-level locations of a table
}

export interface Figure<V = FigureValue> {
  readonly name: string; // dotted path inside its layer, e.g. "employee.inpatient.deductible"
  readonly unit: string;
  readonly versions: readonly Version<V>[]; // sorted by `from`
}

/** The figures one region (a province or a pooling region) defines. */
export interface Layer {
  readonly region: string;
  readonly file: string;
  readonly figures: { readonly [name: string]: Figure };
}

export interface Region {
  readonly code: string;
  readonly name: string;
  readonly level: "province" | "prefecture" | "county";
  readonly parent?: string;
  readonly pool: string | null; // pooling region (统筹区) code; null for a province or a pseudo-prefecture
  readonly province: string;
  /** The name in pinyin (Wuhan), for prefectures and pooling regions: claims may use it, and a new rule file is named by it. */
  readonly pinyin?: string;
}

export interface Named {
  readonly zh: string;
  readonly en: string;
}

/** A hospital level: its names, and other ways a claim may write it (三级 for 3). */
export interface Level extends Named {
  readonly aliases?: readonly string[];
}

export interface ChronicList {
  readonly id: string;
  readonly name: Named;
  readonly scope?: readonly string[];
  readonly figure: Figure<readonly string[]>;
}

export interface Zone {
  readonly id: string;
  readonly name: Named;
  readonly between: readonly [string, string];
  readonly figure: Figure<boolean>;
}

/** A group of insured people with figures of their own (特困人员, 低保对象, 返贫致贫人口): a claim's `insured.group`. */
export interface Group extends Named {
  readonly aliases?: readonly string[];
}

/** A value of an enumerated claim field (employee, inpatient, referral, A …): its names, and other ways a claim may write it (职工 for employee). */
export interface ValueName extends Named {
  readonly aliases?: readonly string[];
}

export interface RuleSet {
  readonly levels: { readonly [id: string]: Level };
  /** The enumerated claim fields' values by their names (rules/national.yaml values): a claim may write the id, the zh name or an alias. */
  readonly values: { readonly [F in ValueField]: { readonly [id: string]: ValueName } };
  readonly groups: { readonly [id: string]: Group };
  readonly sources: { readonly [id: string]: Source };
  readonly regions: { readonly [code: string]: Region };
  readonly diseases: { readonly [id: string]: Named };
  readonly chronicLists: { readonly [id: string]: ChronicList };
  readonly reductionCaps: { readonly [route: string]: Figure<Rate> };
  readonly zones: { readonly [id: string]: Zone };
  readonly layers: { readonly [region: string]: Layer };
  /** Identifies the rule set: a hash of its files' paths inside the rules directory and their contents. */
  readonly version: string;
  /** The rules are inside an installed package (node_modules): an edit belongs in a copy (rules init). Set when loaded. */
  readonly installed?: boolean;
}

export const SCHEMES = ["employee", "resident"] as const;
export type Scheme = (typeof SCHEMES)[number];
export const KINDS = ["inpatient", "outpatient", "chronic"] as const;
export type Kind = (typeof KINDS)[number];
export const FILINGS = ["long-term", "referral", "emergency", "temporary", "none"] as const;
export type Filing = (typeof FILINGS)[number];
export const ITEM_CLASSES = ["A", "B", "excluded"] as const;
export type ItemClass = (typeof ITEM_CLASSES)[number];
export const ROUTES = ["local", "in-province", "zone", "long-term", "referral", "emergency", "temporary", "unfiled"] as const;
export type Route = (typeof ROUTES)[number];
/**
 * The enumerated fields of a claim, by the name rules/national.yaml `values`
 * gives each: its values' ids, and where a claim writes it ("*": every item).
 */
export const VALUE_FIELDS = {
  scheme: { ids: SCHEMES, path: ["insured", "scheme"] },
  kind: { ids: KINDS, path: ["treatment", "kind"] },
  filing: { ids: FILINGS, path: ["filing"] },
  route: { ids: ROUTES, path: ["route"] },
  class: { ids: ITEM_CLASSES, path: ["items", "*", "class"] },
} as const satisfies Record<string, { readonly ids: readonly string[]; readonly path: readonly string[] }>;
export type ValueField = keyof typeof VALUE_FIELDS;

/** What each route is called, for people. */
export const ROUTE_NAMES: Readonly<Record<Route, Named>> = {
  local: { en: "local", zh: "本地就医" },
  "in-province": { en: "in-province", zh: "省内异地" },
  zone: { en: "mutual-recognition zone", zh: "互认区域" },
  "long-term": { en: "long-term resident elsewhere", zh: "异地长期居住" },
  referral: { en: "referral", zh: "异地转诊" },
  emergency: { en: "emergency", zh: "异地急诊抢救" },
  temporary: { en: "other temporary (filed)", zh: "其他临时外出就医" },
  unfiled: { en: "unfiled (manual claim)", zh: "未备案（手工报销）" },
};

/**
 * The routes of direct settlement across provinces: only on these do the
 * cross-province chronic lists ("5+15") decide whether a chronic outpatient
 * claim can be settled. Local and in-province care, and manual reimbursement
 * at the insured place (unfiled), go by the insured place's own list (README,
 * "Choices").
 */
export const CHRONIC_LIST_ROUTES: ReadonlySet<Route> = new Set(["zone", "long-term", "referral", "emergency", "temporary"]);
