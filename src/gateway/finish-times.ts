import type { Operation } from '../domain/types.js';
import type { KeyValueStore } from '../state/store.js';
import { operationId } from './ids.js';

/** How long the first finish time of an operation is kept: longer than anyone follows one. */
export const FINISH_TIME_KEPT_MS = 7 * 24 * 3_600_000;

/**
 * Providers seldom say when their work ended and operation ids carry no end:
 * an operation is finished when a read finds it so, and `finishedAt` was that
 * read's time, new on every read. The first time seen is kept per operation
 * (in the shared store, so every replica says the same), and every later read
 * answers it.
 */
export class FinishTimes {
  constructor(private readonly store: KeyValueStore) {}

  async of(operation: Operation): Promise<Date | null> {
    const seen = operation.finishedAt;
    if (!seen) return null;
    const key = operationId(operation);
    try {
      let first = await this.store.get<number>(key);
      if (first === undefined && !(await this.store.setIfAbsent(key, seen.getTime(), FINISH_TIME_KEPT_MS))) first = await this.store.get<number>(key);
      return first === undefined ? seen : new Date(first);
    } catch {
      // The store is down: this read's time, as before, rather than no answer.
      return seen;
    }
  }
}
