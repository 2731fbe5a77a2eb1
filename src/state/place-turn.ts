import type { PlaceState } from './create-order.js';

/**
 * How a wait for a place's turn ended: `turn` once no earlier place is `open` (each has sent its
 * call and been answered, given up, or may have reached the provider), `unanswered` when the store
 * did not answer a read, `waited-out` when an earlier place was still open after the wait, `left`
 * when the request it waited for ended first (its client gone), `draining` when the gateway began
 * to stop while an earlier place was still open.
 */
export type Turn = 'turn' | 'unanswered' | 'waited-out' | 'left' | 'draining';

/** The first pause between two reads of the earlier places, doubled after each up to the most. */
const FIRST_PAUSE_MS = 10;
const MOST_PAUSE_MS = 200;

/**
 * Waits until none of the places before one is `open`, reading them with `readBefore` (undefined:
 * the store did not answer) at most `waitMs` (on `now`'s clock: a monotonic one by default, so a
 * wall clock set back or forward neither stretches the wait nor cuts it short). Read again after
 * a pause growing from 10 ms to 200 ms: an earlier call is mostly answered in some tens of
 * milliseconds, and a reader of another replica learns of it only from the store. `left` as soon as `signal` aborts:
 * nothing is sent yet, and a call made for a client that has gone (its own timeout, a reconnect)
 * acts beside the retry it sends. `draining` as soon as `draining` aborts (the gateway stopping)
 * while an earlier place is still open: the wait (up to `waitMs`, 30 s for a restore) would hold
 * the drain (10 s by default) until it cut the request, answerless; a turn already free is
 * taken, since the call then runs as any request in flight the drain waits for.
 */
export async function awaitTurn(
  readBefore: () => Promise<readonly PlaceState[] | undefined>,
  waitMs: number,
  now: () => number = () => performance.now(),
  signal?: AbortSignal,
  draining?: AbortSignal,
): Promise<Turn> {
  const deadline = now() + waitMs;
  let pauseMs = FIRST_PAUSE_MS;
  for (;;) {
    if (signal?.aborted) return 'left';
    const states = await readBefore();
    // The client may have left while the read was out (a slow store: up to a mutation's wait):
    // its turn, come then, was POSTed for nobody, beside the retry it sends.
    if (signal?.aborted) return 'left';
    if (states === undefined) return 'unanswered';
    if (!states.includes('open')) return 'turn';
    if (draining?.aborted) return 'draining';
    if (now() >= deadline) return 'waited-out';
    await pause(Math.min(pauseMs, Math.max(1, deadline - now())), signal, draining);
    pauseMs = Math.min(pauseMs * 2, MOST_PAUSE_MS);
  }
}

/** Resolves after `ms`, or at once when one of `signals` aborts. */
function pause(ms: number, ...signals: ReadonlyArray<AbortSignal | undefined>): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      for (const signal of signals) signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    for (const signal of signals) signal?.addEventListener('abort', done, { once: true });
  });
}
