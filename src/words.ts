/**
 * Messages the schemas word in both languages. A zod error function, or a
 * check's issue, can only hand zod one string: it hands the English, and the
 * Chinese is kept here under it, where the message is made, for
 * src/yaml/zod.ts to attach as the diagnostic's `zh` (printed with --lang zh).
 *
 * - `phrase(en, zh)`: a constant message, kept for the whole run;
 * - `said(en, zh)`: a message that quotes the input, kept until the table of
 *   recent messages grows large, then dropped with the rest (a message is
 *   looked up right after the parse that made it).
 */
const PHRASES = new Map<string, string>();
const RECENT = new Map<string, string>();
const MAX_RECENT = 4096;

/** A constant message: the English, its Chinese kept for zhOf. */
export function phrase(en: string, zh: string): string {
  PHRASES.set(en, zh);
  return en;
}

/** A message made from the input: the English, its Chinese kept for zhOf a while. */
export function said(en: string, zh: string): string {
  if (RECENT.size >= MAX_RECENT) RECENT.clear();
  RECENT.set(en, zh);
  return en;
}

/** The Chinese of a message made by `phrase` or `said`, if it was. */
export function zhOf(en: string): string | undefined {
  return PHRASES.get(en) ?? RECENT.get(en);
}
