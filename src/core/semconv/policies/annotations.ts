import type { PlainObject } from './input';

/**
 * The annotations the packages read: `code_generation.exclude` (a definition code generation drops, so
 * its constant name cannot collide) and `<package>.policy_exceptions` (rules a signal opts out of,
 * named by finding id without the package prefix).
 */
export function codeGenerationExcluded(annotations: PlainObject): boolean {
  const cg = annotations.code_generation;
  return typeof cg === 'object' && cg !== null && (cg as PlainObject).exclude === true;
}

/** `annotations.<section>.policy_exceptions` as a set. */
export function policyExceptions(annotations: PlainObject, section: string): Set<string> {
  const value = annotations[section];
  const list = typeof value === 'object' && value !== null ? (value as PlainObject).policy_exceptions : undefined;
  return new Set(Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : []);
}
