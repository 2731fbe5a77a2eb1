import { createHash, randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { Idempotency } from '../../src/gateway/idempotency.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { RedisStore } from '../../src/state/redis-store.js';
import type { KeyValueStore } from '../../src/state/store.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * A claim is held by a live request only while that request renews its live
 * key. A gateway that died mid-request left its claim `pending` for 24 h, and
 * every retry with the key waited a minute to be told "still in progress".
 * Here the first request's gateway "dies" by losing its store (every call
 * fails, as a killed process's connection does); the second gateway shares
 * the records.
 */

const redis = await testRedis();
afterAll(() => redis.stop());

/** The store as one gateway sees it; `die()` makes every later call fail, as a killed process sends nothing. */
class GatewayView {
  private dead = false;
  constructor(private readonly shared: KeyValueStore) {}
  die(): void {
    this.dead = true;
  }
  store(): KeyValueStore {
    return new Proxy(this.shared, {
      get: (target, name, receiver) => {
        const member: unknown = Reflect.get(target, name, receiver);
        if (typeof member !== 'function') return member;
        return (...args: unknown[]) => (this.dead ? Promise.reject(new Error('process gone')) : (member as (...a: unknown[]) => unknown).apply(target, args));
      },
    });
  }
}

const LEASE_MS = 600;
/** One look when the retry first finds the claim, one per third of the lease (600 ms) until it lapses, and one after. */
const LOOKS_WITHIN_LEASE = 6;

/** The store with its reads of idempotency live keys counted; `past(n)` rejects at the (n+1)-th such read. */
function countingLiveLooks(shared: KeyValueStore): { store: KeyValueStore; count(): number; past(limit: number): Promise<never> } {
  let looks = 0;
  let overLimit: ((looks: number) => void) | undefined;
  let limitSet = Number.POSITIVE_INFINITY;
  const store = new Proxy(shared, {
    get: (target, name, receiver) => {
      const member: unknown = Reflect.get(target, name, receiver);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        if (name === 'get' && typeof args[0] === 'string' && args[0].startsWith('live:')) {
          looks += 1;
          if (looks > limitSet) overLimit?.(looks);
        }
        return (member as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    store,
    count: () => looks,
    past: (limit) =>
      new Promise<never>((_resolve, reject) => {
        limitSet = limit;
        overLimit = (seen) => reject(new Error(`the retry looked at the dead request's live key ${seen} times (lease ${LEASE_MS} ms): it waits as for a live claim again`));
      }),
  };
}
const ABANDONED = /stopped before it recorded an answer.*may have acted; check before trying again with a new idempotencyKey/;

const stores: Array<readonly [string, () => Promise<KeyValueStore>]> = [['memory', async () => new MemoryStore()]];
if (redis.url) {
  stores.push([
    'redis',
    async () => {
      const store = new RedisStore(redis.url as string, `backup-graph-test:${randomUUID()}:`);
      await store.ready();
      return store;
    },
  ]);
} else describe.skip(redisSuite('idempotency claims over the redis store', redis), () => it('needs Redis', () => {}));

describe.each(stores)('an idempotency claim whose gateway stopped (%s store)', (_name, createStore) => {
  let shared: KeyValueStore | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await shared?.close();
  });

  it('is told at once to a retry (CONFLICT: may have acted), within a lease of the stop, and the retry does not act', async () => {
    shared = await createStore();
    const first = new GatewayView(shared);
    let actedFirst = 0;
    void new Idempotency(first.store(), () => {}, LEASE_MS)
      .run('client', 'key-1', 'createBackup', { name: 'n' }, () => {
        actedFirst += 1;
        return new Promise<string>(() => {});
      })
      .catch(() => undefined);
    await vi.waitFor(() => expect(actedFirst).toBe(1));
    first.die();
    let actedRetry = 0;
    // The retry's looks at the dead holder's live key: one per third of a lease, so at most a handful before the
    // lease lapses, whatever the machine's load (a slower loop looks less often). Waited on as a live claim, it
    // looked again every third of a lease for the minute: refused here at the look past the bound, not by a timer.
    const livenessLooks = countingLiveLooks(shared);
    const retry = new Idempotency(livenessLooks.store, () => {}, LEASE_MS).run('client', 'key-1', 'createBackup', { name: 'n' }, async () => `retry-${++actedRetry}`);
    await expect(Promise.race([retry, livenessLooks.past(LOOKS_WITHIN_LEASE)])).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(ABANDONED) });
    expect(livenessLooks.count()).toBeGreaterThanOrEqual(1);
    expect(actedRetry).toBe(0);
  });

  it('is waited on while its request runs longer than a lease (renewed), and the retry gets its answer', async () => {
    shared = await createStore();
    let finish: (value: string) => void = () => {};
    const holder = new Idempotency(shared, () => {}, LEASE_MS);
    const first = holder.run('client', 'key-2', 'createBackup', { name: 'n' }, () => new Promise<string>((resolve) => (finish = resolve)));
    let actedRetry = 0;
    const retry = new Idempotency(shared, () => {}, LEASE_MS).run('client', 'key-2', 'createBackup', { name: 'n' }, async () => `retry-${++actedRetry}`);
    let retrySettled = false;
    void retry.finally(() => (retrySettled = true)).catch(() => undefined);
    // Three leases: without renewals the retry would have been told the first had stopped.
    await new Promise((resolve) => setTimeout(resolve, 3 * LEASE_MS));
    expect(retrySettled).toBe(false);
    finish('made once');
    expect(await first).toBe('made once');
    expect(await retry).toBe('made once');
    expect(actedRetry).toBe(0);
  });

  it('is waited on as before when written by a version without leases (no live key to read), until its answer lands', async () => {
    shared = await createStore();
    const idempotency = new Idempotency(shared, () => {}, LEASE_MS);
    await idempotency.run('client', 'key-3', 'createBackup', { name: 'n' }, async () => 'first');
    const key = recordKey('client', 'key-3');
    const done = await shared.get<{ fingerprint: string }>(key);
    // The claim an older gateway would have left: pending, with a claim id but no lease.
    await shared.set(key, { fingerprint: done?.fingerprint, state: 'pending', claim: randomUUID() }, 60_000);
    let acted = 0;
    let settled = false;
    const retry = idempotency.run('client', 'key-3', 'createBackup', { name: 'n' }, async () => `acted-${++acted}`).finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 3 * LEASE_MS));
    expect(settled).toBe(false);
    await shared.set(key, done, 60_000);
    expect(await retry).toBe('first');
    expect(acted).toBe(0);
  });
});

/** The record's key as Idempotency names it: SHA-256 of owner and key. */
const recordKey = (owner: string, key: string): string => createHash('sha256').update(`${owner}\n${key}`).digest('hex');
