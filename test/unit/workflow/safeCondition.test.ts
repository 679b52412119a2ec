import { describe, expect, test } from 'vitest';
import {
  ConditionError,
  evaluateCondition,
  MAX_CONDITION_DEPTH,
  MAX_CONDITION_LENGTH,
  parseCondition,
} from '../../../src/core/workflow/safeCondition';

const scope = {
  output: { n: 3, s: 'http', yes: true, no: false, nothing: null, nested: { deep: 'x' } },
  variables: { force: true, label: "it's" },
};
const evaluate = (text: string) => evaluateCondition(parseCondition(text), scope);

function errorOf(text: string): ConditionError {
  try {
    parseCondition(text);
  } catch (err) {
    if (err instanceof ConditionError) return err;
    throw err;
  }
  throw new Error(`${text} parsed`);
}

describe('safe conditions: what they evaluate to', () => {
  test.each([
    ['${environment.output.n == 3}', true],
    ['${environment.output.n == "3"}', false],
    ['${environment.output.n != 3}', false],
    ['${environment.output.n > 2 && environment.output.n <= 3}', true],
    ['${environment.output.n >= 4 || environment.output.s == "http"}', true],
    ['${environment.output.s < "https"}', true],
    ['${environment.output.s < 5}', false],
    ['${!environment.output.no}', true],
    ['${!(environment.output.yes && environment.output.no)}', true],
    ['${environment.output.nothing == null}', true],
    ['${environment.output.missing == null}', false],
    ['${environment.output.nested.deep == \'x\'}', true],
    ['${environment.variables.label == \'it\\\'s\'}', true],
    ['${environment.variables.force}', true],
    ['${environment.output.n == -3}', false],
    ['${true || false && false}', true],
    ['${  environment.output.yes  }', true],
  ])('%s -> %s', (text, expected) => {
    expect(evaluate(text)).toBe(expected);
  });

  test('a bare path gives the value itself, as the engine did', () => {
    expect(evaluate('${environment.output.s}')).toBe('http');
    expect(evaluate('${environment.output.missing}')).toBeUndefined();
  });

  test('only own properties are read: nothing reaches prototypes', () => {
    expect(evaluate('${environment.output.constructor}')).toBeUndefined();
    expect(evaluate('${environment.output.__proto__}')).toBeUndefined();
    expect(evaluate('${environment.output.s.length}')).toBeUndefined();
  });
});

describe('safe conditions: what they refuse, and where', () => {
  test.each([
    ['environment.output.x', 0, 'a condition is written as ${...}'],
    ['${}', 2, 'the condition is empty'],
    ['${environment.services.fn()}', 25, 'a condition cannot call anything'],
    ['${environment.output.fn()}', 23, 'a condition cannot call anything'],
    ['${process.env.HOME}', 2, '"process.env.HOME" is not readable here'],
    ['${environment.output}', 2, '"environment.output" is not readable here'],
    ['${environment.output.a + 1}', 23, 'unexpected "+"'],
    ['${environment.output.a == "x}', 26, 'string without its closing quote'],
    ['${environment.output.a = 1}', 23, 'unexpected "="'],
    ['${(environment.output.a}', 23, 'expected ")" but found "the end"'],
    ['${environment.output.a environment.output.b}', 23, 'unexpected "environment" after a complete condition'],
    ['${environment.output["a"]}', 20, 'unexpected "["'],
    ['${`x`}', 2, 'unexpected "`"'],
  ])('%s: at offset %d, %s', (text, offset, message) => {
    const err = errorOf(text);
    expect(err.message).toContain(message);
    expect(err.offset).toBe(offset);
  });

  test('longer than the length bound is refused before it is read', () => {
    const text = `\${${'environment.output.a || '.repeat(60)}true}`;
    expect(text.length).toBeGreaterThan(MAX_CONDITION_LENGTH);
    expect(errorOf(text).message).toBe(`longer than ${MAX_CONDITION_LENGTH} characters`);
  });

  test('nesting deeper than the depth bound is refused, not a stack overflow', () => {
    const deep = `\${${'('.repeat(200)}true${')'.repeat(200)}}`;
    expect(errorOf(deep).message).toBe(`nested more than ${MAX_CONDITION_DEPTH} levels deep`);
    const nots = `\${${'!'.repeat(200)}true}`;
    expect(errorOf(nots).message).toBe(`nested more than ${MAX_CONDITION_DEPTH} levels deep`);
    // Within the bound it parses.
    expect(evaluate(`\${${'('.repeat(5)}true${')'.repeat(5)}}`)).toBe(true);
  });
});
