import { defineConfig } from 'vitest/config';

/**
 * Integration files that measure the test process itself, so another file's
 * leftovers in a shared process would change what they see: the heap after a
 * full collection, and node's warnings on `process`. And one that changes the
 * process itself (its time zone and a faked `Date`), so that nothing it leaves
 * in the module-level memo caches (parsed dates, next cron runs) reaches
 * another file.
 */
const OWN_PROCESS = [
  'test/security/ws-held-parsed.test.ts',
  'test/server/cancellation-signal.test.ts',
  'test/providers/danube-expires-forms.test.ts',
];

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
        // The files share a worker process too: importing the gateway afresh for each file
        // was most of the suite's time (test/gateway alone: 245 s against 54 s, back to back).
        // Each file starts its own gateways and simulators and closes them; src keeps no state
        // at module level but memo caches that are right for any caller (parsed dates, next
        // cron runs) and metrics live in each gateway's own registry.
        test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: ['test/unit/**', ...OWN_PROCESS], isolate: false },
      },
      {
        extends: true,
        test: { name: 'integration-own-process', include: OWN_PROCESS },
      },
    ],
  },
});
