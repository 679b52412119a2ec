import type { ServiceContext, ServiceResult } from '../workflow/types';
import { COMPLETION_SHELLS, completionScript, isCommandTree, type CompletionShell } from './completionScript';
import { ERR_INPUT_INVALID } from './reportErrors';
import { REPORT } from './reportState';
import { ERR_INPUT_MISSING, ServiceError } from './serviceError';

/** `cli.completion`: see catalog.ts. */
export async function cliCompletion(ctx: ServiceContext): Promise<ServiceResult> {
  const shell = ctx.inputs.shell;
  if (typeof shell !== 'string' || !(COMPLETION_SHELLS as readonly string[]).includes(shell)) {
    throw new ServiceError(`cli.completion: the input "shell" is ${JSON.stringify(shell)}: use one of ${COMPLETION_SHELLS.join(', ')}`, ERR_INPUT_INVALID);
  }
  const tree = ctx.inputs.commandTree;
  if (tree === undefined) throw new ServiceError('cli.completion needs the input "commandTree": the command line to complete, as the CLI describes it', ERR_INPUT_MISSING);
  if (!isCommandTree(tree)) {
    throw new ServiceError('cli.completion: the input "commandTree" is not a command tree ({ name, description, options: [{ flags, takesValue }], commands: [...] })', ERR_INPUT_INVALID);
  }
  const script = completionScript(tree, shell as CompletionShell);
  ctx.state.set(REPORT, { title: `${tree.name} completion ${shell}`, format: 'text', content: script });
  return { outputs: { shell, program: tree.name, lines: script.split('\n').length - 1 } };
}
