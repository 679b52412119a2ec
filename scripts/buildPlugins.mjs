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
