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
      if (st.isDirectory()) throw new UsageError(`is a directory, not a file: ${path}`, `是目录，不是文件：${path}`);
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

/**
 * Whether text bytes are UTF-16 (Excel's "Unicode text", Notepad's "Unicode"):
 * a byte-order mark (FF FE little-endian, FE FF big-endian), or, without one,
 * NUL bytes in the first KB, many and on one side of each pair (the high byte
 * of ASCII characters). A UTF-8 claim or rule file holds no NUL; bytes that
 * are all NUL (/dev/zero) are not text of any kind, and not called UTF-16.
 */
export function utf16Of(bytes: Uint8Array): "little-endian" | "big-endian" | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "little-endian";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "big-endian";
  const n = Math.min(bytes.length, 1024) & ~1;
  let odd = 0;
  let even = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  const [most, least] = odd >= even ? [odd, even] : [even, odd];
  if (most < 1 || most * 8 < n / 2 || least * 4 > most) return undefined; // NULs on a side of at least 1 pair in 8, and mostly there
  return odd >= even ? "little-endian" : "big-endian";
}

/** The one encoding check every reader makes before reading: UTF-16 is refused, as GBK is (exit `exit`). */
export function refuseUtf16(file: string, bytes: Uint8Array, exit: number = EXIT.claim): void {
  const order = utf16Of(bytes);
  if (!order) return;
  throw new DiagnosticsError(
    [{ code: "encoding", severity: "error", message: `the file is UTF-16 (${order}); save it as UTF-8 (Excel: "CSV UTF-8"; Notepad: "UTF-8")`, file, line: 1, col: 1, zh: { message: `文件是 UTF-16 编码（${order}）：请另存为 UTF-8（Excel：“CSV UTF-8”；记事本：“UTF-8”）` } }],
    exit,
  );
}

/** Strict UTF-8: a file with invalid bytes is refused at the line and column of the first one; UTF-16 is refused as such. */
export function decodeUtf8(file: string, bytes: Uint8Array, exit: number = EXIT.claim): string {
  refuseUtf16(file, bytes, exit);
  try {
    return decoder.decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const before = new TextDecoder().decode(bytes.subarray(0, bad));
    const lines = before.split("\n");
    throw new DiagnosticsError(
      [{ code: "encoding", severity: "error", message: `not valid UTF-8 (byte ${bad}); save the file as UTF-8`, zh: { message: `不是有效的 UTF-8（第 ${bad} 字节）：请将文件另存为 UTF-8（GBK 编码的文件也须另存）` }, file, line: lines.length, col: lines.at(-1)!.length + 1 }],
      exit,
    );
  }
}

/**
 * The first bytes of a regular file (to tell its format and encoding before
 * it is streamed); undefined for anything else (a pipe, a device: read once).
 */
export function headOf(path: string, size = 64 * 1024): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw systemError(e, path, "read");
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new UsageError(`is a directory, not a file: ${path}`, `是目录，不是文件：${path}`);
    if (!st.isFile()) return undefined;
    const head = Buffer.alloc(Math.min(size, st.size));
    let n = 0;
    try {
      while (n < head.length) {
        const r = readSync(fd, head, n, head.length - n, n);
        if (!r) break;
        n += r;
      }
    } catch (e) {
      throw systemError(e, path, "read");
    }
    return head.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Chunks already being read (standard input as a stream), as one UTF-8 text bounded as readText bounds a file. */
export async function textOfChunks(file: string, chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, maxBytes = MAX_CLAIM_BYTES, exit: number = EXIT.claim, what: TooLarge = { what: "a claim file" }): Promise<string> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const c of chunks) {
    const b = typeof c === "string" ? Buffer.from(c, "utf8") : Buffer.from(c);
    total += b.length;
    if (total > maxBytes) throw tooLarge(file, total, maxBytes, exit, what);
    parts.push(b);
  }
  return decodeUtf8(file, Buffer.concat(parts), exit);
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

