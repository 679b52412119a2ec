import type { StateKey } from '../workflow/types';
import type { WeaverFinding } from '../weaver/diagnostics';

/** What `weaver.parseDiagnostics` read, kept for `weaver.placeDiagnostics` in the same run. */
export interface WeaverFindings {
  /** Absolute path of the file weaver's JSON diagnostics were read from. */
  file: string;
  findings: readonly WeaverFinding[];
}

/** Set by `weaver.parseDiagnostics`, read by `weaver.placeDiagnostics`. */
export const WEAVER_FINDINGS: StateKey<WeaverFindings> = { name: 'weaverFindings' };

/** Error codes of the weaver.* services (catalog.ts lists which service raises which). */
export const ERR_WEAVER_OUTPUT_UNREADABLE = 'WEAVER_OUTPUT_UNREADABLE';
export const ERR_WEAVER_OUTPUT_INVALID = 'WEAVER_OUTPUT_INVALID';
export const ERR_NO_WEAVER_FINDINGS = 'NO_WEAVER_FINDINGS';
