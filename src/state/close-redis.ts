/** What closing needs of an ioredis connection. */
export interface RedisConnection {
  readonly status: string;
  quit(): Promise<unknown>;
  disconnect(): void;
}

/**
 * Closes one Redis connection at shutdown. QUIT is answered only once every
 * command sent before it has been, so the records and invalidations still on
 * their way are written first. A connected Redis that does not answer it
 * within the command timeout (stalled: paused, overloaded, a network
 * dropping packets) is dropped, and the caller is told: writes it had not yet
 * acknowledged may be lost, and the process's exit code should say so. A
 * connection that is not up has nothing to flush and is simply dropped.
 */
export async function closeRedis(redis: RedisConnection, role: string): Promise<void> {
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  try {
    await redis.quit();
  } catch (error) {
    redis.disconnect();
    // ioredis's messages name no address or credential ("Command timed out", "Connection is closed.").
    const reason = error instanceof Error ? error.message : 'no answer';
    throw new Error(`Redis (${role}) did not answer QUIT: ${reason}; the connection was dropped, and writes it had not acknowledged may be lost`);
  }
}

/** Waits for every close, side by side; fails, naming each failure, if any failed. */
export async function closeAll(closes: ReadonlyArray<Promise<void> | undefined>): Promise<void> {
  const outcomes = await Promise.allSettled(closes);
  const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)] : []));
  if (failures.length > 0) throw new Error(failures.join('; '));
}
