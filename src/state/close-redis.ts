import { isStoreTimeout } from './bounded-call.js';

/** What closing needs of an ioredis connection. */
export interface RedisConnection {
  readonly status: string;
  quit(): Promise<unknown>;
  disconnect(): void;
}

/**
 * The least time QUIT is given, however late the close starts: a Redis that
 * answered the shutdown's other commands slowly, but answered, still gets to
 * flush before its connection is dropped.
 */
const MIN_QUIT_MS = 1_000;

/**
 * Closes one Redis connection at shutdown. QUIT is answered only once every
 * command sent before it has been, so the records and invalidations still on
 * their way are written first. A connected Redis that does not answer it by
 * `deadline` (at least MIN_QUIT_MS from now; stalled: paused, overloaded, a
 * network dropping packets) is dropped, and the caller is told: writes it had
 * not yet acknowledged may be lost, and the process's exit code should say
 * so. A connection that is not up has nothing to flush and is simply dropped.
 */
export async function closeRedis(redis: RedisConnection, role: string, deadline: number): Promise<void> {
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  const waitMs = Math.max(deadline - Date.now(), MIN_QUIT_MS);
  const noAnswer = `no answer within ${waitMs} ms`;
  let timer: NodeJS.Timeout | undefined;
  // ioredis's own commandTimeout on QUIT is due after our wait (QUIT is sent after the deadline was
  // set), yet an event loop held up past both (a loaded machine) runs its timer first when another
  // command's, from before the deadline, shares its timer list: the same silence, said in the same words.
  // ioredis's other messages name no address or credential ("Connection is closed.").
  const quit = redis.quit().then(
    () => null,
    (error: unknown) => (isStoreTimeout(error) ? noAnswer : error instanceof Error ? error.message : 'no answer'),
  );
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(noAnswer), waitMs);
  });
  const failure = await Promise.race([quit, late]);
  clearTimeout(timer);
  if (failure === null) return;
  redis.disconnect();
  throw new Error(`Redis (${role}) did not answer QUIT: ${failure}; the connection was dropped, and writes it had not acknowledged may be lost`);
}

/** Waits for every close, side by side; fails, naming each failure, if any failed. */
export async function closeAll(closes: ReadonlyArray<Promise<void> | undefined>): Promise<void> {
  const outcomes = await Promise.allSettled(closes);
  const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)] : []));
  if (failures.length > 0) throw new Error(failures.join('; '));
}
