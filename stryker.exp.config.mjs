import base from './stryker.config.mjs';
export default { ...base, incremental: false, mutate: ['src/server/auth.ts'], reporters: ['clear-text', 'progress-append-only', 'json'], jsonReporter: { fileName: 'reports/exp6.json' }, fileLogLevel: 'trace' };
