// The bare Node JSON Lines pass-through the batch throughput is measured against:
// read the file in the same 1 MB chunks, split lines, JSON.parse each, JSON.stringify
// a small object from it, write in 1 MB chunks. Same I/O strategy as `reimburse batch`,
// so the ratio measures the work per record.
//   node bench/passthrough.mjs FILE > /dev/null
import { createReadStream, writeSync } from "node:fs";

let pending = "";
let out = "";
let line = 0;
const flush = () => {
  if (out) writeSync(1, out);
  out = "";
};
for await (const chunk of createReadStream(process.argv[2], { highWaterMark: 1 << 20, encoding: "utf8" })) {
  const text = pending + chunk;
  const lines = text.split("\n");
  pending = lines.pop();
  for (const l of lines) {
    line++;
    if (!l.trim()) continue;
    let v;
    try {
      v = JSON.parse(l);
    } catch {
      v = {};
    }
    out += JSON.stringify({ line, id: v.id ?? null, date: v.date ?? null }) + "\n";
    if (out.length >= 1 << 20) flush();
  }
}
if (pending.trim()) out += JSON.stringify({ line: line + 1 }) + "\n";
flush();
