import { describe, expect, it } from 'vitest';
import { sortInTurns } from '../../src/domain/sort-in-turns.js';
import { ROWS_PER_TURN } from '../../src/domain/turns.js';

/** What `sortInTurns` promises of a merge turn: four merge steps per row of a slice turn. */
const MERGE_STEPS_PER_TURN = 4 * ROWS_PER_TURN;

interface Item {
  index: number;
  value: number;
}

/**
 * `slices` slices of ROWS_PER_TURN items whose runs, once each slice is sorted, interleave at every
 * merge: item i has the value (i mod ROWS_PER_TURN) * slices + the slice it is in, so every merge
 * step compares (no run is used up before the last step or two of its merge).
 */
const interleaving = (slices: number): Item[] =>
  Array.from({ length: slices * ROWS_PER_TURN }, (_, index) => ({ index, value: (index % ROWS_PER_TURN) * slices + Math.floor(index / ROWS_PER_TURN) }));

/** The comparisons made between two turns of other work while `items` were sorted, split by whether both items came from one slice. */
async function comparisonsPerStretch(items: readonly Item[]) {
  const stretches: Array<{ withinSlice: number; acrossSlices: number }> = [{ withinSlice: 0, acrossSlices: 0 }];
  let watching = true;
  const watch = () => {
    stretches.push({ withinSlice: 0, acrossSlices: 0 });
    if (watching) setImmediate(watch);
  };
  setImmediate(watch);
  const sorted = await sortInTurns(items, (a, b) => {
    const stretch = stretches[stretches.length - 1] as { withinSlice: number; acrossSlices: number };
    if (Math.floor(a.index / ROWS_PER_TURN) === Math.floor(b.index / ROWS_PER_TURN)) stretch.withinSlice += 1;
    else stretch.acrossSlices += 1;
    return a.value - b.value;
  });
  watching = false;
  return { sorted, stretches: stretches.filter((stretch) => stretch.withinSlice + stretch.acrossSlices > 0) };
}

describe('sortInTurns: a long list sorted without holding the event loop', () => {
  it('sorts one slice of ROWS_PER_TURN a turn, then merges at most MERGE_STEPS_PER_TURN items a turn, and answers the sorted list', async () => {
    const items = interleaving(8);
    const { sorted, stretches } = await comparisonsPerStretch(items);
    expect(sorted.map((item) => item.value)).toEqual(items.map((item) => item.value).sort((a, b) => a - b));
    const slicing = stretches.filter((stretch) => stretch.withinSlice > 0);
    // One slice a turn: 8 stretches of sorting, none holding two slices' work.
    expect(slicing).toHaveLength(8);
    const merging = stretches.filter((stretch) => stretch.acrossSlices > 0);
    for (const stretch of merging) expect(stretch.acrossSlices).toBeLessThanOrEqual(MERGE_STEPS_PER_TURN);
    // Three rounds of merging 40,000 items, every step a comparison: six turns of it at least.
    const mergeSteps = merging.reduce((sum, stretch) => sum + stretch.acrossSlices, 0);
    expect(mergeSteps).toBeGreaterThan(3 * 8 * ROWS_PER_TURN - 3 * 8);
    expect(merging.length).toBeGreaterThanOrEqual(Math.ceil(mergeSteps / MERGE_STEPS_PER_TURN));
    // Each merge turn but the last does its full share: no turn taken for less.
    const full = merging.slice(0, -1).filter((stretch) => stretch.acrossSlices >= MERGE_STEPS_PER_TURN - 2);
    expect(full.length).toBe(merging.length - 1);
  }, 60_000);

  it('sorts a list of at most ROWS_PER_TURN items at once, taking no turn', async () => {
    const items = interleaving(1);
    const { sorted, stretches } = await comparisonsPerStretch(items);
    expect(sorted.map((item) => item.value)).toEqual(items.map((item) => item.value).sort((a, b) => a - b));
    expect(stretches).toHaveLength(1);
  });
});
