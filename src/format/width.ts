/**
 * Terminal columns: how wide a string shows (East Asian wide characters count
 * 2, colour codes 0), text folded to a width without losing a character, and
 * the widths of a table's columns shared out to fit a terminal.
 */

const ANSI = /\x1b\[[0-9;]*m/y;

/** Terminal columns of a string: East Asian wide characters count 2, colour codes 0. */
export function displayWidth(s: string): number {
  let w = 0;
  for (let i = 0; i < s.length; ) {
    ANSI.lastIndex = i;
    const esc = ANSI.exec(s);
    if (esc) {
      i += esc[0].length;
      continue;
    }
    const cp = s.codePointAt(i)!;
    w += isWide(cp) ? 2 : 1;
    i += cp > 0xffff ? 2 : 1;
  }
  return w;
}

/**
 * Each line of `text` folded to at most `width` columns: at the last space that
 * fits (dropped), or after the last "/" or the "." before a name (a path, a
 * dotted figure name), else (a run of Chinese) at the column itself. Every
 * character but a broken-at space is kept, in order; colour codes are carried
 * as they are (zero columns).
 */
export function fold(text: string, width: number): string {
  return text
    .split("\n")
    .map((line) => foldLine(line, Math.max(1, width)))
    .join("\n");
}

/** Whether a line may break after rest[i]: a space, a "/", a "." followed by a letter. */
const breaksAfter = (rest: string, i: number): boolean => rest[i] === " " || rest[i] === "/" || (rest[i] === "." && /[A-Za-z]/.test(rest[i + 1] ?? ""));

function foldLine(line: string, width: number): string {
  const out: string[] = [];
  let rest = line;
  while (displayWidth(rest) > width) {
    let cut = 0; // code units of `rest` that fit in `width`
    let w = 0;
    let soft = 0; // the last place within them a line may break
    for (let i = 0; i < rest.length; ) {
      ANSI.lastIndex = i;
      const esc = ANSI.exec(rest);
      const cp = rest.codePointAt(i)!;
      const step = esc ? esc[0].length : cp > 0xffff ? 2 : 1;
      const cw = esc ? 0 : isWide(cp) ? 2 : 1;
      if (w + cw > width) {
        if (rest[i] === " ") soft = i; // a space just past the width: break there
        break;
      }
      if (!esc && breaksAfter(rest, i)) soft = i + 1;
      w += cw;
      i += step;
      cut = i;
    }
    if (cut === 0) cut = rest.codePointAt(0)! > 0xffff ? 2 : 1; // a character wider than the width: alone on its line
    if (soft > 0 && cut < rest.length) cut = soft;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^ +/, ""); // the space broken at ends the line above
  }
  out.push(rest);
  return out.join("\n");
}

/** The widest line of a cell. */
export const cellWidth = (text: string): number => Math.max(0, ...text.split("\n").map(displayWidth));

/** The widest word of a cell: what folding cannot make narrower without breaking a word (Chinese breaks anywhere; see fold). */
export const longestWord = (text: string): number => Math.max(0, ...text.split(/[\n ]|(?<=\/)|(?<=\.)(?=[A-Za-z])|[\u2e80-\u9fff\uf900-\ufaff\uff00-\uff60]/u).map(displayWidth));

/**
 * Content widths for a table's columns within `total` terminal columns (borders
 * and one space of padding each side included, as cli-table3 draws them): the
 * columns as wide as their content when that fits; else the `flexible` ones get
 * their least width (their longest word, say, and at least 6), and share what
 * is left in proportion to what each still lacks.
 */
export function fitWidths(natural: readonly number[], total: number, flexible: readonly number[], least: readonly number[] = []): number[] {
  const chrome = natural.length * 3 + 1; // "│ " before each column, " " after, the last "│"
  if (natural.reduce((a, b) => a + b, 0) + chrome <= total) return [...natural];
  const min = (i: number) => Math.min(natural[i]!, Math.max(6, least[i] ?? 0));
  const fixed = natural.reduce((a, w, i) => (flexible.includes(i) ? a : a + w), 0);
  const spare = Math.max(0, total - chrome - fixed - flexible.reduce((a, i) => a + min(i), 0));
  const lacking = flexible.reduce((a, i) => a + natural[i]! - min(i), 0);
  const widths = [...natural];
  let left = spare;
  for (const i of flexible) {
    const more = Math.min(natural[i]! - min(i), Math.floor((spare * (natural[i]! - min(i))) / Math.max(1, lacking)));
    widths[i] = min(i) + more;
    left -= more;
  }
  // What rounding down left over goes to the first columns that still lack width.
  for (const i of flexible) {
    const more = Math.min(left, natural[i]! - widths[i]!);
    widths[i]! += more;
    left -= more;
  }
  return widths;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}
