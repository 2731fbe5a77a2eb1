import base from './stryker.config.mjs';
export default { ...base, incremental: false, mutate: ['src/graphql/errors.ts', 'src/graphql/limits/cost-rule.ts'], reporters: ['clear-text', 'progress-append-only', 'json'], jsonReporter: { fileName: 'reports/exp7.json' } };
