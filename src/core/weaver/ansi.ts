/**
 * Terminal escape sequences in weaver's `ansi_message` (miette's graphical report): colours (CSI)
 * and hyperlinks (OSC 8, which miette emits because weaver enables terminal links).
 */
// eslint-disable-next-line no-control-regex
const OSC = /\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
// eslint-disable-next-line no-control-regex
const CSI = /\u001b\[[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const OTHER_ESC = /\u001b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.replace(OSC, '').replace(CSI, '').replace(OTHER_ESC, '');
}

/** The last `maxLines` lines (at most `maxChars` characters) of a process stream, without escapes. */
export function tail(text: string, maxLines = 40, maxChars = 4000): string {
  const lines = stripAnsi(text).replace(/\s+$/, '').split('\n');
  const kept = lines.slice(-maxLines).join('\n');
  return kept.length > maxChars ? kept.slice(kept.length - maxChars) : kept;
}
