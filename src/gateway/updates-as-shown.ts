import type { Operation } from '../domain/types.js';
import { operationAsShown } from './operation-as-shown.js';
import type { RequestReads } from './request-reads.js';

const ended = (operation: Operation): boolean => operation.status === 'SUCCEEDED' || operation.status === 'FAILED';

/**
 * One subscriber's `operationUpdated` events, each as its answer shows it beside its backup
 * (operationAsShown, with this subscriber's reads). The first one shown finished is the last: the
 * shared poll loop still read the provider's RUNNING and went on, and its own SUCCEEDED came
 * after the subscriber had been told the operation ended, which the schema says it is told once.
 */
export function updatesAsShown(reads: RequestReads, updates: AsyncIterableIterator<Operation>): AsyncIterableIterator<Operation> {
  let done = false;
  const iterator: AsyncIterableIterator<Operation> = {
    [Symbol.asyncIterator]: () => iterator,
    next: async () => {
      if (done) return { done: true, value: undefined };
      const step = await updates.next();
      if (step.done === true) return step;
      const shown = await operationAsShown(reads, step.value);
      if (ended(shown) && !ended(step.value)) {
        done = true;
        await updates.return?.();
      }
      return { done: false, value: shown };
    },
    return: async () => {
      done = true;
      await updates.return?.();
      return { done: true, value: undefined };
    },
  };
  return iterator;
}
