import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

// Mutation runs (npm run mutate) leave out the tests that drive a browser or
// whole processes: they reach none of the mutated modules more than the rest do.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: ['test/browser/**', 'test/topology/**', 'test/server/lifecycle.test.ts', 'test/security/internal-fault.test.ts', 'node_modules/**'],
    },
  }),
);
