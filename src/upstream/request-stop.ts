import { tellStopped, type StopListener } from './stop-listener.js';

/**
 * The stop signal of one GraphQL request's upstream reads: fires when the
 * client's own signal does (the client left), or when the request is refused
 * for what it has already read (`stop`, called by UpstreamBudget). Its reads
 * still waiting for a slot leave the queue, those waiting between retries
 * are not sent, those in flight drop their connection, and a coalesced read
 * loses only this request's waiter (ReadCoalescer.wait), as for a client
 * that left.
 *
 * Like FlightSignal, only as much of an AbortSignal as its consumers use
 * (`aborted`, `reason`, add/removeEventListener('abort'), a listener a function or an object's
 * `handleEvent`: stop-listener.ts), and it listens to
 * the client's signal only while something listens to it: a request scope
 * outlives none of its reads, but the protection sweep makes one per sweep
 * over the gateway's lifelong stopping signal, and a listener left there per
 * sweep would pile up for as long as the process runs.
 */
export class RequestStop {
  private stopped = false;
  private stopReason: unknown = undefined;
  private listeners: StopListener[] = [];
  private readonly onParentAbort = (): void => this.stop(this.parent?.reason);

  constructor(private readonly parent: AbortSignal | undefined) {}

  get aborted(): boolean {
    return this.stopped || this.parent?.aborted === true;
  }

  get reason(): unknown {
    return this.stopped ? this.stopReason : this.parent?.reason;
  }

  addEventListener(_type: 'abort', listener: StopListener): void {
    if (this.listeners.length === 0) this.parent?.addEventListener('abort', this.onParentAbort, { once: true });
    this.listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: StopListener): void {
    const index = this.listeners.indexOf(listener);
    if (index < 0) return;
    this.listeners.splice(index, 1);
    if (this.listeners.length === 0) this.parent?.removeEventListener('abort', this.onParentAbort);
  }

  /** Fires once; each listener is called once and then let go (as with `{ once: true }`). */
  stop(reason: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stopReason = reason;
    const listeners = this.listeners;
    this.listeners = [];
    this.parent?.removeEventListener('abort', this.onParentAbort);
    for (const listener of listeners) tellStopped(listener);
  }

  /** Typed as what its consumers declare they take; see the class comment for what they use of it. */
  asAbortSignal(): AbortSignal {
    return this as unknown as AbortSignal;
  }
}
