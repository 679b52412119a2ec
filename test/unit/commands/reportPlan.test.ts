import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { baselineFromSetting, REPORT_COMMANDS, reportDocument } from '../../../src/extension/commands/reportPlan';
import { repoRoot } from './helpers';

describe('report palette commands', () => {
  test('each is contributed in package.json with its title and starts an existing workflow', async () => {
    const manifest = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { contributes: { commands: Array<{ command: string; title: string; category: string }> } };
    for (const [id, spec] of Object.entries(REPORT_COMMANDS)) {
      expect(manifest.contributes.commands).toContainEqual(expect.objectContaining({ command: id, title: spec.title, category: 'WeaverGen' }));
      await expect(readFile(join(repoRoot, 'workflows', `${spec.workflow}.bpmn`), 'utf8')).resolves.toContain(`<bpmn:process id="${spec.workflow}"`);
    }
  });

  test('the baseline setting resolves against the workspace folder; empty means ask', () => {
    expect(baselineFromSetting('', '/ws')).toBeUndefined();
    expect(baselineFromSetting('  ', '/ws')).toBeUndefined();
    expect(baselineFromSetting('../v1.44.0', '/ws/registry')).toBe(resolve('/ws/v1.44.0'));
    expect(baselineFromSetting('/abs/base', '/ws')).toBe('/abs/base');
  });

  test('a report opens as JSON, or as its markdown rendering when asked and available', () => {
    const diff = { title: 'registry diff', format: 'json' as const, content: '{}\n', data: {}, alternate: { format: 'markdown' as const, content: '# x\n' } };
    expect(reportDocument(diff)).toEqual({ language: 'json', content: '{}\n' });
    expect(reportDocument(diff, true)).toEqual({ language: 'markdown', content: '# x\n' });
    expect(reportDocument({ title: 's', format: 'json', content: '{"a":1}' }, true)).toEqual({ language: 'json', content: '{"a":1}' });
    expect(reportDocument({ title: 'c', format: 'text', content: 'complete' })).toEqual({ language: 'plaintext', content: 'complete' });
  });
});
