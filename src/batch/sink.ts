/**
 * Where batch output goes: standard output (with backpressure: the batch waits
 * for a full pipe to drain) or a temporary file renamed over the target only
 * when the run completes.
 */
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { Writable } from "node:stream";

/** Where the bytes go: standard output, or a file. */
export interface Sink {
  /**
   * Writes the bytes: "done" (written, the buffer may be reused), "queued"
   * (the destination keeps the buffer for now) or "full" (queued, and the
   * writer should wait for `drained` before writing much more).
   */
  write(b: Buffer): "done" | "queued" | "full";
  /** Resolves when the destination has taken what it was given (at once for a file). */
  drained(): Promise<void>;
  /** Success: make the output visible (rename the temporary file). */
  commit(): void;
  /** Failure or interruption: leave nothing behind. */
  abort(): void;
}

/**
 * Standard output. A real stream (the binary's process.stdout) takes the bytes,
 * with backpressure; anything else (tests) is given text, decoded across
 * chunk boundaries.
 */
export function streamSink(out: { write(s: string): unknown }): Sink {
  if (out instanceof Writable) {
    const w = out;
    return {
      write(b) {
        const ok = w.write(b);
        // A file or (on Linux) a pipe is written synchronously: nothing is left queued.
        return w.writableLength === 0 ? "done" : ok ? "queued" : "full";
      },
      drained: () => (w.writableNeedDrain ? new Promise<void>((r) => w.once("drain", () => r())) : Promise.resolve()),
      commit() {},
      abort() {},
    };
  }
  const dec = new StringDecoder("utf8");
  return {
    write(b) {
      const s = dec.write(b);
      if (s) out.write(s);
      return "done";
    },
    drained: () => Promise.resolve(),
    commit() {
      const s = dec.end();
      if (s) out.write(s);
    },
    abort() {},
  };
}

/**
 * `--output FILE`: written to `.FILE.<pid>.tmp` beside it (same directory,
 * so the rename is atomic) and renamed over FILE at the end.
 */
export function fileSink(target: string): Sink & { readonly temp: string } {
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const fd = openSync(temp, "wx");
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    temp,
    write(b) {
      for (let off = 0; off < b.length; ) off += writeSync(fd, b, off, b.length - off);
      return "done";
    },
    drained: () => Promise.resolve(),
    commit() {
      close();
      renameSync(temp, target);
    },
    abort() {
      close();
      try {
        unlinkSync(temp);
      } catch {
        /* already gone */
      }
    },
  };
}
