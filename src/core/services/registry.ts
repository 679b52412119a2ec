import { isServiceName } from '../workflow/serviceBinding';
import type { ServiceFn, ServiceResolver } from '../workflow/types';

/**
 * The named services BPMN tasks can call. Names are the public API of workflows (see catalog.ts),
 * dotted like `registry.check`; a name cannot also be the prefix of another, because bpmn-engine
 * resolves `${environment.services.registry.check}` as a nested property path.
 */
export class ServiceRegistry implements ServiceResolver {
  private readonly services = new Map<string, ServiceFn>();

  register(name: string, service: ServiceFn): this {
    if (!isServiceName(name)) {
      throw new Error(`"${name}" is not a valid service name: use dot-separated identifiers, e.g. registry.check`);
    }
    if (this.services.has(name)) throw new Error(`Service "${name}" is already registered`);
    for (const existing of this.services.keys()) {
      if (existing.startsWith(`${name}.`) || name.startsWith(`${existing}.`)) {
        throw new Error(`Service "${name}" clashes with "${existing}": one name cannot be a prefix of another`);
      }
    }
    this.services.set(name, service);
    return this;
  }

  get(name: string): ServiceFn | undefined {
    return this.services.get(name);
  }

  has(name: string): boolean {
    return this.services.has(name);
  }

  names(): string[] {
    return [...this.services.keys()];
  }
}
