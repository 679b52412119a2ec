/**
 * Gateway conditions, evaluated by the project and never as JavaScript. A workflow comes from a
 * repository that may be hostile, so a sequence-flow condition is data: a small expression read by
 * this parser over the run's outputs and variables, with nothing to call.
 *
 * Grammar (the whole `conditionExpression` body is one `${...}`):
 *
 *   condition  := '${' or '}'
 *   or         := and ( '||' and )*
 *   and        := unary ( '&&' unary )*
 *   unary      := '!' unary | comparison
 *   comparison := primary ( ( '==' | '!=' | '<' | '>' | '<=' | '>=' ) primary )?
 *   primary    := literal | path | '(' or ')'
 *   path       := 'environment' '.' ( 'output' | 'variables' ) ( '.' NAME )+
 *   literal    := STRING | NUMBER | 'true' | 'false' | 'null'
 *   STRING     := '...' or "..." (backslash escapes the quote or a backslash)
 *   NUMBER     := -?digits(.digits)?
 *   NAME       := [A-Za-z_][A-Za-z0-9_]*
 *
 * `==` / `!=` compare strictly (no type coercion). `<`, `>`, `<=`, `>=` hold only between two numbers
 * or two strings; any other pair is false. `&&`, `||` and `!` work on truthiness, like the engine's
 * own test of a condition's value. A path reads own properties only; a missing one is `undefined`.
 * A bare path evaluates to the value itself (as bpmn-engine's `${environment.output.NAME}` did).
 * Bounded: at most MAX_CONDITION_LENGTH characters and MAX_CONDITION_DEPTH nested levels.
 */

export const MAX_CONDITION_LENGTH = 1000;
export const MAX_CONDITION_DEPTH = 32;

export class ConditionError extends Error {
  /** 0-based offset in the condition text where the problem is. */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = 'ConditionError';
    this.offset = offset;
  }
}

type Literal = string | number | boolean | null;
type CompareOp = '==' | '!=' | '<' | '>' | '<=' | '>=';

export type ConditionNode =
  | { kind: 'literal'; value: Literal }
  | { kind: 'path'; scope: 'output' | 'variables'; names: string[] }
  | { kind: 'not'; operand: ConditionNode }
  | { kind: 'and' | 'or'; left: ConditionNode; right: ConditionNode }
  | { kind: 'compare'; op: CompareOp; left: ConditionNode; right: ConditionNode };

interface Token {
  kind: 'op' | 'name' | 'string' | 'number' | 'dot' | 'paren' | 'end';
  text: string;
  value?: string | number;
  offset: number;
}

const OPERATORS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!'] as const;
const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;

function tokenize(text: string, base: number): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    const offset = base + i;
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op, offset });
      i += op.length;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ kind: 'paren', text: ch, offset });
      i++;
    } else if (ch === '.') {
      tokens.push({ kind: 'dot', text: ch, offset });
      i++;
    } else if (ch === '"' || ch === "'") {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== ch; j++) {
        if (text[j] === '\\') {
          const escaped = text[j + 1];
          if (escaped !== ch && escaped !== '\\') throw new ConditionError('only \\\\ and an escaped quote are allowed in a string', base + j);
          j++;
        }
        value += text[j];
      }
      if (j >= text.length) throw new ConditionError('string without its closing quote', offset);
      tokens.push({ kind: 'string', text: text.slice(i, j + 1), value, offset });
      i = j + 1;
    } else if (/[0-9-]/.test(ch)) {
      const match = /^-?\d+(?:\.\d+)?/.exec(text.slice(i));
      if (!match) throw new ConditionError(`unexpected "${ch}"`, offset);
      tokens.push({ kind: 'number', text: match[0], value: Number(match[0]), offset });
      i += match[0].length;
    } else if (NAME_START.test(ch)) {
      let j = i + 1;
      while (j < text.length && NAME_PART.test(text[j])) j++;
      tokens.push({ kind: 'name', text: text.slice(i, j), offset });
      i = j;
    } else {
      throw new ConditionError(`unexpected "${ch}": only paths, literals, comparisons, &&, ||, ! and parentheses are allowed`, offset);
    }
  }
  tokens.push({ kind: 'end', text: 'the end', offset: base + text.length });
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): ConditionNode {
    const node = this.or(0);
    const next = this.peek();
    if (next.kind !== 'end') throw new ConditionError(`unexpected "${next.text}" after a complete condition`, next.offset);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private take(): Token {
    return this.tokens[this.pos++];
  }

  private guard(depth: number, at: Token): void {
    if (depth > MAX_CONDITION_DEPTH) throw new ConditionError(`nested more than ${MAX_CONDITION_DEPTH} levels deep`, at.offset);
  }

  private or(depth: number): ConditionNode {
    this.guard(depth, this.peek());
    let left = this.and(depth + 1);
    while (this.peek().text === '||' && this.peek().kind === 'op') {
      this.take();
      left = { kind: 'or', left, right: this.and(depth + 1) };
    }
    return left;
  }

  private and(depth: number): ConditionNode {
    let left = this.unary(depth + 1);
    while (this.peek().text === '&&' && this.peek().kind === 'op') {
      this.take();
      left = { kind: 'and', left, right: this.unary(depth + 1) };
    }
    return left;
  }

  private unary(depth: number): ConditionNode {
    const token = this.peek();
    this.guard(depth, token);
    if (token.kind === 'op' && token.text === '!') {
      this.take();
      return { kind: 'not', operand: this.unary(depth + 1) };
    }
    return this.comparison(depth + 1);
  }

  private comparison(depth: number): ConditionNode {
    const left = this.primary(depth + 1);
    const token = this.peek();
    if (token.kind === 'op' && ['==', '!=', '<', '>', '<=', '>='].includes(token.text)) {
      this.take();
      const right = this.primary(depth + 1);
      return { kind: 'compare', op: token.text as CompareOp, left, right };
    }
    return left;
  }

  private primary(depth: number): ConditionNode {
    const token = this.take();
    this.guard(depth, token);
    switch (token.kind) {
      case 'string':
      case 'number':
        return { kind: 'literal', value: token.value as string | number };
      case 'paren': {
        if (token.text !== '(') break;
        const inner = this.or(depth + 1);
        const close = this.take();
        if (close.kind !== 'paren' || close.text !== ')') throw new ConditionError(`expected ")" but found "${close.text}"`, close.offset);
        return inner;
      }
      case 'name':
        if (token.text === 'true') return { kind: 'literal', value: true };
        if (token.text === 'false') return { kind: 'literal', value: false };
        if (token.text === 'null') return { kind: 'literal', value: null };
        return this.path(token);
      default:
        break;
    }
    throw new ConditionError(`expected a path, a literal or "(" but found "${token.text}"`, token.offset);
  }

  private path(first: Token): ConditionNode {
    const names = [first.text];
    while (this.peek().kind === 'dot') {
      this.take();
      const name = this.take();
      if (name.kind !== 'name') throw new ConditionError(`expected a name after "." but found "${name.text}"`, name.offset);
      names.push(name.text);
    }
    const [root, scope, ...rest] = names;
    if (this.peek().kind === 'paren' && this.peek().text === '(') {
      throw new ConditionError('a condition cannot call anything', this.peek().offset);
    }
    if (root !== 'environment' || (scope !== 'output' && scope !== 'variables') || rest.length === 0) {
      throw new ConditionError(
        `"${names.join('.')}" is not readable here: write environment.output.NAME or environment.variables.NAME`,
        first.offset,
      );
    }
    return { kind: 'path', scope, names: rest };
  }
}

/** `${ ... }` with optional spaces around; the text between the braces and its offset. */
function unwrap(text: string): { inner: string; base: number } {
  const trimmed = text.trim();
  const lead = text.indexOf(trimmed);
  if (!trimmed.startsWith('${') || !trimmed.endsWith('}')) {
    throw new ConditionError('a condition is written as ${...}, e.g. ${environment.output.valid == true}', lead);
  }
  return { inner: trimmed.slice(2, -1), base: lead + 2 };
}

/** Parses a whole condition body. Throws ConditionError (with the offset of the problem). */
export function parseCondition(text: string): ConditionNode {
  if (text.length > MAX_CONDITION_LENGTH) {
    throw new ConditionError(`longer than ${MAX_CONDITION_LENGTH} characters`, MAX_CONDITION_LENGTH);
  }
  const { inner, base } = unwrap(text);
  if (inner.trim() === '') throw new ConditionError('the condition is empty', base);
  return new Parser(tokenize(inner, base)).parse();
}

export interface ConditionScope {
  output?: unknown;
  variables?: unknown;
}

function read(scope: unknown, names: readonly string[]): unknown {
  let value: unknown = scope;
  for (const name of names) {
    if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, name)) return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}

function compare(op: CompareOp, a: unknown, b: unknown): boolean {
  if (op === '==') return a === b;
  if (op === '!=') return a !== b;
  const comparable = (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
  if (!comparable) return false;
  const x = a as number | string;
  const y = b as number | string;
  switch (op) {
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    default:
      return x >= y;
  }
}

export function evaluateCondition(node: ConditionNode, scope: ConditionScope): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'path':
      return read(node.scope === 'output' ? scope.output : scope.variables, node.names);
    case 'not':
      return !evaluateCondition(node.operand, scope);
    case 'and':
      return Boolean(evaluateCondition(node.left, scope)) && Boolean(evaluateCondition(node.right, scope));
    case 'or':
      return Boolean(evaluateCondition(node.left, scope)) || Boolean(evaluateCondition(node.right, scope));
    case 'compare':
      return compare(node.op, evaluateCondition(node.left, scope), evaluateCondition(node.right, scope));
  }
}
