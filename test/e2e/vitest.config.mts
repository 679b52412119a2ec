import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests: a real VS Code (code-server) in headless Chromium. One file at a time: each
 * starts its own code-server and browser (~2 GB together), and the machines have two cores.
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/e2e/**/*.e2e.test.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    // Starting code-server, installing the .vsix and opening the folder take ~10-20 s.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
  },
});
