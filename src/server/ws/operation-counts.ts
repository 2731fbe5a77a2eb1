/**
 * Operations of a connection at once, this one included (ctx.subscriptions already holds it).
 * graphql-ws forgets an operation at its client's `complete`, but a query or mutation goes on
 * running to its end: counted by ctx.subscriptions alone, a client sending `complete` after
 * each `subscribe` ran any number at once past the cap.
 */
export function operationsRunning(subscriptions: Readonly<Record<string, unknown>>, answering: ReadonlyMap<string, number>): number {
  let count = Object.keys(subscriptions).length;
  for (const id of answering.keys()) if (!Object.hasOwn(subscriptions, id)) count += 1;
  return count;
}

/** One more of `id`. Counted per id: a client may cancel an operation and reuse its id while the first still runs. */
export function countUp(counts: Map<string, number>, id: string): void {
  counts.set(id, (counts.get(id) ?? 0) + 1);
}

/** One less of `id`; the entry goes at none. */
export function countDown(counts: Map<string, number>, id: string): void {
  const left = (counts.get(id) ?? 0) - 1;
  if (left > 0) counts.set(id, left);
  else counts.delete(id);
}
