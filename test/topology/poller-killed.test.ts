import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/providers/module.js';
import { startSimulator } from '../../src/providers/registry.js';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { freePort, spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { eventually } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { follow, wsClient } from '../helpers/ws.js';

/**
 * The replica polling an operation for its subscribers is killed (SIGKILL:
 * no release, no last word on the bus). Its lease expires (15 s) and the
 * other replica, which has subscribers of its own, takes the polling over:
 * they hear the operation end, once.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';

describe.skipIf(!redis.url)(redisSuite('a polling replica killed mid-operation', redis), () => {
  const run = randomUUID().slice(0, 8);
  const providerId = `zomro-killed-poller-${run}`;
  let simulator: RunningSimulator;
  let directory: string;
  let replicas: GatewayProcess[] = [];

  beforeAll(async () => {
    simulator = await startSimulator('zomro', { asyncDelayMs: 150 });
    directory = mkdtempSync(join(tmpdir(), 'backup-graph-killed-poller-'));
    const configFile = join(directory, 'config.yaml');
    writeFileSync(
      configFile,
      JSON.stringify({ listen: { port: 0, host: '127.0.0.1' }, admin: { port: 0 }, allowAnonymous: true, logLevel: 'warn', providers: [{ ...simulator.accountConfig(providerId), retries: 1 }] }),
    );
    const ports = [await freePort(), await freePort()];
    replicas = await Promise.all(ports.map((port) => spawnGateway({ configFile, port, env: { REDIS_URL: redis.url as string } })));
  }, 300_000);
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop('SIGKILL')));
    await simulator?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('the surviving replica takes the polling over and its subscriber hears the end once', async () => {
    const [poller, survivor] = replicas as [GatewayProcess, GatewayProcess];
    const response = await fetch(poller.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ instances { edges { node { id } } } }' }) });
    const instanceId = ((await response.json()) as { data: { instances: { edges: Array<{ node: { id: string } }> } } }).data.instances.edges[1]!.node.id;
    // The backup stays Saving (the operation RUNNING) until the poller is dead: it was made 8 s
    // after the create, which a loaded machine could spend before the kill, so the poller, not the
    // survivor, saw it end.
    const zomro = simulator.simulator as ZomroSimulator;
    zomro.asyncDelayMs = 10 * 60_000;
    const name = `killed-${run}`;
    const created = await fetch(poller.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: CREATE, variables: { input: { instanceId, name } } }) });
    const id = ((await created.json()) as { data: { createBackup: { operation: { id: string } } } }).data.createBackup.operation.id;
    const onPoller = wsClient(poller.graphqlUrl);
    const onSurvivor = wsClient(survivor.graphqlUrl);
    try {
      // The poller's subscriber first: that replica takes the lease.
      const polled = follow(onPoller, id);
      // Its connection dies with its replica.
      polled.all.catch(() => undefined);
      expect(await polled.first).toBe('RUNNING');
      const heard = follow(onSurvivor, id);
      expect(await heard.first).toBe('RUNNING');
      await poller.stop('SIGKILL');
      simulator.server.resetLog();
      const backup = [...zomro.backups.values()].find((item) => item.name === name);
      expect(backup).toBeDefined();
      backup!.readyAt = 0;
      expect(await heard.all).toEqual(['RUNNING', 'SUCCEEDED']);
      // The survivor polled: the killed one could not.
      await eventually(() => Promise.resolve(simulator.server.count('instances.fleio_bckps')), (polls) => polls > 0);
    } finally {
      await Promise.all([onPoller.dispose(), onSurvivor.dispose()]);
    }
  }, 60_000);
});
