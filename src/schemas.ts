/** Schema pieces shared by claim files and rule files. */
import { z } from "zod";
import { ISO_DATE, isCalendarDate, isIsoDate } from "./core/dates.js";
import { show, showZh } from "./core/own.js";
import { phrase, said } from "./words.js";

export { ISO_DATE, isCalendarDate };

export const isoDate = z
  .string({ error: phrase("must be a date written YYYY-MM-DD", "必须为 YYYY-MM-DD 格式的日期") })
  .refine(isIsoDate, { error: (i) => said(`must be a date written YYYY-MM-DD, got ${show(i.input)}`, `必须为 YYYY-MM-DD 格式的日期，实际为 ${showZh(i.input)}`), abort: true })
  .refine(isCalendarDate, { error: (i) => said(`is not a calendar date: ${String(i.input)}`, `不是有效的日期：${String(i.input)}`) });
