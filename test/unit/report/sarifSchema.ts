import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Ajv from 'ajv-draft-04';

/**
 * A validator for the SARIF 2.1.0 JSON schema that @microsoft/jest-sarif (MIT) ships, 2.1.0-rtm.5, a
 * draft-04 schema: compiled with ajv-draft-04, its formats checked for real.
 */
export function sarifValidator() {
  const require = createRequire(__filename);
  const schemaPath = join(dirname(require.resolve('@microsoft/jest-sarif/package.json')), 'lib/schemas/sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
  // The schema's language-tag pattern (`...]?$`) is not valid with the `u` flag ajv uses by default.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  // The schema's formats, checked for real (ajv ships none by default).
  ajv.addFormat('uri', (v: string) => /^[a-z][a-z0-9+.-]*:/i.test(v) && URL.canParse(v));
  ajv.addFormat('uri-reference', (v: string) => URL.canParse(v, 'file:///base/') && !/\s/.test(v));
  ajv.addFormat('date-time', (v: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v));
  return ajv.compile(schema);
}
