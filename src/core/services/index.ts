import type { ServiceFn } from '../workflow/types';
import type { ServiceName } from './catalog';
import { publishDiagnostics } from './publishDiagnostics';
import { registryCheck } from './registryCheck';
import { registryLoad } from './registryLoad';
import { ServiceRegistry } from './registry';

export { SERVICE_CATALOG, type ServiceDoc, type ServiceFieldDoc, type ServiceName } from './catalog';
export { ServiceRegistry } from './registry';
export * from './serviceError';
export { CHECK_RESULT, LOADED_REGISTRY } from './stateKeys';

/** The implementation of every catalogued service; the type makes a missing one a compile error. */
export const BUILTIN_SERVICES: Readonly<Record<ServiceName, ServiceFn>> = {
  'registry.load': registryLoad,
  'registry.check': registryCheck,
  'output.publishDiagnostics': publishDiagnostics,
};

/** A registry holding every built-in service; hosts may register more on it before a run. */
export function createDefaultServiceRegistry(): ServiceRegistry {
  const registry = new ServiceRegistry();
  for (const [name, service] of Object.entries(BUILTIN_SERVICES)) registry.register(name, service);
  return registry;
}
