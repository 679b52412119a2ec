export { registryView, deprecationOf, versionOfSchemaUrl } from './registryView';
export type { RegistryView, ViewAttribute, ViewGroup, GroupType, Deprecation } from './registryView';
export { registryStatsV1, registryStatsV2 } from './registryStats';
export type { RegistryStatsV1, RegistryStatsV2, GroupStats, CommonGroupStats, CommonSignalStats, Breakdown } from './registryStats';
export { resolvedRegistryView } from './resolvedView';
