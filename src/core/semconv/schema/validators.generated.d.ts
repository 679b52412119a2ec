import type { ValidateFunction } from 'ajv';

/** Validators compiled ahead of time from the schemas beside this file (scripts/generate-validators.mjs). */
export declare const v1: ValidateFunction;
export declare const v2: ValidateFunction;
export declare const manifest: ValidateFunction;
