import { defineConfig } from 'vitest/config';

// A server zone other than UTC: a date read in the server's zone instead of
// UTC (JavaScript's Date does that with "2024-07-23 10:20:30") then shows.
process.env.TZ = 'Asia/Tokyo';

// The tests Stryker runs against each mutant (npm run mutate): test/unit only,
// plain function calls with no server, so one mutant costs milliseconds of
// test time rather than seconds of gateway start-up.
export default defineConfig({
  // graphql must load once: two copies break `instanceof GraphQLSchema`.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/unit/**/*.test.ts'],
    // Runs graphql-codegen and reaches no mutated module.
    exclude: ['test/unit/codegen.test.ts', 'node_modules/**'],
    testTimeout: 30_000,
    pool: 'threads',
  },
});
