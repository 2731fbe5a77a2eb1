import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/providers/module.js';
import { startSimulator } from '../../src/providers/registry.js';
import { freePort, spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * A replica told to stop while its Redis has stopped answering (connection
 * up, nothing coming back): closing the store and the operation bus waits
 * for Redis's answer to QUIT, which never comes. The stop must still end on
 * its own, well inside the drain timeout a deploy waits for.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

/** Far longer than the stop may take: reaching it means the process waited on Redis until the drain timer cut it. */
const DRAIN_TIMEOUT_MS = 60_000;
/** What closeRedis gives a QUIT sent once the shared deadline has passed (its MIN_QUIT_MS). */
const QUIT_SENT_LATE_WAIT_MS = 1_000;

describe.skipIf(!redis.url)(redisSuite('stopping with a stalled Redis', redis), () => {
  let simulator: RunningSimulator;
  let proxy: RedisProxy;
  let directory: string;
  let gateway: GatewayProcess | undefined;

  beforeAll(async () => {
    simulator = await startSimulator('zomro');
    proxy = await startRedisProxy(redis.url as string);
    directory = mkdtempSync(join(tmpdir(), 'backup-graph-stalled-stop-'));
    const configFile = join(directory, 'config.yaml');
    writeFileSync(
      configFile,
      JSON.stringify({ listen: { port: 0, host: '127.0.0.1' }, admin: { port: 0 }, allowAnonymous: true, logLevel: 'info', providers: [simulator.accountConfig('zomro-stalled-stop')] }),
    );
    gateway = await spawnGateway({
      configFile,
      port: await freePort(),
      env: { REDIS_URL: proxy.url, DRAIN_TIMEOUT_MS: String(DRAIN_TIMEOUT_MS), SHUTDOWN_READYZ_GRACE_MS: '0', LOG_LEVEL: 'info' },
    });
  }, 180_000);

  afterAll(async () => {
    gateway?.child.kill('SIGKILL');
    proxy?.flow();
    await proxy?.close();
    await simulator?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('exits 1 on SIGTERM, its QUITs sent side by side within one command timeout, and says which connections were dropped', async () => {
    const running = gateway as GatewayProcess;
    // Redis in use: a read through the shared cache, a subscription's bus.
    const answer = await fetch(running.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ instances { edges { node { id } } } }' }) });
    expect(answer.status).toBe(200);
    proxy.stall();
    const code = await running.stop('SIGTERM');
    // No drain timer waited: the drain timeout is far longer than the test.
    expect(running.output()).not.toMatch(/drain timeout passed/);
    // Not a clean stop: what Redis had not acknowledged may be lost, and the exit code says so.
    expect(code).toBe(1);
    const output = running.output();
    expect(output).toMatch(/Redis \(shared state\) did not answer QUIT/);
    expect(output).toMatch(/Redis \(operation bus\) did not answer QUIT/);
    expect(output).not.toContain(proxy.url);
    // Side by side on one deadline, not one after the other: each connection's QUIT was sent while the shared
    // command timeout still had most of its time left, so each says it waited more than a late QUIT's floor. One
    // after the other, the later ones were sent past the deadline and say "no answer within 1000 ms".
    const waits = [...output.matchAll(/did not answer QUIT: no answer within (\d+) ms/g)].map((match) => Number(match[1]));
    expect(waits.length).toBeGreaterThanOrEqual(2);
    for (const waited of waits) expect(waited, `a QUIT was sent once the shared deadline had passed: ${output}`).toBeGreaterThan(QUIT_SENT_LATE_WAIT_MS);
  }, 90_000);
});
