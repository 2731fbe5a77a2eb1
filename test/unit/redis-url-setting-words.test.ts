import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envRedisUrlSetting } from '../../src/config/env-redis-url.js';
import { createStore } from '../../src/state/create-store.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { redisDatabaseRefusedMessage, redisUnreachableMessage } from '../../src/state/redis-unreachable.js';
import { testRedis, type TestRedis } from '../helpers/redis.js';

/**
 * The variable a Redis problem names is the one the operator set: the systemd unit and Docker
 * secrets set REDIS_URL_FILE alone, where "correct REDIS_URL" named a variable set nowhere. The
 * spawned-process tests (redis-url-file-start, redis-database) see this through dist/, which
 * mutation testing cannot reach: these call the same code in process.
 */
const WITHOUT_REDIS = 'to keep the shared state in this process (one replica only: replicas without Redis do not share it)';

describe('envRedisUrlSetting', () => {
  it('REDIS_URL_FILE where it alone is set; REDIS_URL where REDIS_URL is set, alone or beside it, or neither is', () => {
    expect(envRedisUrlSetting({ REDIS_URL_FILE: '/run/credentials/redis-url' })).toBe('REDIS_URL_FILE');
    expect(envRedisUrlSetting({ REDIS_URL: 'redis://cache:6379' })).toBe('REDIS_URL');
    // Both set is refused naming REDIS_URL (env-redis-url.test.ts): the same variable here.
    expect(envRedisUrlSetting({ REDIS_URL: 'redis://cache:6379', REDIS_URL_FILE: '/run/credentials/redis-url' })).toBe('REDIS_URL');
    expect(envRedisUrlSetting({})).toBe('REDIS_URL');
  });
});

describe('redisUnreachableMessage and redisDatabaseRefusedMessage by the variable the URL came from', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:6380'), { code: 'ECONNREFUSED' });

  it('a Redis that does not answer, from REDIS_URL_FILE: says to correct the URL in the file, or unset REDIS_URL_FILE', () => {
    expect(redisUnreachableMessage('redis://:s3cret@10.0.0.5:6380/1', refused, 'REDIS_URL_FILE')).toBe(
      `cannot reach Redis at 10.0.0.5:6380 (REDIS_URL_FILE): ECONNREFUSED; start it, correct the URL in the file REDIS_URL_FILE names, or unset REDIS_URL_FILE ${WITHOUT_REDIS}`,
    );
  });

  it('the same from REDIS_URL, and REDIS_URL where no variable is named', () => {
    const fromUrl = `cannot reach Redis at 10.0.0.5:6380 (REDIS_URL): ECONNREFUSED; start it, correct REDIS_URL, or leave REDIS_URL unset ${WITHOUT_REDIS}`;
    expect(redisUnreachableMessage('redis://:s3cret@10.0.0.5:6380/1', refused, 'REDIS_URL')).toBe(fromUrl);
    expect(redisUnreachableMessage('redis://:s3cret@10.0.0.5:6380/1', refused)).toBe(fromUrl);
  });

  it('a refused login, from either variable: names it and the URL to correct', () => {
    // As ioredis gives Redis's refusal: a ReplyError.
    const wrongPass = Object.assign(new Error('WRONGPASS invalid username-password pair or user is disabled.'), { name: 'ReplyError' });
    const fromFile = redisUnreachableMessage('redis://gw:s3cret@10.0.0.5:6380', wrongPass, 'REDIS_URL_FILE');
    expect(fromFile).toMatch(/^Redis at 10\.0\.0\.5:6380 refused the gateway's login \(REDIS_URL_FILE\): WRONGPASS/);
    expect(fromFile).toContain(`; correct the user and password in the URL in the file REDIS_URL_FILE names, or unset REDIS_URL_FILE ${WITHOUT_REDIS}`);
    const fromUrl = redisUnreachableMessage('redis://gw:s3cret@10.0.0.5:6380', wrongPass);
    expect(fromUrl).toMatch(/^Redis at 10\.0\.0\.5:6380 refused the gateway's login \(REDIS_URL\): WRONGPASS/);
    expect(fromUrl).toContain(`; correct the user and password in REDIS_URL, or leave REDIS_URL unset ${WITHOUT_REDIS}`);
    expect(fromFile + fromUrl).not.toContain('s3cret');
  });

  it('a database refused names the variable the URL came from', () => {
    const outOfRange = new Error('ERR DB index is out of range');
    expect(redisDatabaseRefusedMessage('redis://10.0.0.5:6380/40', 40, outOfRange, 'REDIS_URL_FILE')).toBe(
      'Redis at 10.0.0.5:6380 refused database 40 (REDIS_URL_FILE): ERR DB index is out of range; name a database it has (0 to its databases setting less one, 0-15 by default)',
    );
    expect(redisDatabaseRefusedMessage('redis://10.0.0.5:6380/40', 40, outOfRange)).toContain('refused database 40 (REDIS_URL): ');
  });
});

/** The test Redis (REDIS_URL, else 127.0.0.1:6379, else a redis-server of the test's own). */
let redis: TestRedis;
beforeAll(async () => {
  redis = await testRedis();
});
afterAll(() => redis.stop());
const redisUrl = (): string => {
  if (!redis.url) throw new Error(`no Redis: ${redis.reason}`);
  return redis.url;
};
const withDatabase = (database: number): URL => {
  const url = new URL(redisUrl());
  url.pathname = `/${database}`;
  return url;
};

describe('createStore hands the variable to the store it starts', () => {
  const logger = pino({ level: 'silent' });

  it('a Redis that does not answer, its URL from REDIS_URL_FILE, is named so (port 1: nothing listens)', async () => {
    await expect(createStore('redis://127.0.0.1:1', logger, 'REDIS_URL_FILE')).rejects.toThrow(
      'cannot reach Redis at 127.0.0.1:1 (REDIS_URL_FILE): ECONNREFUSED; start it, correct the URL in the file REDIS_URL_FILE names',
    );
    await expect(createStore('redis://127.0.0.1:1', logger)).rejects.toThrow('cannot reach Redis at 127.0.0.1:1 (REDIS_URL): ECONNREFUSED; start it, correct REDIS_URL,');
  });

  it('a database the test Redis does not have, its URL from REDIS_URL_FILE, is named so', async () => {
    const url = withDatabase(4000);
    const address = `${url.hostname}:${url.port || '6379'}`;
    await expect(createStore(url.href, logger, 'REDIS_URL_FILE')).rejects.toThrow(`Redis at ${address} refused database 4000 (REDIS_URL_FILE): `);
    await expect(createStore(url.href, logger)).rejects.toThrow(`Redis at ${address} refused database 4000 (REDIS_URL): `);
  });
});

describe('RedisStore, the defaults beside urlSetting (guards on the constructor line that changed)', () => {
  it('constructed with a URL alone, names REDIS_URL when the Redis does not answer', async () => {
    const store = new RedisStore('redis://127.0.0.1:1');
    await expect(store.ready()).rejects.toThrow('cannot reach Redis at 127.0.0.1:1 (REDIS_URL): ECONNREFUSED; start it, correct REDIS_URL,');
  });

  it("handed a connection (no URL of its own), lets that connection's own error through", async () => {
    const redis = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {});
    await expect(new RedisStore(redis).ready()).rejects.toThrow(/ECONNREFUSED|Connection is closed/);
    redis.disconnect();
  });

  it("keeps its keys under backup-graph: by default (the test Redis; one key of this test's own)", async () => {
    const store = new RedisStore(redisUrl());
    await store.ready();
    const raw = new Redis(redisUrl());
    const key = `redis-url-setting-words-${randomUUID()}`;
    try {
      await store.set(key, { answer: 42 }, 60_000);
      expect(await raw.exists(`backup-graph:${key}`)).toBe(1);
    } finally {
      await raw.del(`backup-graph:${key}`);
      raw.disconnect();
      await store.close();
    }
  });
});
