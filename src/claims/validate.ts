/**
 * The claim schema compiled (src/schema/compile.ts): `validateClaim(value)` is
 * what `claimSchema.parse(value)` gives for a value the schema accepts, and
 * undefined for anything else (src/claims/load.ts checkClaim then asks zod,
 * which words the problems). Here it is compiled from the schema when first
 * imported; the build replaces this module with the same validator emitted
 * ahead of time (src/build/build.mjs), so the binary validates a claim without
 * loading zod.
 */
import { compileSchema, instantiate } from "../schema/compile.js";
import { claimSchema, type Claim } from "./schema.js";

export const validateClaim: (value: unknown) => Claim | undefined = instantiate<Claim>(compileSchema(claimSchema));
