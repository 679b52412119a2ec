import type { Command, Option } from 'commander';
import type { CommandTree, CommandTreeOption } from '../core/services/completionScript';
import type { CliIo } from './io';
import { emit, runReport } from './reportCommand';

function optionOf(o: Option): CommandTreeOption {
  const flags = [o.short, o.long].filter((f): f is string => typeof f === 'string');
  const out: CommandTreeOption = { flags, takesValue: o.required || o.optional, description: o.description };
  if (o.argChoices && o.argChoices.length > 0) out.choices = [...o.argChoices];
  return out;
}

/** The program's commands and options as the completion service reads them. */
export function commandTree(command: Command): CommandTree {
  const options = command.options.filter((o) => !o.hidden).map(optionOf);
  options.push({ flags: ['-h', '--help'], takesValue: false, description: 'display help for command' });
  return {
    name: command.name(),
    description: command.description(),
    options,
    commands: command.commands.filter((c) => c.name() !== 'help').map(commandTree),
  };
}

/** `weavergen completion SHELL`: runs the completion workflow on this program's own commands. */
export async function completionCommand(io: CliIo, shell: string, program: Command, verbose: boolean): Promise<number> {
  const report = await runReport(io, 'completion', { shell, commandTree: commandTree(program) }, { engine: 'native', verbose });
  if (typeof report === 'number') return report;
  return emit(io, report.content);
}
