import { ROWS_PER_TURN, nextTurn } from './turns.js';

/**
 * Merge steps per turn: a merge step is one comparison and one copy, a
 * fraction of what sorting a slice costs per row (a comparison per halving),
 * so a turn of merging takes about as long as a turn of slice sorting.
 */
const MERGED_PER_TURN = 4 * ROWS_PER_TURN;

/**
 * `[...items].sort(compare)` for a list of any length without holding the
 * event loop: a list of up to ROWS_PER_TURN items is sorted at once; a longer
 * one is sorted in slices of ROWS_PER_TURN (one turn each), and the sorted
 * slices are merged pairwise, MERGED_PER_TURN items per turn. Stable, as
 * Array.prototype.sort is: on a tie the item earlier in the list comes first.
 */
export async function sortInTurns<Item>(items: readonly Item[], compare: (a: Item, b: Item) => number): Promise<Item[]> {
  if (items.length <= ROWS_PER_TURN) return [...items].sort(compare);
  let runs: Item[] = [];
  for (let start = 0; start < items.length; start += ROWS_PER_TURN) {
    if (start > 0) await nextTurn();
    const slice = items.slice(start, start + ROWS_PER_TURN).sort(compare);
    for (const item of slice) runs.push(item);
  }
  let spare: Item[] = new Array<Item>(items.length);
  let budget = MERGED_PER_TURN;
  for (let width = ROWS_PER_TURN; width < items.length; width *= 2) {
    for (let left = 0; left < items.length; left += 2 * width) {
      const middle = Math.min(left + width, items.length);
      const end = Math.min(left + 2 * width, items.length);
      let from = left;
      let to = middle;
      for (let at = left; at < end; at++) {
        if (budget-- === 0) {
          await nextTurn();
          budget = MERGED_PER_TURN - 1;
        }
        // `<= 0`: a tie takes the left run's item, the earlier one in the list.
        if (to >= end || (from < middle && compare(runs[from] as Item, runs[to] as Item) <= 0)) spare[at] = runs[from++] as Item;
        else spare[at] = runs[to++] as Item;
      }
    }
    [runs, spare] = [spare, runs];
  }
  return runs;
}
