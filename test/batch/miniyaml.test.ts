import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { miniYaml } from "../../src/startup/miniyaml.js";
import { parseYaml } from "../../src/yaml/document.js";

/** What calc gets from the yaml library for a text, or undefined when the library finds a problem. */
const library = (text: string): unknown => {
  const r = parseYaml("t.yaml", text);
  return r.diagnostics.length ? undefined : r.value;
};

const word = fc.constantFrom("inpatient", "常德市", "430700", "420500", "2025-03-09", "a b", "x#y", "référence", "C-1", "3", "1.50", "0", "-0", "007", "1e3", ".5", "true", "True", "null", "~", "NULL", "yes", "", "a: b", "a:", "[x]", "{y}", "&a", "*a", "!t", "|", ">", "-", "- x", "%x", "@x", "`x", "'q'", '"d"', "a'b", 'a"b', "a\\b", "12345678901234567", "0x1F", "0o17", "+5", "-12", "12.", ".inf", "Emergency Hospital (东院)", "1.2.3", "a,b", "x, y");
const key = fc.constantFrom("id", "date", "insured", "region", "scheme", "level", "kind", "costs", "classA", "items", "name", "amount", "null", "true", "Yes", "a-b", "_x", "x y", "1a", "__proto__", "on");
const comment = fc.constantFrom("", "", " # note", "  #x", " #");
const quote = (w: string, how: number): string => (how === 1 ? `"${w}"` : how === 2 ? `'${w}'` : w);

type Node = string | Node[] | [string, Node][];
const node: fc.Arbitrary<Node> = fc.letrec((tie) => ({
  scalar: word,
  map: fc.array(fc.tuple(key, fc.oneof({ arbitrary: word, weight: 4 }, { arbitrary: tie("node") as fc.Arbitrary<Node>, weight: 1 })), { minLength: 1, maxLength: 4 }),
  seq: fc.array(fc.oneof({ arbitrary: tie("map") as fc.Arbitrary<Node>, weight: 3 }, { arbitrary: word, weight: 1 }), { minLength: 1, maxLength: 3 }),
  node: fc.oneof({ arbitrary: tie("map"), weight: 2 }, { arbitrary: tie("seq"), weight: 1 }, { arbitrary: tie("scalar"), weight: 1 }),
})).node as fc.Arbitrary<Node>;

/** Renders a node as block YAML with varied quoting, comments and indentation. */
const render = (n: Node, indent: number, style: number[], k = { i: 0 }): string[] => {
  const s = () => style[k.i++ % style.length]!;
  const pad = " ".repeat(indent);
  if (typeof n === "string") return [pad + quote(n, s() % 3)];
  const isMap = n.length > 0 && Array.isArray(n[0]) && typeof n[0][0] === "string" && n.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === "string" && !Array.isArray(e[0]));
  const out: string[] = [];
  if (isMap) {
    for (const [kk, v] of n as [string, Node][]) {
      if (typeof v === "string") out.push(`${pad}${kk}: ${quote(v, s() % 3)}${["", " # c", "  #c"][s() % 3]}`);
      else {
        const step = [2, 4, 0, 1][s() % 4]!;
        out.push(`${pad}${kk}:${s() % 5 === 0 ? " # c" : ""}`);
        out.push(...render(v, indent + step, style, k));
      }
    }
  } else {
    for (const v of n as Node[]) {
      if (typeof v === "string") out.push(`${pad}- ${quote(v, s() % 3)}`);
      else if (s() % 3 === 0 && (v as [string, Node][]).every((e) => Array.isArray(e) && typeof e[1] === "string"))
        out.push(`${pad}- {${(v as [string, string][]).map(([kk, w]) => `${kk}: ${w}`).join(s() % 2 ? ", " : ",")}}`); // flow style
      else {
        const inner = render(v, indent + 2, style, k);
        out.push(pad + "- " + inner[0]!.trimStart(), ...inner.slice(1));
      }
    }
  }
  return out;
};

const text = fc
  .tuple(node, fc.array(fc.nat(12), { minLength: 1, maxLength: 8 }), comment, fc.nat(20))
  .map(([n, style, c, noise]) => {
    let t = render(n, 0, style).join("\n") + c + "\n";
    if (noise === 1) t = t.replace(" ", "\t");
    if (noise === 2) t = "# head\n\n" + t + "\n# tail\n";
    if (noise === 3) t = t.replace("\n", "\n\n   \n");
    if (noise === 4) t = "---\n" + t;
    if (noise === 5) t = t.replace(/\n(\S)/, "\n $1");
    if (noise === 6) t = "\uFEFF" + t;
    return t;
  });

describe("miniYaml: the start-up reader of plain claim files agrees with the yaml library", () => {
  it("whenever it reads a text, the library reads the same value (and finds no problem)", () => {
    let read = 0;
    fc.assert(
      fc.property(text, (t) => {
        const mine = miniYaml(t);
        if (mine === undefined) return;
        read++;
        expect(library(t)).toStrictEqual(mine);
      }),
      { numRuns: 6000, seed: 7 },
    );
    expect(read).toBeGreaterThan(500);
  }, 60_000);

  it("reads every example claim itself (no yaml library on calc's start-up)", () => {
    const dir = "examples";
    const files = readdirSync(dir).filter((f) => f.endsWith(".yaml"));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) {
      const t = readFileSync(join(dir, f), "utf8");
      const mine = miniYaml(t);
      expect(mine, f).toBeDefined();
      expect(mine).toStrictEqual(library(t));
    }
  });

  it("declines what it does not read: flow style, anchors, tabs, duplicate keys, block scalars", () => {
    for (const t of ["a: {b: [1]}\n", "a: {b: 'x, y'}\n", "- {a: 1}\n", "a: &x 1\nb: *x\n", "a:\n\tb: 1\n", "a: 1\na: 2\n", "a: |\n  text\n", "a: b\n  c\n", "- a\n", "a: 0x1F\n", "a: True\n"])
      expect(miniYaml(t), JSON.stringify(t)).toBeUndefined();
  });
});
