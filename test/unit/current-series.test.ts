import { describe, expect, it } from 'vitest';
import { CurrentSeries } from '../../src/state/current-series.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import type { KeyValueStore } from '../../src/state/store.js';

const KEY = 'onapp-a:480:series';

/** `store` whose `replaceIfEqual` of KEY runs `before` first, for its first `times` calls. */
function beforeReplace(store: KeyValueStore, times: number, before: () => Promise<unknown>): KeyValueStore {
  let calls = 0;
  return new Proxy(store, {
    get: (target, name, receiver) => {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      if (name !== 'replaceIfEqual') return value.bind(target);
      return async (key: string, holding: unknown, next: unknown, ttlMs: number) => {
        if (key === KEY && calls < times) {
          calls += 1;
          await before();
        }
        return target.replaceIfEqual(key, holding, next, ttlMs);
      };
    },
  });
}

/** `store` whose every call fails, as a store that does not answer reads. */
const downStore = (): KeyValueStore =>
  new Proxy(new MemoryStore(), {
    get: () => () => Promise.reject(new Error('store down')),
  });

describe('CurrentSeries: the series an OnApp VM\'s restores under way join, in the shared store', () => {
  it('reads nothing named at first, names a mark once, and reads it back', async () => {
    const memory = new MemoryStore();
    const current = new CurrentSeries(memory, KEY, 60_000);
    expect(await current.read()).toEqual({ value: undefined, mark: undefined });
    expect(await current.start(10)).toBe(true);
    expect(await current.start(12)).toBe(false);
    const pointer = await current.read();
    expect(pointer).toEqual({ value: expect.stringMatching(/^10\//), mark: 10 });
  });

  it('reads a value naming no series as none: not text, no mark first, one past the safe integers', async () => {
    const memory = new MemoryStore();
    const current = new CurrentSeries(memory, KEY, 60_000);
    for (const value of [['10/x'], 10, 'garbage', 'x10/abc', '10', '999999999999999999/abc', '1234567890123456789/abc']) {
      await memory.set(KEY, value, 60_000);
      expect(await current.read()).toEqual({ value, mark: undefined });
    }
    // The largest mark of 18 digits that is a safe integer is read as it is.
    await memory.set(KEY, '9007199254740991/abc', 60_000);
    expect(await current.read()).toEqual({ value: '9007199254740991/abc', mark: 9007199254740991 });
  });

  it('answers unanswered, or undefined for a write, when the store does not answer', async () => {
    const current = new CurrentSeries(downStore(), KEY, 60_000);
    expect(await current.read()).toBe('unanswered');
    expect(await current.start(10)).toBeUndefined();
    expect(await current.move('10/x', 12)).toBeUndefined();
    expect(await current.keep(10)).toBeUndefined();
  });

  it('moves only from the value read', async () => {
    const memory = new MemoryStore();
    const current = new CurrentSeries(memory, KEY, 60_000);
    await current.start(10);
    const read = await current.read();
    if (read === 'unanswered') throw new Error('unanswered');
    expect(await current.move('10/another', 12)).toBe(false);
    expect(await current.move(read.value, 12)).toBe(true);
    expect(await current.read()).toMatchObject({ mark: 12 });
  });

  it('keeps the series it names, written anew so a move read before the keep fails; not another, nor a lapsed one', async () => {
    const memory = new MemoryStore();
    const current = new CurrentSeries(memory, KEY, 60_000);
    expect(await current.keep(10)).toBe(false);
    await current.start(10);
    const before = await current.read();
    if (before === 'unanswered') throw new Error('unanswered');
    expect(await current.keep(10)).toBe(true);
    const after = await current.read();
    expect(after).toMatchObject({ mark: 10 });
    expect(after).not.toEqual(before);
    expect(await current.move(before.value, 12)).toBe(false);
    expect(await current.keep(12)).toBe(false);
  });

  it('reads again when another caller kept the same series between its read and its write: kept at the eighth look, undefined after eight', async () => {
    for (const [othersKeeps, answer] of [[1, true], [7, true], [8, undefined]] as const) {
      const memory = new MemoryStore();
      const other = new CurrentSeries(memory, KEY, 60_000);
      await other.start(10);
      const current = new CurrentSeries(beforeReplace(memory, othersKeeps, () => memory.set(KEY, `10/${Math.random()}`, 60_000)), KEY, 60_000);
      expect([othersKeeps, await current.keep(10)]).toEqual([othersKeeps, answer]);
    }
  });
});
