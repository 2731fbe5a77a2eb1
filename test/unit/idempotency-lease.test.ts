import { afterEach, describe, expect, it, vi } from 'vitest';
import { CLAIM_LEASE_MS, Idempotency } from '../../src/gateway/idempotency.js';
import { RecordingStore } from './recording-store.js';

/**
 * The claim's lease on a plain clock (the store tests in test/state run the
 * same over Redis): the holder renews `live:<claim>` every third of a lease,
 * and a retry that finds it gone is told at once that the first request
 * stopped before it answered.
 */
const ABANDONED = {
  code: 'CONFLICT',
  message:
    'the first request with this idempotencyKey stopped before it recorded an answer (its gateway stopped, or lost the shared state): it may have acted; check before trying again with a new idempotencyKey',
};

/** A store that runs `afterLiveRead` once, just after the next read of a live key: what changes between a retry's look at the holder's live key and its second look at the record. */
class ChangingStore extends RecordingStore {
  afterLiveRead: (() => Promise<void>) | null = null;

  override async get<T>(key: string): Promise<T | undefined> {
    const value = await super.get<T>(key);
    const change = key.startsWith('live:') ? this.afterLiveRead : null;
    if (change) {
      this.afterLiveRead = null;
      await change();
    }
    return value;
  }
}

/** A ChangingStore whose one next read fails, as a store that drops one call: the stores of the tests above fail for good. */
class FailsOneReadStore extends ChangingStore {
  failNextRead = false;

  override async get<T>(key: string): Promise<T | undefined> {
    if (this.failNextRead) {
      this.failNextRead = false;
      throw new Error('store unreachable');
    }
    return super.get<T>(key);
  }
}

const liveSets = (store: RecordingStore) => store.calls.filter((call) => call.method === 'set' && call.keys[0]?.startsWith('live:'));

describe('idempotency claims with a lease', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('the holder sets its live key for a lease before the claim, and renews it every third of a lease while it runs, not after', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'setInterval', 'clearInterval'] });
    const store = new RecordingStore();
    let finish: (value: string) => void = () => {};
    const first = new Idempotency(store).run('c', 'k', 'op', {}, () => new Promise<string>((resolve) => (finish = resolve)));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.calls.slice(0, 2).map((call) => call.method)).toEqual(['set', 'setIfAbsent']);
    expect(liveSets(store)).toEqual([{ method: 'set', keys: [expect.stringMatching(/^live:[0-9a-f-]{36}$/)], ttlMs: CLAIM_LEASE_MS }]);
    await vi.advanceTimersByTimeAsync(CLAIM_LEASE_MS / 3 - 1);
    expect(liveSets(store)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(liveSets(store)).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(CLAIM_LEASE_MS);
    expect(liveSets(store)).toHaveLength(5);
    // Every renewal names the same claim, for a whole lease.
    expect(new Set(liveSets(store).map((call) => `${call.keys[0]} ${call.ttlMs}`)).size).toBe(1);
    finish('done');
    expect(await first).toBe('done');
    await vi.advanceTimersByTimeAsync(3 * CLAIM_LEASE_MS);
    expect(liveSets(store)).toHaveLength(5);
  });

  it('stops renewing when the request fails too', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'setInterval', 'clearInterval'] });
    const store = new RecordingStore();
    await expect(new Idempotency(store).run('c', 'k', 'op', {}, () => Promise.reject(new Error('provider exploded')))).rejects.toThrow('provider exploded');
    await vi.advanceTimersByTimeAsync(3 * CLAIM_LEASE_MS);
    expect(liveSets(store)).toHaveLength(1);
  });

  it('a retry finding the live key gone is told at once that the first request stopped, and does not act', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'setInterval', 'clearInterval'] });
    const store = new RecordingStore();
    void new Idempotency(store).run('c', 'k', 'op', {}, () => new Promise<string>(() => {}));
    await vi.advanceTimersByTimeAsync(0);
    // The holder's process is gone: its live key is dropped (as its TTL would).
    const live = liveSets(store)[0]?.keys[0] ?? '';
    await store.delete(live);
    let acted = 0;
    const retry = new Idempotency(store).run('c', 'k', 'op', {}, async () => ++acted).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(0);
    expect(await retry).toMatchObject(ABANDONED);
    expect(acted).toBe(0);
  });

  it('a retry reads the live key at its first look and then once a third of a lease, and is told within a third of a lease of the key going', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'setInterval', 'clearInterval'] });
    const store = new RecordingStore();
    // The holder sees the store through this view; once `dead`, none of its calls reaches it (a killed process).
    let dead = false;
    const holderView = new Proxy(store, {
      get: (target, name, receiver) => {
        const member: unknown = Reflect.get(target, name, receiver);
        if (typeof member !== 'function') return member;
        return (...args: unknown[]) => (dead ? Promise.reject(new Error('process gone')) : (member as (...a: unknown[]) => unknown).apply(target, args));
      },
    });
    void new Idempotency(holderView).run('c', 'k', 'op', {}, () => new Promise<string>(() => {}));
    await vi.advanceTimersByTimeAsync(0);
    const live = liveSets(store)[0]?.keys[0] ?? '';
    const liveReads = () => store.calls.filter((call) => call.method === 'get' && call.keys[0] === live).length;
    let settled: unknown = null;
    void new Idempotency(store).run('c', 'k', 'op', {}, async () => 'acted').then(
      (value) => (settled = value),
      (error: unknown) => (settled = error),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(liveReads()).toBe(1);
    await vi.advanceTimersByTimeAsync(CLAIM_LEASE_MS / 3 - 600);
    expect(liveReads()).toBe(1);
    expect(settled).toBeNull();
    // The holder dies here, and its key goes (as its TTL would).
    dead = true;
    await store.delete(live);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(liveReads()).toBe(2);
    expect(settled).toMatchObject(ABANDONED);
  });

  it('a claim of an earlier version (no lease) is waited on as before: no live key is read', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'setInterval', 'clearInterval'] });
    const store = new RecordingStore();
    const idempotency = new Idempotency(store);
    await idempotency.run('c', 'k', 'op', {}, async () => 'first');
    const recordKey = store.calls.find((call) => call.method === 'setIfAbsent')?.keys[0] ?? '';
    const done = await store.get<{ fingerprint: string }>(recordKey);
    await store.set(recordKey, { fingerprint: done?.fingerprint, state: 'pending', claim: 'claim-of-an-older-gateway' }, 60_000);
    let acted = 0;
    const retry = idempotency.run('c', 'k', 'op', {}, async () => ++acted).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(61_000);
    expect(await retry).toMatchObject({ code: 'CONFLICT', message: 'a request with this idempotencyKey is still in progress: send it again later with the same idempotencyKey, and it is answered as that request was' });
    expect(store.calls.some((call) => call.method === 'get' && call.keys[0] === 'live:claim-of-an-older-gateway')).toBe(false);
    expect(acted).toBe(0);
  });

  it('a live key that cannot be read refuses the retry before it acts, as any record read that fails', async () => {
    const store = new RecordingStore();
    const errors: unknown[] = [];
    void new Idempotency(store).run('c', 'k', 'op', {}, () => new Promise<string>(() => {}));
    await new Promise((resolve) => setImmediate(resolve));
    const originalGet = store.get.bind(store);
    store.get = <T>(key: string): Promise<T | undefined> => (key.startsWith('live:') ? Promise.reject(new Error('redis gone')) : originalGet<T>(key));
    let acted = 0;
    await expect(new Idempotency(store, (error) => errors.push(error)).run('c', 'k', 'op', {}, async () => ++acted)).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: expect.stringContaining('nothing was sent to the provider'),
    });
    expect(errors).toEqual([new Error('redis gone')]);
    expect(acted).toBe(0);
  });

  it('a retry finding the live key gone and the record gone meanwhile (the holder released it) claims the key and acts, once', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'setInterval', 'clearInterval'] });
    const store = new ChangingStore();
    void new Idempotency(store).run('c', 'k', 'op', {}, () => new Promise<string>(() => {}));
    await vi.advanceTimersByTimeAsync(0);
    const live = liveSets(store)[0]?.keys[0] ?? '';
    const recordKey = store.calls.find((call) => call.method === 'setIfAbsent')?.keys[0] ?? '';
    await store.delete(live);
    store.afterLiveRead = () => store.delete(recordKey);
    let acted = 0;
    const retry = new Idempotency(store).run('c', 'k', 'op', {}, async () => ++acted);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await retry).toBe(1);
    expect(acted).toBe(1);
  });

  it('a retry whose second look at the record fails is refused before it acts (the store unreachable), not told the first stopped', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'setInterval', 'clearInterval'] });
    const store = new ChangingStore();
    void new Idempotency(store).run('c', 'k', 'op', {}, () => new Promise<string>(() => {}));
    await vi.advanceTimersByTimeAsync(0);
    await store.delete(liveSets(store)[0]?.keys[0] ?? '');
    store.afterLiveRead = async () => {
      store.failing = true;
    };
    let acted = 0;
    const retry = new Idempotency(store).run('c', 'k', 'op', {}, async () => ++acted).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(0);
    expect(await retry).toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringMatching(/^the idempotency records could not be reached; nothing was sent/) });
    expect(acted).toBe(0);
  });

  it('a retry finding the live key gone and the key claimed afresh by another request meanwhile waits on that one, and gets its answer', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'setInterval', 'clearInterval'] });
    const store = new ChangingStore();
    void new Idempotency(store).run('c', 'k', 'op', {}, () => new Promise<string>(() => {}));
    await vi.advanceTimersByTimeAsync(0);
    const recordKey = store.calls.find((call) => call.method === 'setIfAbsent')?.keys[0] ?? '';
    const { fingerprint } = (await store.get<{ fingerprint: string }>(recordKey)) ?? { fingerprint: '' };
    await store.delete(liveSets(store)[0]?.keys[0] ?? '');
    // The holder stopped; its claim expired and another request (live, renewing) claimed the key before the second look.
    store.afterLiveRead = async () => {
      await store.set('live:another', 1, 60_000);
      await store.set(recordKey, { fingerprint, state: 'pending', claim: 'another', lease: true }, 60_000);
    };
    let acted = 0;
    const retry = new Idempotency(store).run('c', 'k', 'op', {}, async () => `retry-${++acted}`).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1_000);
    await store.set(recordKey, { fingerprint, state: 'done', result: 'the other answer', claim: 'another' }, 60_000);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await retry).toBe('the other answer');
    expect(acted).toBe(0);
  });

  it('a retry whose second look at the record fails once is refused before it acts, not told the first stopped', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'setInterval', 'clearInterval'] });
    const store = new FailsOneReadStore();
    void new Idempotency(store).run('c', 'k', 'op', {}, () => new Promise<string>(() => {}));
    await vi.advanceTimersByTimeAsync(0);
    await store.delete(liveSets(store)[0]?.keys[0] ?? '');
    store.afterLiveRead = async () => {
      store.failNextRead = true;
    };
    let acted = 0;
    const retry = new Idempotency(store).run('c', 'k', 'op', {}, async () => ++acted).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await retry).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(acted).toBe(0);
  });
});
