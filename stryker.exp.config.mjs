import base from './stryker.config.mjs';
export default { ...base, incremental: false, reporters: ['clear-text', 'progress-append-only', 'json'], jsonReporter: { fileName: 'reports/baseline/mutation.json' } };
