/** Calendar dates as claims and rules write them: YYYY-MM-DD. Pure, and free of the schema library (the start-up paths use it). */

export const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Written YYYY-MM-DD (a calendar date or not). */
export const isIsoDate = (s: string): boolean => ISO_DATE.test(s);

/** A real calendar date written YYYY-MM-DD (2025-02-30 is refused). Read digit by digit: a batch checks millions. */
export function isCalendarDate(s: string): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const digit = (i: number): number => {
    const c = s.charCodeAt(i) - 48;
    return c >= 0 && c <= 9 ? c : NaN;
  };
  const y = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  const mo = digit(5) * 10 + digit(6);
  const d = digit(8) * 10 + digit(9);
  if (!(mo >= 1 && mo <= 12 && d >= 1)) return false; // NaN fails too
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= days;
}

/** How old the figure in force may be before a result or `rules check` calls it stale (README, "Stale figures"): `rules check --stale-years` changes it there. */
export const STALE_YEARS = 5;

/** The same day `years` years before `date` (29 February → 28 February). */
export function yearsBefore(date: string, years: number): string {
  const [y, m, d] = date.split("-");
  const year = String(Number(y) - years).padStart(4, "0");
  const day = m === "02" && d === "29" ? "28" : d;
  return `${year}-${m}-${day}`;
}
