import { evaluateCondition, parseCondition, type ConditionNode } from './safeCondition';
import { serviceNameOf } from './serviceBinding';

/**
 * The `scripts` and `expressions` handlers the runner gives bpmn-engine in place of its own, so that
 * even a file workflowSafety.ts let through runs no code. bpmn-engine's defaults run scripts in
 * node:vm (escaped in one line) and resolve `${a.b()}` by calling `a.b`. These handlers:
 * - scripts: register nothing, and hand any script task or scripted condition a script that fails
 *   its element with a clear error;
 * - expressions: resolve exactly `${environment.services.NAME}` to the registered service (own
 *   properties only, nothing called) and a safe condition (safeCondition.ts) to its value; any
 *   other `${...}` throws, which fails the element. Text without `${` is returned unchanged, as the
 *   engine's own resolver does (element names, literal timer values).
 */

export class RefusedByEngineGuard extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedByEngineGuard';
  }
}

interface ElementRef {
  id?: string;
  type?: string;
}

interface RefusingScript {
  id: string;
  execute(executionContext: unknown, callback: (err: Error | null, output?: unknown) => void): void;
}

export const refusingScripts = {
  register(): undefined {
    return undefined;
  },
  getScript(language: string | undefined, element: ElementRef): RefusingScript | undefined {
    // A condition without a language is an expression, resolved below; nothing else asks without one.
    if (!language) return undefined;
    const id = element?.id ?? 'unknown';
    return {
      id,
      execute(_context, callback) {
        callback(new RefusedByEngineGuard(`element "${id}" is a ${language} script: WeaverGen runs no scripts from workflow files`));
      },
    };
  },
};

const EXPRESSION = /\$\{(.+?)\}/;

interface ResolveContext {
  environment?: { services?: unknown; output?: unknown; variables?: unknown };
}

function ownPath(root: unknown, names: readonly string[]): unknown {
  let value = root;
  for (const name of names) {
    if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, name)) return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}

export function createSafeExpressions() {
  const parsed = new Map<string, ConditionNode>();
  return {
    isExpression(text: unknown): boolean {
      return typeof text === 'string' && /^\$\{(.+?)\}$/.test(text);
    },
    hasExpression(text: unknown): boolean {
      return typeof text === 'string' && EXPRESSION.test(text);
    },
    resolveExpression(text: unknown, context: ResolveContext): unknown {
      if (typeof text !== 'string' || !EXPRESSION.test(text)) return text;
      const environment = context?.environment;
      const service = serviceNameOf(text);
      if (service !== undefined) {
        const fn = ownPath(environment?.services, service.split('.'));
        return typeof fn === 'function' ? fn : undefined;
      }
      let node = parsed.get(text);
      if (!node) {
        try {
          node = parseCondition(text);
        } catch (err) {
          throw new RefusedByEngineGuard(`the expression ${JSON.stringify(text.slice(0, 120))} is not evaluated: ${err instanceof Error ? err.message : String(err)}`);
        }
        parsed.set(text, node);
      }
      return evaluateCondition(node, { output: environment?.output, variables: environment?.variables });
    },
  };
}
