// Mutation testing (npm run mutate): plants small bugs in the modules where a
// wrong line is a wrong answer, and counts how many the tests catch. See the
// README, "Mutation testing", for the score, the run time and the mutants
// that cannot change behaviour.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // test/unit only: plain function calls, no servers (see vitest.mutate.config.ts).
  vitest: { configFile: 'vitest.mutate.config.ts' },
  // Each mutant runs only the tests that reached its code.
  coverageAnalysis: 'perTest',
  // The TypeScript checker type-checks one mutant of a file at a time, about
  // 5 s each on this machine: it would make the run over an hour. Without it
  // a mutant that does not compile runs anyway and must be killed by a test,
  // which can lower the score, never raise it. `npm run mutate -- --checkers
  // typescript` runs with it (tsconfig.mutate.json: src only).
  checkers: [],
  tsconfigFile: 'tsconfig.mutate.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // Only mutants in changed code, or covered by changed tests, run again; results are kept in the file below.
  incremental: false,
  incrementalFile: 'reports/stryker-incremental.json',
  mutate: [
    'src/domain/**/*.ts',
    'src/providers/*/mapper.ts',
    'src/providers/native-id.ts',
    'src/providers/paging.ts',
    'src/providers/raw.ts',
    'src/gateway/ids.ts',
    'src/gateway/idempotency.ts',
    'src/gateway/read-cache.ts',
    'src/gateway/lists-read.ts',
    'src/state/memory-store.ts',
    'src/state/stored-json.ts',
    'src/state/bounded-call.ts',
    'src/state/create-order.ts',
    'src/providers/onapp/new-backup.ts',
    'src/v8-settings.ts',
    'src/gateway/pagination.ts',
    'src/gateway/input-checks.ts',
    'src/gateway/principal.ts',
    'src/gateway/provider-set.ts',
    'src/gateway/finish-times.ts',
    'src/config/shutdown-env.ts',
    'src/upstream/policy.ts',
    'src/upstream/client.ts',
    'src/upstream/deadline.ts',
    'src/upstream/secrets.ts',
    'src/upstream/escape-reading.ts',
    'src/upstream/escaped-secrets.ts',
    'src/upstream/failure-class.ts',
    'src/upstream/budget.ts',
    'src/upstream/session.ts',
    'src/upstream/request-memo.ts',
    'src/upstream/read-coalescer.ts',
    'src/upstream/slots.ts',
    'src/upstream/flight-signal.ts',
    'src/server/auth.ts',
    'src/server/client-address.ts',
    'src/server/origin.ts',
    'src/server/loopback-host.ts',
    'src/server/address-groups.ts',
    'src/server/rate-limit.ts',
    'src/server/connection-ledger.ts',
    'src/graphql/errors.ts',
    'src/graphql/limits/**/*.ts',
  ],
  reporters: ["clear-text"],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  concurrency: 2,
  timeoutMS: 10_000,
  dryRunTimeoutMinutes: 10,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
