import { EventEmitter } from 'node:events';
import { connect, createServer } from 'node:net';
import { ReplyError } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { connectionTroubleOf, currentConnectionTrouble, watchConnection } from '../../src/state/redis-connection-trouble.js';

/** A socket error as node gives it: connecting to a loopback port reserved, then closed. */
async function refusedConnectError(): Promise<Error> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return new Promise<Error>((resolve) => connect(port, '127.0.0.1').on('error', resolve));
}

class FakeConnection extends EventEmitter {
  status = 'ready';
}

describe('a Redis connection error as code and meaning', () => {
  it('a refused connect: ECONNREFUSED, the address it tried and what to look at', async () => {
    const error = await refusedConnectError();
    expect(connectionTroubleOf(error)).toEqual({ code: 'ECONNREFUSED', detail: expect.stringMatching(/^ECONNREFUSED at 127\.0\.0\.1:\d+: nothing listens there \(Redis stopped, or the wrong host or port in REDIS_URL\)$/) });
  });

  it("Redis's refusals of the URL's credentials by their first word, never the text after it", () => {
    const wrong = new ReplyError('WRONGPASS invalid username-password pair, given redis://user:s3cret-pw@h (as a hostile proxy might echo)');
    expect(connectionTroubleOf(wrong)).toEqual({ code: 'WRONGPASS', detail: "WRONGPASS: Redis refused REDIS_URL's user or password" });
    expect(connectionTroubleOf(new ReplyError('NOAUTH Authentication required.'))?.detail).toBe('NOAUTH: Redis asks for a password and REDIS_URL gives none');
    expect(JSON.stringify(connectionTroubleOf(wrong))).not.toContain('s3cret-pw');
  });

  it('a code without a meaning of its own still says its code; an error of no connection is none', () => {
    const odd = Object.assign(new Error('connect EPROTO redis://:s3cret-pw@h'), { code: 'EPROTO' });
    expect(connectionTroubleOf(odd)).toEqual({ code: 'EPROTO', detail: 'EPROTO: the connection failed' });
    expect(connectionTroubleOf(new Error('Connection is closed.'))).toBeUndefined();
    expect(connectionTroubleOf(Object.assign(new TypeError('bad'), { code: 'ERR_INVALID_ARG_TYPE' }))).toBeUndefined();
    expect(connectionTroubleOf('ECONNREFUSED')).toBeUndefined();
  });

  it('told while the connection is down; forgotten once it is ready again or unwatched; none while it is up', async () => {
    const redis = new FakeConnection();
    const unwatch = watchConnection(redis);
    redis.status = 'reconnecting';
    expect(currentConnectionTrouble()).toBeUndefined();
    redis.emit('error', await refusedConnectError());
    expect(currentConnectionTrouble()?.code).toBe('ECONNREFUSED');
    // Up again, before 'ready' has been heard: a failure now met a slow Redis, not a refusing one.
    redis.status = 'ready';
    expect(currentConnectionTrouble()).toBeUndefined();
    redis.status = 'reconnecting';
    redis.emit('ready');
    expect(currentConnectionTrouble()).toBeUndefined();
    redis.emit('error', new ReplyError('WRONGPASS invalid username-password pair'));
    expect(currentConnectionTrouble()?.code).toBe('WRONGPASS');
    unwatch();
    expect(currentConnectionTrouble()).toBeUndefined();
    expect(redis.listenerCount('error') + redis.listenerCount('ready')).toBe(0);
  });
});
