import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** esbuild plugins of scripts/build.mjs, kept apart so tests can bundle with them. */

/**
 * bpmn-engine reads its own package.json through `createRequire(import.meta.url)`. esbuild empties
 * `import.meta` in a CommonJS bundle, so that read would crash at load. Inline the version at
 * build time instead, and fail loudly if an upgrade changes the code this relies on.
 */
export const bpmnEngineVersionPlugin = {
  name: 'bpmn-engine-version',
  setup(b) {
    b.onLoad({ filter: /[\\/]bpmn-engine[\\/](src[\\/]index\.js|lib[\\/]index\.cjs)$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const pkgPath = join(dirname(dirname(args.path)), 'package.json');
      const { version } = JSON.parse(await readFile(pkgPath, 'utf8'));
      const read = /const nodeRequire = [^\n]*\n\s*const \{ version: engineVersion \} = nodeRequire\('\.\.\/package\.json'\);/;
      if (!read.test(source)) {
        return {
          errors: [
            {
              text: `bpmn-engine ${version}: the package.json read this build replaces was not found in ${args.path}; update scripts/buildPlugins.mjs`,
            },
          ],
        };
      }
      return {
        contents: source.replace(read, `const engineVersion = ${JSON.stringify(version)};`),
        loader: 'js',
        resolveDir: dirname(args.path),
      };
    });
  },
};

/**
 * Bundles `yaml`'s ES module build (the one its package.json serves to bundlers and browsers; the same
 * code as its CommonJS build) instead of the CommonJS one. Bundled CommonJS is reached through a
 * namespace object whose every export is a getter, so each `isScalar(node)` of the checks would be a
 * getter call; ES modules link directly. The checks call these helpers on every node they read.
 */
export const yamlEsmPlugin = {
  name: 'yaml-esm',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, async (args) => {
      const resolved = await b.resolve('yaml/package.json', { kind: args.kind, resolveDir: args.resolveDir });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      const esm = join(dirname(resolved.path), 'browser', 'index.js');
      // A yaml without that build (1.x) resolves the usual way.
      return existsSync(esm) ? { path: esm } : undefined;
    });
  },
};
