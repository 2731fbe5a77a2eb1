/**
 * How long a mutation gives one shared-store call before it refuses, before
 * anything reaches the provider: the idempotency claim and an OnApp create's
 * or restore's place, taken one after the other on the same path. A
 * connection lost between a command and its answer is mended by ioredis
 * (reconnect after its first retry delay, 50 ms, then the command sent
 * again), which takes milliseconds on an idle machine and some hundreds on a
 * loaded one: a wait below that refused mutations the store would have
 * answered. Reads that can answer without the store (the read cache, an
 * operation's poll) wait far less.
 */
export const MUTATION_STORE_WAIT_MS = 2_000;

/**
 * A store call's answer, or undefined when it fails or has not answered
 * within `waitMs`. For state that improves an answer but must never hold it
 * up: a Redis that is down or slow would otherwise stall every request that
 * touches it (ioredis queues commands while it reconnects).
 */
export async function withinMs<T>(call: Promise<T>, waitMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, waitMs, undefined);
  });
  try {
    return await Promise.race([call.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A store call that did not answer within its wait: handled as a failed one. */
export class StoreTimeout extends Error {
  constructor(waitMs: number) {
    super(`the shared store did not answer within ${waitMs} ms`);
    this.name = 'StoreTimeout';
  }
}

/**
 * ioredis's own give-up at its `commandTimeout` (REDIS_COMMAND_TIMEOUT_MS): a plain Error with
 * this message and no code or class of its own (ioredis's Command.js). Calls no wait of ours
 * bounds (a heartbeat, a write sent without waiting) end this way on a Redis that stopped
 * answering, and are timeouts as much as a StoreTimeout is.
 */
const IOREDIS_COMMAND_TIMEOUT = 'Command timed out';

/** Whether a store call failed by not answering in time, ours or ioredis's wait, rather than by an error Redis or the connection gave. */
export function isStoreTimeout(error: unknown): error is Error {
  return error instanceof StoreTimeout || (error instanceof Error && error.name === 'Error' && error.message === IOREDIS_COMMAND_TIMEOUT);
}

/** A store call's answer, its failure, or StoreTimeout once `waitMs` has passed without either. */
export async function answerWithinMs<T>(call: Promise<T>, waitMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StoreTimeout(waitMs)), waitMs);
  });
  try {
    return await Promise.race([call, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Told of a store call that failed or did not answer in time (a StoreTimeout): counted and logged (store-failure-lines.ts). */
export type StoreFailed = (error: unknown) => void;

/**
 * withinMs for a store whose failures are counted and logged: its answer, or undefined when it
 * fails or has not answered within `waitMs`, after telling `failed` which.
 */
export async function withinMsTelling<T>(call: Promise<T>, waitMs: number, failed: StoreFailed): Promise<T | undefined> {
  try {
    return await answerWithinMs(call, waitMs);
  } catch (error) {
    failed(error);
    return undefined;
  }
}
