/** Schema pieces shared by claim files and rule files. */
import { z } from "zod";
import { ISO_DATE, isCalendarDate, isIsoDate } from "./core/dates.js";
import { show } from "./core/own.js";

export { ISO_DATE, isCalendarDate };

export const isoDate = z
  .string({ error: "must be a date written YYYY-MM-DD" })
  .refine(isIsoDate, { error: (i) => `must be a date written YYYY-MM-DD, got ${show(i.input)}`, abort: true })
  .refine(isCalendarDate, { error: (i) => `is not a calendar date: ${String(i.input)}` });
