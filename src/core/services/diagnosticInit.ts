import { isFolder } from '../folders';
import { dirname, resolve } from 'node:path';
import { diagnosticInitArgv } from '../weaver/argv';
import { locateWeaver } from '../weaver/locate';
import { runWeaver } from '../weaver/run';
import type { ServiceContext, ServiceResult } from '../workflow/types';
import { ERR_INPUT_INVALID, ERR_WEAVER_FAILED, ERR_WEAVER_NOT_FOUND } from './reportErrors';
import { ServiceError } from './serviceError';

/**
 * `diagnostic.init`: see catalog.ts. Weaver's default diagnostic templates (ansi, json,
 * gh_workflow_command) are compiled into the weaver binary, so there is no native way to write
 * them: this service runs `weaver diagnostic init -t DIR` and fails with WEAVER_NOT_FOUND, saying
 * what to do, when the binary cannot be found. Weaver writes into the chosen folder only.
 */
export async function diagnosticInit(ctx: ServiceContext): Promise<ServiceResult> {
  const dirInput = ctx.inputs.diagnosticTemplatesDir ?? 'diagnostic_templates';
  if (typeof dirInput !== 'string' || dirInput.trim() === '') {
    throw new ServiceError('diagnostic.init: the input "diagnosticTemplatesDir" must be the path of the folder to create', ERR_INPUT_INVALID);
  }
  const target = ctx.inputs.target;
  if (target !== undefined && typeof target !== 'string') {
    throw new ServiceError(`diagnostic.init: the input "target" must be a diagnostic format name (ansi, json, gh_workflow_command), got ${JSON.stringify(target)}`, ERR_INPUT_INVALID);
  }
  const folder = resolve(dirInput);
  // Weaver creates the templates folder itself; nothing is created around it.
  if (!(await isFolder(dirname(folder)))) {
    throw new ServiceError(`diagnostic.init: ${dirname(folder)} does not exist: create it first or choose a folder inside an existing one`, ERR_INPUT_INVALID);
  }
  const weaverPath = typeof ctx.inputs.weaverPath === 'string' ? ctx.inputs.weaverPath : undefined;
  const located = await locateWeaver(weaverPath ? { settingPath: weaverPath } : {});
  if (!located.found) {
    throw new ServiceError(
      `diagnostic init needs the weaver binary: weaver's diagnostic templates are built into it and the native engine has no copy. ${located.message}`,
      ERR_WEAVER_NOT_FOUND,
    );
  }
  const run = await runWeaver({
    binary: located.path,
    args: diagnosticInitArgv({ diagnosticTemplatesDir: folder, ...(target ? { target } : {}) }),
    cwd: dirname(folder),
    signal: ctx.signal,
  });
  if (run.kind !== 'ok') throw new ServiceError(`weaver diagnostic init did not finish: ${run.message}`, ERR_WEAVER_FAILED);
  return { outputs: { diagnosticTemplatesDir: folder, weaver: located.path } };
}
