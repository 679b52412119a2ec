export { validateRun, validateRunAgainst, DEFAULT_TOLERANCE_MS, type RunValidationOptions } from './validateRun';
export { flowGraphFromXml, flowGraphFromEngine, type FlowGraph, type GraphNode, type GraphFlow } from './flowGraph';
export { computeServiceCoverage, type ServiceCoverage, type ServiceCoverageEntry, type CatalogEntry } from './serviceCoverage';
export type { RunValidation, ValidationProblem, ValidationProblemCode, ValidationStep, StepStatus } from '../types';
