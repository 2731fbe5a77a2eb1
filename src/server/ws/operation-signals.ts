import { cancellationController } from '../request-signal.js';

interface Running {
  controller: AbortController;
  onGone: () => void;
}

/**
 * Each query's (and subscription's) own cancellation signal on one WebSocket connection, aborted
 * when its client cancels it (`complete`) or the connection closes. With the connection's signal
 * alone, a query its client cancelled ran on: its reads still waiting for a provider account's
 * slot went out once their turn came, for an answer nobody would be sent, ahead of other clients'
 * reads. A mutation keeps the connection's signal: its client's `complete` does not stop it (its
 * writes never carry a signal, and the reads it does before them are what it acts on).
 */
export class OperationSignals {
  private readonly running = new Map<string, Running>();

  constructor(private readonly gone: AbortSignal) {}

  /** A new operation's signal; `end(id)` lets it go. */
  open(id: string): AbortSignal {
    const controller = cancellationController();
    const onGone = (): void => controller.abort();
    if (this.gone.aborted) controller.abort();
    else this.gone.addEventListener('abort', onGone, { once: true });
    this.running.set(id, { controller, onGone });
    return controller.signal;
  }

  /** Its client cancelled it: its reads waiting for a slot leave the queue, those in flight are cut. */
  cancel(id: string): void {
    const running = this.running.get(id);
    if (!running) return;
    this.end(id);
    running.controller.abort();
  }

  /**
   * Cancels each operation graphql-ws no longer holds (`held` false): its client's `complete` made
   * it forget it. Asked of graphql-ws rather than read from the message, a `complete` counts however
   * it is written: padded with whitespace or a field graphql-ws ignores, one read here by a length
   * cap (so as not to parse long messages twice) was honoured by graphql-ws and cut nothing.
   */
  cancelForgotten(held: (id: string) => boolean): void {
    for (const id of [...this.running.keys()]) if (!held(id)) this.cancel(id);
  }

  /** The operation ended, or was refused after its place was taken. */
  end(id: string): void {
    const running = this.running.get(id);
    if (!running) return;
    this.gone.removeEventListener('abort', running.onGone);
    this.running.delete(id);
  }
}
