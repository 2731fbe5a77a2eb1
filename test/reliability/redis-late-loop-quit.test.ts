import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRedis } from '../../src/state/close-redis.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * closeRedis on a loaded machine: QUIT to a stalled Redis ends at the shutdown's deadline, which
 * comes before QUIT's own ioredis commandTimeout (QUIT is sent after the deadline is set). An
 * event loop held up past both, with another command's timeout (from before the deadline) in
 * ioredis's timer list, ran QUIT's timeout first: the shutdown said "Command timed out" where it
 * says "no answer within N ms" (redis-stalled-shutdown.test.ts read no such line, once in a full
 * run). The load is played by holding the loop, so the order is the same on every run.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

/** The connection's commandTimeout, and the shutdown's one command timeout (closeDeadline's 5 s, scaled down). */
const COMMAND_TIMEOUT_MS = 1_500;
/** How long before QUIT the close began (the gateway's watcher and provider closes take some tens of ms). */
const CLOSE_BEGAN_BEFORE_QUIT_MS = 30;

/** Keeps the event loop busy for `ms`: a process the machine gives no CPU for a while. Not a wait for anything. */
const holdTheLoop = (ms: number): void => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};
const nextLoopTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe.skipIf(!redis.url)(redisSuite('closing a stalled Redis on a late event loop', redis), () => {
  let proxy: RedisProxy;
  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
  });
  afterAll(async () => {
    proxy?.flow();
    await proxy?.close();
  });

  it('says "no answer within N ms" even when ioredis\'s own command timeout rejects QUIT first', async () => {
    const connection = new Redis(proxy.url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true, commandTimeout: COMMAND_TIMEOUT_MS });
    await connection.connect();
    await connection.ping();
    proxy.stall();
    // A command in flight from before the shutdown (a cache write): its commandTimeout falls due before the deadline.
    const earlier = connection.get('close-redis-late-loop:any').catch((error: unknown) => error);
    holdTheLoop(3 * CLOSE_BEGAN_BEFORE_QUIT_MS);
    await nextLoopTurn();
    const deadline = Date.now() + COMMAND_TIMEOUT_MS - CLOSE_BEGAN_BEFORE_QUIT_MS;
    // The loop is held from before the deadline until past QUIT's own commandTimeout.
    setTimeout(() => holdTheLoop(10 * CLOSE_BEGAN_BEFORE_QUIT_MS), deadline - Date.now() - 3 * CLOSE_BEGAN_BEFORE_QUIT_MS);
    const said = await closeRedis(connection, 'shared state', deadline).then(
      () => 'closed',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    expect(String(await earlier)).toContain('Command timed out');
    expect(said).toMatch(/^Redis \(shared state\) did not answer QUIT: no answer within \d+ ms; the connection was dropped/);
  });
});
