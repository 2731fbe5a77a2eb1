import type { IBackoff, IBackoffFactory, IRetryBackoffContext } from 'cockatiel';

/**
 * A read's retries: its attempt again after each failure `retryable` accepts,
 * up to `maxAttempts` more, waiting the backoff between them. Ours rather than
 * cockatiel's `retry`, whose backoff wait is a plain timer: a read whose
 * request stopped during it (its client left, or its answers passed their
 * budget) sent nothing more, but its request still waited out the whole
 * backoff (up to `retryMaxDelayMs`, or a provider's Retry-After within it)
 * before answering. Here the wait ends at the stop, and the attempt after it
 * sees the stop and is not made (policy.ts, `stoppedBeforeAttempt`). The
 * backoff itself (exponential, jittered, Retry-After) stays cockatiel's.
 */
export class ReadRetries {
  constructor(
    private readonly retryable: (error: unknown) => boolean,
    private readonly maxAttempts: number,
    private readonly backoff: IBackoffFactory<IRetryBackoffContext<unknown>>,
    /** How each attempt is made (the policy's: through the breaker), a function made once, so that a read costs no closure around its attempt. */
    private readonly through: <T>(attempt: () => Promise<T>, signal: AbortSignal | undefined) => Promise<T> = (attempt) => attempt(),
  ) {}

  async execute<T>(attempt: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    let backoff: IBackoff<IRetryBackoffContext<unknown>> | undefined;
    // Bounded by its condition, the last attempt after it: a loop with none (`for (;;)`, ended by a
    // throw) spun without an await when a mutant emptied its body, which no test can fail.
    for (let retries = 0; retries < this.maxAttempts; retries += 1) {
      try {
        return await this.through(attempt, signal);
      } catch (error) {
        if (!(error instanceof Error) || !this.retryable(error) || signal?.aborted === true) throw error;
        const context: IRetryBackoffContext<unknown> = { attempt: retries + 1, signal: signal ?? NEVER_STOPPED, result: { error } };
        backoff = backoff ? backoff.next(context) : this.backoff.next(context);
        await waitUnlessStopped(backoff.duration, signal);
      }
    }
    return this.through(attempt, signal);
  }
}

/** What a backoff is told of a read no client request stops (the protection sweep's, a poll's). */
const NEVER_STOPPED = new AbortController().signal;

/** Resolves after `ms`, or at once when `signal` fires, whichever is first; never rejects. */
function waitUnlessStopped(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const stopped = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stopped);
      resolve();
    }, ms);
    signal?.addEventListener('abort', stopped);
  });
}
