/** Dates for the command line: today's, where the program runs (src/core/dates.ts checks a written one). */

/** Today's date where the program runs (the default for --as-of and --date). */
export function today(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}
