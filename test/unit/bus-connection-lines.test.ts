import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { BUS_REDIS_BACK, BUS_REDIS_LOST, logBusConnection } from '../../src/cluster/bus-connection-lines.js';
import type { RedisUrlSetting } from '../../src/config/env-redis-url.js';
import type { WatchedConnection } from '../../src/state/redis-connection-trouble.js';

class FakeConnection extends EventEmitter implements WatchedConnection {
  status = 'connecting';
}

function watched(setting?: RedisUrlSetting) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  const redis = new FakeConnection();
  const stop = logBusConnection(redis, 'subscriber', logger, setting);
  const said = () => lines.map(({ level, msg, redisConnection, failure, connection }) => ({ level, msg, redisConnection, failure, connection }));
  return { redis, stop, said };
}

const socketError = (code: string, port = 6379): Error => Object.assign(new Error(`connect ${code} 127.0.0.1:${port} redis://:hunter2@127.0.0.1`), { code, address: '127.0.0.1', port });
const wrongPassword = (): Error => Object.assign(new Error('WRONGPASS invalid username-password pair or user is disabled.'), { name: 'ReplyError' });
const lost = (failure: string, connection: string) => ({ level: 40, msg: BUS_REDIS_LOST, redisConnection: 'subscriber', failure, connection });
const back = { level: 30, msg: BUS_REDIS_BACK, redisConnection: 'subscriber', failure: undefined, connection: undefined };

describe('logBusConnection (the operation bus names losing Redis and getting it back)', () => {
  it('says what losing Redis costs, and that it is back', () => {
    expect(BUS_REDIS_LOST).toBe('operation bus lost its Redis connection: each operation this replica watches is polled here alone, and its subscribers miss the statuses other replicas poll');
    expect(BUS_REDIS_BACK).toBe('operation bus has its Redis connection again');
  });

  it('says once per kind of trouble in an outage, and once when Redis is back', () => {
    const { redis, said } = watched();
    redis.emit('error', socketError('ECONNREFUSED'));
    redis.emit('error', socketError('ECONNREFUSED'));
    redis.emit('error', wrongPassword());
    redis.emit('error', wrongPassword());
    redis.emit('ready');
    redis.emit('ready');
    expect(said()).toEqual([
      lost('ECONNREFUSED', 'ECONNREFUSED at 127.0.0.1:6379: nothing listens there (Redis stopped, or the wrong host or port in REDIS_URL)'),
      lost('WRONGPASS', "WRONGPASS: Redis refused REDIS_URL's user or password"),
      back,
    ]);
    expect(JSON.stringify(said())).not.toContain('hunter2');
  });

  it('a URL from REDIS_URL_FILE (as the systemd unit gives it): the meanings name that file, never REDIS_URL', () => {
    const { redis, said } = watched('REDIS_URL_FILE');
    redis.emit('error', socketError('ECONNREFUSED'));
    redis.emit('error', wrongPassword());
    expect(said()).toEqual([
      lost('ECONNREFUSED', 'ECONNREFUSED at 127.0.0.1:6379: nothing listens there (Redis stopped, or the wrong host or port in the URL in the file REDIS_URL_FILE names)'),
      lost('WRONGPASS', 'WRONGPASS: Redis refused the user or password of the URL in the file REDIS_URL_FILE names'),
    ]);
    expect(JSON.stringify(said())).not.toMatch(/REDIS_URL(?!_FILE)|hunter2/);
  });

  it('says nothing for a first ready, or an error that tells nothing of the connection', () => {
    const { redis, said } = watched();
    redis.emit('ready');
    redis.emit('error', new Error('Connection is closed.'));
    redis.emit('error', 'no error at all');
    redis.emit('ready');
    expect(said()).toEqual([]);
  });

  it('tells a second outage as it told the first', () => {
    const { redis, said } = watched();
    redis.emit('error', socketError('ECONNREFUSED'));
    redis.emit('ready');
    redis.emit('error', socketError('ECONNREFUSED'));
    redis.emit('ready');
    expect(said().map(({ msg }) => msg)).toEqual([BUS_REDIS_LOST, BUS_REDIS_BACK, BUS_REDIS_LOST, BUS_REDIS_BACK]);
  });

  it('stops listening when stopped', () => {
    const { redis, stop, said } = watched();
    expect([redis.listenerCount('error'), redis.listenerCount('ready')]).toEqual([1, 1]);
    redis.emit('error', socketError('ECONNREFUSED'));
    stop();
    expect([redis.listenerCount('error'), redis.listenerCount('ready')]).toEqual([0, 0]);
    redis.emit('ready');
    expect(said().map(({ msg }) => msg)).toEqual([BUS_REDIS_LOST]);
  });
});
