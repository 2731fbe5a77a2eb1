import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { envLogLevel } from '../../src/config/env-log-level.js';
import { chooseLogFormat, createLogger, type LogFormat } from '../../src/observability/logger.js';

function capture(format: LogFormat): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  return { lines, logger: createLogger('info', sink, { format }) };
}

describe('log format', () => {
  it('is pretty on a terminal, JSON otherwise, and LOG_FORMAT decides when set', () => {
    expect(chooseLogFormat({}, true)).toBe('pretty');
    expect(chooseLogFormat({}, false)).toBe('json');
    expect(chooseLogFormat({ LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(chooseLogFormat({ LOG_FORMAT: 'Pretty' }, false)).toBe('pretty');
    expect(() => chooseLogFormat({ LOG_FORMAT: 'xml' }, false)).toThrow(ConfigError);
    expect(() => chooseLogFormat({ LOG_FORMAT: 'xml' }, false)).toThrow('LOG_FORMAT=xml: must be pretty or json');
  });

  it('takes LOG_LEVEL as pino\'s level words in any case, and refuses another word naming the variable and the words', () => {
    expect(envLogLevel({})).toBeUndefined();
    expect(envLogLevel({ LOG_LEVEL: '' })).toBeUndefined();
    expect(envLogLevel({ LOG_LEVEL: 'debug' })).toBe('debug');
    expect(envLogLevel({ LOG_LEVEL: ' WARN ' })).toBe('warn');
    expect(() => envLogLevel({ LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    expect(() => envLogLevel({ LOG_LEVEL: 'loud' })).toThrow('LOG_LEVEL=loud: must be one of fatal, error, warn, info, debug, trace, silent');
  });

  it('pretty lines show the level name, the local time, request id, provider and outcome, and no credentials', () => {
    const { lines, logger } = capture('pretty');
    logger.warn({ requestId: 'req-42', provider: 'zomro-nl', operation: 'backups.list', outcome: 'timeout', ms: 120, password: 'hunter2-secret' }, 'upstream request');
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    const now = new Date();
    // Local time, as the reader's clock shows it (not epoch milliseconds, not UTC unless the zone is UTC).
    const localDate = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
    expect(line).toMatch(new RegExp(`^\\[${localDate} \\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\] WARN`));
    expect(line).toContain('[req-42] zomro-nl: upstream request backups.list -> timeout');
    expect(line).toContain('"ms":120');
    expect(line).not.toContain('hunter2-secret');
    expect(() => JSON.parse(line)).toThrow(SyntaxError);
  });

  it('JSON lines are one object each, with numeric levels and the same redaction', () => {
    const { lines, logger } = capture('json');
    logger.info({ requestId: 'req-1', provider: 'dc1', token: 'secret-token' }, 'hello');
    const event = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(event).toMatchObject({ level: 30, requestId: 'req-1', provider: 'dc1', msg: 'hello', token: '[redacted]' });
  });
});
