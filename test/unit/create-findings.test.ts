import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATE_FINDING_KEPT_MS, CreateFindings, findingOf } from '../../src/state/create-findings.js';
import { FINISH_TIME_KEPT_MS } from '../../src/gateway/finish-times.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { createLogger } from '../../src/observability/logger.js';
import { adapterServicesOver } from '../../src/providers/registry.js';
import { RedisStore } from '../../src/state/redis-store.js';
import type { KeyValueStore } from '../../src/state/store.js';
import { testRedis, type TestRedis } from '../helpers/redis.js';

describe('CreateFindings', () => {
  it('remembers a finding for a create it marked, and keeps the first', async () => {
    const findings = new CreateFindings(new MemoryStore());
    await findings.started('op');
    expect(await findings.of('op')).toBe('open');
    await findings.found('op', 'open', 'daily-20261204_130000');
    expect(await findings.of('op')).toEqual({ found: 'daily-20261204_130000' });
    // A second start (a replayed mutation) leaves the finding as it is.
    await findings.started('op');
    expect(await findings.of('op')).toEqual({ found: 'daily-20261204_130000' });
  });

  it('remembers the VM a found backup is listed under where the read saw the VM renamed', async () => {
    const findings = new CreateFindings(new MemoryStore());
    await findings.started('renamed');
    await findings.found('renamed', 'open', 'daily-20261204_130000', 'web-2.example.com');
    expect(await findings.of('renamed')).toEqual({ found: 'daily-20261204_130000', vm: 'web-2.example.com' });
    // As the version before wrote it, and halves that name nothing.
    expect(findingOf('found:daily-1')).toEqual({ found: 'daily-1' });
    expect(findingOf('found:daily-1/')).toEqual({ found: 'daily-1/' });
    expect(findingOf('found:/web-2')).toEqual({ found: '/web-2' });
  });

  it("remembers how a create ended: a failure or a success without a backup over its mark only, a backup over a success too", async () => {
    const findings = new CreateFindings(new MemoryStore());
    await findings.started('failed');
    await findings.failed('failed', 'open', 'zfs send failed');
    expect(await findings.of('failed')).toEqual({ failed: 'zfs send failed' });
    await findings.found('failed', { failed: 'zfs send failed' }, 'daily-1');
    expect(await findings.of('failed')).toEqual({ failed: 'zfs send failed' });
    await findings.started('unnamed');
    await findings.succeeded('unnamed', 'open');
    expect(await findings.of('unnamed')).toBe('succeeded');
    await findings.failed('unnamed', 'succeeded', 'late');
    expect(await findings.of('unnamed')).toBe('succeeded');
    await findings.found('unnamed', 'succeeded', 'daily-2');
    expect(await findings.of('unnamed')).toEqual({ found: 'daily-2' });
    await findings.succeeded('unnamed', { found: 'daily-2' });
    expect(await findings.of('unnamed')).toEqual({ found: 'daily-2' });
  });

  it('writes nothing for an operation no create marked (an id made up, or older than the marks)', async () => {
    const store = new MemoryStore();
    const findings = new CreateFindings(store);
    expect(await findings.of('made-up')).toBe('unmarked');
    await findings.found('made-up', 'unmarked', 'daily-20261204_130000');
    await findings.succeeded('made-up', 'unmarked');
    await findings.failed('made-up', 'unmarked', 'zfs send failed');
    expect(await store.get('made-up')).toBeUndefined();
    expect(await findings.of('made-up')).toBe('unmarked');
  });

  it('never throws, and reads a store that fails as unmarked', async () => {
    const failing = Object.assign(Object.create(new MemoryStore()) as KeyValueStore, {
      get: () => Promise.reject(new Error('down')),
      getMany: () => Promise.reject(new Error('down')),
      set: () => Promise.reject(new Error('down')),
      setIfAbsent: () => Promise.reject(new Error('down')),
    });
    const findings = new CreateFindings(failing);
    await findings.started('op');
    await findings.found('op', 'open', 'daily-1');
    expect(await findings.of('op')).toBe('unmarked');
  });

  it('reads a value of another shape as a mark, and an empty finding as none', () => {
    expect(findingOf('found:daily-1')).toEqual({ found: 'daily-1' });
    expect(findingOf('found:')).toBe('open');
    expect(findingOf('succeeded')).toBe('succeeded');
    expect(findingOf('failed:')).toEqual({ failed: '' });
    expect(findingOf('failed:the task was revoked')).toEqual({ failed: 'the task was revoked' });
    // Another writer's failure is read as a provider's message may be: one line, bounded, no control characters.
    const long = findingOf(`failed:zfs\u0000 send\n\u001b[31mfailed ${'x'.repeat(100_000)}`);
    expect(typeof long === 'object' && 'failed' in long ? long.failed : null).toMatch(/^zfs\ufffd send \ufffd\[31mfailed x+\.\.\.$/);
    expect(JSON.stringify(long).length).toBeLessThan(400);
    expect(findingOf(42)).toBe('open');
    expect(findingOf(undefined)).toBe('unmarked');
    expect(findingOf(null)).toBe('unmarked');
  });

  it('keeps its keys as long as operations are followed, never longer', () => {
    expect(CREATE_FINDING_KEPT_MS).toBe(FINISH_TIME_KEPT_MS);
  });
});

/**
 * Two replicas both read a create's mark, then each records what its own read saw: one found
 * the backup, the other (its list read after the definition's next run: two backups) a success
 * without one, or (the task forgotten by then) a failure. The first end recorded must stay.
 */
const racesOf = (storeOf: () => KeyValueStore) => {
  it('keeps the backup one replica found when another, which read the mark before that, saw a success without it', async () => {
    const findings = new CreateFindings(storeOf());
    const key = randomUUID();
    await findings.started(key);
    const [first, second] = [await findings.of(key), await findings.of(key)];
    await findings.found(key, first, 'daily-20261204_130000');
    await findings.succeeded(key, second);
    expect(await findings.of(key)).toEqual({ found: 'daily-20261204_130000' });
  });

  it('keeps the backup one replica found when another, which read the mark before that, saw the create fail', async () => {
    const findings = new CreateFindings(storeOf());
    const key = randomUUID();
    await findings.started(key);
    const [first, second] = [await findings.of(key), await findings.of(key)];
    await findings.found(key, first, 'daily-20261204_130000');
    await findings.failed(key, second, 'the provider no longer knows this task, and 2 backups ...');
    expect(await findings.of(key)).toEqual({ found: 'daily-20261204_130000' });
  });

  it('keeps the failure one replica saw when another, which read the mark before that, found a backup', async () => {
    const findings = new CreateFindings(storeOf());
    const key = randomUUID();
    await findings.started(key);
    const [first, second] = [await findings.of(key), await findings.of(key)];
    await findings.failed(key, first, 'zfs send failed');
    await findings.found(key, second, 'daily-20261204_130000');
    expect(await findings.of(key)).toEqual({ failed: 'zfs send failed' });
  });

  it("keeps a success the task itself reported over a failure another replica inferred once the task was forgotten, in either order", async () => {
    for (const successFirst of [true, false]) {
      const findings = new CreateFindings(storeOf());
      const key = randomUUID();
      await findings.started(key);
      const [first, second] = [await findings.of(key), await findings.of(key)];
      const success = () => findings.succeeded(key, first);
      const inferred = () => findings.failed(key, second, 'the provider no longer knows this task, and 2 backups ...');
      if (successFirst) await success().then(inferred);
      else await inferred().then(success);
      expect(await findings.of(key), `success first: ${successFirst}`).toBe('succeeded');
    }
  });

  it('reads the finding a replica of the version before wrote over the mark', async () => {
    const store = storeOf();
    const findings = new CreateFindings(store);
    const key = randomUUID();
    await findings.started(key);
    await store.set(key, 'found:daily-1', CREATE_FINDING_KEPT_MS);
    expect(await findings.of(key)).toEqual({ found: 'daily-1' });
    await store.set(key, 'succeeded', CREATE_FINDING_KEPT_MS);
    await findings.found(key, await findings.of(key), 'daily-2');
    expect(await findings.of(key)).toEqual({ found: 'daily-2' });
  });
};

describe('CreateFindings: replicas racing (memory)', () => {
  const store = new MemoryStore();
  racesOf(() => store);
});

describe('CreateFindings: replicas racing (Redis at 127.0.0.1:6379)', () => {
  let redis: TestRedis;
  let store: RedisStore | null = null;
  beforeAll(async () => {
    redis = await testRedis();
    if (redis.url) store = new RedisStore(redis.url, `create-findings-race-${randomUUID()}:`);
  });
  afterAll(async () => {
    await store?.close();
    await redis.stop();
  });
  racesOf(() => {
    if (!store) throw new Error(`no Redis: ${redis.reason}`);
    return store;
  });
});

describe('CreateFindings in memory (adapterServicesOver)', () => {
  it("keeps 10,000 creates' marks and found backups, each create two entries", async () => {
    const { createFindings } = adapterServicesOver(new MemoryStore(), createLogger('silent'));
    for (let n = 0; n < 10_000; n++) {
      await createFindings.started(`op-${n}`);
      await createFindings.found(`op-${n}`, 'open', `daily-${n}`);
    }
    expect(await createFindings.of('op-0')).toEqual({ found: 'daily-0' });
  });
});
