import base from './stryker.config.mjs';
export default { ...base, incremental: false, mutate: ['src/domain/units.ts'], reporters: ['clear-text', 'progress-append-only'] };
