import type { ValidationProblem, ValidationProblemCode } from '../types';
import type { IndexedSpan } from './spanIndex';

/**
 * Collects problems, at most a few per code: a trace broken in one way (every span shifted, say)
 * would otherwise bury the other findings under hundreds of lines saying the same thing.
 */
export class ProblemList {
  private readonly items: ValidationProblem[] = [];
  private readonly dropped = new Map<ValidationProblemCode, number>();
  private readonly perCode = new Map<ValidationProblemCode, number>();

  constructor(private readonly maxPerCode = 10) {}

  add(code: ValidationProblemCode, message: string, where: { elementId?: string; spanId?: string } = {}): void {
    const count = this.perCode.get(code) ?? 0;
    if (count >= this.maxPerCode) {
      this.dropped.set(code, (this.dropped.get(code) ?? 0) + 1);
      return;
    }
    this.perCode.set(code, count + 1);
    const problem: ValidationProblem = { code, message };
    if (where.elementId !== undefined) problem.elementId = where.elementId;
    if (where.spanId !== undefined) problem.spanId = where.spanId;
    this.items.push(problem);
  }

  list(): ValidationProblem[] {
    const more = [...this.dropped].map(([code, n]): ValidationProblem => ({ code, message: `${n} more ${code} problem${n === 1 ? '' : 's'} not listed` }));
    return [...this.items, ...more];
  }
}

/** `span "activity Load registry" (0123456789abcdef)`: how messages name a span. */
export function describeSpan(s: IndexedSpan): string {
  return `span "${s.span.name}" (${s.span.spanId})`;
}

/** `"Load registry" (Task_load)`: how messages name a BPMN element. */
export function describeElement(name: string | undefined, id: string): string {
  return name && name !== id ? `"${name}" (${id})` : id;
}
