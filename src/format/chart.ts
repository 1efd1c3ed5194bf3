/**
 * A horizontal bar chart for the terminal: one bar per row, scaled from 0 to
 * the largest value, drawn with eighth-block characters so that small
 * differences still show. Colour only through the chalk instance given
 * (level 0: plain text, no escape codes). Returns a string.
 */
import type { Colors } from "./color.js";
import { formatYuan, type Fen } from "../core/money.js";
import { displayWidth } from "./width.js";

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

function pad(s: string, width: number): string {
  return s + " ".repeat(Math.max(0, width - displayWidth(s)));
}
