import type { ServiceFn } from '../workflow/types';
import type { ServiceName } from './catalog';
import { publishDiagnostics } from './publishDiagnostics';
import { registryCheck } from './registryCheck';
import { registryLoad } from './registryLoad';
import { registryResolve } from './registryResolve';
import { outputWrite } from './outputWrite';
import { ServiceRegistry } from './registry';
import { cliCompletion } from './cliCompletion';
import { diagnosticInit } from './diagnosticInit';
import { outputReport } from './outputReport';
import { registryDiff } from './registryDiff';
import { registryJsonSchema } from './registryJsonSchema';
import { registrySearch } from './registrySearch';
import { registryStats } from './registryStats';
import { weaverParseDiagnostics } from './weaverParseDiagnostics';
import { weaverPlaceDiagnostics } from './weaverPlaceDiagnostics';

export { SERVICE_CATALOG, type ServiceDoc, type ServiceFieldDoc, type ServiceName } from './catalog';
export { ServiceRegistry } from './registry';
export * from './serviceError';
export { CHECK_RESULT, LOADED_REGISTRY } from './stateKeys';
export { REPORT, REGISTRY_VIEW } from './reportState';
export * from './reportErrors';
export { WEAVER_FINDINGS, ERR_NO_WEAVER_FINDINGS, ERR_WEAVER_OUTPUT_INVALID, ERR_WEAVER_OUTPUT_UNREADABLE, type WeaverFindings } from './weaverFindings';
export { completionScript, COMPLETION_SHELLS, isCommandTree, type CommandTree, type CommandTreeOption, type CompletionShell } from './completionScript';

/** The implementation of every catalogued service; the type makes a missing one a compile error. */
export const BUILTIN_SERVICES: Readonly<Record<ServiceName, ServiceFn>> = {
  'registry.load': registryLoad,
  'registry.check': registryCheck,
  'output.publishDiagnostics': publishDiagnostics,
  'registry.resolve': registryResolve,
  'output.write': outputWrite,
  'registry.stats': registryStats,
  'registry.search': registrySearch,
  'registry.diff': registryDiff,
  'registry.jsonSchema': registryJsonSchema,
  'diagnostic.init': diagnosticInit,
  'cli.completion': cliCompletion,
  'output.report': outputReport,
  'weaver.parseDiagnostics': weaverParseDiagnostics,
  'weaver.placeDiagnostics': weaverPlaceDiagnostics,
};

/** A registry holding every built-in service; hosts may register more on it before a run. */
export function createDefaultServiceRegistry(): ServiceRegistry {
  const registry = new ServiceRegistry();
  for (const [name, service] of Object.entries(BUILTIN_SERVICES)) registry.register(name, service);
  return registry;
}
