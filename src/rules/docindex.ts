/**
 * A view of a rule file's document that locates field paths (line:col), for
 * the checks: from the YAML document (src/rules/docview.ts), or from the index
 * of its positions the build stores in the snapshot. No YAML library here.
 */

export interface DocView {
  /** Line and column of a path's value (or key); for a path that does not exist, of the nearest existing parent (src/yaml/document.ts locate). */
  locate(path: readonly PropertyKey[], on: "key" | "value"): { line: number; col: number };
  /** Whether the path exists (src/yaml/document.ts find(…).complete). */
  has(path: readonly PropertyKey[]): boolean;
  /** The keys of the mapping at the path, as written, in order; undefined when there is no mapping there. */
  mapKeys(path: readonly PropertyKey[]): string[] | undefined;
}


/** A position [line, col]. */
export type IndexPos = readonly [number, number];

/** A node of a document: its position, and its pairs (a mapping: key as written, key position, value) or items (a sequence). */
export interface IndexNode {
  readonly p: IndexPos;
  readonly m?: readonly (readonly [string, IndexPos | null, IndexNode | null])[];
  readonly s?: readonly (IndexNode | null)[];
}

/** A document's positions: of the document, of offset 0 (a missing node), and the tree. */
export interface DocIndex {
  readonly doc: IndexPos;
  readonly zero: IndexPos;
  readonly root: IndexNode | null;
}

/** The view src/yaml/document.ts find/locate give, from an index (test/rules/snapshot-check.test.ts compares the two). */
export function indexView(ix: DocIndex): DocView {
  const find = (path: readonly PropertyKey[]): { complete: boolean; key?: IndexPos | null; value?: IndexNode | null; nearest: IndexPos | null } => {
    let node = ix.root;
    let key: IndexPos | null | undefined;
    let nearest: IndexPos | null = node ? node.p : ix.doc;
    for (const seg of path) {
      if (node?.m) {
        const pair = node.m.find((p) => p[0] === String(seg));
        if (!pair) return { complete: false, nearest };
        key = pair[1];
        node = pair[2];
        nearest = node ? node.p : key;
      } else if (node?.s && typeof seg === "number") {
        const item = node.s[seg];
        if (!item) return { complete: false, nearest };
        key = undefined;
        node = item;
        nearest = item.p;
      } else return { complete: false, nearest };
    }
    return { complete: true, key, value: node, nearest };
  };
  const pos = (p: IndexPos | null | undefined) => {
    const [line, col] = p ?? ix.zero;
    return { line, col };
  };
  return {
    locate(path, on) {
      const f = find(path);
      if (!f.complete) return pos(f.nearest);
      const v = f.value ? f.value.p : undefined;
      return pos(on === "key" ? (f.key ?? v) : (v ?? f.key));
    },
    has: (path) => find(path).complete,
    mapKeys(path) {
      const f = find(path);
      return f.complete && f.value?.m ? f.value.m.map((p) => p[0]) : undefined;
    },
  };
}
