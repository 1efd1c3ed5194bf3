/**
 * The rule checks' view of a YAML document (src/rules/checks.ts DocView):
 * straight from the document (src/yaml/document.ts find/locate), or as an
 * index of every node's position that the rules snapshot stores
 * (src/rules/snapshot.ts), so `rules check` of the shipped rules needs no
 * YAML parser. test/rules/snapshot-check.test.ts checks the two agree.
 */
import { isMap, isPair, isScalar, isSeq, type Node } from "yaml";
import type { Analysis } from "./compile.js";
import type { CheckFile } from "./checks.js";
import type { DocIndex, DocView, IndexNode, IndexPos } from "./docindex.js";
import { find, locate, position, type YamlFile } from "../yaml/document.js";

/** The view of a parsed document. */
export function yamlView(yaml: YamlFile): DocView {
  return {
    locate: (path, on) => locate(yaml, path, on),
    has: (path) => find(yaml, path).complete,
    mapKeys(path) {
      const f = find(yaml, path);
      const node = f.complete ? f.value : undefined;
      return isMap(node) ? node.items.filter(isPair).map((p) => String(isScalar(p.key) ? p.key.value : p.key)) : undefined;
    },
  };
}

/** Every node's position, for indexView (src/rules/checks.ts): what find and locate read of a document. */
export function docIndex(yaml: YamlFile): DocIndex {
  const pos = (n: Node | null | undefined): IndexPos => {
    const p = position(yaml, n ?? undefined);
    return [p.line, p.col];
  };
  const node = (n: Node | null | undefined): IndexNode | null => {
    if (!n) return null;
    if (isMap(n))
      return {
        p: pos(n),
        m: n.items.filter(isPair).map((p) => [String(isScalar(p.key) ? p.key.value : p.key), p.key ? pos(p.key as Node) : null, node(p.value as Node | null)] as const),
      };
    if (isSeq(n)) return { p: pos(n), s: n.items.map((i) => node(i as Node | null)) };
    return { p: pos(n) };
  };
  return { doc: pos(yaml.doc as unknown as Node), zero: pos(undefined), root: node(yaml.doc.contents as Node | null) };
}

/** The files of an analysis as the checks read them: from their YAML documents. */
export function checkFiles(a: Pick<Analysis, "files" | "raw">): { files: CheckFile[]; raw: CheckFile[] } {
  const data = new Map(a.files.map((f) => [f.file, f.data]));
  const raw = a.raw.map(
    (r): CheckFile => ({
      file: r.file,
      doc: yamlView(r.yaml),
      value: r.value,
      hasZone: (id) => !!data.get(r.file)?.zones?.[id],
    }),
  );
  const byName = new Map(raw.map((f) => [f.file, f]));
  return { files: a.files.map((f) => byName.get(f.file)!), raw };
}
