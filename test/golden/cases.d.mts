// Types of cases.mjs, for golden.test.ts (tsc does not read .mjs without allowJs).
export interface GoldenCase {
  name: string;
  args: string[];
  stdin?: string;
  env?: Record<string, string>;
  /** "year": the case reads the generated year, un-gzipped by prepareInputs(). */
  needs?: "year";
}
export declare const ROOT: string;
export declare const YEAR_GZ: string;
export declare const YEAR: string;
export declare const CHANGED: string;
declare const cases: GoldenCase[];
export default cases;
