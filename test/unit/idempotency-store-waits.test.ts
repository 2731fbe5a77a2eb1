import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { IDEMPOTENCY_STORE_WAIT_MS, Idempotency } from '../../src/gateway/idempotency.js';
import { StoreTimeout } from '../../src/state/bounded-call.js';
import { MemoryStore } from '../../src/state/memory-store.js';

// The records' store failing or not answering: before the claim, the request is refused
// without acting; after the mutation acted, its answer still goes out.

const NOT_SENT = 'the idempotency records could not be reached; nothing was sent to the provider: send the request again with the same idempotencyKey';

/**
 * A memory store that runs its calls in the order they were sent, like one Redis
 * connection; while `stalled`, calls queue up unanswered, and run when it wakes.
 */
class StallingStore extends MemoryStore {
  stalled = false;
  /** Calls on records that fail at once, by method name (a claim's live key is another story: idempotency-lease.test.ts). */
  readonly failing = new Set<string>();
  readonly sent: string[] = [];
  /** Claims that land but answer "taken", as a claim ioredis sent again after a lost answer does. */
  claimsAnswerTaken = 0;
  private queue: Array<() => void> = [];

  private run<T>(method: string, call: () => Promise<T>, key = ''): Promise<T> {
    this.sent.push(method);
    if (this.failing.has(method) && !key.startsWith('live:')) return Promise.reject(new Error(`${method} failed`));
    if (!this.stalled) return call();
    return new Promise<T>((resolve, reject) => this.queue.push(() => void call().then(resolve, reject)));
  }

  wake(): void {
    this.stalled = false;
    const queued = this.queue;
    this.queue = [];
    for (const call of queued) call();
  }

  override get<T>(key: string): Promise<T | undefined> {
    return this.run('get', () => super.get<T>(key), key);
  }

  override set<T>(key: string, value: T, ttlMs: number): Promise<void> {
    return this.run('set', () => super.set(key, value, ttlMs), key);
  }

  override setIfAbsent<T>(key: string, value: T, ttlMs: number): Promise<boolean> {
    return this.run(
      'setIfAbsent',
      async () => {
        const claimed = await super.setIfAbsent(key, value, ttlMs);
        if (!claimed || this.claimsAnswerTaken === 0) return claimed;
        this.claimsAnswerTaken -= 1;
        return false;
      },
      key,
    );
  }

  override replaceIfEqual<T>(key: string, holding: T, value: unknown, ttlMs: number): Promise<boolean> {
    return this.run('replaceIfEqual', () => super.replaceIfEqual(key, holding, value, ttlMs), key);
  }

  override delete(key: string): Promise<void> {
    return this.run('delete', () => super.delete(key), key);
  }

  override deleteIfEqual<T>(key: string, value: T): Promise<void> {
    return this.run('deleteIfEqual', () => super.deleteIfEqual(key, value), key);
  }
}

function setup() {
  const store = new StallingStore();
  const errors: unknown[] = [];
  const idempotency = new Idempotency(store, (error) => errors.push(error));
  return { store, errors, idempotency };
}

function counted<T>(answer: T) {
  const calls: number[] = [];
  return { calls, act: () => Promise.resolve(answer).then((value) => (calls.push(1), value)) };
}

/** The outcome of `call` once it settles: its answer, or the error it threw. */
const outcome = <T>(call: Promise<T>): Promise<T | unknown> => call.catch((error: unknown) => error);

describe('idempotency records in a store that fails or stops answering', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a claim not answered in time is refused before acting, and released when it lands late: the retry acts', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout'] });
    const { store, errors, idempotency } = setup();
    store.stalled = true;
    const first = counted('first');
    let settled = false;
    const refused = outcome(idempotency.run('c', 'k', 'op', {}, first.act)).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(IDEMPOTENCY_STORE_WAIT_MS - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await refused;
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', message: NOT_SENT });
    expect((error as Error).cause).toBeInstanceOf(StoreTimeout);
    expect(errors).toEqual([(error as Error).cause]);
    expect(first.calls).toHaveLength(0);
    // The store wakes: the claim's live key and the claim land, then its release.
    store.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(store.sent).toEqual(['set', 'setIfAbsent', 'deleteIfEqual']);
    const retry = counted('retry');
    expect(await idempotency.run('c', 'k', 'op', {}, retry.act)).toBe('retry');
    expect(retry.calls).toHaveLength(1);
  });

  it('the late release removes only the claim it was sent for, not another request’s record', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout'] });
    const { store, idempotency } = setup();
    // Another request holds the key: the stalled claim finds it, and its release must leave it.
    await idempotency.run('c', 'k', 'op', {}, counted('kept').act);
    store.stalled = true;
    const refused = outcome(idempotency.run('c', 'k', 'op', {}, counted('never').act));
    await vi.advanceTimersByTimeAsync(IDEMPOTENCY_STORE_WAIT_MS);
    expect(await refused).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    store.wake();
    await vi.advanceTimersByTimeAsync(0);
    const retry = counted('again');
    expect(await idempotency.run('c', 'k', 'op', {}, retry.act)).toBe('kept');
    expect(retry.calls).toHaveLength(0);
  });

  it('a claim the store fails is refused before acting, the store’s error kept as the cause and told', async () => {
    const { store, errors, idempotency } = setup();
    store.failing.add('setIfAbsent');
    const first = counted('first');
    const error = await outcome(idempotency.run('c', 'k', 'op', {}, first.act));
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', message: NOT_SENT });
    expect((error as Error).cause).toEqual(new Error('setIfAbsent failed'));
    expect(errors).toEqual([(error as Error).cause]);
    expect(first.calls).toHaveLength(0);
    store.failing.clear();
    expect(await idempotency.run('c', 'k', 'op', {}, first.act)).toBe('first');
  });

  it('a record that cannot be read (the key claimed) is refused before acting, and told', async () => {
    const { store, errors, idempotency } = setup();
    let finish: (value: string) => void = () => {};
    const running = idempotency.run('c', 'k', 'op', {}, () => new Promise<string>((resolve) => (finish = resolve)));
    await vi.waitFor(() => expect(store.sent).toContain('setIfAbsent'));
    store.failing.add('get');
    const second = counted('second');
    const error = await outcome(idempotency.run('c', 'k', 'op', {}, second.act));
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', message: NOT_SENT });
    expect((error as Error).cause).toEqual(new Error('get failed'));
    expect(errors).toEqual([(error as Error).cause]);
    expect(second.calls).toHaveLength(0);
    finish('first');
    expect(await running).toBe('first');
  });

  it('a record read not answered in time is refused before acting', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout'] });
    const { store, errors, idempotency } = setup();
    // The key is held by another request, and the read of its record stalls.
    const claimed = vi.spyOn(store, 'setIfAbsent').mockResolvedValue(false);
    store.stalled = true;
    let settled = false;
    const refused = outcome(idempotency.run('c', 'k', 'op', {}, counted('x').act)).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(IDEMPOTENCY_STORE_WAIT_MS - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await refused).toMatchObject({ code: 'STORE_UNAVAILABLE', message: NOT_SENT });
    expect(errors[0]).toBeInstanceOf(StoreTimeout);
    expect(claimed).toHaveBeenCalledOnce();
  });

  it('a record write that fails after the mutation acted still answers, and is told; a retry finds the claim in progress', async () => {
    const { store, errors, idempotency } = setup();
    store.failing.add('replaceIfEqual');
    const first = counted({ operation: 'op-1' });
    expect(await idempotency.run('c', 'k', 'op', {}, first.act)).toEqual({ operation: 'op-1' });
    expect(errors).toEqual([new Error('replaceIfEqual failed')]);
    expect(first.calls).toHaveLength(1);
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout'] });
    const retry = counted('retry');
    let settled = false;
    void outcome(idempotency.run('c', 'k', 'op', {}, retry.act)).finally(() => (settled = true));
    // It waits for the first's answer (given up after a minute), and does not act.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(settled).toBe(false);
    expect(retry.calls).toHaveLength(0);
  });

  it('a record that could not be written is sent again until the store takes it: a retry then gets the first answer', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'setInterval', 'clearInterval'] });
    const { store, idempotency } = setup();
    store.failing.add('replaceIfEqual');
    expect(await idempotency.run('c', 'k', 'op', {}, counted({ operation: 'op-1' }).act)).toEqual({ operation: 'op-1' });
    // The store is back: the next resend (every second) lands the record.
    store.failing.delete('replaceIfEqual');
    await vi.advanceTimersByTimeAsync(1_000);
    const retry = counted({ operation: 'op-2' });
    const answer = idempotency.run('c', 'k', 'op', {}, retry.act);
    await vi.advanceTimersByTimeAsync(100);
    expect(await answer).toEqual({ operation: 'op-1' });
    expect(retry.calls).toHaveLength(0);
  });

  it('a release that could not be sent after a refusal is sent again until it lands: the retry then acts', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'setInterval', 'clearInterval'] });
    const { store, idempotency } = setup();
    store.failing.add('replaceIfEqual');
    store.failing.add('deleteIfEqual');
    const refusal = new GatewayError('NOT_FOUND', 'no such backup');
    await expect(idempotency.run('c', 'k', 'op', {}, () => Promise.reject(refusal))).rejects.toBe(refusal);
    // The refusal could not stand in for the claim; the release, the claim's own (deleteIfEqual), is sent again each
    // second until the store answers again.
    await vi.advanceTimersByTimeAsync(1_000);
    store.failing.clear();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(store.sent.filter((method) => method === 'deleteIfEqual')).toHaveLength(2);
    const retry = counted('retry');
    const answer = idempotency.run('c', 'k', 'op', {}, retry.act);
    await vi.advanceTimersByTimeAsync(100);
    expect(await answer).toBe('retry');
    expect(retry.calls).toHaveLength(1);
  });

  it('a record write not answered in time after the mutation acted answers once the wait is over', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout'] });
    const { store, errors, idempotency } = setup();
    const act = async () => {
      store.stalled = true;
      return 'acted';
    };
    let settled = false;
    const answer = idempotency.run('c', 'k', 'op', {}, act).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(IDEMPOTENCY_STORE_WAIT_MS - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await answer).toBe('acted');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(StoreTimeout);
  });

  it.each([
    ['may have acted (its failure kept)', 'replaceIfEqual', new GatewayError('PROVIDER_TIMEOUT', 'provider p did not answer in time', { provider: 'p' })],
    ['was refused (its refusal in place of its claim)', 'replaceIfEqual', new GatewayError('NOT_FOUND', 'no such backup')],
  ])('a mutation that failed and %s is told its own failure when the record’s store fails', async (_name, method, failure) => {
    const { store, errors, idempotency } = setup();
    store.failing.add(method);
    await expect(idempotency.run('c', 'k', 'op', {}, () => Promise.reject(failure))).rejects.toBe(failure);
    expect(errors).toEqual([new Error(`${method} failed`)]);
  });

  it('a claim that landed but answered "taken" (sent again after its answer was lost) is held by its own request: it acts once', async () => {
    const { store, idempotency } = setup();
    store.claimsAnswerTaken = 1;
    const first = counted('first');
    expect(await idempotency.run('c', 'k', 'op', {}, first.act)).toBe('first');
    expect(first.calls).toHaveLength(1);
    const retry = counted('retry');
    expect(await idempotency.run('c', 'k', 'op', {}, retry.act)).toBe('first');
    expect(retry.calls).toHaveLength(0);
  });

  it('works without a listener for the store’s errors', async () => {
    const store = new StallingStore();
    store.failing.add('replaceIfEqual');
    const idempotency = new Idempotency(store);
    expect(await idempotency.run('c', 'k', 'op', {}, counted('acted').act)).toBe('acted');
    store.failing.add('setIfAbsent');
    await expect(idempotency.run('c', 'k2', 'op', {}, counted('never').act)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});
