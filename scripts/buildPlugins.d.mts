import type { Plugin } from 'esbuild';

/** Inlines bpmn-engine's version where it reads its package.json through import.meta.url. */
export declare const bpmnEngineVersionPlugin: Plugin;
