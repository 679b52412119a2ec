import { isFolder } from '../folders';
import { nativePolicyProblem, policyProblemMessage } from '../semconv/policies/policyPaths';
import { resolve } from 'node:path';
import type { ServiceContext, ServiceResult } from '../workflow/types';
import { ERR_INPUT_MISSING, ERR_NO_REGISTRY_LOADED, ERR_REGISTRY_NOT_FOUND, ServiceError } from './serviceError';
import { CHECK_RESULT, LOADED_REGISTRY } from './stateKeys';

/** `registry.check`: see catalog.ts. */
export async function registryCheck(ctx: ServiceContext): Promise<ServiceResult> {
  const handle = ctx.state.get(LOADED_REGISTRY);
  if (!handle) {
    throw new ServiceError(
      `registry.check has no registry to check: put a registry.load task before "${ctx.activity.name}" in the workflow`,
      ERR_NO_REGISTRY_LOADED,
    );
  }
  const baseline = await baselineFolder(ctx.inputs.baselineRegistryPath);
  const named = policyPaths(ctx.inputs.policies).policies;
  if (named && ctx.host.engine.kind === 'native' && ctx.inputs.skipPolicies !== true) {
    // Never a silent skip: Rego the native rules do not follow stops the check, naming the file.
    const problem = await nativePolicyProblem(named);
    if (problem) throw new ServiceError(policyProblemMessage(problem), ERR_INPUT_MISSING);
  }
  const result = await ctx.host.engine.check(handle, ctx.signal, {
    ...(baseline ? { baselineRegistryPath: baseline } : {}),
    ...(ctx.inputs.skipPolicies === true ? { skipPolicies: true } : {}),
    ...(policyPaths(ctx.inputs.policies)),
    ...(ctx.inputs.v2 === true ? { v2: true } : {}),
  });
  ctx.state.set(CHECK_RESULT, result);
  let errorCount = 0;
  let warningCount = 0;
  for (const d of result.diagnostics) {
    if (d.severity === 'error') errorCount++;
    else if (d.severity === 'warning') warningCount++;
  }
  return {
    outputs: {
      summary: { ...result.summary },
      diagnosticCount: result.diagnostics.length,
      errorCount,
      warningCount,
      hasErrors: errorCount > 0,
    },
  };
}

/**
 * The optional `baselineRegistryPath` input as an absolute folder (what `--baseline-registry` names);
 * anything that is not an existing folder fails the task with the path and what to pass.
 */
async function baselineFolder(input: unknown): Promise<string | undefined> {
  if (input === undefined || input === null || input === '') return undefined;
  const folder = typeof input === 'string' ? resolve(input) : undefined;
  if (!folder || !(await isFolder(folder))) {
    throw new ServiceError(
      `Baseline registry folder not found: ${folder ?? JSON.stringify(input)} (input "baselineRegistryPath"). Point it at the folder of the registry to compare against, e.g. the previous release.`,
      ERR_REGISTRY_NOT_FOUND,
    );
  }
  return folder;
}

/** The optional `policies` input: a string array of absolute paths (or URLs, for the weaver engine). */
function policyPaths(value: unknown): { policies?: string[] } {
  if (value === undefined) return {};
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    throw new ServiceError('registry.check: the policies input must be an array of policy paths', ERR_INPUT_MISSING);
  }
  return value.length > 0 ? { policies: value } : {};
}
