import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { CodeAction, Diagnostic } from 'vscode-languageserver/node';
import type { RegistryDiagnostic } from '../../../src/core/engine/diagnostic';
import { loadRegistry } from '../../../src/core/semconv/loadRegistry';
import { checkPolicies } from '../../../src/core/semconv/policies';
import { toLspDiagnostic } from '../../../src/server/lspDiagnostics';
import { removeTempRegistries, tempRegistry } from '../semconv/helpers';
import { applyEdits, mixedFixture, positionOf, read, uri } from './helpers';
import { service } from './service';

/**
 * Each quick fix on a real finding of the native checks: ask for the code actions with the finding
 * as the editor sends it, apply the edit, check again, and the finding is gone.
 */

afterEach(removeTempRegistries);

function actionsRequest(file: string, diagnostics: Diagnostic[], range = diagnostics[0]!.range) {
  return { textDocument: { uri: uri(file) }, range, context: { diagnostics } };
}

function editedText(original: string, action: CodeAction, file: string): string {
  return applyEdits(original, action.edit!.changes![uri(file)]!);
}

function only(list: readonly RegistryDiagnostic[] | undefined, code: string): RegistryDiagnostic {
  const found = (list ?? []).filter((d) => d.code === code);
  expect(found, `exactly one ${code} finding`).toHaveLength(1);
  return found[0]!;
}

describe('quick fixes', () => {
  test('unresolved ref: the closest existing ids, the checker\'s suggestion first', async () => {
    const { ws, ls } = service(mixedFixture);
    const spans = join(mixedFixture, 'shop/spans-v1.yaml');
    const text = (await read(spans)).replace('ref: shop.order.status', 'ref: shop.order.stat');
    ws.setOverlay(spans, text);
    const finding = only((await ws.check()).byFile.get(spans), 'unresolved-ref');
    expect(finding.message).toContain("did you mean 'shop.order.status'");

    const actions = await ls.codeActions(actionsRequest(spans, [toLspDiagnostic(finding)]));
    expect(actions.map((a) => a.title)).toEqual(["Change to 'shop.order.status'", "Change to 'shop.order.id'"]);
    expect(actions[0]).toMatchObject({ kind: 'quickfix', isPreferred: true, diagnostics: [toLspDiagnostic(finding)] });

    ws.setOverlay(spans, editedText(text, actions[0]!, spans));
    expect((await ws.check()).diagnostics).toEqual([]);
  });

  test('unresolved extends: the closest group id', async () => {
    const { ws, ls } = service(mixedFixture);
    const spans = join(mixedFixture, 'shop/spans-v1.yaml');
    const text = (await read(spans)).replace('extends: attributes.shop.checkout.common', 'extends: attributes.shop.checkout.comon');
    ws.setOverlay(spans, text);
    const finding = only((await ws.check()).byFile.get(spans), 'unresolved-group-ref');
    const [first] = await ls.codeActions(actionsRequest(spans, [toLspDiagnostic(finding)]));
    expect(first!.title).toBe("Change to 'attributes.shop.checkout.common'");
    ws.setOverlay(spans, editedText(text, first!, spans));
    expect((await ws.check()).diagnostics).toEqual([]);
  });

  test('ref to a renamed attribute: replace it with the new id', async () => {
    const dir = await tempRegistry({
      'registry.yaml': [
        'groups:',
        '  - id: registry.shop',
        '    type: attribute_group',
        '    brief: Shop attributes.',
        '    attributes:',
        '      - id: shop.new_id',
        '        type: string',
        '        stability: development',
        '        brief: The id.',
        '        examples: [a]',
        '      - id: shop.old_id',
        '        type: string',
        '        stability: development',
        '        brief: The old id.',
        '        examples: [a]',
        '        deprecated:',
        '          reason: renamed',
        '          renamed_to: shop.new_id',
        '',
      ].join('\n'),
      'spans.yaml': ['groups:', '  - id: span.shop.buy', '    type: span', '    span_kind: client', '    stability: development', '    brief: Buying.', '    attributes:', '      - ref: shop.old_id', ''].join('\n'),
    });
    const { ws, ls } = service(dir);
    const spans = join(dir, 'spans.yaml');
    const text = await read(spans);
    const cursor = positionOf(text, 'shop.old_id', 3);
    const actions = await ls.codeActions({ textDocument: { uri: uri(spans) }, range: { start: cursor, end: cursor }, context: { diagnostics: [] } });
    expect(actions.map((a) => a.title)).toEqual(["Replace deprecated 'shop.old_id' with 'shop.new_id'"]);
    const fixed = editedText(text, actions[0]!, spans);
    expect(fixed).toContain('- ref: shop.new_id\n');
    ws.setOverlay(spans, fixed);
    expect((await ws.check()).diagnostics).toEqual([]);
    const index = await ls.refresh();
    expect(index.attributeReferences('shop.old_id').map((r) => r.kind)).toEqual([]);
    expect(index.attributeReferences('shop.new_id').map((r) => `${r.kind}:${r.file}`)).toEqual([`renamed_to:${join(dir, 'registry.yaml')}`, `ref:${spans}`]);
  });

  test('metric brief without a final period (naming_conventions policy): adds it, plain, quoted and folded', async () => {
    const metric = (name: string, brief: string): string =>
      [`  - id: metric.${name}`, '    type: metric', `    metric_name: ${name}`, '    instrument: counter', '    unit: "{order}"', '    stability: development', `    brief: ${brief}`].join('\n');
    const dir = await tempRegistry({
      'metrics.yaml': ['groups:', metric('shop.orders', 'Orders placed'), metric('shop.refunds', "'Refunds issued'"), metric('shop.returns', '>\n      Items\n      returned'), ''].join('\n'),
    });
    const file = join(dir, 'metrics.yaml');
    const policyFindings = async (text: string) => {
      const registry = await loadRegistry(dir, { overlays: new Map([[file, text]]) });
      return checkPolicies(registry, undefined, { packages: ['naming_conventions'] }).diagnostics.filter((d) => d.code === 'naming_convention_metric_brief_period');
    };
    let text = await read(file);
    const findings = await policyFindings(text);
    expect(findings).toHaveLength(3);
    const { ws, ls } = service(dir);
    for (const finding of findings) {
      ws.setOverlay(file, text);
      const actions = await ls.codeActions(actionsRequest(file, [toLspDiagnostic(finding)]));
      expect(actions.map((a) => a.title)).toEqual(['Add a period at the end of the brief']);
      text = editedText(text, actions[0]!, file);
    }
    expect(text).toContain('brief: Orders placed.\n');
    expect(text).toContain("brief: 'Refunds issued.'\n");
    expect(text).toContain('      returned.\n');
    expect(await policyFindings(text)).toEqual([]);
  });

  test('missing required fields (schema): inserted with placeholders that pass the schema', async () => {
    const dir = await tempRegistry({
      'v1.yaml': [
        'groups:',
        '  - id: registry.shop',
        '    type: attribute_group',
        '    attributes:',
        '      - id: shop.id',
        '        brief: >',
        '          The id.',
        '        stability: development',
        '        examples: [a]',
        '',
      ].join('\n'),
      'v2.yaml': ['file_format: definition/2', 'metrics:', '  - name: shop.orders', '    stability: development', '    brief: Orders.', ''].join('\n'),
    });
    const { ws, ls } = service(dir);
    for (const [name, expected] of [
      ['v1.yaml', ["Add 'brief' with a placeholder", "Add 'type' with a placeholder"]],
      ['v2.yaml', ["Add 'instrument', 'unit' with a placeholder"]],
    ] as const) {
      const file = join(dir, name);
      let text = await read(file);
      const findings = ((await ws.check()).byFile.get(file) ?? []).filter((d) => d.code === 'schema');
      expect(findings.map((d) => d.message.replace(/:.*/, ''))).toHaveLength(expected.length);
      const titles: string[] = [];
      // One fix at a time, each on the text the previous one produced, as a user would apply them.
      for (let i = 0; i < expected.length; i++) {
        const current = ((await ws.check()).byFile.get(file) ?? []).filter((d) => d.code === 'schema');
        const actions = await ls.codeActions(actionsRequest(file, [toLspDiagnostic(current[0]!)]));
        expect(actions).toHaveLength(1);
        titles.push(actions[0]!.title);
        text = editedText(text, actions[0]!, file);
        ws.setOverlay(file, text);
      }
      expect(titles.sort()).toEqual([...expected].sort());
      expect((await ws.check()).byFile.get(file)).toEqual([]);
    }
    expect(await read(join(dir, 'v2.yaml'))).not.toContain('instrument'); // the disk is untouched: edits live in the buffer
  });
});

describe('the legacy manifest name', () => {
  const MANIFEST = 'schema_url: https://example.com/schemas/r/1.0.0\n';
  const GROUP = 'groups:\n  - id: registry.r\n    type: attribute_group\n    brief: R.\n    attributes:\n      - id: r.a\n        type: string\n        stability: stable\n        brief: A.\n        examples: [x]\n';

  test('registry_manifest.yaml: a file rename to manifest.yaml, for clients that rename files; applied, the warning goes', async () => {
    const dir = await tempRegistry({ 'registry_manifest.yaml': MANIFEST, 'r.yaml': GROUP });
    const legacy = join(dir, 'registry_manifest.yaml');
    const { ws, ls } = service(dir);
    const finding = only((await ws.check()).byFile.get(legacy), 'legacy-registry-manifest');

    // A client that cannot rename files is not offered an action it cannot apply.
    expect(await ls.codeActions(actionsRequest(legacy, [toLspDiagnostic(finding)]))).toEqual([]);

    ls.canRenameFiles = true;
    const actions = await ls.codeActions(actionsRequest(legacy, [toLspDiagnostic(finding)]));
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({
      title: 'Rename registry_manifest.yaml to manifest.yaml',
      kind: 'quickfix',
      isPreferred: true,
      edit: { documentChanges: [{ kind: 'rename', oldUri: uri(legacy), newUri: uri(join(dir, 'manifest.yaml')), options: { overwrite: false, ignoreIfExists: false } }] },
    });

    // What the editor then does: the file is renamed on disk, and the watcher tells the server.
    await rename(legacy, join(dir, 'manifest.yaml'));
    ws.invalidate(legacy);
    ws.invalidate(join(dir, 'manifest.yaml'));
    expect((await ws.check()).diagnostics).toEqual([]);
  });

  test('no rename when a manifest.yaml is already there', async () => {
    const dir = await tempRegistry({ 'registry_manifest.yaml': MANIFEST, 'r.yaml': GROUP });
    const legacy = join(dir, 'registry_manifest.yaml');
    const { ws, ls } = service(dir);
    const finding = only((await ws.check()).byFile.get(legacy), 'legacy-registry-manifest');
    await writeFile(join(dir, 'manifest.yaml'), MANIFEST);
    ls.canRenameFiles = true;
    expect(await ls.codeActions(actionsRequest(legacy, [toLspDiagnostic(finding)]))).toEqual([]);
  });
});
