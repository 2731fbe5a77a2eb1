import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { GatewayMetrics } from '../../src/observability/metrics.js';
import { STORE_USERS, storeFailureKind, storeFailureLines } from '../../src/observability/store-failure-lines.js';
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

  it('writes one line per kind per period; a timeout without a stack, a Redis failure as its reason, another failure with its error', () => {
    const { events, logger } = capture();
    const onStoreError = storeFailureLines(logger, 'read cache store failed', 60_000);
    for (let n = 0; n < 5; n++) onStoreError(new StoreTimeout(250));
    for (let n = 0; n < 3; n++) onStoreError(refused());
    onStoreError(new TypeError('cannot read properties of undefined'));
    const lines = events();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ level: 40, msg: 'read cache store failed', failure: 'timeout', reason: 'the shared store did not answer within 250 ms', alsoFailedSinceLastLine: 0 });
    expect(lines[0]).not.toHaveProperty('err');
    expect(lines[1]).toMatchObject({ failure: 'ECONNREFUSED', alsoFailedSinceLastLine: 0, reason: 'connect ECONNREFUSED 127.0.0.1:6379' });
    expect(lines[1]).not.toHaveProperty('err');
    // Not Redis's: perhaps the gateway's own fault, so its stack is kept.
    expect(lines[2]).toMatchObject({ failure: 'TypeError', err: { message: 'cannot read properties of undefined' } });
    expect((lines[2]!.err as { stack?: string }).stack).toContain('TypeError');
  });

  it("a Node usage error (a code, but ERR_INVALID_ARG_TYPE) is the gateway's own fault: its stack is kept; a TLS code is Redis's connection", () => {
    const { events, logger } = capture();
    const onStoreError = storeFailureLines(logger, 'read cache store failed', 60_000);
    onStoreError(Object.assign(new TypeError('The "chunk" argument must be of type string'), { code: 'ERR_INVALID_ARG_TYPE' }));
    onStoreError(Object.assign(new Error('wrong version number'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER' }));
    const lines = events();
    expect(lines[0]).toMatchObject({ failure: 'ERR_INVALID_ARG_TYPE', err: { message: 'The "chunk" argument must be of type string' } });
    expect((lines[0]!.err as { stack?: string }).stack).toContain('TypeError');
    expect(lines[1]).toMatchObject({ failure: 'ERR_SSL_WRONG_VERSION_NUMBER', reason: 'wrong version number' });
    expect(lines[1]).not.toHaveProperty('err');
  });
  it("a failed MULTI is one line: ioredis's error holding itself is no circular dump, the commands are named, never their arguments", () => {
    const { events, logger } = capture();
    const onStoreError = storeFailureLines(logger, 'read cache store failed', 60_000);
    // ioredis's EXEC refusal: each command's error in `previousErrors`, the flushed one holding itself.
    const refusedCommand = Object.assign(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'), { name: 'ReplyError', command: { name: 'hset', args: ['secret-key-name', 'v'] } });
    const aborted = Object.assign(new Error('EXECABORT Transaction discarded because of previous errors.'), { name: 'ReplyError', command: { name: 'exec', args: [] }, previousErrors: [] as unknown[] });
    aborted.previousErrors.push(refusedCommand, aborted);
    onStoreError(aborted);
    const maxRetries = Object.assign(new Error('Reached the max retries per request limit (which is 2). Refer to "maxRetriesPerRequest" option for details.'), { name: 'MaxRetriesPerRequestError', previousErrors: [] as unknown[] });
    maxRetries.previousErrors.push(maxRetries, maxRetries);
    onStoreError(maxRetries);
    onStoreError(Object.assign(new Error('connect to redis://default:hunter2-password@10.0.0.1:6379 failed\n    at a second line'), { code: 'ECONNRESET' }));
    const lines = events();
    expect(lines).toEqual([
      expect.objectContaining({ failure: 'ReplyError', reason: 'EXECABORT Transaction discarded because of previous errors.', commands: ['exec', 'hset'] }),
      expect.objectContaining({ failure: 'MaxRetriesPerRequestError', reason: expect.stringContaining('max retries per request') }),
      expect.objectContaining({ failure: 'ECONNRESET', reason: 'connect to redis://[redacted]@10.0.0.1:6379 failed' }),
    ]);
    const text = JSON.stringify(lines);
    for (const word of ['Circular', 'previousErrors', 'stack', 'secret-key-name', 'hunter2']) expect(text).not.toContain(word);
  });

  it('counts every failure, each line held back by the throttle too, as a timeout or an error of its user; every user shown at 0 from the start', async () => {
    const { events, logger } = capture();
    const metrics = new GatewayMetrics();
    const onStoreError = storeFailureLines(logger, 'idempotency store failed', 60_000, { user: 'idempotency', count: (user, failure) => metrics.storeFailed(user, failure) });
    for (let n = 0; n < 3; n++) onStoreError(new StoreTimeout(250));
    onStoreError(refused());
    onStoreError(new Error('Command timed out'));
    onStoreError('not even an Error');
    expect(events()).toHaveLength(3);
    const counter = (await metrics.registry.getSingleMetric('backup_graph_store_failures_total')!.get()).values;
    const counts = Object.fromEntries(counter.map(({ labels, value }) => [`${String(labels.store)} ${String(labels.failure)}`, value]));
    const users = ['read_cache', 'idempotency', 'create_order', 'restore_order', 'rate_limit', 'auth_failures', 'secret_text_refusals', 'subscriptions', 'deletes_in_flight', 'finish_times', 'create_findings', 'restore_outcomes', 'started_operations'];
    expect(STORE_USERS).toEqual(users);
    expect(counts).toEqual(Object.fromEntries(users.flatMap((user) => [[`${user} timeout`, user === 'idempotency' ? 4 : 0], [`${user} error`, user === 'idempotency' ? 2 : 0]])));
  });
});
