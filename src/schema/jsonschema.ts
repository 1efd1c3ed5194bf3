/**
 * A zod schema as a JSON Schema for editors: the one generator of the rule
 * file's schema (`reimburse rules schema`, src/rules/jsonschema.ts) and the
 * claim file's (`reimburse claim schema`, src/claims/jsonschema.ts). Draft-07,
 * because the YAML language server (VS Code "YAML" extension) reads draft 7
 * and below; the input side of the schema (what a file may say, before
 * conversions).
 */
import { z } from "zod";
import { ISO_DATE, isoDate } from "../schemas.js";

/** `forms`: JSON Schemas of the nodes zod cannot describe itself (a custom check, a refinement), by node. */
export function jsonSchemaOf(schema: z.ZodType, title: string, description: string, forms: ReadonlyMap<unknown, Record<string, unknown>> = new Map()): Record<string, unknown> {
  const out = z.toJSONSchema(schema, {
    target: "draft-7",
    io: "input",
    reused: "ref", // shared pieces (amounts, fractions, ids) once, under definitions
    unrepresentable: "any", // a node without a JSON Schema form: described by `forms` below
    override: (ctx) => {
      // isoDate checks its form in a refinement, which JSON Schema cannot carry: give editors the pattern.
      if (ctx.zodSchema === isoDate) ctx.jsonSchema.pattern = ISO_DATE.source;
      const form = forms.get(ctx.zodSchema);
      if (form) Object.assign(ctx.jsonSchema, form);
    },
  }) as Record<string, unknown>;
  const { $schema, ...rest } = out;
  return { $schema, title, description, ...rest };
}

/** A schema as written to a file: 2-space JSON and a final newline. */
export function jsonSchemaText(schema: Record<string, unknown>): string {
  return JSON.stringify(schema, null, 2) + "\n";
}
