import type { CliIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';

/** Runs the `weavergen` CLI in process with captured stdout and stderr, as the tests of every command do. */
export async function runCli(args: string[], cwd: string, extra: Partial<CliIo> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    cwd,
    ...extra,
  });
  return { code, stdout, stderr };
}
