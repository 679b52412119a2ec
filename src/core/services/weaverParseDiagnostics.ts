import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseWeaverDiagnostics, type WeaverFinding } from '../weaver/diagnostics';
import type { ServiceContext, ServiceResult } from '../workflow/types';
import { ERR_INPUT_MISSING, ServiceError } from './serviceError';
import { ERR_WEAVER_OUTPUT_INVALID, ERR_WEAVER_OUTPUT_UNREADABLE, WEAVER_FINDINGS } from './weaverFindings';

/** `weaver.parseDiagnostics`: see catalog.ts. */
export async function weaverParseDiagnostics(ctx: ServiceContext): Promise<ServiceResult> {
  const input = ctx.inputs.weaverJsonPath;
  if (typeof input !== 'string' || input.trim() === '') {
    throw new ServiceError(
      'weaver.parseDiagnostics needs the input "weaverJsonPath": the file `weaver registry check --diagnostic-format json` wrote',
      ERR_INPUT_MISSING,
    );
  }
  const file = resolve(input);
  let text: string;
  try {
    text = await readFile(file, { encoding: 'utf8', signal: ctx.signal });
  } catch (err) {
    // The message is what the CLI prints as is: it names the file and how to make it.
    throw new ServiceError(
      `cannot read the weaver output ${file}: ${err instanceof Error ? err.message : String(err)}. Save it with \`weaver registry check ... --diagnostic-format json --diagnostic-stdout > FILE\`.`,
      ERR_WEAVER_OUTPUT_UNREADABLE,
    );
  }
  const parsed = parseWeaverDiagnostics(text);
  if (!parsed.ok) {
    throw new ServiceError(`${file}: ${parsed.reason}. Run weaver with \`--diagnostic-format json\` and pass the file it wrote.`, ERR_WEAVER_OUTPUT_INVALID);
  }
  ctx.state.set(WEAVER_FINDINGS, { file, findings: parsed.findings });
  ctx.log.debug(`weaver.parseDiagnostics: ${parsed.findings.length} findings in ${file}`);
  return { outputs: { findingCount: parsed.findings.length, findingsBySeverity: countBySeverity(parsed.findings) } };
}

function countBySeverity(findings: readonly WeaverFinding[]): Record<WeaverFinding['severity'], number> {
  const counts: Record<WeaverFinding['severity'], number> = { error: 0, warning: 0, advice: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
