/**
 * Writable streams the program writes its results to (the binary's standard
 * output, a pipe): a failed write is kept, not thrown as an unhandled 'error'
 * event with a stack trace, and reported where the program is ready for it:
 * the next write of a batch, or the end of a command (src/cli.ts). A failed
 * write to standard error is dropped: there is nowhere left to say it.
 */
import { Writable } from "node:stream";

const errors = new WeakMap<Writable, { error?: Error }>();

/** Starts watching `s` for write errors (once per stream; anything but a Writable is left alone). */
export function watch(s: unknown): void {
  if (!(s instanceof Writable) || errors.has(s)) return;
  const state: { error?: Error } = {};
  errors.set(s, state);
  s.on("error", (e: Error) => {
    state.error ??= e;
  });
}

/** The first write error of a watched stream, if any. */
export function writeError(s: unknown): Error | undefined {
  return s instanceof Writable ? errors.get(s)?.error : undefined;
}

/**
 * Resolves once `s` has written what it was given; rejects with its first
 * write error (a full disk, a closed pipe). A file or a pipe is written
 * synchronously on Linux, but its error is reported a tick later: the wait
 * lets it arrive. What is still queued (a slow pipe) is waited for. Nothing
 * is written to find out (an empty write to /dev/full fails too). Anything
 * but a Writable (tests) resolves at once.
 */
export function flushed(s: unknown): Promise<void> {
  if (!(s instanceof Writable)) return Promise.resolve();
  watch(s);
  return new Promise((resolve, reject) => {
    const settle = (e?: Error | null) =>
      setImmediate(() => {
        const error = writeError(s) ?? e ?? undefined;
        if (error) reject(error);
        else resolve();
      });
    if (s.writableLength > 0 && !s.destroyed && !s.writableEnded) s.write("", (e) => settle(e));
    else settle();
  });
}
