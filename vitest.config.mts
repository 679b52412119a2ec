import { defineConfig } from 'vitest/config';

/**
 * Unit and conformance tests (pure Node, no VS Code). The end-to-end tests have their own config:
 * test/e2e/vitest.config.mts.
 */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/conformance/**/*.test.ts'],
  },
});
