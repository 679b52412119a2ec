/**
 * A service failure with a stable `code`. A BPMN boundary error event with the same `errorCode`
 * catches it (bpmn-engine matches `err.code`), so workflows can route around expected failures.
 * The codes are listed per service in catalog.ts.
 */
export class ServiceError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const ERR_INPUT_MISSING = 'INPUT_MISSING';
export const ERR_REGISTRY_NOT_FOUND = 'REGISTRY_NOT_FOUND';
export const ERR_NO_REGISTRY_LOADED = 'NO_REGISTRY_LOADED';
export const ERR_NO_CHECK_RESULT = 'NO_CHECK_RESULT';
