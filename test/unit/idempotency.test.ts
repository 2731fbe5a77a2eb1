import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { UpstreamFailure, UpstreamNotSent } from '../../src/upstream/deadline.js';
import { CLAIM_LEASE_MS, FIRST_LOOK_AFTER_MS, IDEMPOTENCY_TTL_MS, Idempotency, LONGEST_LOOK_AFTER_MS, REPLAYED_FAILURE_NOTE, fingerprint } from '../../src/gateway/idempotency.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { RecordingStore } from './recording-store.js';

function counted<T>(answer: T) {
  const calls: number[] = [];
  return { calls, act: () => Promise.resolve(answer).then((value) => (calls.push(1), value)) };
}

describe('idempotency keys', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('the same client, key and input within the TTL gets the first answer, without acting again', async () => {
    const idempotency = new Idempotency(new RecordingStore());
    const first = counted({ operation: 'op-1' });
    expect(await idempotency.run('client-a', 'k1', 'createBackup', { name: 'n' }, first.act)).toEqual({ operation: 'op-1' });
    const second = counted({ operation: 'op-2' });
    expect(await idempotency.run('client-a', 'k1', 'createBackup', { name: 'n' }, second.act)).toEqual({ operation: 'op-1' });
    expect([first.calls.length, second.calls.length]).toEqual([1, 0]);
  });

  it('tells the caller of a replay, of an answer or of a failure, and never of a first run', async () => {
    const idempotency = new Idempotency(new RecordingStore());
    const replays: string[] = [];
    const hooks = (name: string) => ({ onReplay: () => replays.push(name) });
    await idempotency.run('client-a', 'k1', 'createBackup', { name: 'n' }, async () => 'made', hooks('first'));
    expect(replays).toEqual([]);
    expect(await idempotency.run('client-a', 'k1', 'createBackup', { name: 'n' }, async () => 'again', hooks('answer'))).toBe('made');
    const timeout = new GatewayError('PROVIDER_TIMEOUT', 'slow');
    await expect(idempotency.run('client-a', 'k2', 'createBackup', { name: 'n' }, () => Promise.reject(timeout), hooks('first failure'))).rejects.toBe(timeout);
    await expect(idempotency.run('client-a', 'k2', 'createBackup', { name: 'n' }, async () => 'again', hooks('failure'))).rejects.toMatchObject({ code: 'PROVIDER_TIMEOUT' });
    expect(replays).toEqual(['answer', 'failure']);
  });

  it('a recorded answer the caller cannot answer (isResult false) is CONFLICT, and nothing acts; a first run is not checked', async () => {
    const idempotency = new Idempotency(new RecordingStore());
    const isResult = (value: unknown) => typeof value === 'object' && value !== null && 'operation' in value;
    expect(await idempotency.run('client-a', 'k1', 'createBackup', { name: 'n' }, async () => 'no operation', { isResult })).toBe('no operation');
    let acted = 0;
    await expect(idempotency.run('client-a', 'k1', 'createBackup', { name: 'n' }, async () => ++acted, { isResult })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('the first request with it may have acted'),
    });
    expect(acted).toBe(0);
    await idempotency.run('client-a', 'k3', 'createBackup', { name: 'n' }, async () => ({ operation: 'op' }), { isResult });
    expect(await idempotency.run('client-a', 'k3', 'createBackup', { name: 'n' }, async () => ({ operation: 'other' }), { isResult })).toEqual({ operation: 'op' });
  });

  it('records are bound to the client: another client with the same key acts on its own', async () => {
    const idempotency = new Idempotency(new RecordingStore());
    await idempotency.run('client-a', 'shared-key', 'createBackup', { name: 'n' }, counted('a').act);
    const other = counted('b');
    expect(await idempotency.run('client-b', 'shared-key', 'createBackup', { name: 'n' }, other.act)).toBe('b');
    expect(other.calls).toHaveLength(1);
  });

  it('the same key with another input, or another operation, is CONFLICT', async () => {
    const idempotency = new Idempotency(new RecordingStore());
    await idempotency.run('client-a', 'k1', 'createBackup', { name: 'n' }, counted('a').act);
    const conflict = expect.objectContaining({ code: 'CONFLICT', message: 'idempotencyKey was already used with a different input: send a new idempotencyKey with each new request, and this one only to retry the request that first used it, with its input' });
    await expect(idempotency.run('client-a', 'k1', 'createBackup', { name: 'other' }, counted('b').act)).rejects.toThrow(conflict);
    await expect(idempotency.run('client-a', 'k1', 'deleteBackup', { name: 'n' }, counted('b').act)).rejects.toThrow(conflict);
  });

  it('keys from 1 to 200 characters are taken; an empty or longer one is BAD_USER_INPUT, before any action', async () => {
    const idempotency = new Idempotency(new RecordingStore());
    expect(await idempotency.run('c', 'k', 'op', {}, counted(1).act)).toBe(1);
    expect(await idempotency.run('c', 'k'.repeat(200), 'op', {}, counted(2).act)).toBe(2);
    for (const key of ['', 'k'.repeat(201)]) {
      const never = counted(3);
      await expect(idempotency.run('c', key, 'op', {}, never.act)).rejects.toThrow(
        expect.objectContaining({ code: 'BAD_USER_INPUT', message: 'idempotencyKey must be 1 to 200 characters' }),
      );
      expect(never.calls).toHaveLength(0);
    }
  });

  it.each([
    ['BAD_USER_INPUT', {}],
    ['NOT_FOUND', {}],
    ['UNSUPPORTED', {}],
    ['CONFLICT', {}],
    ['FORBIDDEN', {}],
    ['UNAUTHENTICATED', {}],
    ['PROVIDER_ERROR', { providerCode: 'SYS.1006' }],
    ['PROVIDER_ERROR', {}],
    // A provider's own code that only contains one of ours (HTTP_2xx, HTTP_3xx: it may have acted) is its refusal.
    ['PROVIDER_ERROR', { providerCode: 'SYS.HTTP_200' }],
    ['PROVIDER_ERROR', { providerCode: 'HTTP_2001' }],
  ] as const)('a first attempt refused without acting (%s) releases the key: the retry acts', async (code, details) => {
    await expectReleased(new GatewayError(code, 'refused', details));
  });

  it.each([
    ['the breaker open', new UpstreamNotSent('p', 'provider p is unavailable (circuit open)')],
    ['the queue full', new UpstreamNotSent('p', 'provider p is overloaded (too many requests queued)')],
    ['429', new UpstreamFailure('PROVIDER_UNAVAILABLE', 'provider p is rate limiting requests', { provider: 'p', retryAfterSeconds: 2 }, 'rate_limited')],
    ['connection refused', new UpstreamFailure('PROVIDER_UNAVAILABLE', 'provider p is unreachable', { provider: 'p' }, 'refused')],
    ['no DNS name', new UpstreamFailure('PROVIDER_UNAVAILABLE', 'provider p is unreachable', { provider: 'p' }, 'dns')],
    ['a TLS handshake refused', new UpstreamFailure('PROVIDER_UNAVAILABLE', 'provider p is unreachable', { provider: 'p' }, 'tls')],
  ] as const)('a call that never reached the provider (%s) releases the key: the retry acts', async (_name, failure) => {
    await expectReleased(failure);
  });

  async function expectReleased(failure: Error) {
    const idempotency = new Idempotency(new RecordingStore());
    await expect(idempotency.run('c', 'k', 'op', {}, () => Promise.reject(failure))).rejects.toBe(failure);
    const retry = counted('done');
    expect(await idempotency.run('c', 'k', 'op', {}, retry.act)).toBe('done');
    expect(retry.calls).toHaveLength(1);
  }

  it.each([
    ['PROVIDER_UNAVAILABLE', new GatewayError('PROVIDER_UNAVAILABLE', 'provider p answered HTTP 503', { provider: 'p', retryAfterSeconds: 30 })],
    ['PROVIDER_TIMEOUT', new GatewayError('PROVIDER_TIMEOUT', 'provider p did not answer in time', { provider: 'p' })],
    ['an answer that could not be read', new GatewayError('PROVIDER_ERROR', 'provider p sent malformed JSON', { provider: 'p', providerCode: 'INVALID_RESPONSE' })],
    ['an answer too large', new GatewayError('PROVIDER_ERROR', 'provider p sent an answer that is too large', { provider: 'p', providerCode: 'RESPONSE_TOO_LARGE' })],
    ['the call budget spent after a write', new GatewayError('QUERY_TOO_COMPLEX', 'too many upstream calls')],
    ['a 2xx an adapter could not understand', new GatewayError('PROVIDER_ERROR', 'provider p answered HTTP 200 without a BILLmanager document', { provider: 'p', providerCode: 'HTTP_200' })],
    ['a redirect, which the gateway does not follow', new GatewayError('PROVIDER_ERROR', 'provider p redirected the request (HTTP 303)', { provider: 'p', providerCode: 'HTTP_303' })],
    ['a 5xx', new UpstreamFailure('PROVIDER_UNAVAILABLE', 'provider p answered HTTP 503', { provider: 'p' }, 'http_5xx')],
    ['a connection reset', new UpstreamFailure('PROVIDER_UNAVAILABLE', 'provider p is unreachable', { provider: 'p' }, 'reset')],
  ] as const)('a first attempt that may have acted (%s) keeps the key: a retry gets that failure again, without acting', async (_name, failure) => {
    const idempotency = new Idempotency(new RecordingStore());
    await expect(idempotency.run('c', 'k', 'op', { n: 1 }, () => Promise.reject(failure))).rejects.toBe(failure);
    const retry = counted('done');
    const replayed = await idempotency.run('c', 'k', 'op', { n: 1 }, retry.act).then(
      () => null,
      (error: unknown) => error as GatewayError,
    );
    expect(retry.calls).toHaveLength(0);
    expect(replayed).toBeInstanceOf(GatewayError);
    expect(replayed?.code).toBe(failure.code);
    expect(replayed?.message).toBe(failure.message + REPLAYED_FAILURE_NOTE);
    expect(REPLAYED_FAILURE_NOTE).toContain('the provider may have acted on it: check before trying again with a new idempotencyKey');
    const { retryAfterSeconds: _stale, ...details } = failure.details;
    expect(replayed?.details).toEqual(details);
    // Another input with the key is still CONFLICT; another key acts.
    await expect(idempotency.run('c', 'k', 'op', { n: 2 }, retry.act)).rejects.toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(await idempotency.run('c', 'k2', 'op', { n: 1 }, retry.act)).toBe('done');
  });

  it('an error that is no GatewayError keeps the key too, replayed as an internal error with no detail', async () => {
    const idempotency = new Idempotency(new RecordingStore());
    await expect(idempotency.run('c', 'k', 'op', {}, () => Promise.reject(new TypeError('x is undefined')))).rejects.toThrow(TypeError);
    await expect(idempotency.run('c', 'k', 'op', {}, counted('done').act)).rejects.toThrow(
      expect.objectContaining({ code: 'INTERNAL_SERVER_ERROR', message: `internal error${REPLAYED_FAILURE_NOTE}`, details: {} }),
    );
  });

  it('holds the claim and the answer for 24 hours', async () => {
    const store = new RecordingStore();
    await new Idempotency(store).run('c', 'k', 'op', {}, counted('x').act);
    expect(IDEMPOTENCY_TTL_MS).toBe(24 * 60 * 60 * 1000);
    expect(store.calls.map((call) => [call.method, call.ttlMs])).toEqual([
      ['set', CLAIM_LEASE_MS],
      ['setIfAbsent', IDEMPOTENCY_TTL_MS],
      // The answer, in place of the request's own claim.
      ['replaceIfEqual', IDEMPOTENCY_TTL_MS],
      // The live key, once the answer is recorded.
      ['delete', undefined],
    ]);
  });

  it('a second request while the first is running waits for its answer and does not act', async () => {
    const store = new RecordingStore();
    const idempotency = new Idempotency(store);
    let finish: (value: string) => void = () => {};
    const first = idempotency.run('c', 'k', 'op', { n: 1 }, () => new Promise<string>((resolve) => (finish = resolve)));
    const second = counted('second');
    const waiting = idempotency.run('c', 'k', 'op', { n: 1 }, second.act);
    // The second has found the claim and is waiting on it.
    await vi.waitFor(() => expect(store.calls.filter((call) => call.method === 'get').length).toBeGreaterThan(1));
    finish('first');
    expect(await Promise.all([first, waiting])).toEqual(['first', 'first']);
    expect(second.calls).toHaveLength(0);
  });

  it('a request that waited on a running first one is told of one replay, and its answer is checked only once there is one', async () => {
    const store = new RecordingStore();
    const idempotency = new Idempotency(store);
    let finish: (value: { operation: string }) => void = () => {};
    const first = idempotency.run('c', 'k', 'op', { n: 1 }, () => new Promise<{ operation: string }>((resolve) => (finish = resolve)));
    let replays = 0;
    const isResult = (value: unknown) => typeof value === 'object' && value !== null && 'operation' in value;
    // Another replica: one on this one waits for the first without the store (claims-held-here.ts).
    const waiting = new Idempotency(store).run('c', 'k', 'op', { n: 1 }, async () => ({ operation: 'second' }), { onReplay: () => replays++, isResult });
    await vi.waitFor(() => expect(store.calls.filter((call) => call.method === 'get').length).toBeGreaterThan(2));
    finish({ operation: 'first' });
    expect(await Promise.all([first, waiting])).toEqual([{ operation: 'first' }, { operation: 'first' }]);
    expect(replays).toBe(1);
  });

  it('a replayed failure is not checked as an answer', async () => {
    const idempotency = new Idempotency(new RecordingStore());
    const isResult = () => false;
    const timeout = new GatewayError('PROVIDER_TIMEOUT', 'slow');
    await expect(idempotency.run('c', 'k', 'op', { n: 1 }, () => Promise.reject(timeout), { isResult })).rejects.toBe(timeout);
    await expect(idempotency.run('c', 'k', 'op', { n: 1 }, async () => 'again', { isResult })).rejects.toMatchObject({ code: 'PROVIDER_TIMEOUT' });
  });

  it('a second request with another input while the first is running is CONFLICT at once', async () => {
    const idempotency = new Idempotency(new RecordingStore());
    let finish: (value: string) => void = () => {};
    const first = idempotency.run('c', 'k', 'op', { n: 1 }, () => new Promise<string>((resolve) => (finish = resolve)));
    await expect(idempotency.run('c', 'k', 'op', { n: 2 }, counted('x').act)).rejects.toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    finish('first');
    await first;
  });

  it('gives up with CONFLICT when the first request is still running after a minute', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout'] });
    const store = new RecordingStore();
    void new Idempotency(store).run('c', 'k', 'op', {}, () => new Promise<string>(() => {}));
    const waiting = new Idempotency(store).run('c', 'k', 'op', {}, counted('x').act);
    const outcome = waiting.then(
      () => 'answered',
      (error: unknown) => error,
    );
    let settled = false;
    void outcome.then(() => (settled = true));
    // At the minute itself it still waits; the next look after it gives up.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(LONGEST_LOOK_AFTER_MS);
    expect(settled).toBe(true);
    expect(await outcome).toMatchObject({ code: 'CONFLICT', message: 'a request with this idempotencyKey is still in progress: send it again later with the same idempotencyKey, and it is answered as that request was' });
  });

  it('a retry on the replica running the first request gives up with CONFLICT after a minute too, reading nothing of the store meanwhile', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'setInterval', 'clearInterval'] });
    const store = new RecordingStore();
    const idempotency = new Idempotency(store);
    let begin: () => void = () => {};
    const started = new Promise<void>((resolve) => (begin = resolve));
    void idempotency.run('c', 'k', 'op', {}, () => (begin(), new Promise<string>(() => {})));
    await started;
    const callsBefore = store.calls.length;
    const again = counted('x');
    const waiting = idempotency.run('c', 'k', 'op', {}, again.act).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(60_001);
    expect(await waiting).toMatchObject({ code: 'CONFLICT', message: 'a request with this idempotencyKey is still in progress: send it again later with the same idempotencyKey, and it is answered as that request was' });
    expect(again.calls).toHaveLength(0);
    // The first's own renewals of its live key are all it sent.
    expect(store.calls.slice(callsBefore).filter((call) => call.method !== 'set')).toEqual([]);
  });

  it('a retry waiting on a running first request looks less often as it waits: about 130 reads in its minute, not 2,400', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'setInterval', 'clearInterval'] });
    const store = new RecordingStore();
    void new Idempotency(store).run('c', 'k', 'op', {}, () => new Promise<string>(() => {}));
    // On another replica: on the first one's own it waits without reading the store.
    const waiting = new Idempotency(store).run('c', 'k', 'op', {}, counted('x').act).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1_000);
    const recordReads = () => store.calls.filter((call) => call.method === 'get' && !call.keys[0]?.startsWith('live:')).length;
    const liveReads = () => store.calls.filter((call) => call.method === 'get' && call.keys[0]?.startsWith('live:')).length;
    const readsInFirstSecond = recordReads();
    // 25, 38, 57, 86, 129, 194, 291 ms...: seven looks in the first second, the first at once.
    expect(readsInFirstSecond).toBeGreaterThanOrEqual(6);
    expect(readsInFirstSecond).toBeLessThanOrEqual(8);
    // The holder's live key: read at the first look only, then once a third of a lease.
    expect(liveReads()).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await waiting).toMatchObject({ code: 'CONFLICT', message: 'a request with this idempotencyKey is still in progress: send it again later with the same idempotencyKey, and it is answered as that request was' });
    const reads = recordReads();
    expect(reads).toBeGreaterThan(100);
    expect(reads).toBeLessThan(140);
    expect(liveReads()).toBeGreaterThanOrEqual(6);
    expect(liveReads()).toBeLessThanOrEqual(8);
  });

  it("a retry waiting on a running first request leaves no entries behind: the records' answers are not evicted", async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'setInterval', 'clearInterval'] });
    // Room for a few records and their live keys, as idempotencyMaxEntries gives in memory.
    const idempotency = new Idempotency(new MemoryStore(20));
    await idempotency.run('c', 'answered', 'op', {}, counted('first answer').act);
    void idempotency.run('c', 'running', 'op', {}, () => new Promise<string>(() => {}));
    const waiting = idempotency.run('c', 'running', 'op', {}, counted('x').act).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(20_000);
    const again = counted('acted again');
    expect(await idempotency.run('c', 'answered', 'op', {}, again.act)).toBe('first answer');
    expect(again.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(60_000);
    await waiting;
  });

  it("a finished request's live key goes with its answer recorded: the records keep the whole of the store's entries", async () => {
    // Room for ten entries: six answers and six live keys left for their lease evicted the first answer.
    const idempotency = new Idempotency(new MemoryStore(10));
    for (let index = 0; index < 6; index++) await idempotency.run('c', `key-${index}`, 'op', {}, counted(`answer ${index}`).act);
    const again = counted('acted again');
    expect(await idempotency.run('c', 'key-0', 'op', {}, again.act)).toBe('answer 0');
    expect(again.calls).toHaveLength(0);
  });

  it('a retry that finds the live key gone as the answer lands gets the answer, not "stopped"', async () => {
    let finish: (value: string) => void = () => {};
    let holder: Promise<string> = Promise.resolve('');
    class AnswerLandsFirst extends RecordingStore {
      private landed = false;
      override async get<T>(key: string): Promise<T | undefined> {
        // The retry read the claim pending; before its read of the live key, the holder's answer lands and its live key goes.
        if (key.startsWith('live:') && !this.landed) {
          this.landed = true;
          finish('first');
          await holder;
        }
        return super.get<T>(key);
      }
    }
    const idempotency = new Idempotency(new AnswerLandsFirst());
    holder = idempotency.run('c', 'k', 'op', {}, () => new Promise<string>((resolve) => (finish = resolve)));
    const second = counted('second');
    expect(await idempotency.run('c', 'k', 'op', {}, second.act)).toBe('first');
    expect(second.calls).toHaveLength(0);
  });

  it('a retry sees a quick first answer within its first looks', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout'] });
    const idempotency = new Idempotency(new RecordingStore());
    let finish: (value: string) => void = () => {};
    void idempotency.run('c', 'k', 'op', {}, () => new Promise<string>((resolve) => (finish = resolve)));
    let answer: unknown = null;
    void idempotency.run('c', 'k', 'op', {}, counted('second').act).then((value) => (answer = value));
    await vi.advanceTimersByTimeAsync(10);
    finish('first');
    await vi.advanceTimersByTimeAsync(FIRST_LOOK_AFTER_MS);
    expect(answer).toBe('first');
  });
});

describe('claims that vanish', () => {
  it('a claim that expires between the check and the read (another process timed out) is taken over, not a crash', async () => {
    class ExpiringClaimStore extends RecordingStore {
      private refused = false;
      override async setIfAbsent<T>(key: string, value: T, ttlMs: number): Promise<boolean> {
        // The first claim meets a record that expires before it can be read.
        if (!this.refused) {
          this.refused = true;
          return false;
        }
        return super.setIfAbsent(key, value, ttlMs);
      }
    }
    const act = counted('mine');
    expect(await new Idempotency(new ExpiringClaimStore()).run('c', 'k', 'op', {}, act.act)).toBe('mine');
    expect(act.calls).toHaveLength(1);
  });
});

describe('input fingerprints', () => {
  it('keep list items apart: [1, 23] is not [12, 3]', () => {
    expect(fingerprint('op', [1, 23])).not.toBe(fingerprint('op', [12, 3]));
    expect(fingerprint('op', { a: [1, 23] })).not.toBe(fingerprint('op', { a: [12, 3] }));
  });

  it('ignore the order of object keys, at any depth', () => {
    expect(fingerprint('op', { a: 1, b: { c: 2, d: [1, 2] } })).toBe(fingerprint('op', { b: { d: [1, 2], c: 2 }, a: 1 }));
  });

  it('differ for another operation, another value, another list order or another nesting', () => {
    const base = fingerprint('op', { a: [1, 2], b: 'x' });
    expect(fingerprint('op2', { a: [1, 2], b: 'x' })).not.toBe(base);
    expect(fingerprint('op', { a: [2, 1], b: 'x' })).not.toBe(base);
    expect(fingerprint('op', { a: [1, 2], b: 'y' })).not.toBe(base);
    expect(fingerprint('op', { a: [1, 2], c: 'x' })).not.toBe(base);
    expect(fingerprint('op', { a: [[1, 2]], b: 'x' })).not.toBe(base);
    expect(fingerprint('op', { a: { 0: 1, 1: 2 }, b: 'x' })).not.toBe(base);
    expect(fingerprint('op', '1')).not.toBe(fingerprint('op', 1));
  });

  it('read a missing value as null, and are a SHA-256 in hex', () => {
    expect(fingerprint('op', { a: undefined })).toBe(fingerprint('op', { a: null }));
    expect(fingerprint('op', undefined)).toBe(fingerprint('op', null));
    expect(fingerprint('op', {})).toMatch(/^[0-9a-f]{64}$/);
  });
});
