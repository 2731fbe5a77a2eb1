/**
 * `target.push(...items)` without the spread: spread arguments go on the
 * stack, and a list from one large account (~125,000 items) overflowed it.
 */
export function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/**
 * Adds `item` to the list `lists` holds under `key`, in place. Grouping a
 * provider's list with `[...(lists.get(key) ?? []), item]` copied the group
 * for every item: quadratic (40,000 backups of one ZStack VM took 7.5 s).
 */
export function appendToGroup<K, T>(lists: Map<K, T[]>, key: K, item: T): void {
  const list = lists.get(key);
  if (list) list.push(item);
  else lists.set(key, [item]);
}
