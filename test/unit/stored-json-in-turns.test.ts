import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { STORED_CHARS_PER_TURN, decodeStored, decodeStoredInTurns, encodeStored, encodeStoredInTurns } from '../../src/state/stored-json.js';

/**
 * A cached list of a large account (a 150,000-VM instance list is some 60 MB stored) was written
 * and read by one JSON.stringify and one JSON.parse, each with its reviver: seconds of a held event
 * loop on every replica. Long texts now go a piece at a time, and must give exactly what the one go
 * gave: the same stored text, the same value (Dates as Dates, tagged strings kept).
 */

const record = (index: number) => ({
  providerId: 'lab',
  nativeId: `vm-${index}`,
  name: index % 7 === 0 ? '2030-01-01T00:00:00Z' : `instance ${index} "quoted" \\ back`,
  note: index % 11 === 0 ? '\u0001D2026-11-30T10:00:00.000Z' : index % 13 === 0 ? '\u0001' : null,
  createdAt: new Date(1_700_000_000_000 + index),
  keyExtra: [],
  raw: { nested: { list: [index, `${index}`, new Date(index), { deeper: [true, null] }] }, '\u0001D': 'key kept' },
});

/** About `chars` characters of stored text, in records. */
const listOf = (chars: number) => Array.from({ length: Math.ceil(chars / 200) }, (_, index) => record(index));

/** How many turns of the event loop other work got while `work` ran. */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let running = true;
  const ticker = (async () => {
    while (running) {
      await nextTurn();
      // A turn that came after the work ended is not one it gave.
      if (running) turns++;
    }
  })();
  const value = await work();
  running = false;
  await ticker;
  return { value, turns };
}

describe('stored JSON, written and read in turns', () => {
  it('writes a long list to the very text encodeStored writes, and reads it back to the very value decodeStored reads', async () => {
    const list: unknown[] = listOf(3 * STORED_CHARS_PER_TURN);
    // What JSON.stringify writes as null inside an array.
    list.push(undefined, () => 1, Symbol('s'), new Date(Number.NaN));
    const text = await encodeStoredInTurns(list);
    expect(text.length).toBeGreaterThan(3 * STORED_CHARS_PER_TURN);
    expect(text).toBe(encodeStored(list));
    const back = await decodeStoredInTurns<unknown[]>(text);
    expect(back).toEqual(decodeStored(text));
    const first = back[0] as ReturnType<typeof record>;
    expect(first.createdAt).toBeInstanceOf(Date);
    expect((first.raw.nested.list[2] as Date).getTime()).toBe(0);
    expect((back[11] as ReturnType<typeof record>).note).toBe('\u0001D2026-11-30T10:00:00.000Z');
    expect((back[7] as ReturnType<typeof record>).name).toBe('2030-01-01T00:00:00Z');
    expect(back.slice(-4, -1)).toEqual([null, null, null]);
    expect(Number.isNaN((back.at(-1) as Date).getTime())).toBe(true);
  });

  it('reads a long text of the format before tagging as decodeStored does (whole ISO strings revived)', async () => {
    const legacy = JSON.stringify(Array.from({ length: 40_000 }, (_, index) => ({ at: '2026-11-30T10:00:00Z', name: `x${index}`, around: 'x2026-11-30T10:00:00Z' })));
    expect(legacy.length).toBeGreaterThan(STORED_CHARS_PER_TURN);
    const back = await decodeStoredInTurns<Array<{ at: Date; around: string }>>(legacy);
    expect(back).toEqual(decodeStored(legacy));
    expect(back[39_999]!.at).toBeInstanceOf(Date);
    expect(back[39_999]!.around).toBe('x2026-11-30T10:00:00Z');
  });

  it('gives the event loop turns while it writes and reads a long list (the one go gave none)', async () => {
    const list = listOf(6 * STORED_CHARS_PER_TURN);
    const written = await turnsDuring(() => encodeStoredInTurns(list));
    expect(written.turns).toBeGreaterThanOrEqual(4);
    const read = await turnsDuring(() => decodeStoredInTurns(written.value));
    expect(read.turns).toBeGreaterThanOrEqual(4);
  });

  it('writes the read cache\'s entry on a shared store ({ generation, list }) in turns too, to the very text encodeStored writes', async () => {
    const entry: Record<string, unknown> = { generation: 'g-1', list: listOf(6 * STORED_CHARS_PER_TURN), at: new Date(5), tag: '\u0001x', gone: undefined, other: [new Date(6)] };
    const written = await turnsDuring(() => encodeStoredInTurns(entry));
    expect(written.value).toBe(encodeStored(entry));
    expect(written.turns).toBeGreaterThanOrEqual(4);
    const read = await turnsDuring(() => decodeStoredInTurns(written.value));
    expect(read.value).toEqual(decodeStored(written.value));
    expect(read.turns).toBeGreaterThanOrEqual(4);
  });

  it('writes what is no list nor plain object, and a short list, in one go, as before', async () => {
    const value = new Map([['list', listOf(2 * STORED_CHARS_PER_TURN)]]);
    const other = await turnsDuring(() => encodeStoredInTurns(value));
    expect(other.value).toBe(encodeStored(value));
    expect(other.turns).toBe(0);
    const short = await turnsDuring(() => encodeStoredInTurns(listOf(1_000)));
    expect(short.turns).toBe(0);
    const readShort = await turnsDuring(() => decodeStoredInTurns(short.value));
    expect(readShort.turns).toBe(0);
  });
});
