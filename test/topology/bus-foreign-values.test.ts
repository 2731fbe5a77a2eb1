import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/providers/module.js';
import { startSimulator } from '../../src/providers/registry.js';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { encodeStored } from '../../src/state/stored-json.js';
import { freePort, spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { eventually } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { wsClient } from '../helpers/ws.js';

/**
 * Another replica (another version, a truncated write) put values on the
 * operation bus that are not what this version writes: a replica following
 * the operation must neither crash nor pass them on as a status.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const UPDATES = 'subscription($id: ID!) { operationUpdated(id: $id) { status kind startedAt } }';
/** A backup made by a test stays Saving until the test ends it (finishBackups): released by the test, never run out. */
const HELD_MS = 10 * 60_000;

/** Every status of one subscription until it ends; rejects on errors. */
function statuses(client: Client, id: string): { first: Promise<string>; all: Promise<string[]> } {
  const seen: string[] = [];
  let firstSeen: (status: string) => void = () => {};
  const first = new Promise<string>((resolve) => (firstSeen = resolve));
  const all = new Promise<string[]>((resolve, reject) => {
    client.subscribe<{ operationUpdated: { status: string } }>(
      { query: UPDATES, variables: { id } },
      {
        next: (value) => {
          if (value.errors || !value.data) return reject(new Error(JSON.stringify(value.errors)));
          seen.push(value.data.operationUpdated.status);
          if (seen.length === 1) firstSeen(value.data.operationUpdated.status);
        },
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => resolve(seen),
      },
    );
  });
  // An error, or an end with no status, settles `first` too, so a test waiting on it fails at once.
  const firstOrEnd = Promise.race([first, all.then((seen) => Promise.reject(new Error(`ended with no first status: ${JSON.stringify(seen)}`)))]);
  firstOrEnd.catch(() => {});
  return { first: firstOrEnd, all };
}

describe.skipIf(!redis.url)(redisSuite('operation bus values of another shape', redis), () => {
  const providerId = `zomro-bus-shape-${randomUUID().slice(0, 8)}`;
  let simulator: RunningSimulator;
  let directory: string;
  let gateway: GatewayProcess;
  let publisher: Redis;
  let instanceId: string;
  /** The simulated panel, its backups held Saving (a 2 s job ended before the first poll on a loaded machine). */
  const zomro = (): ZomroSimulator => simulator.simulator as ZomroSimulator;

  const create = async (name: string): Promise<string> => {
    const response = await fetch(gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: CREATE, variables: { input: { instanceId, name } } }),
    });
    const body = (await response.json()) as { data: { createBackup: { operation: { id: string } } } };
    return body.data.createBackup.operation.id;
  };

  beforeAll(async () => {
    simulator = await startSimulator('zomro', { asyncDelayMs: 2_000 });
    directory = mkdtempSync(join(tmpdir(), 'backup-graph-bus-shape-'));
    const configFile = join(directory, 'config.yaml');
    writeFileSync(configFile, JSON.stringify({ listen: { port: 0, host: '127.0.0.1' }, admin: { port: 0 }, allowAnonymous: true, logLevel: 'warn', providers: [{ ...simulator.accountConfig(providerId), retries: 1 }] }));
    gateway = await spawnGateway({ configFile, port: await freePort(), env: { REDIS_URL: redis.url as string } });
    publisher = new Redis(redis.url as string);
    const list = await fetch(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ instances { edges { node { id } } } }' }) });
    // After the account's config is made (it reads asyncDelayMs as the restore settle time): backups only.
    zomro().asyncDelayMs = HELD_MS;
    instanceId = ((await list.json()) as { data: { instances: { edges: Array<{ node: { id: string } }> } } }).data.instances.edges[0]!.node.id;
  }, 180_000);

  afterAll(async () => {
    await publisher?.quit();
    await gateway?.stop();
    await simulator?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('ignores messages of another shape on an operation it follows, and stays up', async () => {
    const id = await create('foreign-messages');
    const client = wsClient(gateway.graphqlUrl);
    try {
      const followed = statuses(client, id);
      expect(await followed.first).toBe('RUNNING');
      const channel = `backup-graph:op:${id}`;
      const foreign = [
        { from: 'older-replica', event: { type: 'status' } },
        { from: 'older-replica', event: { type: 'status', operation: 'SUCCEEDED' } },
        { from: 'older-replica', event: { type: 'status', operation: { status: 'SUCCEEDED' } } },
        { from: 'older-replica', event: { type: 'error', code: 'NO_SUCH_CODE', message: 42 } },
        { from: 'older-replica', event: null },
        { from: 'older-replica' },
        'a string',
      ];
      for (const value of foreign) expect(await publisher.publish(channel, encodeStored(value))).toBe(1);
      await publisher.publish(channel, encodeStored({ from: 'older-replica', event: { type: 'status', operation: { status: 'SUCC' } } }).slice(0, 20));
      zomro().finishBackups();
      // The poll goes on: the operation's real end, not one of the values above.
      expect(await followed.all).toEqual(['RUNNING', 'SUCCEEDED']);
      expect(await eventually(() => fetch(`${gateway.url}/healthz`).then((response) => response.status, () => 0), (status) => status !== 0)).toBe(200);
      expect(gateway.output()).not.toMatch(/TypeError|uncaught/i);
    } finally {
      await client.dispose();
    }
  });

  it('does not start a late subscriber from a last status of another shape', async () => {
    const id = await create('foreign-last');
    // Nobody followed it yet: what is kept as its last status came from elsewhere.
    await publisher.set(`backup-graph:op-last:${id}`, encodeStored({ status: 'SUCCEEDED' }), 'PX', 60_000);
    const client = wsClient(gateway.graphqlUrl);
    try {
      const followed = statuses(client, id);
      expect(await followed.first).toBe('RUNNING');
      zomro().finishBackups();
      expect(await followed.all).toEqual(['RUNNING', 'SUCCEEDED']);
    } finally {
      await client.dispose();
    }
  });
});
