import { defineConfig } from 'vitest/config';

// The fast tests only (pure modules), for a quick mutation score of the domain and the mappers.
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: { include: ['test/unit/**/*.test.ts'], testTimeout: 30_000, pool: 'forks' },
});
