/**
 * Span names and attribute keys of a workflow run. The run view and the trace viewer read these,
 * so they are the contract for anything that draws a run: change them here only.
 */

/** Instrumentation scope of the runner's own spans. */
export const TRACER_NAME = 'weavergen.workflow';

export const ATTR_WORKFLOW_NAME = 'weavergen.workflow.name';
export const ATTR_WORKFLOW_FILE = 'weavergen.workflow.file';
export const ATTR_RUN_ID = 'weavergen.run.id';
/** Final run status on the process span: `succeeded`, `failed` or `cancelled`. */
export const ATTR_RUN_STATUS = 'weavergen.run.status';
export const ATTR_ENGINE = 'weavergen.engine';
export const ATTR_REGISTRY_PATH = 'weavergen.registry.path';
export const ATTR_BPMN_ELEMENT_ID = 'weavergen.bpmn.element.id';
export const ATTR_BPMN_ELEMENT_TYPE = 'weavergen.bpmn.element.type';
export const ATTR_BPMN_ELEMENT_NAME = 'weavergen.bpmn.element.name';
export const ATTR_SERVICE_NAME = 'weavergen.service.name';
/** Final state of an activity span: `done`, `failed`, `cancelled` or `discarded` (a path not taken). */
export const ATTR_ACTIVITY_STATE = 'weavergen.activity.state';

export function processSpanName(workflow: string): string {
  return `workflow ${workflow}`;
}

export function activitySpanName(name: string): string {
  return `activity ${name}`;
}

export function serviceSpanName(service: string): string {
  return `service ${service}`;
}
