/**
 * Shell completion scripts for a command line described as a tree (the CLI builds the tree from its
 * commander program and passes it as a run input, so the script always matches the real commands).
 */

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

export interface CommandTreeOption {
  /** Every spelling, e.g. `['-r', '--registry']`. */
  flags: string[];
  takesValue: boolean;
  choices?: string[];
  description: string;
}

export interface CommandTree {
  name: string;
  description: string;
  options: CommandTreeOption[];
  commands: CommandTree[];
}

export function isCommandTree(value: unknown): value is CommandTree {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.name === 'string' &&
    typeof v.description === 'string' &&
    Array.isArray(v.options) &&
    v.options.every((o) => typeof o === 'object' && o !== null && Array.isArray((o as Record<string, unknown>).flags)) &&
    Array.isArray(v.commands) &&
    v.commands.every(isCommandTree)
  );
}

interface Path {
  words: string[];
  node: CommandTree;
}

function paths(root: CommandTree): Path[] {
  const out: Path[] = [];
  const walk = (node: CommandTree, words: string[]) => {
    out.push({ words, node });
    for (const c of node.commands) walk(c, [...words, c.name]);
  };
  walk(root, []);
  return out;
}

function identifier(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function bash(root: CommandTree): string {
  const fn = `_${identifier(root.name)}_completions`;
  const cases = paths(root).map(({ words, node }) => {
    const key = words.join(' ');
    const candidates = [...node.commands.map((c) => c.name), ...node.options.flatMap((o) => o.flags)].join(' ');
    const valueCases = node.options
      .filter((o) => o.takesValue && o.choices && o.choices.length > 0)
      .map((o) => `          ${o.flags.join('|')}) COMPREPLY=( $(compgen -W ${shellQuote((o.choices ?? []).join(' '))} -- "$cur") ); return 0 ;;`);
    return [
      `    ${shellQuote(key)})`,
      valueCases.length > 0 ? `        case "$prev" in\n${valueCases.join('\n')}\n        esac` : '',
      `        COMPREPLY=( $(compgen -W ${shellQuote(candidates)} -- "$cur") ) ;;`,
    ]
      .filter((l) => l !== '')
      .join('\n');
  });
  const names = paths(root)
    .filter((p) => p.words.length > 0)
    .map((p) => p.node.name);
  return `# bash completion for ${root.name}; load it with: source <(${root.name} completion bash)
${fn}() {
  local cur prev path word
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  path=""
  for word in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case "$word" in
      -*) ;;
      ${[...new Set(names)].join('|') || '__none__'}) path="\${path:+$path }$word" ;;
    esac
  done
  case "$path" in
${cases.join('\n')}
  esac
}
complete -o default -F ${fn} ${root.name}
`;
}

function zshEscape(s: string): string {
  return s.replace(/[[\]:']/g, (c) => (c === "'" ? `'\\''` : `\\${c}`));
}

function zsh(root: CommandTree): string {
  const fns = paths(root).map(({ words, node }) => {
    const fn = `_${identifier([root.name, ...words].join('_'))}`;
    const specs = node.options.map((o) => {
      const desc = zshEscape(o.description.split('\n')[0] ?? '');
      const value = o.takesValue ? `:value:${o.choices && o.choices.length > 0 ? `(${o.choices.join(' ')})` : '_files'}` : '';
      return o.flags.length > 1 ? `'(${o.flags.join(' ')})'{${o.flags.join(',')}}'[${desc}]${value}'` : `'${o.flags[0]}[${desc}]${value}'`;
    });
    if (node.commands.length === 0) return `${fn}() {\n  _arguments -s \\\n    ${[...specs, "'*:file:_files'"].join(' \\\n    ')}\n}`;
    const subs = node.commands.map((c) => `'${zshEscape(c.name)}:${zshEscape(c.description.split('\n')[0] ?? '')}'`);
    const dispatch = node.commands.map((c) => `      ${c.name}) _${identifier([root.name, ...words, c.name].join('_'))} ;;`);
    return `${fn}() {
  local -a subcommands
  subcommands=(${subs.join(' ')})
  _arguments -C -s \\
    ${[...specs, "'1: :->command'", "'*:: :->args'"].join(' \\\n    ')}
  case $state in
    command) _describe 'command' subcommands ;;
    args)
      case $words[1] in
${dispatch.join('\n')}
      esac ;;
  esac
}`;
  });
  return `#compdef ${root.name}
# zsh completion for ${root.name}; put it on $fpath as _${root.name}, or: source <(${root.name} completion zsh)
${fns.join('\n\n')}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _${identifier(root.name)} "$@"
else
  compdef _${identifier(root.name)} ${root.name}
fi
`;
}

function fishEscape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

function fish(root: CommandTree): string {
  const lines = [`# fish completion for ${root.name}; load it with: ${root.name} completion fish | source`, `complete -c ${root.name} -f`];
  for (const { words, node } of paths(root)) {
    // A word list is "in this command" when its last command word was seen and none of its children.
    const seen = words.length === 0 ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${words[words.length - 1]}`;
    const children = node.commands.map((c) => c.name);
    const condition = children.length > 0 && words.length > 0 ? `${seen}; and not __fish_seen_subcommand_from ${children.join(' ')}` : seen;
    for (const c of node.commands) {
      lines.push(`complete -c ${root.name} -n '${condition}' -a ${c.name} -d '${fishEscape(c.description.split('\n')[0] ?? '')}'`);
    }
    for (const o of node.options) {
      const parts = o.flags.map((f) => (f.startsWith('--') ? `-l ${f.slice(2)}` : `-s ${f.slice(1)}`));
      const value = o.takesValue ? (o.choices && o.choices.length > 0 ? ` -x -a '${o.choices.join(' ')}'` : ' -r') : '';
      const cond = words.length === 0 ? '' : ` -n '${seen}'`;
      lines.push(`complete -c ${root.name}${cond} ${parts.join(' ')}${value} -d '${fishEscape(o.description.split('\n')[0] ?? '')}'`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(tree: CommandTree, shell: CompletionShell): string {
  switch (shell) {
    case 'bash':
      return bash(tree);
    case 'zsh':
      return zsh(tree);
    case 'fish':
      return fish(tree);
  }
}
