import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { OVERRIDABLE_SETTINGS, UPSTREAM_DEFAULTS, policyOptionsOf } from '../../src/upstream/defaults.js';

const entry = (extra: Record<string, unknown>) => ({ allowAnonymous: true, providers: [{ id: 'x', kind: 'zomro', url: 'https://x/', auth: { token: 't' }, ...extra }] });

describe('upstream settings: one table gives the defaults, the config keys and the overrides', () => {
  it('lets an account override each overridable setting, and only that one', () => {
    expect(OVERRIDABLE_SETTINGS).toEqual(['timeoutMs', 'retries', 'maxConcurrency', 'breakerThreshold', 'breakerHalfOpenAfterMs']);
    for (const key of OVERRIDABLE_SETTINGS) {
      const [provider] = validateConfig(entry({ [key]: 7 })).providers;
      expect(policyOptionsOf(provider!), key).toEqual({ ...UPSTREAM_DEFAULTS, [key]: 7 });
    }
  });

  it('takes the defaults where the entry says nothing, and refuses a setting that is not a config key', () => {
    expect(policyOptionsOf(validateConfig(entry({})).providers[0]!)).toEqual(UPSTREAM_DEFAULTS);
    expect(() => validateConfig(entry({ maxQueue: 5 }))).toThrow(/maxQueue/);
  });
});
