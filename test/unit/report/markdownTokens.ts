import { createRequire } from 'node:module';

/**
 * Reads markdown as a renderer does, for tests that prove registry text forms no markup: markdown-it,
 * the CommonMark + GFM tables parser, with raw HTML and autolinks (linkify) on, the strictest reading.
 */

export interface MarkdownToken {
  type: string;
  content: string;
  children: MarkdownToken[] | null;
}

const MarkdownIt = createRequire(import.meta.url)('markdown-it') as new (options: object) => { parse(src: string, env: object): MarkdownToken[] };
const markdown = new MarkdownIt({ html: true, linkify: true });

/** Every token of the markdown, inline children included, in document order. */
export function markdownTokens(md: string): MarkdownToken[] {
  return flatten(markdown.parse(md, {}));
}

function flatten(tokens: MarkdownToken[]): MarkdownToken[] {
  return tokens.flatMap((t) => [t, ...flatten(t.children ?? [])]);
}
