/**
 * Colour in people's output: chalk when colour is on, plain text when it is off
 * (not a terminal, NO_COLOR, --no-color). chalk is loaded only when colour is
 * on: it detects the terminal as it loads, which costs a start-up most runs
 * (into a pipe or a file) do not need.
 */
import type { ChalkInstance } from "chalk";

export type Colors = ChalkInstance;

const text = (...parts: unknown[]): string => parts.join(" ");
/** No colour: every style, however chained (`c.bold.green`), gives the text back. Not a thenable (`then` is no style). */
export const plain: Colors = new Proxy(text, { get: (_, key) => (key === "then" ? undefined : plain) }) as unknown as Colors;

export async function colors(on: boolean): Promise<Colors> {
  if (!on) return plain;
  const { Chalk } = await import("chalk");
  return new Chalk({ level: 1 });
}
