import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql must load once: two copies break `instanceof GraphQLSchema`.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default on two cores is one worker: most integration tests wait on loopback
    // HTTP and timers, not the CPU, and a second worker halves the suite's time.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        // Pure functions and classes: one process for all of them, not one each (a fresh
        // process per file cost more than their tests: 65 s against 29 s, one worker).
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false },
      },
      {
        extends: true,
        // Each file in a fresh process: they start gateways, and module state (metrics,
        // secrets, caches) must not carry from one file to the next.
        test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: ['test/unit/**'] },
      },
    ],
  },
});
