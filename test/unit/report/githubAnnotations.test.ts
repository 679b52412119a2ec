import { describe, expect, it } from 'vitest';
import type { RegistryDiagnostic } from '../../../src/core/engine/diagnostic';
import { escapeData, escapeProperty, formatGithubAnnotations } from '../../../src/core/report/githubAnnotations';

const at = { start: { line: 4, character: 6 }, end: { line: 4, character: 30 } };

describe('GitHub workflow command annotations', () => {
  it('one command per diagnostic, 1-based positions, path relative to the repository root', () => {
    const diagnostics: RegistryDiagnostic[] = [
      { file: '/repo/model/b.yaml', range: at, severity: 'warning', code: 'stability', message: 'later', source: 'weaver' },
      { file: '/repo/model/a.yaml', range: at, severity: 'error', code: 'duplicate-group-id', message: 'first', source: 'weaver' },
      { file: '/repo/model/a.yaml', range: at, severity: 'information', code: 'advice', message: 'note', source: 'weavergen' },
    ];
    expect(formatGithubAnnotations(diagnostics, { relativeTo: '/repo' })).toBe(
      '::notice file=model/a.yaml,line=5,col=7,endLine=5,endColumn=31,title=weavergen advice::note\n' +
        '::error file=model/a.yaml,line=5,col=7,endLine=5,endColumn=31,title=weaver duplicate-group-id::first\n' +
        '::warning file=model/b.yaml,line=5,col=7,endLine=5,endColumn=31,title=weaver stability::later\n',
    );
  });

  it('escapes % CR LF in the message, and also : and , in properties', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    const d: RegistryDiagnostic = { file: '/repo/we,ird:name.yaml', range: at, severity: 'error', code: 'x', message: 'line one\nline: two, 5%', source: 'weaver' };
    expect(formatGithubAnnotations([d], { relativeTo: '/repo' })).toBe(
      '::error file=we%2Cird%3Aname.yaml,line=5,col=7,endLine=5,endColumn=31,title=weaver x::line one%0Aline: two, 5%25\n',
    );
  });
});
