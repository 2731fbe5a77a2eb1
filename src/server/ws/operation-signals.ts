import { cancellationController } from '../request-signal.js';

/** The longest message read for a `complete`: its id is at most MAX_OPERATION_ID_LENGTH characters, each at most a six-character JSON escape. */
const LONGEST_COMPLETE_MESSAGE = 1_024;

/**
 * The operation id of a graphql-ws `complete` message (the client cancels that operation), or
 * undefined for any other message. graphql-ws reads the message too, but tells the gateway
 * nothing of a cancelled query: it only stops sending its answer.
 */
export function cancelledOperationId(text: string): string | undefined {
  if (text.length > LONGEST_COMPLETE_MESSAGE) return undefined;
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const { type, id } = message as { type?: unknown; id?: unknown };
  return type === 'complete' && typeof id === 'string' ? id : undefined;
}

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

  /** The operation ended, or was refused after its place was taken. */
  end(id: string): void {
    const running = this.running.get(id);
    if (!running) return;
    this.gone.removeEventListener('abort', running.onGone);
    this.running.delete(id);
  }
}
