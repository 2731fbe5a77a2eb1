import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { demoLatencyMs, envPort } from '../../src/config/env-numbers.js';

describe('numbers from the environment', () => {
  it('PORT: unset or empty leaves the config its own port; a whole number from 0 to 65535 wins', () => {
    expect(envPort({})).toBeUndefined();
    expect(envPort({ PORT: '' })).toBeUndefined();
    expect(envPort({ PORT: '0' })).toBe(0);
    expect(envPort({ PORT: '4000' })).toBe(4000);
    expect(envPort({ PORT: '65535' })).toBe(65_535);
  });

  it('PORT: anything else stops the start naming the variable (it was ignored under --config, NaN in demo mode)', () => {
    for (const value of ['abc', '65536', '99999', '-1', '4000.5', '4e3', '1234567', ' 4000x']) {
      expect(() => envPort({ PORT: value }), value).toThrow(ConfigError);
      // In listen.port's words: what 0 means was left unsaid.
      expect(() => envPort({ PORT: value }), value).toThrow(`PORT=${value}: must be a whole number from 0 to 65535 (0 = any free port)`);
    }
  });

  it('PORT: a right value but for a space or line break at an end says so, without the invisible character (a Windows .env gives every value a CR)', () => {
    expect(() => envPort({ PORT: '4000\r' })).toThrow('PORT=4000 has a line break (a .env file saved with Windows line ends? save it with Unix ones, LF) at an end: remove it');
    expect(() => envPort({ PORT: ' 4000' })).toThrow('PORT=4000 has a space at an end: remove it');
  });

  it('DEMO_LATENCY_MS: unset is no latency; a whole number of ms up to a minute is taken', () => {
    expect(demoLatencyMs({})).toBe(0);
    expect(demoLatencyMs({ DEMO_LATENCY_MS: '' })).toBe(0);
    expect(demoLatencyMs({ DEMO_LATENCY_MS: '0' })).toBe(0);
    expect(demoLatencyMs({ DEMO_LATENCY_MS: '600' })).toBe(600);
    expect(demoLatencyMs({ DEMO_LATENCY_MS: '60000' })).toBe(60_000);
  });

  it('DEMO_LATENCY_MS: anything else stops the start (abc was taken as 0 without a word)', () => {
    for (const value of ['abc', '60001', '-5', '1.5']) {
      expect(() => demoLatencyMs({ DEMO_LATENCY_MS: value }), value).toThrow(`DEMO_LATENCY_MS=${value}: must be a whole number of milliseconds from 0 to 60000`);
    }
  });

  it('quotes no long value: it is no number, and may be a secret set in the wrong variable', () => {
    const long = 'x'.repeat(500);
    expect(() => envPort({ PORT: long })).toThrow('PORT (not quoted: 500 characters, not of a number\'s or a word\'s form; it may be a secret set in the wrong variable): must');
  });
});
