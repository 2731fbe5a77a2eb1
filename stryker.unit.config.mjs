// A quick mutation score (npm run mutate:unit): the pure modules (domain rules,
// mappers, the secret scrubber) against the unit tests only, in minutes.
import base from './stryker.config.mjs';

export default {
  ...base,
  vitest: { configFile: 'vitest.unit.config.ts' },
  ignoreStatic: true,
  incrementalFile: 'reports/stryker-unit-incremental.json',
  mutate: ['src/domain/schedule.ts', 'src/domain/protection.ts', 'src/domain/units.ts', 'src/providers/*/mapper.ts', 'src/upstream/secrets.ts'],
  htmlReporter: { fileName: 'reports/mutation-unit/index.html' },
  jsonReporter: { fileName: 'reports/mutation-unit/mutation.json' },
};
