import type { RunRecord } from '../types';
import { serviceSpanName } from '../../telemetry/attributes';
import { indexSpans } from './spanIndex';

/**
 * Which services recorded runs exercised, counted from the service spans of each run (one span
 * per call, so a service a loop calls three times counts three calls). Lists every service of the
 * catalog, called or not, so a service no workflow reaches stands out.
 */

/** What coverage needs of a catalog entry; `SERVICE_CATALOG` (core/services/catalog.ts) fits. */
export interface CatalogEntry {
  name: string;
}

export interface ServiceCoverageEntry {
  service: string;
  calls: number;
  /** Calls whose service span ended ok. */
  succeeded: number;
  /** Calls whose service span has an error status. */
  failed: number;
  /** Calls stopped by a cancelled run: neither ok nor error. */
  cancelled: number;
  /** succeeded / (succeeded + failed), from 0 to 1; null when no call finished. Cancelled calls count neither way. */
  successRate: number | null;
  /** How many runs called it at least once. */
  runs: number;
  /** Names of the workflows that called it, sorted. */
  workflows: string[];
  /** Start time of the latest run that called it. */
  lastCalledAt?: string;
}

export interface ServiceCoverage {
  /** How many run records were read. */
  runs: number;
  /** Runs whose recorded validation says their spans do not match their workflow. */
  invalidRuns: number;
  /** One entry per catalogued service, in catalog order. */
  services: ServiceCoverageEntry[];
  /** Catalogued services no run called, in catalog order. */
  neverExercised: string[];
  /** Services the runs called that the catalog does not list (a host's own ones), sorted by name. */
  uncatalogued: ServiceCoverageEntry[];
}

interface Tally {
  calls: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  runs: Set<string>;
  workflows: Set<string>;
  lastCalledAt?: string;
}

const SERVICE_PREFIX = serviceSpanName('');

export function computeServiceCoverage(records: readonly RunRecord[], catalog: readonly CatalogEntry[]): ServiceCoverage {
  const tallies = new Map<string, Tally>();
  let invalidRuns = 0;
  for (const record of records) {
    if (record.validation && !record.validation.valid) invalidRuns++;
    for (const s of indexSpans(record.spans).all) {
      if (s.kind !== 'service') continue;
      const service = s.service ?? s.span.name.slice(SERVICE_PREFIX.length);
      let tally = tallies.get(service);
      if (!tally) {
        tally = { calls: 0, succeeded: 0, failed: 0, cancelled: 0, runs: new Set(), workflows: new Set() };
        tallies.set(service, tally);
      }
      tally.calls++;
      const code = s.span.status?.code;
      if (code === 1) tally.succeeded++;
      else if (code === 2) tally.failed++;
      else tally.cancelled++;
      tally.runs.add(record.id);
      tally.workflows.add(record.workflow);
      if (tally.lastCalledAt === undefined || record.startedAt > tally.lastCalledAt) tally.lastCalledAt = record.startedAt;
    }
  }

  const catalogued = new Set(catalog.map((c) => c.name));
  const services = catalog.map((c) => toEntry(c.name, tallies.get(c.name)));
  const uncatalogued = [...tallies.keys()]
    .filter((name) => !catalogued.has(name))
    .sort()
    .map((name) => toEntry(name, tallies.get(name)));
  return {
    runs: records.length,
    invalidRuns,
    services,
    neverExercised: services.filter((e) => e.calls === 0).map((e) => e.service),
    uncatalogued,
  };
}

function toEntry(service: string, tally: Tally | undefined): ServiceCoverageEntry {
  if (!tally) return { service, calls: 0, succeeded: 0, failed: 0, cancelled: 0, successRate: null, runs: 0, workflows: [] };
  const finished = tally.succeeded + tally.failed;
  const entry: ServiceCoverageEntry = {
    service,
    calls: tally.calls,
    succeeded: tally.succeeded,
    failed: tally.failed,
    cancelled: tally.cancelled,
    successRate: finished === 0 ? null : tally.succeeded / finished,
    runs: tally.runs.size,
    workflows: [...tally.workflows].sort(),
  };
  if (tally.lastCalledAt !== undefined) entry.lastCalledAt = tally.lastCalledAt;
  return entry;
}
