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

  it('a URL from REDIS_URL_FILE (the systemd unit sets no REDIS_URL): each meaning names that file, never REDIS_URL', async () => {
    const codes = (code: string): Error => Object.assign(new Error(`connect ${code} redis://:s3cret-pw@h`), { code, hostname: 'redis.invalid' });
    const fromFile = (error: Error) => connectionTroubleOf(error, 'REDIS_URL_FILE')?.detail;
    expect(fromFile(await refusedConnectError())).toMatch(/^ECONNREFUSED at 127\.0\.0\.1:\d+: nothing listens there \(Redis stopped, or the wrong host or port in the URL in the file REDIS_URL_FILE names\)$/);
    expect(fromFile(codes('ENOTFOUND'))).toBe('ENOTFOUND at redis.invalid: the host name of the URL in the file REDIS_URL_FILE names does not resolve');
    expect(fromFile(codes('EAI_AGAIN'))).toBe('EAI_AGAIN at redis.invalid: the host name of the URL in the file REDIS_URL_FILE names could not be resolved now (DNS failing)');
    expect(fromFile(new ReplyError('NOAUTH Authentication required.'))).toBe('NOAUTH: Redis asks for a password and the URL in the file REDIS_URL_FILE names gives none');
    expect(fromFile(new ReplyError('WRONGPASS invalid username-password pair'))).toBe('WRONGPASS: Redis refused the user or password of the URL in the file REDIS_URL_FILE names');
    expect(fromFile(new ReplyError('NOPERM this user has no permissions to run the command'))).toBe('NOPERM: the user of the URL in the file REDIS_URL_FILE names may not run the commands the gateway sends');
    // The same errors under REDIS_URL keep their words.
    expect(connectionTroubleOf(codes('ENOTFOUND'), 'REDIS_URL')?.detail).toBe("ENOTFOUND at redis.invalid: REDIS_URL's host name does not resolve");
  });

  it('a watched connection of a URL from REDIS_URL_FILE is told in its words', () => {
    const redis = new FakeConnection();
    const unwatch = watchConnection(redis, 'REDIS_URL_FILE');
    try {
      redis.status = 'reconnecting';
      redis.emit('error', new ReplyError('WRONGPASS invalid username-password pair'));
      expect(currentConnectionTrouble()?.detail).toBe('WRONGPASS: Redis refused the user or password of the URL in the file REDIS_URL_FILE names');
    } finally {
      unwatch();
    }
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
