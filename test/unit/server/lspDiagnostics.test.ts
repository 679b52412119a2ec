import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver/node';
import type { RegistryDiagnostic } from '../../../src/core/engine/diagnostic';
import { toLspDiagnostic } from '../../../src/server/lspDiagnostics';

const at = (line: number) => ({ start: { line, character: 8 }, end: { line, character: 12 } });

describe('core findings as LSP diagnostics', () => {
  test('related locations become relatedInformation with file URIs; severity, code, tags and link carry over', () => {
    const d: RegistryDiagnostic = {
      file: '/reg/b.yaml',
      range: at(4),
      severity: 'error',
      code: 'duplicate-group-id',
      message: "group id 'g' is already defined at a.yaml:2",
      source: 'weavergen',
      url: 'https://example.com/rules/duplicate-group-id',
      tags: ['deprecated'],
      related: [{ file: '/reg/dir with space/a.yaml', range: at(1), message: "group id 'g' first defined here" }],
    };
    expect(toLspDiagnostic(d)).toEqual({
      range: at(4),
      severity: DiagnosticSeverity.Error,
      code: 'duplicate-group-id',
      source: 'weavergen',
      message: "group id 'g' is already defined at a.yaml:2",
      codeDescription: { href: 'https://example.com/rules/duplicate-group-id' },
      tags: [DiagnosticTag.Deprecated],
      relatedInformation: [{ location: { uri: pathToFileURL('/reg/dir with space/a.yaml').href, range: at(1) }, message: "group id 'g' first defined here" }],
    });
    expect(toLspDiagnostic(d).relatedInformation?.[0]?.location.uri).toBe('file:///reg/dir%20with%20space/a.yaml');
  });

  test('a finding without related places has no relatedInformation', () => {
    const out = toLspDiagnostic({ file: '/reg/a.yaml', range: at(0), severity: 'hint', code: 'x', message: 'm', source: 'weaver' });
    expect(out.relatedInformation).toBeUndefined();
    expect(out.codeDescription).toBeUndefined();
  });
});
