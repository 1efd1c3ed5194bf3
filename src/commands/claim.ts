/** `reimburse claim schema | new`: the claim file's JSON Schema, and a template claim to fill in. */
import { claimJsonSchemaText } from "../claims/jsonschema.js";
import { CLAIM_TEMPLATE } from "../format/template.js";

/** The JSON Schema of a claim file (examples/claim.schema.json), from the zod claim schema. */
export function claimSchema(): string {
  return claimJsonSchemaText();
}

/** A claim file commented in Chinese and English; unedited, a valid claim that settles. */
export function claimNew(): string {
  return CLAIM_TEMPLATE;
}
