import { join, relative } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver/node';
import type { RegistryDiagnostic } from '../../../src/core/engine/diagnostic';
import { toLspDiagnostic } from '../../../src/server/lspDiagnostics';
import { checkFolder, removeTempRegistries, shared, tempRegistry, textAt } from '../semconv/helpers';
import { applyEdits, read, uri } from './helpers';
import { service } from './service';

/**
 * The `deprecated-ref` hint: a `ref` to an attribute whose definition is deprecated, struck through in
 * the editor, skipped inside deprecated groups, and resolved by the "replace with the new id" fix.
 */

afterEach(removeTempRegistries);

const SLOW = 60_000;

const deprecatedRefs = (list: readonly RegistryDiagnostic[] | undefined): RegistryDiagnostic[] => (list ?? []).filter((d) => d.code === 'deprecated-ref');

/** v1 definitions in every deprecated form weaver reads, plus one live attribute and one `deprecated: ~`. */
const V1_REGISTRY = [
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
  '      - id: shop.gone',
  '        type: string',
  '        stability: development',
  '        brief: Gone.',
  '        examples: [a]',
  '        deprecated:',
  '          reason: obsoleted',
  '          note: >',
  '            Removed, no',
  '            replacement.',
  '      - id: shop.legacy',
  '        type: string',
  '        stability: development',
  '        brief: Legacy.',
  '        examples: [a]',
  '        deprecated: Replaced by `shop.new_id`.',
  '      - id: shop.null_deprecated',
  '        type: string',
  '        stability: development',
  '        brief: Not deprecated after all (null is absent for weaver).',
  '        examples: [a]',
  '        deprecated: ~',
  '',
].join('\n');

const V1_SPANS = [
  'groups:',
  '  - id: span.shop.buy',
  '    type: span',
  '    span_kind: client',
  '    stability: development',
  '    brief: Buying.',
  '    attributes:',
  '      - ref: shop.new_id',
  '      - ref: shop.old_id',
  '      - ref: shop.gone',
  '      - ref: shop.legacy',
  '      - ref: shop.null_deprecated',
  '  - id: span.shop.buy_old',
  '    type: span',
  '    span_kind: client',
  '    stability: development',
  '    brief: The old way of buying.',
  '    deprecated:',
  '      reason: obsoleted',
  '    attributes:',
  '      - ref: shop.old_id',
  '      - ref: shop.gone',
  '  - id: span.shop.refund',
  '    type: span',
  '    span_kind: client',
  '    stability: development',
  '    brief: Refunding, with one ref that marks its own use as deprecated.',
  '    attributes:',
  '      - ref: shop.old_id',
  '        deprecated:',
  '          reason: renamed',
  '          renamed_to: shop.new_id',
  '',
].join('\n');

/** v2: a deprecated `attributes:` entry, referenced from a live metric and from a deprecated span. */
const V2_FILE = [
  'file_format: definition/2',
  'attributes:',
  '  - key: shop.cart.size',
  '    type: int',
  '    stability: development',
  '    brief: Items in the cart.',
  '    examples: [1]',
  '    deprecated:',
  '      reason: renamed',
  '      renamed_to: shop.cart.items',
  '  - key: shop.cart.items',
  '    type: int',
  '    stability: development',
  '    brief: Items in the cart.',
  '    examples: [1]',
  'metrics:',
  '  - name: shop.cart.count',
  '    instrument: counter',
  '    unit: "{cart}"',
  '    stability: development',
  '    brief: Carts.',
  '    attributes:',
  '      - ref: shop.cart.size',
  '      - ref: shop.old_id',
  'spans:',
  '  - type: shop.cart.old',
  '    kind: internal',
  '    stability: development',
  '    brief: Old cart span.',
  '    deprecated:',
  '      reason: obsoleted',
  '      note: Carts are spans no more.',
  '    name:',
  '      note: shop cart',
  '    attributes:',
  '      - ref: shop.cart.size',
  '',
].join('\n');

describe('deprecated-ref', () => {
  test('a hint struck through on refs to deprecated attributes, v1 and v2, naming the replacement', async () => {
    const dir = await tempRegistry({ 'registry.yaml': V1_REGISTRY, 'spans.yaml': V1_SPANS, 'v2.yaml': V2_FILE });
    const result = await checkFolder(dir);
    const others = result.diagnostics.filter((d) => d.code !== 'deprecated-ref');
    expect(others, 'the fixture is otherwise clean').toEqual([]);

    const spans = join(dir, 'spans.yaml');
    const v2 = join(dir, 'v2.yaml');
    const spansText = await read(spans);
    const v2Text = await read(v2);
    const seen = deprecatedRefs(result.diagnostics).map((d) => ({
      at: `${relative(dir, d.file)}:${d.range.start.line + 1}`,
      text: textAt(d.file === spans ? spansText : v2Text, d.range),
      severity: d.severity,
      tags: d.tags,
      message: d.message,
    }));
    expect(seen).toEqual([
      { at: 'spans.yaml:9', text: 'shop.old_id', severity: 'hint', tags: ['deprecated'], message: "'shop.old_id' is deprecated: renamed to 'shop.new_id'. Use 'shop.new_id'." },
      { at: 'spans.yaml:10', text: 'shop.gone', severity: 'hint', tags: ['deprecated'], message: "'shop.gone' is deprecated: obsoleted. Removed, no replacement." },
      { at: 'spans.yaml:11', text: 'shop.legacy', severity: 'hint', tags: ['deprecated'], message: "'shop.legacy' is deprecated: Replaced by `shop.new_id`." },
      { at: 'v2.yaml:23', text: 'shop.cart.size', severity: 'hint', tags: ['deprecated'], message: "'shop.cart.size' is deprecated: renamed to 'shop.cart.items'. Use 'shop.cart.items'." },
      { at: 'v2.yaml:24', text: 'shop.old_id', severity: 'hint', tags: ['deprecated'], message: "'shop.old_id' is deprecated: renamed to 'shop.new_id'. Use 'shop.new_id'." },
    ]);
  });

  test('the LSP form is a Hint with the Deprecated tag (the editor strikes the id through)', async () => {
    const dir = await tempRegistry({ 'registry.yaml': V1_REGISTRY, 'spans.yaml': V1_SPANS });
    const [first] = deprecatedRefs((await checkFolder(dir)).diagnostics);
    const lsp = toLspDiagnostic(first!);
    expect(lsp.severity).toBe(DiagnosticSeverity.Hint);
    expect(lsp.tags).toEqual([DiagnosticTag.Deprecated]);
    expect(lsp.code).toBe('deprecated-ref');
    // Findings without tags stay without: no empty `tags` array on every diagnostic.
    expect(toLspDiagnostic({ ...first!, tags: undefined }).tags).toBeUndefined();
  });

  test('refs into a dependency registry get the hint from the dependency\'s definitions', async () => {
    const dir = await tempRegistry({
      'base/registry.yaml': V1_REGISTRY,
      'app/manifest.yaml': ['schema_url: https://example.com/schemas/app/0.1.0', 'dependencies:', '  - schema_url: https://example.com/schemas/base/0.1.0', '    registry_path: ../base', ''].join('\n'),
      'app/spans.yaml': ['groups:', '  - id: span.app.pay', '    type: span', '    span_kind: client', '    stability: development', '    brief: Paying.', '    attributes:', '      - ref: shop.old_id', ''].join('\n'),
    });
    const result = await checkFolder(join(dir, 'app'));
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${relative(dir, d.file)}:${d.range.start.line + 1} ${d.message}`)).toEqual([
      `hint deprecated-ref ${join('app', 'spans.yaml')}:8 'shop.old_id' is deprecated: renamed to 'shop.new_id'. Use 'shop.new_id'.`,
    ]);
  });

  test('the quick fix is bound to the hint; applying it and checking again, the hint is gone', async () => {
    const dir = await tempRegistry({ 'registry.yaml': V1_REGISTRY, 'spans.yaml': V1_SPANS });
    const { ws, ls } = service(dir);
    const spans = join(dir, 'spans.yaml');
    const text = await read(spans);
    const renamed = deprecatedRefs((await ws.check()).byFile.get(spans)).filter((d) => d.message.includes('renamed to'));
    expect(renamed).toHaveLength(1);
    const finding = toLspDiagnostic(renamed[0]!);

    const actions = await ls.codeActions({ textDocument: { uri: uri(spans) }, range: finding.range, context: { diagnostics: [finding] } });
    expect(actions.map((a) => a.title)).toEqual(["Replace deprecated 'shop.old_id' with 'shop.new_id'"]);
    expect(actions[0]).toMatchObject({ kind: 'quickfix', isPreferred: true, diagnostics: [finding] });

    const fixed = applyEdits(text, actions[0]!.edit!.changes![uri(spans)]!);
    ws.setOverlay(spans, fixed);
    const after = (await ws.check()).byFile.get(spans) ?? [];
    expect(after.filter((d) => d.range.start.line === finding.range.start.line)).toEqual([]);
    // The two other hints (no replacement to move to) remain: only the fixed one went away.
    expect(deprecatedRefs(after).map((d) => d.message.slice(0, d.message.indexOf(' ')))).toEqual(["'shop.gone'", "'shop.legacy'"]);
  });

  test('an obsoleted attribute has no replacement: the hint comes with no quick fix', async () => {
    const dir = await tempRegistry({ 'registry.yaml': V1_REGISTRY, 'spans.yaml': V1_SPANS });
    const { ws, ls } = service(dir);
    const spans = join(dir, 'spans.yaml');
    const gone = deprecatedRefs((await ws.check()).byFile.get(spans)).find((d) => d.message.startsWith("'shop.gone'"));
    const finding = toLspDiagnostic(gone!);
    expect(await ls.codeActions({ textDocument: { uri: uri(spans) }, range: finding.range, context: { diagnostics: [finding] } })).toEqual([]);
  });

  test.each(['semconv-main', 'semconv-v1.44.0'])(
    '%s: no error or warning; the hints are the refs to deprecated attributes from live groups',
    async (name) => {
      const root = shared('registries', name);
      const result = await checkFolder(root);
      expect(result.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning')).toEqual([]);
      const hints = deprecatedRefs(result.diagnostics);
      expect(result.diagnostics).toEqual(hints);
      // The registry refs many deprecated attributes from its deprecated groups; those stay silent.
      expect(hints.map((d) => `${relative(root, d.file)}:${d.range.start.line + 1} ${d.message.slice(0, d.message.indexOf(':'))}`)).toEqual([
        "aws/sdk-spans.yaml:19 'rpc.system' is deprecated",
        "aws/sdk-spans.yaml:24 'rpc.service' is deprecated",
        "exceptions/events.yaml:16 'exception.escaped' is deprecated",
        "gen-ai/deprecated/events-deprecated.yaml:8 'gen_ai.system' is deprecated",
      ]);
      expect(hints[0]!.message).toBe("'rpc.system' is deprecated: renamed to 'rpc.system.name'. Use 'rpc.system.name'.");
    },
    SLOW,
  );
});
