import { describe, expect, it } from 'vitest';
import { logLevelLookalikes, logLevelLookalikeWarning } from '../../src/config/log-level-lookalikes.js';

describe('variables meant as LOG_LEVEL', () => {
  it('finds the spellings people write, case and punctuation aside, LOGGING read as LOG', () => {
    const env = { LOGLEVEL: 'debug', 'LOG-LEVEL': 'debug', log_level: 'debug', LOGGING_LEVEL: 'debug', 'log.level': 'debug', LogLevel: 'debug' };
    expect(logLevelLookalikes(env)).toEqual(Object.keys(env));
  });

  it('says nothing while LOG_LEVEL is set, and reads a blank LOG_LEVEL as unset, as the start does', () => {
    expect(logLevelLookalikes({ LOG_LEVEL: 'warn', LOGLEVEL: 'debug' })).toEqual([]);
    expect(logLevelLookalikes({ LOG_LEVEL: ' ', LOGLEVEL: 'debug' })).toEqual(['LOGLEVEL']);
  });

  it("leaves other tools' own names alone, and lookalikes set to nothing", () => {
    expect(logLevelLookalikes({ GLOG_LEVEL: '1', NODE_LOG_LEVEL: 'debug', PINO_LOG_LEVEL: 'debug', LOG_LEVELS: 'x', LOG_FORMAT: 'json', LOGLEVEL: '', log_level: '  ' })).toEqual([]);
  });

  it('reads no name with other characters between the letters (a control character, an escape sequence), which the warning would write to the terminal as it stands', () => {
    expect(logLevelLookalikes({ 'LOG\u001b[2JLEVEL': 'debug', 'LOG\nLEVEL': 'debug', 'LOG LEVEL': 'debug', 'LOG\u200bLEVEL': 'debug' })).toEqual([]);
  });

  it('one line naming every lookalike and LOG_LEVEL, no value', () => {
    expect(logLevelLookalikeWarning(['LOGLEVEL'])).toMatch(/^LOGLEVEL is set, but the gateway reads LOG_LEVEL /);
    expect(logLevelLookalikeWarning(['LOGLEVEL', 'log_level'])).toMatch(/^LOGLEVEL and log_level are set, but the gateway reads LOG_LEVEL /);
  });
});
