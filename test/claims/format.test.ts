/**
 * How an input's format is told by its first lines (src/claims/format.ts byContent).
 */
import { describe, expect, it } from "vitest";
import { byContent } from "../../src/claims/format.js";

describe("byContent: the format an input's first lines say", () => {
  it("tells each format by its first non-blank line", () => {
    expect(byContent('[{"date": "2025-03-09"}]\n', true)).toBe("json");
    expect(byContent('{\n  "date": "2025-03-09"\n}\n', true)).toBe("json"); // pretty-printed: the first line is no JSON value
    expect(byContent('{"id": "a"}\n{"id": "b"}\n', true)).toBe("jsonl");
    expect(byContent("# a claim\ndate: 2025-03-09\n", true)).toBe("yaml");
    expect(byContent("\n\ndate: 2025-03-09\n", true)).toBe("yaml");
    expect(byContent("id,date,insured.region\n", true)).toBe("csv");
    expect(byContent('{"id": "a"}\n', true)).toBeUndefined(); // one object alone: a JSON claim, or JSON Lines of one record
  });

  it("JSON Lines whose first record is broken is still JSON Lines: the next line starts an object again", () => {
    // Read as one document, the broken first record would make the whole input one YAML syntax error;
    // as JSON Lines, each record fails or settles on its own line.
    expect(byContent('{"id": 1,}\n{"id": 2}\n', true)).toBe("jsonl");
    expect(byContent('{"id": 1,\n  "date": "2025-03-09"}\n', true)).toBe("json"); // the next line is indented: one document
  });
});
