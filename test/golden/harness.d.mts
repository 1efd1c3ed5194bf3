// Types of harness.mjs, for golden.test.ts.
import type { GoldenCase } from "./cases.mjs";
export interface CaseResult {
  stdout: Buffer;
  stderr: Buffer;
  code: number | string;
}
export declare const ROOT: string;
export declare const EXPECTED: string;
export declare const EXIT_CODES: string;
export declare const GZIP_ABOVE: number;
export declare function withoutTiming(stderr: Buffer): Buffer;
export declare function prepareInputs(): void;
export declare function runCase(c: GoldenCase): Promise<CaseResult>;
export declare function pool<T, R>(items: T[], fn: (item: T, i: number) => Promise<R>, n?: number): Promise<R[]>;
export declare function expectedFile(name: string, stream: "stdout" | "stderr"): string | undefined;
export declare function readExpected(name: string, stream: "stdout" | "stderr"): Buffer | undefined;
export declare function readExitCodes(): Record<string, number | string>;
export declare function firstDifference(expected: Buffer, actual: Buffer): string | undefined;
