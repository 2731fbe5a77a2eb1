import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { LOG_LEVELS, envLogLevel } from '../../src/config/env-log-level.js';

describe('LOG_LEVEL', () => {
  it('unset or blank leaves the config its own level', () => {
    expect(envLogLevel({})).toBeUndefined();
    expect(envLogLevel({ LOG_LEVEL: '' })).toBeUndefined();
    expect(envLogLevel({ LOG_LEVEL: '   ' })).toBeUndefined();
  });

  it("takes pino's words in any case, around blanks", () => {
    for (const level of LOG_LEVELS) expect(envLogLevel({ LOG_LEVEL: level })).toBe(level);
    expect(envLogLevel({ LOG_LEVEL: 'DEBUG' })).toBe('debug');
    expect(envLogLevel({ LOG_LEVEL: ' Warn\n' })).toBe('warn');
  });

  it('any other word stops the start naming the variable and the words it takes', () => {
    for (const value of ['loud', 'verbose', 'info,debug', '30']) {
      expect(() => envLogLevel({ LOG_LEVEL: value }), value).toThrow(ConfigError);
      expect(() => envLogLevel({ LOG_LEVEL: value }), value).toThrow(`LOG_LEVEL=${value}: must be one of fatal, error, warn, info, debug, trace, silent`);
    }
    expect(() => envLogLevel({ LOG_LEVEL: 'x'.repeat(100) })).toThrow('LOG_LEVEL (not quoted: 100 characters');
  });
});
