import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { CREATE_FINDING_KEPT_MS } from '../../src/state/create-findings.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { decodeStored } from '../../src/state/stored-json.js';
import { CREATE, type Ask, type Created, danubeHarness, finished, madeWithNote, type Node, readOperation as read, runDailyAgain, startCreate } from '../helpers/danube-creates.js';
import type { Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * A current esdc-ce names no backup in a finished create's result, and the
 * gateway finds it as the one backup of the definition and disk made since
 * the create began. Once the definition runs again there are two: a read
 * that found the create's must go on naming it, on every replica.
 */
describe('danube: a create keeps naming the backup a read found', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let nodes: Node[];
  let ask: Ask;
  beforeAll(async () => {
    ({ harness, simulator, nodes } = await danubeHarness());
    ask = harness.gql;
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    simulator.asyncDelayMs = 60_000;
    simulator.finishAtOnce = false;
  });

  it("names the same backup after the definition's next run (it was null: two candidates)", async () => {
    const node = nodes[2]!;
    const { id, taskId } = await startCreate(ask, node, 'kept');
    simulator.tasks.get(taskId)!.doneAt = 0;
    const mine = { status: 'SUCCEEDED', error: null, backup: { name: madeWithNote(simulator, node, 'kept'), diskId: '1' } };
    expect(await finished(ask, id)).toEqual(mine);
    runDailyAgain(simulator, node);
    expect(await read(ask, id)).toEqual(mine);
    // And once Danube forgets the task too: the finding, not the list of two, answers.
    simulator.forgetTask(taskId);
    expect(await read(ask, id)).toEqual(mine);
  });

  it('names none once the backup it found is deleted, not the next run\'s', async () => {
    const node = nodes[3]!;
    const { id, taskId } = await startCreate(ask, node, 'deleted-later');
    simulator.tasks.get(taskId)!.doneAt = 0;
    expect((await finished(ask, id))?.backup?.name).toBe(madeWithNote(simulator, node, 'deleted-later'));
    simulator.backups.splice(simulator.backups.findIndex((backup) => backup.note === 'deleted-later'), 1);
    runDailyAgain(simulator, node);
    expect(await read(ask, id)).toEqual({ status: 'SUCCEEDED', error: null, backup: null });
  });

  it('a create done at once that named no backup keeps the one a later read found', async () => {
    simulator.finishAtOnce = true;
    const node = nodes[4]!;
    // The list read after the POST fails (both tries), so the create answers without its backup.
    simulator.onCreate = () => void harness.simulator('danube').server.setFault({ mode: 'http-500', onlyLabel: 'GET /vm/:x/backup', times: 2 });
    const answer = await ask<Created>(CREATE, { input: { instanceId: node.id, name: 'at-once-late', definitionName: 'daily' } });
    simulator.onCreate = null;
    expect(answer.errors).toBeUndefined();
    const { id, status } = answer.data!.createBackup.operation;
    expect(status).toBe('SUCCEEDED');
    expect(answer.data!.createBackup.backup).toBeNull();
    const mine = { status: 'SUCCEEDED', error: null, backup: { name: madeWithNote(simulator, node, 'at-once-late'), diskId: '1' } };
    expect(await read(ask, id)).toEqual(mine);
    runDailyAgain(simulator, node);
    expect(await read(ask, id)).toEqual(mine);
  });
});

const redis = await testRedis();
afterAll(() => redis.stop());

describe.skipIf(!redis.url)(redisSuite('danube: a found backup on two gateway processes sharing Redis', redis), () => {
  let harness: Harness;
  let second: RunningGateway;
  let simulator: DanubeSimulator;
  let nodes: Node[];
  const prefix = `bg-test-${randomUUID()}:`;
  const askVia =
    (gateway: RunningGateway): Ask =>
    async <T>(query: string, variables: Record<string, unknown>) => {
      const response = await fetch(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      return (await response.json()) as { data?: T | null; errors?: unknown };
    };
  beforeAll(async () => {
    const stores = [new RedisStore(redis.url as string, prefix), new RedisStore(redis.url as string, prefix)] as const;
    await Promise.all(stores.map((store) => store.ready()));
    ({ harness, simulator, nodes } = await danubeHarness({ store: stores[0] }));
    second = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: stores[1] });
    simulator.asyncDelayMs = 60_000;
  });
  afterAll(async () => {
    await second.close();
    await harness.close();
    const client = new Redis(redis.url as string);
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
  });

  it('a replica that did not find it names the backup the other found, after the definition ran again', async () => {
    const node = nodes[2]!;
    const viaSecond = askVia(second);
    const { id, taskId } = await startCreate(harness.gql, node, 'two-replicas');
    simulator.tasks.get(taskId)!.doneAt = 0;
    const mine = { status: 'SUCCEEDED', error: null, backup: { name: madeWithNote(simulator, node, 'two-replicas'), diskId: '1' } };
    expect(await finished(harness.gql, id)).toEqual(mine);
    runDailyAgain(simulator, node);
    expect(await read(viaSecond, id)).toEqual(mine);
    // The mark and, beside it, the end the first read recorded, in their own namespace, kept as long as operations are followed.
    const client = new Redis(redis.url as string);
    try {
      const keys = (await client.keys(`${prefix}create-found:*`)).sort();
      expect(keys).toHaveLength(2);
      expect(keys[1]).toBe(`${keys[0]}#end`);
      expect(decodeStored<string>((await client.get(keys[0]!)) ?? '')).toBe('open');
      expect(decodeStored<string>((await client.get(keys[1]!)) ?? '')).toBe(`found:${mine.backup.name}`);
      for (const key of keys) expect(await client.pttl(key)).toBeGreaterThan(CREATE_FINDING_KEPT_MS - 60_000);
    } finally {
      await client.quit();
    }
  });
});
