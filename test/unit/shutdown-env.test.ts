import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfigObject } from '../../src/config/load.js';
import { drainTimeoutMs, readyzGraceMs, withShutdownEnv } from '../../src/config/shutdown-env.js';

describe('shutdown durations from the environment', () => {
  it('takes a whole number of ms from 0 to 600000 over the configured one, and the configured one when unset or empty', () => {
    expect(drainTimeoutMs(10_000, {})).toBe(10_000);
    expect(drainTimeoutMs(10_000, { DRAIN_TIMEOUT_MS: '' })).toBe(10_000);
    expect(drainTimeoutMs(10_000, { DRAIN_TIMEOUT_MS: '0' })).toBe(0);
    expect(drainTimeoutMs(10_000, { DRAIN_TIMEOUT_MS: '600000' })).toBe(600_000);
    expect(readyzGraceMs(5_000, {})).toBe(5_000);
    expect(readyzGraceMs(5_000, { SHUTDOWN_READYZ_GRACE_MS: '1500' })).toBe(1_500);
    // Each reads its own variable.
    expect(readyzGraceMs(5_000, { DRAIN_TIMEOUT_MS: '1' })).toBe(5_000);
    expect(drainTimeoutMs(5_000, { SHUTDOWN_READYZ_GRACE_MS: '1' })).toBe(5_000);
  });

  it('stops the start on anything else, naming the variable (a long value, no number, not quoted)', () => {
    for (const value of ['600001', '3000000000', '-1', '1.5', '1e3', ' 1x', 'soon', '0x10', '1234567']) {
      expect(() => drainTimeoutMs(10_000, { DRAIN_TIMEOUT_MS: value })).toThrow(ConfigError);
      expect(() => drainTimeoutMs(10_000, { DRAIN_TIMEOUT_MS: value })).toThrow(`DRAIN_TIMEOUT_MS=${value}: must be a whole number of milliseconds from 0 to 600000`);
    }
    // Right but for a space or a Windows .env's carriage return: said so, not quoted with the invisible character.
    expect(() => drainTimeoutMs(10_000, { DRAIN_TIMEOUT_MS: '10 ' })).toThrow('DRAIN_TIMEOUT_MS=10 has a space at an end: remove it');
    expect(() => drainTimeoutMs(10_000, { DRAIN_TIMEOUT_MS: '10\r' })).toThrow('DRAIN_TIMEOUT_MS=10 has a line break (a .env file saved with Windows line ends? save it with Unix ones, LF) at an end: remove it');
    expect(() => readyzGraceMs(0, { SHUTDOWN_READYZ_GRACE_MS: 'x'.repeat(100) })).toThrow('SHUTDOWN_READYZ_GRACE_MS (not quoted: 100 characters');
    // Right but for a space or a Windows .env's carriage return: said so, not quoted with the invisible character.
    expect(() => drainTimeoutMs(10_000, { DRAIN_TIMEOUT_MS: '10 ' })).toThrow('DRAIN_TIMEOUT_MS=10 has a space at an end: remove it');
    expect(() => drainTimeoutMs(10_000, { DRAIN_TIMEOUT_MS: '10\r' })).toThrow('DRAIN_TIMEOUT_MS=10 has a line break (a .env file saved with Windows line ends? save it with Unix ones, LF) at an end: remove it');
    expect(() => readyzGraceMs(0, { SHUTDOWN_READYZ_GRACE_MS: 'x'.repeat(100) })).not.toThrow('x'.repeat(41));
  });
});

describe('withShutdownEnv', () => {
  it('writes the variables into shutdown, keeping the config’s other keys', () => {
    const raw = { listen: { port: 1 }, shutdown: { drainTimeoutMs: 20_000, readyzGraceMs: 5_000 } };
    expect(withShutdownEnv(raw, { DRAIN_TIMEOUT_MS: '3000' })).toEqual({ listen: { port: 1 }, shutdown: { drainTimeoutMs: 3_000, readyzGraceMs: 5_000 } });
    expect(withShutdownEnv(raw, { SHUTDOWN_READYZ_GRACE_MS: '0' })).toEqual({ listen: { port: 1 }, shutdown: { drainTimeoutMs: 20_000, readyzGraceMs: 0 } });
    expect(withShutdownEnv(raw, { DRAIN_TIMEOUT_MS: '3000', SHUTDOWN_READYZ_GRACE_MS: '1000' })).toEqual({ listen: { port: 1 }, shutdown: { drainTimeoutMs: 3_000, readyzGraceMs: 1_000 } });
    // The file is not changed in place.
    expect(raw.shutdown).toEqual({ drainTimeoutMs: 20_000, readyzGraceMs: 5_000 });
  });

  it('makes a shutdown section where the config has none, or an empty one (YAML `shutdown:` with nothing under it)', () => {
    expect(withShutdownEnv({}, { DRAIN_TIMEOUT_MS: '3000' })).toEqual({ shutdown: { drainTimeoutMs: 3_000 } });
    expect(withShutdownEnv({ shutdown: null }, { DRAIN_TIMEOUT_MS: '3000' })).toEqual({ shutdown: { drainTimeoutMs: 3_000 } });
  });

  it('returns the config itself when neither variable is set, or when it is no object (validation names that)', () => {
    const raw = { shutdown: { drainTimeoutMs: 1 } };
    expect(withShutdownEnv(raw, {})).toBe(raw);
    expect(withShutdownEnv(raw, { DRAIN_TIMEOUT_MS: '', SHUTDOWN_READYZ_GRACE_MS: '' })).toBe(raw);
    for (const notAnObject of [null, 'text', 7, [1]]) expect(withShutdownEnv(notAnObject, { DRAIN_TIMEOUT_MS: '3000' })).toBe(notAnObject);
    for (const shutdown of ['soon', [1]]) {
      const config = { shutdown };
      expect(withShutdownEnv(config, { DRAIN_TIMEOUT_MS: '3000' })).toBe(config);
    }
  });

  it('refuses a bad variable even when the config has no shutdown section', () => {
    expect(() => withShutdownEnv({}, { SHUTDOWN_READYZ_GRACE_MS: 'later' })).toThrow('SHUTDOWN_READYZ_GRACE_MS=later: must be');
  });

  it('names both variables when both are wrong, in one pass (it named DRAIN_TIMEOUT_MS alone)', () => {
    const problems = problemsOf(() => withShutdownEnv({}, { DRAIN_TIMEOUT_MS: 'soon', SHUTDOWN_READYZ_GRACE_MS: '-1' }));
    expect(problems).toEqual(['DRAIN_TIMEOUT_MS=soon: must be a whole number of milliseconds from 0 to 600000', 'SHUTDOWN_READYZ_GRACE_MS=-1: must be a whole number of milliseconds from 0 to 600000']);
  });

  it('leaves the file\'s own problems named beside a wrong variable (the loader stopped at the variable)', () => {
    const file = { allowAnonymous: true, providers: [{ id: 'a', kind: 'zomro', url: 'https://x/', auth: { token: 'a-token-value' }, timeoutMS: 5 }] };
    expect(problemsOf(() => loadConfigObject(file, { DRAIN_TIMEOUT_MS: 'soon' }))).toEqual([
      'DRAIN_TIMEOUT_MS=soon: must be a whole number of milliseconds from 0 to 600000',
      'providers[0].timeoutMS (account a): unknown key; did you mean "timeoutMs"?',
    ]);
  });
});

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('no ConfigError');
}
