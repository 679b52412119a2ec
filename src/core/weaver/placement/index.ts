/** Placing weaver's findings on the lines of the registry's YAML, through the native model. */
export { loadPlacementContext, placeFinding, placeFindings, placementContextFor } from './placeFindings';
export type { PlacedDiagnostic, Placement, PlacementContext, PlacementKind, PlacementOptions } from './placeFindings';
export { buildRegistryIndex } from './registryIndex';
export type { IndexedGroup, IndexedNode, RegistryIndex } from './registryIndex';
export { matchRegistryFile } from './fileMatch';
