import type { RunReport, StateKey } from '../workflow/types';
import type { RegistryView } from '../semconv/stats/registryView';

/** Set by the reporting services (registry.stats, registry.search, ...), read by `output.report`. */
export const REPORT: StateKey<RunReport> = { name: 'report' };

/** The native view of the run's registry, built once per run by the first reporting service. */
export const REGISTRY_VIEW: StateKey<RegistryView> = { name: 'registryView' };
