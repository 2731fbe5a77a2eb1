import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { storeFailureKind, storeFailureLines } from '../../src/observability/store-failure-lines.js';
import { StoreTimeout } from '../../src/state/bounded-call.js';

function capture(): { events: () => Array<Record<string, unknown>>; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  return { events: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>), logger: createLogger('info', sink, { format: 'json' }) };
}

const refused = (): Error => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });

describe('store failure lines', () => {
  it('names a failure by its kind: timeout, the error code, else the error name', () => {
    expect(storeFailureKind(new StoreTimeout(250))).toBe('timeout');
    expect(storeFailureKind(refused())).toBe('ECONNREFUSED');
    expect(storeFailureKind(new SyntaxError('Unexpected token'))).toBe('SyntaxError');
    expect(storeFailureKind('a string')).toBe('error');
    // An empty code says nothing: the error's name instead.
    expect(storeFailureKind(Object.assign(new TypeError('bad reply'), { code: '' }))).toBe('TypeError');
    expect(storeFailureKind(Object.assign(new Error('bad reply'), { code: 42 }))).toBe('Error');
    // ioredis's own give-up at its commandTimeout: a plain Error saying so, and a timeout as ours is.
    expect(storeFailureKind(new Error('Command timed out'))).toBe('timeout');
    expect(storeFailureKind(new TypeError('Command timed out'))).toBe('TypeError');
  });

  it('writes one line per kind per period; a timeout without a stack, another failure with its error', () => {
    const { events, logger } = capture();
    const onStoreError = storeFailureLines(logger, 'read cache store failed', 60_000);
    for (let n = 0; n < 5; n++) onStoreError(new StoreTimeout(250));
    for (let n = 0; n < 3; n++) onStoreError(refused());
    const lines = events();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 40, msg: 'read cache store failed', failure: 'timeout', reason: 'the shared store did not answer within 250 ms', alsoFailedSinceLastLine: 0 });
    expect(lines[0]).not.toHaveProperty('err');
    expect(lines[1]).toMatchObject({ failure: 'ECONNREFUSED', alsoFailedSinceLastLine: 0, err: { message: 'connect ECONNREFUSED 127.0.0.1:6379' } });
    expect((lines[1]!.err as { stack?: string }).stack).toContain('ECONNREFUSED');
  });

});
