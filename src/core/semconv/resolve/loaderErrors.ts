import type { LoadedDependency, LoadedRegistry } from '../loadRegistry';
import type { SourceLocation } from '../resolved/types';
import { parseSemver, UNKNOWN_SCHEMA_URL, type SchemaUrl } from '../schemaUrl';
import type { ResolveError } from './errors';
import { readManifest, type ManifestRead } from './manifestErrors';

/**
 * What weaver's loader (`load_semconv_repository_recursive`) refuses before resolving anything: an
 * invalid manifest, a dependency chain deeper than 10 registries, a registry that depends on itself
 * (registries are known by their schema URL's name, as weaver knows them), and two versions of one
 * registry whose major versions differ (or whose versions are not semver, so cannot be compared).
 * Weaver stops at the first of these, so at most one error comes back; manifest warnings come with it.
 *
 * Every finding is placed in the checked registry: at the node itself when it is there, else at the
 * root manifest's dependency entry the faulty chain starts from, with the faulty node as related.
 */

/** Weaver's `MAX_DEPENDENCY_DEPTH`: the registry itself and 9 levels of dependencies. */
export const MAX_DEPENDENCY_DEPTH = 10;

export interface LoaderOutcome {
  error?: ResolveError;
  warnings: ResolveError[];
}

interface Edge extends SourceLocation {
  /** `registry_path` as written, else the declared schema URL: weaver's `registry_path_repr`. */
  pathRepr: string;
}

class Fatal {
  constructor(readonly error: ResolveError) {}
}

export function loaderErrors(loaded: LoadedRegistry, pathOf: (absolutePath: string) => string): LoaderOutcome {
  const warnings: ResolveError[] = [];
  const visited = new Map<string, { url: SchemaUrl; edges: Edge[] }>();
  const chain: Array<{ name: string; root: string }> = [];
  const rootManifest = loaded.manifest?.path;

  /** Places an error found at `cause`, reached through `edges` from the root. */
  const place = (error: Omit<ResolveError, 'location'>, cause: SourceLocation, edges: readonly Edge[], extra: SourceLocation[] = []): ResolveError => {
    const first = edges[0];
    const inRoot = cause.file === rootManifest || loaded.files.some((f) => f.path === cause.file) || !first;
    const location = inRoot ? { file: cause.file, range: cause.range } : { file: first.file, range: first.range };
    const related = [...(inRoot ? [] : [{ file: cause.file, range: cause.range }]), ...extra];
    return related.length > 0 ? { ...error, location, related } : { ...error, location };
  };

  const manifestOf = (file: LoadedRegistry['manifest'], edges: readonly Edge[]): ManifestRead | undefined => {
    if (!file) return undefined;
    const read = readManifest(file, pathOf(file.path));
    // Weaver reports the warnings of dependencies' manifests too; they belong to the registry checked
    // only when they are its own.
    if (edges.length === 0) warnings.push(...read.warnings);
    if (read.error) throw new Fatal(place(read.error, read.error.location, edges));
    return read;
  };

  /** `check_version_compatibility` of two schema URLs of one registry name. */
  const compatible = (name: string, before: SchemaUrl, now: SchemaUrl, cause: SourceLocation, edges: readonly Edge[], earlier: SourceLocation | undefined): void => {
    if (before.url === now.url) return;
    for (const url of [before, now]) {
      const v = parseSemver(url.version);
      if (!v.ok) {
        throw new Fatal(
          place(
            {
              kind: 'InvalidSchemaUrlBadVersion',
              fields: { url: url.url, error: v.error },
              message: `Invalid schema URL '${url.url}': its version '${url.version}' is not semver (${v.error}), so it cannot be reconciled with '${url === before ? now.url : before.url}'. Use a semver version (e.g. 1.0.0) in both.`,
            },
            cause,
            edges,
            earlier ? [earlier] : [],
          ),
        );
      }
    }
    const a = parseSemver(before.version) as { ok: true; major: number };
    const b = parseSemver(now.version) as { ok: true; major: number };
    if (a.major !== b.major) {
      throw new Fatal(
        place(
          {
            kind: 'DuplicateDependency',
            fields: { name, version1: before.version, version2: now.version },
            message: `Registry '${name}' is needed in two incompatible versions, ${before.version} and ${now.version}: depend on versions with the same major version.`,
          },
          cause,
          edges,
          earlier ? [earlier] : [],
        ),
      );
    }
  };

  /** Enters a registry as weaver's recursive loader does (depth, cycle, version conflict). */
  const enter = (url: SchemaUrl, root: string, depthLeft: number, edges: readonly Edge[]): boolean => {
    const last = edges[edges.length - 1];
    if (depthLeft === 0 && last) {
      throw new Fatal(
        place(
          {
            kind: 'MaximumDependencyDepth',
            fields: { registry_name: last.pathRepr },
            message: `Dependency '${last.pathRepr}' is deeper than the ${MAX_DEPENDENCY_DEPTH} registry levels weaver loads: shorten the dependency chain.`,
          },
          last,
          edges,
        ),
      );
    }
    if (chain.some((c) => c.name === url.name) && last) {
      const names = [...chain.map((c) => c.name), url.name];
      throw new Fatal(
        place(
          {
            kind: 'CircularDependency',
            fields: { registry_name: url.name, chain: names.join(' → ') },
            message: `Registry '${url.name}' depends on itself: ${names.join(' → ')}. Remove one of these dependencies.`,
          },
          last,
          edges,
        ),
      );
    }
    const seen = visited.get(url.name);
    if (seen && last) compatible(url.name, seen.url, url, last, edges, seen.edges[seen.edges.length - 1]);
    else if (!seen) visited.set(url.name, { url, edges: [...edges] });
    chain.push({ name: url.name, root });
    return true;
  };

  const walk = (registry: LoadedRegistry, declared: SchemaUrl | undefined, depthLeft: number, edges: readonly Edge[]): void => {
    const manifest = manifestOf(registry.manifest, edges);
    const url = manifest?.schemaUrl ?? declared ?? UNKNOWN_SCHEMA_URL;
    enter(url, registry.root, depthLeft, edges);
    if (manifest) {
      const direct = new Map<string, { url: SchemaUrl; at: SourceLocation }>();
      registry.dependencies.forEach((dep, i) => {
        const read = manifest.dependencies[i];
        if (!read || !registry.manifest) return;
        const edge: Edge = { file: registry.manifest.path, range: read.range, pathRepr: dep.declared.registryPath ?? read.schemaUrl.url };
        const path = [...edges, edge];
        const before = direct.get(read.schemaUrl.name);
        if (before) compatible(read.schemaUrl.name, before.url, read.schemaUrl, edge, path, before.at);
        else direct.set(read.schemaUrl.name, { url: read.schemaUrl, at: edge });
        visit(dep, read.schemaUrl, depthLeft - 1, path);
      });
    }
    chain.pop();
  };

  const visit = (dep: LoadedDependency, declared: SchemaUrl, depthLeft: number, edges: readonly Edge[]): void => {
    if (dep.registry) return walk(dep.registry, declared, depthLeft, edges);
    if (dep.unavailable?.reason === 'cycle') {
      // The loader stopped at a folder already on the chain: weaver walks in again and finds the cycle
      // (or runs out of depth first).
      const again = chain.find((c) => c.root === dep.unavailable?.detail);
      if (again) enter({ ...declared, name: again.name }, dep.unavailable.detail, depthLeft, edges);
      return;
    }
    if (dep.unavailable?.reason === 'published' && dep.publishedManifest) {
      const manifest = manifestOf(dep.publishedManifest, edges);
      enter(manifest?.schemaUrl ?? declared, dep.unavailable.detail, depthLeft, edges);
      chain.pop();
    }
    // Remote and missing dependencies are not visible here.
  };

  try {
    walk(loaded, undefined, MAX_DEPENDENCY_DEPTH, []);
  } catch (e) {
    if (e instanceof Fatal) return { error: e.error, warnings };
    throw e;
  }
  return { warnings };
}
