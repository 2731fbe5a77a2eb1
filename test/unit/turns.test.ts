import { describe, expect, it } from 'vitest';
import { CHARS_PER_TURN, ROWS_PER_TURN, mapRows, turnIfPast } from '../../src/domain/turns.js';

/** How many rows had been mapped each time other work (a setImmediate queued meanwhile) got its turn. */
async function turnsDuring(rowCount: number): Promise<{ mapped: number[]; seenAt: number[] }> {
  let count = 0;
  const seenAt: number[] = [];
  let watching = true;
  const watch = () => {
    seenAt.push(count);
    if (watching) setImmediate(watch);
  };
  setImmediate(watch);
  const mapped = await mapRows(Array.from({ length: rowCount }, (_, index) => index), (row) => {
    count += 1;
    return row * 2;
  });
  watching = false;
  return { mapped, seenAt };
}

describe('mapRows', () => {
  it('maps a list the size of a dashboard at once, without giving up the event loop', async () => {
    const { mapped, seenAt } = await turnsDuring(ROWS_PER_TURN);
    expect(mapped).toEqual(Array.from({ length: ROWS_PER_TURN }, (_, index) => index * 2));
    // Nothing else ran before all of it was mapped.
    expect(seenAt.filter((count) => count < ROWS_PER_TURN)).toEqual([]);
  });

  it('gives other work a turn after every ROWS_PER_TURN rows of a longer list, keeping every row in order', async () => {
    const rows = 2 * ROWS_PER_TURN + 1;
    const { mapped, seenAt } = await turnsDuring(rows);
    expect(mapped).toEqual(Array.from({ length: rows }, (_, index) => index * 2));
    expect(seenAt.filter((count) => count < rows)).toEqual([ROWS_PER_TURN, 2 * ROWS_PER_TURN]);
  });

  it('maps nothing to nothing', async () => {
    expect(await mapRows([], () => 1)).toEqual([]);
  });
});

describe('turnIfPast', () => {
  const ranBefore = async (size: number, limit: number): Promise<boolean> => {
    let ran = false;
    setImmediate(() => (ran = true));
    await turnIfPast(size, limit);
    return ran;
  };

  it('lets queued work run first only past the limit', async () => {
    expect(await ranBefore(CHARS_PER_TURN + 1, CHARS_PER_TURN)).toBe(true);
    expect(await ranBefore(CHARS_PER_TURN, CHARS_PER_TURN)).toBe(false);
    expect(await ranBefore(0, CHARS_PER_TURN)).toBe(false);
  });

  it('takes a turn per 5,000 rows and per 1,000,000 characters', () => {
    expect([ROWS_PER_TURN, CHARS_PER_TURN]).toEqual([5_000, 1_000_000]);
  });
});
