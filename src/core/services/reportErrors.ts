/** Error codes of the reporting services (catalog.ts lists which service raises which). */
export const ERR_INPUT_INVALID = 'INPUT_INVALID';
export const ERR_SCHEMA_NOT_BUNDLED = 'SCHEMA_NOT_BUNDLED';
export const ERR_NO_REPORT = 'NO_REPORT';
export const ERR_WEAVER_NOT_FOUND = 'WEAVER_NOT_FOUND';
export const ERR_WEAVER_FAILED = 'WEAVER_FAILED';
