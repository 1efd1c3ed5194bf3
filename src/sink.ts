/**
 * Where a result goes (`--output` of calc, compare and batch, `--receipt`;
 * checked by outputTarget before any input is read): standard output (with backpressure: the batch waits for a
 * full pipe to drain); a regular file, written to a temporary file renamed
 * over it only when the run completes; or a device or a pipe (/dev/null, a
 * FIFO), written directly: renaming a file over /dev/null would replace the
 * device. A failed write is the target's error, named (src/errors.ts
 * systemError): a full disk (exit 74), a closed pipe (quiet).
 */
import { closeSync, lstatSync, openSync, readlinkSync, realpathSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { Writable } from "node:stream";
import { IoError, systemError, UsageError } from "./errors.js";
import { flushed, watch, writeError } from "./streams.js";

/** Where the bytes go: standard output, or a file. */
export interface Sink {
  /**
   * Writes the bytes: "done" (written, the buffer may be reused), "queued"
   * (the destination keeps the buffer for now) or "full" (queued, and the
   * writer should wait for `drained` before writing much more). Throws the
   * destination's error (a full disk, a closed pipe).
   */
  write(b: Buffer): "done" | "queued" | "full";
  /** Resolves when the destination has taken what it was given (at once for a file). */
  drained(): Promise<void>;
  /** Success: make the output visible (rename the temporary file; wait until a stream has written it all). */
  commit(): void | Promise<void>;
  /** Failure or interruption: leave nothing behind. */
  abort(): void;
  /** Whether an aborted run leaves nothing behind: a temporary file removed (not a stream or a device, written as it went). */
  readonly atomic?: boolean;
}

/** Where `--output` writes: standard output, a device or pipe written directly, or a regular file replaced whole at the end. */
export type OutputTarget = { readonly kind: "stdout" } | FileTarget;

/** A device or pipe written directly, or a regular file replaced whole; `shown` is the name it was given, for messages. */
export interface FileTarget {
  readonly kind: "device" | "file";
  readonly path: string;
  readonly shown: string;
}

export const STANDARD_OUTPUT: OutputTarget = { kind: "stdout" };

/** The names of this process's standard output. */
const STDOUT = new Set(["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]);

/** The system's own files (devices, the process's descriptors): never replaced by a rename. */
const systemPath = (p: string): boolean => p.startsWith("/dev/") || p.startsWith("/proc/");

/**
 * What `--output OUTPUT` names, checked before anything is read or written
 * (exit 2 for a name that cannot be written): `-` and /dev/stdout are
 * standard output; an existing device, FIFO or socket, or anything under /dev
 * or /proc, is written directly; a regular file (through its symbolic links)
 * or a new path in an existing directory is replaced whole at the end.
 * `inputs`: the files being read, which the output must not replace;
 * `option`: the option that names it, for messages.
 */
export function outputTarget(output: string, inputs: readonly string[], option = "--output"): OutputTarget {
  if (output === "") throw new UsageError(`${option} needs a file name (or - for standard output)`);
  const said = `${option} ${output}`; // in messages before it is written
  const abs = resolve(output);
  if (output === "-" || STDOUT.has(abs)) return { kind: "stdout" };
  let real: string;
  try {
    real = realpathSync(output);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw systemError(e, said, "write");
    return { kind: "file", path: newPath(output, abs, said), shown: output };
  }
  if (systemPath(abs) || systemPath(real) || linksToSystem(abs)) return { kind: "device", path: output, shown: output };
  const st = statSync(real);
  if (st.isDirectory()) throw new UsageError(`${said} is a directory; name a file`);
  if (!st.isFile()) return { kind: "device", path: output, shown: output };
  // The result would replace an input being read: refuse, before anything is read or written.
  const input = inputs.find((i) => i !== "-" && sameFile(st, i));
  if (input !== undefined) throw new UsageError(`${said} is the input file ${input}; write the result to another file`);
  return { kind: "file", path: real, shown: output };
}

/** A target that must be a file, not standard output (`--receipt`: standard output carries the results). */
export function fileTarget(output: string, inputs: readonly string[], option: string): FileTarget {
  const t = outputTarget(output, inputs, option);
  if (t.kind === "stdout") throw new UsageError(`${option} ${output}: name a file (standard output carries the results)`);
  return t;
}

/** A path that does not exist yet: its directory must. A dangling symbolic link is refused (the rename would replace the link). */
function newPath(output: string, abs: string, said: string): string {
  let link: string | undefined;
  try {
    if (lstatSync(abs).isSymbolicLink()) link = readlinkSync(abs);
  } catch {
    /* not there at all */
  }
  if (link !== undefined) throw new UsageError(`${said} is a symbolic link to ${link}, which does not exist; name the file itself`);
  const dir = dirname(abs);
  let st: Stats;
  try {
    st = statSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new UsageError(`${said}: no such directory ${dirname(output)}; create it first`);
    throw systemError(e, said, "write");
  }
  if (!st.isDirectory()) throw new UsageError(`${said}: ${dirname(output)} is not a directory`);
  return abs;
}

/** Whether a chain of symbolic links from `p` passes through /dev or /proc (a link to /dev/stdout, say). */
function linksToSystem(p: string): boolean {
  for (let i = 0; i < 40; i++) {
    let st: Stats;
    try {
      st = lstatSync(p);
    } catch {
      return false;
    }
    if (!st.isSymbolicLink()) return false;
    p = resolve(dirname(p), readlinkSync(p));
    if (systemPath(p)) return true;
  }
  return false;
}

function sameFile(st: Stats, other: string): boolean {
  try {
    const o = statSync(other);
    return o.dev === st.dev && o.ino === st.ino;
  } catch {
    return false;
  }
}

/**
 * Standard output. A real stream (the binary's process.stdout) takes the bytes,
 * with backpressure; anything else (tests) is given text, decoded across
 * chunk boundaries.
 */
export function streamSink(out: { write(s: string): unknown }): Sink {
  if (out instanceof Writable) {
    const w = out;
    watch(w);
    const failed = (e: unknown) => systemError(e, "standard output", "write");
    return {
      write(b) {
        // A write error is reported a tick after the write: the next write (or commit) throws it.
        const e = writeError(w);
        if (e) throw failed(e);
        const ok = w.write(b);
        // A file or (on Linux) a pipe is written synchronously: nothing is left queued.
        return w.writableLength === 0 ? "done" : ok ? "queued" : "full";
      },
      drained() {
        const e = writeError(w);
        if (e) return Promise.reject(failed(e));
        if (!w.writableNeedDrain || w.destroyed) return Promise.resolve();
        // A pipe whose reader left never drains: its error (or its close) ends the wait.
        return new Promise<void>((resolve, reject) => {
          const done = () => {
            w.off("drain", done).off("error", done).off("close", done);
            const e = writeError(w);
            if (e) reject(failed(e));
            else resolve();
          };
          w.on("drain", done).on("error", done).on("close", done);
        });
      },
      async commit() {
        try {
          await flushed(w);
        } catch (e) {
          throw failed(e);
        }
      },
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

/** Writes all of `b` to `fd`. */
function writeAll(fd: number, b: Buffer): void {
  for (let off = 0; off < b.length; ) off += writeSync(fd, b, off, b.length - off);
}

/** A device or a pipe (`--output /dev/null`, a FIFO): written directly, as it goes; never created, truncated or renamed. */
export function deviceSink({ path, shown }: FileTarget): Sink {
  let fd: number;
  try {
    fd = openSync(path, "a");
  } catch (e) {
    throw systemError(e, shown, "write");
  }
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    write(b) {
      try {
        writeAll(fd, b);
      } catch (e) {
        throw systemError(e, shown, "write"); // /dev/full: no space left; a FIFO whose reader left: a closed pipe
      }
      return "done";
    },
    drained: () => Promise.resolve(),
    commit: close,
    abort: close,
  };
}

/**
 * `--output FILE` (a regular file, or a new one): written to
 * `.FILE.<pid>.<time>.tmp` beside it (same directory, so the rename is
 * atomic) and renamed over FILE at the end. `path` is the file itself (a
 * symbolic link to it stays a link); `shown` is the name messages give.
 */
export function fileSink({ path, shown }: FileTarget): Sink & { readonly temp: string } {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, "wx");
  } catch (e) {
    throw systemError(e, `${shown} (its temporary file ${temp})`, "write");
  }
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  const abort = () => {
    try {
      close();
    } catch {
      /* closing what failed may fail too */
    }
    try {
      unlinkSync(temp);
    } catch {
      /* already gone */
    }
  };
  /** A failure of the temporary file is the target's: nothing is left of it. */
  const failed = (e: unknown): unknown => {
    abort();
    const f = systemError(e, shown, "write");
    return f instanceof IoError ? new IoError(`${f.message}; ${shown} not written (its temporary file is removed)`) : f;
  };
  return {
    temp,
    atomic: true,
    write(b) {
      try {
        writeAll(fd, b);
      } catch (e) {
        throw failed(e);
      }
      return "done";
    },
    drained: () => Promise.resolve(),
    commit() {
      try {
        close();
        renameSync(temp, path);
      } catch (e) {
        throw failed(e);
      }
    },
    abort,
  };
}

/** The sink of a file target: a regular file replaced whole at the end, or a device written as it goes. */
export const targetSink = (t: FileTarget): Sink => (t.kind === "file" ? fileSink(t) : deviceSink(t));

/**
 * A result made whole in memory (a calc, a comparison, a receipt) written to
 * its target at once: nothing is written unless all of it is.
 */
export function writeWhole(t: FileTarget, text: string): void {
  const sink = targetSink(t);
  try {
    sink.write(Buffer.from(text, "utf8"));
    void sink.commit();
  } catch (e) {
    sink.abort();
    throw e;
  }
}
