import type { Plugin } from 'esbuild';

/** Inlines bpmn-engine's version where it reads its package.json through import.meta.url. */
export declare const bpmnEngineVersionPlugin: Plugin;

/** Resolves `yaml` to its ES module build, so bundled code calls its helpers without getters. */
export declare const yamlEsmPlugin: Plugin;
