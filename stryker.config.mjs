// Mutation testing (npm run mutate): plants small bugs in the modules where a
// wrong line is a wrong answer, and counts how many the tests catch.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  // Each mutant runs only the tests that reached its code.
  coverageAnalysis: 'perTest',
  // Mutants that do not compile are discarded before any test runs.
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // Only mutants in changed code run again; results are kept in the file below.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  mutate: [
    'src/domain/**/*.ts',
    'src/providers/*/mapper.ts',
    'src/gateway/ids.ts',
    'src/gateway/idempotency.ts',
    'src/gateway/read-cache.ts',
    'src/gateway/pagination.ts',
    'src/gateway/input-checks.ts',
    'src/gateway/principal.ts',
    'src/upstream/policy.ts',
    'src/server/auth.ts',
    'src/graphql/errors.ts',
    'src/graphql/limits/**/*.ts',
  ],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  concurrency: 2,
  timeoutMS: 20_000,
  dryRunTimeoutMinutes: 30,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
