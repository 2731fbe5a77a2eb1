/**
 * `target.push(...items)` without the spread: spread arguments go on the
 * stack, and a list from one large account (~125,000 items) overflowed it.
 */
export function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
