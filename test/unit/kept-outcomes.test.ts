import { describe, expect, it } from 'vitest';
import { KeptOutcomes, outcomeOf } from '../../src/state/kept-outcomes.js';
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
});
