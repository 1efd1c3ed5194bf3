/**
 * Reading input files and standard input: bounded in size, strictly UTF-8.
 * Every command reads claims through here.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { DiagnosticsError, EXIT, systemError, UsageError } from "./errors.js";

/** A single claim file may be this large at most: a claim is a few KB, and 2 MB
 * holds some 20,000 itemised lines. Parsing is linear (~3 s per 100,000 lines),
 * so this also bounds the time spent on any one file. */
export const MAX_CLAIM_BYTES = 2 * 1024 * 1024;

const decoder = new TextDecoder("utf-8", { fatal: true });

/** What a file too large is told: what such a file is, and what to do instead. */
export interface TooLarge {
  readonly what: string;
  readonly hint?: string;
}

/** Reads `path` ("-" = standard input) as UTF-8 text of at most `maxBytes`. */
export function readText(path: string, maxBytes = MAX_CLAIM_BYTES, exit: number = EXIT.claim, what: TooLarge = { what: "a claim file" }): { file: string; text: string } {
  const file = path === "-" ? "<stdin>" : path;
  let fd: number;
  try {
    fd = path === "-" ? 0 : openSync(path, "r");
  } catch (e) {
    throw systemError(e, path, "read"); // not found, no permission: exit 2
  }
  try {
    if (path !== "-") {
      const st = fstatSync(fd);
      if (st.isDirectory()) throw new UsageError(`is a directory, not a file: ${path}`);
      if (st.size > maxBytes) throw tooLarge(file, st.size, maxBytes, exit, what);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.allocUnsafe(64 * 1024);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EAGAIN") continue;
        if ((e as NodeJS.ErrnoException).code === "EOF") break;
        throw systemError(e, file, "read"); // an I/O error: exit 74
      }
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw tooLarge(file, total, maxBytes, exit, what);
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return { file, text: decodeUtf8(file, Buffer.concat(chunks), exit) };
  } finally {
    if (path !== "-") closeSync(fd);
  }
}

/** Strict UTF-8: a file with invalid bytes is refused at the line and column of the first one. */
export function decodeUtf8(file: string, bytes: Uint8Array, exit: number = EXIT.claim): string {
  try {
    return decoder.decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const before = new TextDecoder().decode(bytes.subarray(0, bad));
    const lines = before.split("\n");
    throw new DiagnosticsError(
      [{ code: "encoding", severity: "error", message: `not valid UTF-8 (byte ${bad}); save the file as UTF-8`, file, line: lines.length, col: lines.at(-1)!.length + 1 }],
      exit,
    );
  }
}

function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    const n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (!n || i + n > b.length) return i;
    for (let k = 1; k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    i += n;
  }
  return b.length;
}

function tooLarge(file: string, size: number, max: number, exit: number, t: TooLarge): DiagnosticsError {
  const mb = (x: number) => `${Math.ceil(x / 1024 / 1024)} MB`;
  return new DiagnosticsError(
    [{ code: "too-large", severity: "error", message: `file is too large (${size > max ? "over " : ""}${mb(size)}; ${t.what} may be at most ${mb(max)})`, file, line: 0, col: 0, ...(t.hint ? { hint: t.hint } : {}) }],
    exit,
  );
}

