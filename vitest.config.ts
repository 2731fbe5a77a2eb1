import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql must load once: two copies break `instanceof GraphQLSchema`.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
