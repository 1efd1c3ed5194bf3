/**
 * A batch's records, one at a time: validate, settle with the person's year so
 * far, write the result or the failure (src/commands/batch.ts runs it on the
 * whole input).
 */
import { fieldNameZh } from "../claims/fields.js";
import { checkClaim } from "../claims/load.js";
import { validateClaim } from "../claims/validate.js";
import type { Claim } from "../claims/schema.js";
import { ClaimRejectedError, RuleGapError } from "../core/errors.js";
import type { RuleSet } from "../core/model.js";
import { settle } from "../core/settle.js";
import { valueNameHint, withValueIds } from "../core/vocabulary.js";
import { fieldPath } from "../diagnostics.js";
import { parseYaml, type YamlFile } from "../yaml/document.js";
import { Ledgers, type LedgerKey } from "./ledger.js";
import type { InputRecord } from "./read.js";
import { FAILURE_ZH, idOf, type Failure, type FailureKind, type Problem } from "./records.js";
import type { Lang } from "../format/labels.js";
import type { RecordWriter } from "./write.js";

export class Settler {
  records = 0;
  settled = 0;
  /** Total the fund pays, fen. */
  payable = 0;
  /** The input line of the last record taken. */
  lastLine = 0;
  /** The settlement dates of the claims settled, first and last. */
  private firstDate = "9999-99-99";
  private lastDate = "";
  readonly failed: Record<FailureKind, number> = { invalid: 0, rejected: 0, order: 0, rules: 0, internal: 0 };
  /** Without --sorted: the claims of persons, settled at the end in date order. */
  readonly buffer: { line: number; claim: Claim }[] = [];
  private readonly ledgers = new Ledgers();
  private noPositions: YamlFile | undefined;

  constructor(
    private readonly rules: RuleSet,
    /** `today`: claims dated after it settle with a warning (the caller's clock). */
    private readonly o: { readonly sorted: boolean; readonly file: string; readonly today?: string },
    private readonly writer: RecordWriter,
    /** Told of each failure after it is written (the command reports it on standard error). */
    private readonly onFail: (f: Failure) => void,
  ) {}

  private fail(f: Failure): void {
    this.failed[f.kind]++;
    this.writer.failed(f);
    this.onFail(f);
  }

  /** A record read: settled now, or (a person's claim, without --sorted) kept for the end. */
  take(r: InputRecord): void {
    this.records++;
    this.lastLine = r.line;
    if (r.problems) return this.fail({ line: r.line, kind: "invalid", problems: r.problems });
    const claim = validateClaim(withValueIds(this.rules, r.value)) ?? this.invalid(r); // 职工医保 → employee: the names the rules give
    if (!claim) return;
    const key = Ledgers.keyOf(claim);
    if (key === undefined || this.o.sorted) this.settleNow(r.line, claim, key);
    else this.buffer.push({ line: r.line, claim });
  }

  /** The first and last settlement dates of the claims settled (none: none settled). */
  get dates(): string[] {
    return this.settled ? [this.firstDate, this.lastDate] : [];
  }

  /** A record the compiled claim schema does not accept: zod decides, and words its problems. */
  private invalid(r: InputRecord): Claim | undefined {
    // A record has no YAML document to locate problems in: one empty document for them all.
    this.noPositions ??= parseYaml(this.o.file, "{}").yaml;
    const checked = checkClaim(this.o.file, r.value, this.noPositions);
    if (checked.claim) return checked.claim;
    const id = idOf(r.value);
    const problems: Problem[] = checked.diagnostics.map((d) => {
      const named = d.hint || d.path === undefined ? undefined : valueNameHint(this.rules, r.value, d.path); // 职工保险 → 职工医保
      const hint = d.hint ?? named?.en;
      const zh = named ? { message: d.zh?.message ?? d.message, hint: named.zh } : d.zh;
      return { path: d.path ?? "", message: d.message, ...(hint ? { hint } : {}), ...(zh ? { zh } : {}) };
    });
    this.fail({ line: r.line, ...(id !== undefined ? { id } : {}), kind: "invalid", problems });
    return undefined;
  }

  /** Without --sorted, at the end: the kept claims in date order (then input order). */
  sortBuffer(): void {
    this.buffer.sort((a, b) => (a.claim.date < b.claim.date ? -1 : a.claim.date > b.claim.date ? 1 : a.line - b.line));
  }

  /** Settles the i-th kept claim (after sortBuffer), and lets it go. */
  settleKept(i: number): void {
    const { line, claim } = this.buffer[i]!;
    this.buffer[i] = undefined as never; // let it go once settled
    this.settleNow(line, claim, Ledgers.keyOf(claim));
  }

  private settleNow(line: number, claim: Claim, key: LedgerKey | undefined): void {
    const ledgers = this.ledgers;
    if (this.o.sorted && key !== undefined && ledgers.isAfter(key, claim.date)) {
      const last = ledgers.lastDate(key)!;
      return this.fail({
        line,
        ...(claim.id !== undefined ? { id: claim.id } : {}),
        kind: "order",
        problems: [
          {
            path: "date",
            message: `${claim.date} comes after a claim of ${last} of the same person (insured.id ${claim.insured.id}) and year: with --sorted each person's claims must come in date order`,
            hint: "sort the input by person and date, or leave out --sorted",
            zh: {
              message: `${claim.date} 排在同一参保人（insured.id ${claim.insured.id}）同一年度 ${last} 的申报之后：使用 --sorted 时，每人的申报须按日期排列`,
              hint: "请按参保人和日期排序输入，或去掉 --sorted",
            },
          },
        ],
      });
    }
    try {
      const s = settle(claim, this.rules, ledgers.historyFor(claim, key), this.o.today);
      ledgers.record(key, s.date, s.ledger);
      this.settled++;
      this.payable += s.fund;
      if (s.date < this.firstDate) this.firstDate = s.date;
      if (s.date > this.lastDate) this.lastDate = s.date;
      this.writer.settled(line, s);
    } catch (e) {
      const id = claim.id !== undefined ? { id: claim.id } : {};
      if (e instanceof ClaimRejectedError) this.fail({ line, ...id, kind: "rejected", problems: [{ path: fieldPath(e.path), message: e.message, ...(e.hint ? { hint: e.hint } : {}), ...(e.zh ? { zh: e.zh } : {}) }] });
      else if (e instanceof RuleGapError) this.fail({ line, ...id, kind: "rules", problems: [{ path: "", message: e.message, hint: e.hint, ...(e.zh ? { zh: e.zh } : {}) }] });
      else this.fail({ line, ...id, kind: "internal", problems: [{ path: "", message: `internal error (a bug in reimburse, please report it with this record): ${(e as Error)?.message ?? String(e)}` }] });
    }
  }
}

/** A failure as standard error shows it: `FILE:LINE: KIND: PATH: message` (and the hint), one line a problem; in Chinese with --lang zh. */
export function failureText(file: string, f: Failure, lang: Lang = "en"): string {
  const zh = lang === "zh";
  let s = "";
  for (const p of f.problems) {
    const words = zh && p.zh ? { message: p.zh.message, hint: p.zh.hint ?? p.hint } : p;
    const path = zh && p.path && fieldNameZh(p.path) !== p.path ? `${fieldNameZh(p.path)}（${p.path}）` : p.path; // 甲类费用（costs.classA）, as a Chinese header names it
    s += `${file}:${f.line}: ${zh ? FAILURE_ZH[f.kind] : f.kind}: ${path ? `${path}: ` : ""}${words.message}\n${words.hint ? `  ${zh ? "提示" : "hint"}: ${words.hint}\n` : ""}`;
  }
  return s;
}
