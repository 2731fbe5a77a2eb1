import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { OVERRIDABLE_SETTINGS, UPSTREAM_DEFAULTS, policyOptionsOf } from '../../src/upstream/defaults.js';

const entry = (extra: Record<string, unknown>) => ({ allowAnonymous: true, providers: [{ id: 'x', kind: 'zomro', url: 'https://x/', auth: { token: 't' }, ...extra }] });

describe('upstream settings: one table gives the defaults, the config keys and the overrides', () => {
  it('lets an account override each overridable setting, and only that one', () => {
    expect(OVERRIDABLE_SETTINGS).toEqual(['timeoutMs', 'retries', 'maxConcurrency', 'breakerThreshold', 'breakerHalfOpenAfterMs', 'refusedLoginHeldMs']);
    for (const key of OVERRIDABLE_SETTINGS) {
      const [provider] = validateConfig(entry({ [key]: 7 })).providers;
      expect(policyOptionsOf(provider!), key).toEqual({ ...UPSTREAM_DEFAULTS, [key]: 7 });
    }
  });

  it("takes a refused login's hold from 0 (none) to an hour, 30 s by default", () => {
    expect(UPSTREAM_DEFAULTS.refusedLoginHeldMs).toBe(30_000);
    expect(policyOptionsOf(validateConfig(entry({ refusedLoginHeldMs: 0 })).providers[0]!).refusedLoginHeldMs).toBe(0);
    expect(policyOptionsOf(validateConfig(entry({ refusedLoginHeldMs: 3_600_000 })).providers[0]!).refusedLoginHeldMs).toBe(3_600_000);
    expect(() => validateConfig(entry({ refusedLoginHeldMs: -1 }))).toThrow(/refusedLoginHeldMs/);
    expect(() => validateConfig(entry({ refusedLoginHeldMs: 3_600_001 }))).toThrow(/refusedLoginHeldMs/);
    expect(() => validateConfig(entry({ refusedLoginHeldMs: 1.5 }))).toThrow(/refusedLoginHeldMs/);
  });

  it('takes the defaults where the entry says nothing, and refuses a setting that is not a config key', () => {
    expect(policyOptionsOf(validateConfig(entry({})).providers[0]!)).toEqual(UPSTREAM_DEFAULTS);
    expect(() => validateConfig(entry({ maxQueue: 5 }))).toThrow(/maxQueue/);
  });
});
