import { getEventListeners } from 'node:events';
import type { IBackoff, IBackoffFactory, IRetryBackoffContext } from 'cockatiel';
import { describe, expect, it } from 'vitest';
import { ReadRetries } from '../../src/upstream/read-retries.js';

type Context = IRetryBackoffContext<unknown>;

/**
 * A backoff of fixed waits that notes who asked it for each wait: the factory (the first wait of
 * a read) or the backoff before (each wait after it), as cockatiel's own backoffs chain.
 */
class NotedBackoff implements IBackoffFactory<Context> {
  readonly asked: { by: string; attempt: number; signal: AbortSignal; error: unknown }[] = [];

  constructor(private readonly durationMs: number) {}

  next(context: Context): IBackoff<Context> {
    return this.from('factory', context);
  }

  private from(by: string, context: Context): IBackoff<Context> {
    this.asked.push({ by, attempt: context.attempt, signal: context.signal, error: 'error' in context.result ? context.result.error : undefined });
    return { duration: this.durationMs, next: (after) => this.from(`backoff ${context.attempt}`, after) };
  }
}

/** An attempt failing with `errors` in turn, then answering 'answered'; counts its calls. */
function attempts(errors: unknown[]): { attempt: () => Promise<string>; calls: () => number; startedAt: number[] } {
  let calls = 0;
  const startedAt: number[] = [];
  return {
    attempt: async () => {
      startedAt.push(performance.now());
      const error = errors[calls];
      calls += 1;
      if (calls <= errors.length) throw error;
      return 'answered';
    },
    calls: () => calls,
    startedAt,
  };
}

const always = (): boolean => true;
const failure = (n: number): Error => new Error(`failure ${n}`);

/**
 * `reading`, failed with a clear message unless it ends within `ms`: a read a wait or a retry
 * left unended (a wait never resolved, a stop that ends no wait, a stopped read retried into a
 * long backoff) fails its test here at once, instead of running into the test's timeout.
 */
async function endsWithin<T>(reading: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`the read did not end within ${ms} ms: a wait or a retry was left unended`)), ms);
  });
  try {
    return await Promise.race([reading, late]);
  } finally {
    clearTimeout(timer);
  }
}
/** Well past a zero or 60 ms backoff on a loaded machine; far below the 30 s backoffs a stop must cut. */
const ENDS_MS = 2_000;

describe('ReadRetries', () => {
  it('makes the attempt again after each retryable failure, up to maxAttempts more, then answers', async () => {
    const backoff = new NotedBackoff(0);
    const read = attempts([failure(1), failure(2)]);
    await expect(endsWithin(new ReadRetries(always, 2, backoff).execute(read.attempt, undefined), ENDS_MS)).resolves.toBe('answered');
    expect(read.calls()).toBe(3);
  });

  it('gives the last failure once maxAttempts more have failed too', async () => {
    const read = attempts([failure(1), failure(2), failure(3), failure(4)]);
    await expect(endsWithin(new ReadRetries(always, 2, new NotedBackoff(0)).execute(read.attempt, undefined), ENDS_MS)).rejects.toThrow('failure 3');
    expect(read.calls()).toBe(3);
    const once = attempts([failure(1), failure(2)]);
    await expect(endsWithin(new ReadRetries(always, 0, new NotedBackoff(0)).execute(once.attempt, undefined), ENDS_MS)).rejects.toThrow('failure 1');
    expect(once.calls()).toBe(1);
  });

  it('gives a failure retryable refuses at once, and anything thrown that is no Error', async () => {
    const refused = attempts([failure(1), failure(2)]);
    const onlySecond = (error: unknown): boolean => error instanceof Error && error.message === 'failure 2';
    await expect(endsWithin(new ReadRetries(onlySecond, 5, new NotedBackoff(0)).execute(refused.attempt, undefined), ENDS_MS)).rejects.toThrow('failure 1');
    expect(refused.calls()).toBe(1);
    const thrown = attempts(['a string', failure(2)]);
    await expect(endsWithin(new ReadRetries(always, 5, new NotedBackoff(0)).execute(thrown.attempt, undefined), ENDS_MS)).rejects.toBe('a string');
    expect(thrown.calls()).toBe(1);
  });

  it('asks the backoff for each wait: the factory first, then the wait before, with the attempt, the signal and the failure', async () => {
    const backoff = new NotedBackoff(0);
    const errors = [failure(1), failure(2), failure(3)];
    const read = attempts(errors);
    const signal = new AbortController().signal;
    await endsWithin(new ReadRetries(always, 3, backoff).execute(read.attempt, signal), ENDS_MS);
    expect(backoff.asked).toEqual([
      { by: 'factory', attempt: 1, signal, error: errors[0] },
      { by: 'backoff 1', attempt: 2, signal, error: errors[1] },
      { by: 'backoff 2', attempt: 3, signal, error: errors[2] },
    ]);
    // A read no request stops (a sweep's, a poll's) gives the backoff a signal that never fires.
    const unstopped = new NotedBackoff(0);
    await endsWithin(new ReadRetries(always, 1, unstopped).execute(attempts([failure(1)]).attempt, undefined), ENDS_MS);
    expect(unstopped.asked[0]!.signal).toBeInstanceOf(AbortSignal);
    expect(unstopped.asked[0]!.signal.aborted).toBe(false);
  });

  it('waits the backoff between attempts', async () => {
    const read = attempts([failure(1)]);
    await endsWithin(new ReadRetries(always, 1, new NotedBackoff(60)).execute(read.attempt, new AbortController().signal), ENDS_MS);
    // A timer may fire up to a millisecond early by performance.now()'s clock.
    expect(read.startedAt[1]! - read.startedAt[0]!).toBeGreaterThanOrEqual(58);
  });

  it('ends the wait when the signal fires, and retries no read already stopped', async () => {
    const controller = new AbortController();
    let failed: () => void = () => {};
    const firstFailed = new Promise<void>((resolve) => (failed = resolve));
    let calls = 0;
    const attempt = async (): Promise<string> => {
      calls += 1;
      if (calls === 1) {
        failed();
        throw failure(1);
      }
      // An attempt past maxAttempts + 1 answers, so a read retried without end (its failures
      // swallowed) ends, and fails this test, rather than looping on failures with no timer.
      if (calls > 6) return `attempt ${calls}`;
      // The attempt after the stop: policy.ts refuses it; here it fails, and is not retried.
      throw failure(calls);
    };
    const reading = endsWithin(new ReadRetries(always, 5, new NotedBackoff(30_000)).execute(attempt, controller.signal), ENDS_MS);
    await firstFailed;
    controller.abort();
    await expect(reading).rejects.toThrow('failure 2');
    expect(calls).toBe(2);
    // A read whose request had stopped before it failed waits for nothing and is not retried.
    const stopped = attempts([failure(1), failure(2)]);
    await expect(endsWithin(new ReadRetries(always, 5, new NotedBackoff(30_000)).execute(stopped.attempt, controller.signal), ENDS_MS)).rejects.toThrow('failure 1');
    expect(stopped.calls()).toBe(1);
  }, 20_000);

  it('leaves no listener on the signal once a wait has ended on its timer', async () => {
    const signal = new AbortController().signal;
    await endsWithin(new ReadRetries(always, 3, new NotedBackoff(0)).execute(attempts([failure(1), failure(2), failure(3)]).attempt, signal), ENDS_MS);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });
});
