import { describe, expect, it } from 'vitest';
import { KeptOutcomes, OUTCOME_KEPT_MS, RESTORE_OUTCOMES_NAMESPACE, outcomeOf, type Outcome } from '../../src/state/kept-outcomes.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import type { KeyValueStore } from '../../src/state/store.js';

describe('KeptOutcomes', () => {
  it('keeps the first outcome of a marked operation; a later keep answers it', async () => {
    const outcomes = new KeptOutcomes(new MemoryStore());
    expect(await outcomes.of('restore')).toBe('unmarked');
    await outcomes.started('restore');
    expect(await outcomes.of('restore')).toBe('open');
    expect(await outcomes.keep('restore', { status: 'FAILED', error: 'cannot be confirmed' })).toEqual({ status: 'FAILED', error: 'cannot be confirmed' });
    // Another replica's poll, read before it, keeps its own: it is told the first.
    expect(await outcomes.keep('restore', { status: 'SUCCEEDED', error: null })).toEqual({ status: 'FAILED', error: 'cannot be confirmed' });
    expect(await outcomes.of('restore')).toEqual({ status: 'FAILED', error: 'cannot be confirmed' });
    // A replayed restore's mark leaves the outcome as it is.
    await outcomes.started('restore');
    expect(await outcomes.of('restore')).toEqual({ status: 'FAILED', error: 'cannot be confirmed' });
  });

  it('answers a failure as it reads it back: one line, control characters replaced, the same at every poll', async () => {
    const outcomes = new KeptOutcomes(new MemoryStore());
    await outcomes.started('restore');
    const kept = await outcomes.keep('restore', { status: 'FAILED', error: 'line one\nline\u0007two' });
    expect(kept).toEqual({ status: 'FAILED', error: 'line one line\ufffdtwo' });
    expect(await outcomes.of('restore')).toEqual(kept);
  });

  it('reads values of another shape as no outcome, and replaces one only as read', async () => {
    const store = new MemoryStore();
    const outcomes = new KeptOutcomes(store);
    for (const stored of [null, 42, 'SUCCEEDED', 'failed', { status: 'SUCCEEDED' }]) expect(outcomeOf(stored)).toBeNull();
    expect(outcomeOf('failed:')).toEqual({ status: 'FAILED', error: null });
    await outcomes.started('restore');
    await store.set('restore#outcome', 'by hand', 60_000);
    expect(await outcomes.of('restore')).toBe('open');
    expect(await outcomes.keep('restore', { status: 'SUCCEEDED', error: null })).toEqual({ status: 'SUCCEEDED', error: null });
    expect(await outcomes.of('restore')).toEqual({ status: 'SUCCEEDED', error: null });
  });

  it('a store that does not answer is unanswered, and keeps nothing', async () => {
    const never = new Promise<never>(() => {});
    const stalled = { getMany: () => never, setIfAbsent: () => never, get: () => never } as unknown as KeyValueStore;
    const outcomes = new KeptOutcomes(stalled);
    expect(await outcomes.of('restore')).toBe('unanswered');
    expect(await outcomes.keep('restore', { status: 'SUCCEEDED', error: null })).toBeUndefined();
    const failing = { getMany: () => Promise.reject(new Error('down')), setIfAbsent: () => Promise.reject(new Error('down')) } as unknown as KeyValueStore;
    expect(await new KeptOutcomes(failing).of('restore')).toBe('unanswered');
    expect(await new KeptOutcomes(failing).keep('restore', { status: 'SUCCEEDED', error: null })).toBeUndefined();
  });
  it('hands a mark the store did not take to be sent again; sent once the store is back, the operation is open', async () => {
    let down = true;
    class FlakyStore extends MemoryStore {
      override setIfAbsent<T>(key: string, value: T, ttlMs: number): Promise<boolean> {
        return down ? Promise.reject(new Error('down')) : super.setIfAbsent(key, value, ttlMs);
      }
    }
    const handed: { key: string; write: () => Promise<void>; keepMs: number }[] = [];
    const failures: unknown[] = [];
    const outcomes = new KeptOutcomes(new FlakyStore(), (error) => failures.push(error), (key, write, keepMs) => handed.push({ key, write, keepMs }));
    await outcomes.started('restore');
    expect(failures).toHaveLength(1);
    expect(handed.map(({ key, keepMs }) => [key, keepMs])).toEqual([['restore', OUTCOME_KEPT_MS]]);
    expect(await outcomes.of('restore')).toBe('unmarked');
    // Still down: the write fails, so the queue keeps it for its next round.
    await expect(handed[0]!.write()).rejects.toThrow('down');
    down = false;
    await handed[0]!.write();
    expect(await outcomes.of('restore')).toBe('open');
    // A mark the store took is handed nowhere.
    await outcomes.started('other');
    expect(handed).toHaveLength(1);
  });

  it('stores marks and outcomes in the words every replica reads, kept 24 h, under restore-outcome', async () => {
    // Replicas of two versions share the store during a rolling deploy: the stored words, the
    // expiry and the namespace are what they read of each other.
    const written: { key: string; value: unknown; ttlMs: number }[] = [];
    class NotedStore extends MemoryStore {
      override setIfAbsent<T>(key: string, value: T, ttlMs: number): Promise<boolean> {
        written.push({ key, value, ttlMs });
        return super.setIfAbsent(key, value, ttlMs);
      }
    }
    const store = new NotedStore();
    const outcomes = new KeptOutcomes(store);
    await outcomes.started('restore-1');
    await outcomes.keep('restore-1', { status: 'SUCCEEDED', error: null });
    await outcomes.started('restore-2');
    expect(await outcomes.keep('restore-2', { status: 'FAILED', error: null })).toEqual({ status: 'FAILED', error: null });
    await outcomes.started('restore-3');
    await outcomes.keep('restore-3', { status: 'FAILED', error: 'no image' });
    expect(written).toEqual([
      { key: 'restore-1', value: 'open', ttlMs: 86_400_000 },
      { key: 'restore-1#outcome', value: 'succeeded', ttlMs: 86_400_000 },
      { key: 'restore-2', value: 'open', ttlMs: 86_400_000 },
      { key: 'restore-2#outcome', value: 'failed:', ttlMs: 86_400_000 },
      { key: 'restore-3', value: 'open', ttlMs: 86_400_000 },
      { key: 'restore-3#outcome', value: 'failed:no image', ttlMs: 86_400_000 },
    ]);
    expect(OUTCOME_KEPT_MS).toBe(24 * 60 * 60 * 1000);
    expect(RESTORE_OUTCOMES_NAMESPACE).toBe('restore-outcome');
  });

  it("keeps each operation's outcome apart from every other's", async () => {
    const outcomes = new KeptOutcomes(new MemoryStore());
    await outcomes.started('restore-1');
    await outcomes.started('restore-2');
    await outcomes.keep('restore-1', { status: 'FAILED', error: 'no image' });
    expect(await outcomes.of('restore-2')).toBe('open');
    expect(await outcomes.keep('restore-2', { status: 'SUCCEEDED', error: null })).toEqual({ status: 'SUCCEEDED', error: null });
    expect(await outcomes.of('restore-1')).toEqual({ status: 'FAILED', error: 'no image' });
  });

  it('reads a mark the store answers as null (Redis does for a missing key) as unmarked', async () => {
    const nulls = { getMany: async () => [null, null] } as unknown as KeyValueStore;
    expect(await new KeptOutcomes(nulls).of('restore')).toBe('unmarked');
  });

  it('answers the outcome it kept without reading it again: a store slow after the set still gets its answer', async () => {
    const reads: string[] = [];
    const setThenStalled = {
      setIfAbsent: async () => true,
      get: (key: string) => {
        reads.push(key);
        return new Promise<never>(() => {});
      },
    } as unknown as KeyValueStore;
    expect(await new KeptOutcomes(setThenStalled).keep('restore', { status: 'SUCCEEDED', error: null })).toEqual({ status: 'SUCCEEDED', error: null });
    expect(reads).toEqual([]);
  });

  it('replaces a value of another shape only as read: not one it could not read, and answers nothing when another poll replaced it first', async () => {
    const succeeded: Outcome = { status: 'SUCCEEDED', error: null };
    const replacing: unknown[][] = [];
    const heldBy = (first: Promise<unknown>, replaced: boolean): KeyValueStore =>
      ({
        setIfAbsent: async () => false,
        get: () => first,
        replaceIfEqual: async (...args: unknown[]) => {
          replacing.push(args);
          return replaced;
        },
      }) as unknown as KeyValueStore;
    // The read of what is kept failed: nothing is known to replace.
    expect(await new KeptOutcomes(heldBy(Promise.reject(new Error('down')), true)).keep('restore', succeeded)).toBeUndefined();
    expect(replacing).toEqual([]);
    // Another poll replaced the hand-edited value first: this one told no outcome, it answers none.
    expect(await new KeptOutcomes(heldBy(Promise.resolve('by hand'), false)).keep('restore', succeeded)).toBeUndefined();
    expect(replacing).toEqual([['restore#outcome', 'by hand', 'succeeded', 86_400_000]]);
  });
});
