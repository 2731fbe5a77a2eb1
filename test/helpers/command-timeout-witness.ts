import { Redis } from 'ioredis';
import { REDIS_COMMAND_TIMEOUT_MS } from '../../src/state/redis-store.js';

/**
 * A reference for "within N command timeouts" that is an event, not a number of milliseconds: a
 * connection of its own through the same Redis proxy, with the gateway's command timeout, sends
 * one command after another once the proxy stalls, each timing out in turn. `after(n)` resolves
 * when the n-th has timed out. A wait the gateway makes on the stalled Redis races these on the
 * same event loop and the same timer, so a loaded machine slows both alike.
 */
export interface CommandTimeoutWitness {
  /** Starts the chain; call right after the proxy stalls, before the wait it is compared with. */
  start(): void;
  /** Resolves with `label` once `count` command timeouts have passed one after the other. */
  after<T>(count: number, label: T): Promise<T>;
  close(): void;
}

export async function commandTimeoutWitness(proxyUrl: string): Promise<CommandTimeoutWitness> {
  const redis = new Redis(proxyUrl, { lazyConnect: true, maxRetriesPerRequest: 0, commandTimeout: REDIS_COMMAND_TIMEOUT_MS });
  await redis.connect();
  let timedOut = 0;
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const chain = async () => {
    for (;;) {
      const answered = await redis.ping().then(
        () => true,
        () => false,
      );
      // Answered: the proxy flows again (or never stalled); the chain has nothing more to say.
      if (answered || redis.status !== 'ready') return;
      timedOut += 1;
      for (const waiter of waiters.filter((entry) => entry.count <= timedOut)) waiter.resolve();
    }
  };
  return {
    start: () => void chain(),
    after: (count, label) => new Promise((resolve) => waiters.push({ count, resolve: () => resolve(label) })),
    close: () => redis.disconnect(),
  };
}
