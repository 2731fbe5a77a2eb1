import { tellStopped, type StopListener } from './stop-listener.js';

/**
 * A coalesced read's stop signal (issue 14): fires when the last request
 * waiting on the flight has left. It goes where the GraphQL request's own
 * AbortSignal went before (the policy's `execute`, the concurrency slots,
 * each attempt's AttemptSignal), which use only `aborted`, `reason` and
 * add/removeEventListener('abort') (a function, or an object's handleEvent); this is that much of an AbortSignal. An
 * AbortController per read cost ~7 µs, on every upstream call of every
 * query (the same reason AttemptSignal is not one).
 */
export class FlightSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: StopListener[] | null = null;

  addEventListener(_type: 'abort', listener: StopListener): void {
    (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: StopListener): void {
    const listeners = this.listeners;
    if (!listeners) return;
    const index = listeners.indexOf(listener);
    if (index >= 0) listeners.splice(index, 1);
  }

  /** Fires once; each listener is called once and then let go (as with `{ once: true }`). */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners ?? [];
    this.listeners = null;
    for (const listener of listeners) tellStopped(listener);
  }

  /** Typed as what its consumers declare they take; see the class comment for what they use of it. */
  asAbortSignal(): AbortSignal {
    return this as unknown as AbortSignal;
  }
}
