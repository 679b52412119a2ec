import { checkRegistry, summarize } from '../semconv/checkRegistry';
import type { FileAccessOptions } from '../semconv/fileAccess';
import { loadRegistry, type LoadedRegistry } from '../semconv/loadRegistry';
import { ParseCache } from '../semconv/parseCache';
import { loadPublishedDependencies } from '../semconv/resolve/published';
import type { CheckOptions, CheckResult, LoadedRegistryHandle, LoadOptions, RegistryEngine } from './registryEngine';

/**
 * The in-process engine (src/core/semconv). Each engine keeps a parse cache, so loading the same
 * registry again (the next check of a session) re-parses only files whose text changed.
 */
export function createNativeEngine(): RegistryEngine {
  const cache = new ParseCache();
  // Handles stay opaque to callers: the loaded registry is reachable only through this engine.
  const loaded = new WeakMap<LoadedRegistryHandle, { registry: LoadedRegistry; files: FileAccessOptions | undefined }>();

  return {
    kind: 'native',

    async load(options: LoadOptions): Promise<LoadedRegistryHandle> {
      const registry = await loadRegistry(options.registryPath, {
        cache,
        ...(options.overlays ? { overlays: options.overlays } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.files ? { files: options.files } : {}),
      });
      const handle: LoadedRegistryHandle = Object.freeze({ engine: 'native' as const, summary: summarize(registry) });
      loaded.set(handle, { registry, files: options.files });
      return handle;
    },

    async check(registry: LoadedRegistryHandle, signal?: AbortSignal, options: CheckOptions = {}): Promise<CheckResult> {
      const entry = loaded.get(registry);
      if (!entry) {
        throw new Error(
          `the native engine was given a registry it did not load (engine '${registry.engine}', ${registry.summary.registryPath}): load it with the same engine first`,
        );
      }
      const { registry: model, files } = entry;
      const published = await loadPublishedDependencies(model, undefined, files);
      // registry.check has made sure the baseline is a folder; it is read under the same policy.
      const baseline = options.baselineRegistryPath
        ? await loadRegistry(options.baselineRegistryPath, { cache: new ParseCache(), ...(signal ? { signal } : {}), ...(files ? { files } : {}) })
        : undefined;
      const result = checkRegistry(model, signal, {
        ...(published.size > 0 ? { published } : {}),
        ...(baseline ? { baseline } : {}),
        // weaver runs no policy unless one is named (-p), and none with --skip-policies.
        ...(options.skipPolicies || !options.policies?.length ? { policies: false } : {}),
      });
      return { diagnostics: result.diagnostics, summary: result.summary };
    },
  };
}

