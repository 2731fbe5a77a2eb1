import type { Operation } from '../domain/types.js';

/** Backoff of the provider polls behind a subscription. */
const FIRST_POLL_MS = 250;
const BACKOFF_FACTOR = 1.5;
const LONGEST_POLL_MS = 5_000;

type Listener = (operation: Operation | Error) => void;

interface Watch {
  listeners: Set<Listener>;
  last: string | null;
  timer: NodeJS.Timeout | null;
}

const isDone = (operation: Operation): boolean => operation.status === 'SUCCEEDED' || operation.status === 'FAILED';

/**
 * One poll loop per operation id, however many subscribers: each loop asks
 * the provider with backoff while at least one listener remains, tells every
 * listener about each status change, and stops when the operation ends or
 * nobody listens.
 */
export class OperationWatcher {
  private readonly watches = new Map<string, Watch>();

  /** Active poll loops (one per watched operation). */
  get loops(): number {
    return this.watches.size;
  }

  watch(id: string, poll: () => Promise<Operation>): AsyncIterableIterator<Operation> {
    const queue: Array<Operation | Error> = [];
    let wake: (() => void) | null = null;
    let finished = false;
    const listener: Listener = (event) => {
      queue.push(event);
      wake?.();
    };
    let watch = this.watches.get(id);
    if (!watch) {
      watch = { listeners: new Set(), last: null, timer: null };
      this.watches.set(id, watch);
      this.loop(id, watch, poll, FIRST_POLL_MS, true);
    }
    watch.listeners.add(listener);
    const leave = () => {
      finished = true;
      const current = this.watches.get(id);
      if (!current) return;
      current.listeners.delete(listener);
      if (current.listeners.size === 0) this.stop(id);
    };
    const iterator: AsyncIterableIterator<Operation> = {
      [Symbol.asyncIterator]: () => iterator,
      next: async () => {
        while (queue.length === 0 && !finished) await new Promise<void>((resolve) => (wake = resolve));
        const event = queue.shift();
        if (event === undefined) return { done: true, value: undefined };
        if (event instanceof Error) {
          leave();
          throw event;
        }
        if (isDone(event)) {
          finished = true;
          queue.length = 0;
          leave();
        }
        return { done: false, value: event };
      },
      return: async () => {
        leave();
        wake?.();
        return { done: true, value: undefined };
      },
    };
    return iterator;
  }

  /** Ends every loop (server shutdown). */
  close(): void {
    for (const id of [...this.watches.keys()]) this.stop(id);
  }

  private stop(id: string): void {
    const watch = this.watches.get(id);
    if (watch?.timer) clearTimeout(watch.timer);
    this.watches.delete(id);
  }

  private loop(id: string, watch: Watch, poll: () => Promise<Operation>, delayMs: number, immediately = false): void {
    watch.timer = setTimeout(
      () => {
        poll().then(
          (operation) => {
            if (this.watches.get(id) !== watch) return;
            const state = `${operation.status}|${operation.error ?? ''}`;
            if (state !== watch.last) {
              watch.last = state;
              for (const listener of watch.listeners) listener(operation);
            }
            if (isDone(operation)) this.stop(id);
            else this.loop(id, watch, poll, Math.min(delayMs * BACKOFF_FACTOR, LONGEST_POLL_MS));
          },
          (error: unknown) => {
            if (this.watches.get(id) !== watch) return;
            for (const listener of watch.listeners) listener(error instanceof Error ? error : new Error(String(error)));
            this.stop(id);
          },
        );
      },
      immediately ? 0 : delayMs,
    );
  }
}
