import { ROWS_PER_TURN, nextTurn } from '../domain/turns.js';

/**
 * A list naming one id twice, kept once: the first. Its pages read at once
 * (Zomro), a list that changes while read can repeat a record that moved
 * from one page to the next; a provider that lists a backup under two VMs
 * repeats it across the account's lists; a cached list another writer made
 * may hold repeats this version would have removed. Failing the whole list
 * for it would blank the account's dashboard, and two different records
 * with one id could not be told apart by a global id, a cached entry or a
 * mutation anyway. The list itself when nothing repeats.
 */
export function firstOfEachId<T>(list: readonly T[], idOf: (item: T) => string): T[] {
  if (list.length < 2) return list as T[];
  const ids = new Set<string>();
  let repeated = false;
  for (const item of list) {
    const id = idOf(item);
    if (ids.has(id)) repeated = true;
    ids.add(id);
  }
  if (!repeated) return list as T[];
  ids.clear();
  return list.filter((item) => {
    const id = idOf(item);
    if (ids.has(id)) return false;
    ids.add(id);
    return true;
  });
}

/**
 * `firstOfEachId` giving the event loop a turn after every ROWS_PER_TURN
 * items of a longer list (making a key and looking it up is the cost: a set
 * of 300,000 backup keys took 150 ms). One pass: nothing is copied until an
 * id repeats, and the list itself comes back when none does.
 */
export async function firstOfEachIdInTurns<T>(list: readonly T[], idOf: (item: T) => string): Promise<T[]> {
  if (list.length <= ROWS_PER_TURN) return firstOfEachId(list, idOf);
  const ids = new Set<string>();
  let kept: T[] | null = null;
  for (let index = 0; index < list.length; index++) {
    if (index > 0 && index % ROWS_PER_TURN === 0) await nextTurn();
    const item = list[index] as T;
    const id = idOf(item);
    if (!ids.has(id)) {
      ids.add(id);
      kept?.push(item);
    } else kept ??= list.slice(0, index);
  }
  return kept ?? (list as T[]);
}
