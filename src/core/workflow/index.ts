export { runWorkflow } from './runner';
export { locateWorkflow, listWorkflows, defaultWorkflowsDir, WorkflowError, type LocatedWorkflow, type WorkflowDirs } from './locate';
export { implementationFor, isServiceName } from './serviceBinding';
export type * from './types';
