/**
 * A horizontal bar chart for the terminal: one bar per row, scaled from 0 to
 * the largest value, drawn with eighth-block characters so that small
 * differences still show. Colour only through the chalk instance given
 * (level 0: plain text, no escape codes). Returns a string.
 */
import type { Colors } from "./color.js";
import { formatYuan, type Fen } from "../core/money.js";

export interface Bar {
  readonly label: string;
  readonly value: Fen;
  /** Drawn bold: the row the others are compared with. */
  readonly strong?: boolean;
  /** Printed after the amount, e.g. "−500.00". */
  readonly note?: string;
}

export interface ChartOptions {
  readonly color: Colors;
  /** Width of the longest bar, in terminal columns. */
  readonly width?: number;
  readonly title?: string;
}

const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/** A bar of `value / max × width` columns, rounded to the nearest eighth. */
export function bar(value: number, max: number, width: number): string {
  if (max <= 0 || value <= 0) return "";
  const eighths = Math.round((value / max) * width * 8);
  return "█".repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8]!;
}

export function barChart(bars: readonly Bar[], o: ChartOptions): string {
  const c = o.color;
  const width = o.width ?? 40;
  const max = Math.max(0, ...bars.map((b) => b.value));
  const labelWidth = Math.max(0, ...bars.map((b) => displayWidth(b.label)));
  const amounts = bars.map((b) => formatYuan(b.value));
  const amountWidth = Math.max(0, ...amounts.map((a) => a.length));
  const lines = bars.map((b, i) => {
    const drawn = bar(b.value, max, width);
    const label = pad(b.label, labelWidth);
    const amount = amounts[i]!.padStart(amountWidth);
    const row = `${b.strong ? c.bold(label) : label}  ${c.cyan(drawn)}${" ".repeat(width + 1 - displayWidth(drawn))} ${b.strong ? c.bold(amount) : amount}${b.note ? `  ${c.dim(b.note)}` : ""}`;
    return row.trimEnd();
  });
  return (o.title ? `${c.bold(o.title)}\n` : "") + lines.join("\n") + "\n";
}

/** Terminal columns of a string: East Asian wide characters count 2. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += isWide(ch.codePointAt(0)!) ? 2 : 1;
  return w;
}

function pad(s: string, width: number): string {
  return s + " ".repeat(Math.max(0, width - displayWidth(s)));
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
