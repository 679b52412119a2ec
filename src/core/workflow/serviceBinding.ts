import { isServiceType, type FlowNode } from './bpmnModel';
import type { ServiceFn, ServiceResolver } from './types';

/**
 * Ties each service task of a workflow to a registered service, before anything runs. A task that
 * names an unknown service, or none, fails the run up front: never a silent pass.
 */

/** `${environment.services.registry.check}` -> `registry.check`. */
const IMPLEMENTATION = /^\$\{\s*environment\.services\.([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*\}$/;
const SERVICE_NAME = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

/** True for exactly `${environment.services.NAME}`: the one expression form a task may carry. */
export function isServiceImplementation(text: string): boolean {
  return IMPLEMENTATION.test(text);
}

/** `${environment.services.registry.check}` -> `registry.check`; undefined for any other text. */
export function serviceNameOf(text: string): string | undefined {
  return IMPLEMENTATION.exec(text)?.[1];
}

export function isServiceName(name: string): boolean {
  return SERVICE_NAME.test(name);
}

export function implementationFor(service: string): string {
  return `\${environment.services.${service}}`;
}

export interface BindingProblem {
  message: string;
  activityId: string;
  service?: string;
}

export interface ServiceBindings {
  /** Service name per task id, for every task that calls one. */
  serviceOf: Map<string, string>;
  problems: BindingProblem[];
}

export function bindServices(nodes: readonly FlowNode[], services: ServiceResolver): ServiceBindings {
  const serviceOf = new Map<string, string>();
  const problems: BindingProblem[] = [];
  const known = () => services.names().sort().join(', ') || '(none registered)';
  for (const node of nodes) {
    const task = `Task "${node.name}" (${node.id})`;
    if (node.implementation === undefined) {
      if (isServiceType(node.type)) {
        problems.push({
          activityId: node.id,
          message: `${task} names no service: set implementation="${implementationFor('NAME')}" with one of: ${known()}.`,
        });
      }
      continue;
    }
    const match = IMPLEMENTATION.exec(node.implementation);
    if (!match) {
      problems.push({
        activityId: node.id,
        message: `${task} has implementation "${node.implementation}": write it as ${implementationFor('NAME')} with one of: ${known()}.`,
      });
      continue;
    }
    const service = match[1];
    if (!services.get(service)) {
      problems.push({
        activityId: node.id,
        service,
        message: `${task} calls service "${service}", which is not registered. Known services: ${known()}.`,
      });
      continue;
    }
    serviceOf.set(node.id, service);
  }
  return { serviceOf, problems };
}

/**
 * bpmn-engine resolves `environment.services.registry.check` as a property path, so dotted names
 * become nested objects: `{ registry: { check: fn } }`.
 */
export function buildServiceTree(handlers: ReadonlyMap<string, ServiceFn | ((...args: never[]) => unknown)>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [name, handler] of handlers) {
    const parts = name.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (typeof next === 'function') throw new Error(`Service "${name}" cannot be registered: "${part}" is already a service`);
      node = (next as Record<string, unknown> | undefined) ?? (node[part] = {});
    }
    const leaf = parts[parts.length - 1];
    if (node[leaf] !== undefined) throw new Error(`Service "${name}" cannot be registered: a service name starts with "${name}."`);
    node[leaf] = handler;
  }
  return root;
}
