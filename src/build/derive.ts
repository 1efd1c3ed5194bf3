/**
 * Build step (src/build/build.mjs): what the build derives from the sources,
 * run once in a bundle of its own — the compiled claim validator emitted as a
 * module (from the claim schema, src/schema/compile.ts), and the snapshot of
 * the shipped rules (src/rules/snapshot-build.ts).
 */
import * as fields from "../claims/fields.js";
import { claimSchema } from "../claims/schema.js";
import { buildSnapshot } from "../rules/snapshot-build.js";
import { compileSchema, emitModule } from "../schema/compile.js";

export { buildSnapshot };

/** The module that replaces src/claims/validate.ts in the binary: the same validator, without zod. */
export function validatorModule(fieldsPath: string): string {
  return emitModule(compileSchema(claimSchema), fields, fieldsPath, "validateClaim");
}
