import { isFolder } from '../folders';
import { resolve } from 'node:path';
import { compareDiagnostics } from '../engine/diagnostic';
import { summarize } from '../semconv/checkRegistry';
import { loadRegistry } from '../semconv/loadRegistry';
import { placeFindings, placementContextFor, type PlacedDiagnostic, type PlacementKind } from '../weaver/placement/index';
import type { ServiceContext, ServiceResult } from '../workflow/types';
import { ERR_INPUT_MISSING, ERR_REGISTRY_NOT_FOUND, ServiceError } from './serviceError';
import { CHECK_RESULT } from './stateKeys';
import { ERR_NO_WEAVER_FINDINGS, WEAVER_FINDINGS } from './weaverFindings';

/**
 * `weaver.placeDiagnostics`: see catalog.ts. The registry is always read by the native loader,
 * whatever engine the run has: weaver's findings name ids and files, and only the native model knows
 * the line each id is written on. The placed diagnostics take the place of a check result, so
 * `output.publishDiagnostics` hands them to the host like any check's.
 */
export async function weaverPlaceDiagnostics(ctx: ServiceContext): Promise<ServiceResult> {
  const parsed = ctx.state.get(WEAVER_FINDINGS);
  if (!parsed) {
    throw new ServiceError(
      `weaver.placeDiagnostics has no findings to place: put a weaver.parseDiagnostics task before "${ctx.activity.name}" in the workflow`,
      ERR_NO_WEAVER_FINDINGS,
    );
  }
  const input = ctx.inputs.registryPath;
  if (typeof input !== 'string' || input.trim() === '') {
    throw new ServiceError('weaver.placeDiagnostics needs the input "registryPath": the registry folder weaver checked', ERR_INPUT_MISSING);
  }
  const registryPath = resolve(input);
  if (!(await isFolder(registryPath))) {
    throw new ServiceError(`Registry folder not found: ${registryPath}. Point registryPath at the folder weaver checked.`, ERR_REGISTRY_NOT_FOUND);
  }
  const weaverCwd = typeof ctx.inputs.weaverCwd === 'string' && ctx.inputs.weaverCwd.trim() !== '' ? resolve(ctx.inputs.weaverCwd) : undefined;

  const registry = await loadRegistry(registryPath, {
    ...(ctx.host.overlays ? { overlays: ctx.host.overlays } : {}),
    signal: ctx.signal,
  });
  const placementContext = placementContextFor(registry, weaverCwd ? { cwd: weaverCwd } : {});
  const placed = placeFindings(parsed.findings, placementContext);
  const diagnostics = placed.map((p) => p.diagnostic).sort(compareDiagnostics);
  const summary = summarize(registry);
  ctx.state.set(CHECK_RESULT, { diagnostics, summary });

  const errorCount = diagnostics.filter((d) => d.severity === 'error').length;
  return {
    outputs: {
      summary: { ...summary },
      placed: countPlacements(placed),
      diagnosticCount: diagnostics.length,
      errorCount,
      warningCount: diagnostics.filter((d) => d.severity === 'warning').length,
      hasErrors: errorCount > 0,
    },
  };
}

function countPlacements(placed: readonly PlacedDiagnostic[]): Record<PlacementKind, number> {
  const counts: Record<PlacementKind, number> = { exact: 0, file: 0, unplaced: 0 };
  for (const p of placed) counts[p.placement.kind]++;
  return counts;
}
