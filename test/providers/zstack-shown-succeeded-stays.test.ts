import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOperationId } from '../../src/gateway/ids.js';
import { createLogger } from '../../src/observability/logger.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { gqlAt, startHarness, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { wsClient } from '../helpers/ws.js';

const INSTANCES = '{ instances(first: 100) { edges { node { id backups { id } } } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
const BESIDE_BACKUP = 'query($id: ID!) { operation(id: $id) { status finishedAt backup { status } } }';
const STATUS_ALONE = 'query($id: ID!) { operation(id: $id) { status finishedAt } }';
const FOLLOW_STATUS = 'subscription($id: ID!) { operationUpdated(id: $id) { status } }';

interface Read {
  status: string;
  finishedAt: string | null;
  backup?: { status: string } | null;
}

/**
 * ZStack drops a deleted group's rows before its job's poll says the job ended (the rows go in the
 * job's work, the job's answer after it). An answer selecting `backup` in that gap reads the delete
 * SUCCEEDED (operation-as-shown.ts); the next poll of `status` alone, or another replica's, read
 * the job's RUNNING again, finishedAt null: SUCCEEDED, then RUNNING. The simulator plays the gap by
 * the test removing the group's rows while the job is held.
 */
async function deleteInTheGap(gql: Harness['gql'], simulator: ZstackSimulator, backupId: string): Promise<string> {
  simulator.asyncDelayMs = 3_600_000;
  const deleted = await gql<{ deleteBackup: { operation: { id: string; status: string } } }>(DELETE, { input: { backupId } });
  expect(deleted.errors).toBeUndefined();
  expect(deleted.data!.deleteBackup.operation.status).toBe('RUNNING');
  const id = deleted.data!.deleteBackup.operation.id;
  const group = decodeOperationId(id).backupNativeId;
  for (let index = simulator.volumeBackups.length - 1; index >= 0; index--) if (simulator.volumeBackups[index]!.groupUuid === group) simulator.volumeBackups.splice(index, 1);
  return id;
}

async function read(gql: Harness['gql'], query: string, id: string): Promise<Read> {
  const answer = await gql<{ operation: Read }>(query, { id });
  expect(answer.errors).toBeUndefined();
  return answer.data!.operation;
}

describe('zstack: a delete shown SUCCEEDED beside its backup stays SUCCEEDED while its job still runs', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  let backupIds: string[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ id: string }> } }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    backupIds = answer.data!.instances.edges.flatMap((edge) => edge.node.backups.map((backup) => backup.id));
  });
  afterAll(() => harness.close());

  it('a poll of status alone after it reads SUCCEEDED at the same finishedAt, not RUNNING', async () => {
    const id = await deleteInTheGap(harness.gql, simulator, backupIds[0]!);
    const shown = await read(harness.gql, BESIDE_BACKUP, id);
    expect(shown).toEqual({ status: 'SUCCEEDED', finishedAt: expect.any(String), backup: null });
    expect(await read(harness.gql, STATUS_ALONE, id)).toEqual({ status: 'SUCCEEDED', finishedAt: shown.finishedAt });
  });

  it('operationUpdated without backup, after it, tells SUCCEEDED and ends', async () => {
    const id = await deleteInTheGap(harness.gql, simulator, backupIds[1]!);
    expect((await read(harness.gql, BESIDE_BACKUP, id)).status).toBe('SUCCEEDED');
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const told = await new Promise<string[]>((resolve, reject) => {
        const statuses: string[] = [];
        client.subscribe<{ operationUpdated: { status: string } }>(
          { query: FOLLOW_STATUS, variables: { id } },
          {
            next: (value) => {
              if (value.errors) return reject(new Error(JSON.stringify(value.errors)));
              statuses.push(value.data!.operationUpdated.status);
              // RUNNING told after SUCCEEDED was shown: no need to wait for the held job's end.
              if (value.data!.operationUpdated.status !== 'SUCCEEDED') resolve(statuses);
            },
            error: (error: unknown) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
            complete: () => resolve(statuses),
          },
        );
      });
      expect(told).toEqual(['SUCCEEDED']);
    } finally {
      await client.dispose();
    }
  });

  it("a job that then ends FAILED reads FAILED: the mark stands in only for a job still running, never for the provider's own end", async () => {
    simulator.failNextJob = { code: 'SYS.1000', description: 'An internal error happened', details: 'the delete failed after its rows went' };
    const id = await deleteInTheGap(harness.gql, simulator, backupIds[3]!);
    expect((await read(harness.gql, BESIDE_BACKUP, id)).status).toBe('SUCCEEDED');
    simulator.finishJobs();
    const answer = await harness.gql<{ operation: { status: string; error: string | null } }>('query($id: ID!) { operation(id: $id) { status error } }', { id });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.operation.status).toBe('FAILED');
    expect(answer.data!.operation.error).toContain('An internal error happened');
  });

  it('a delete whose rows are still listed stays RUNNING beside DELETING (a guard: nothing marked)', async () => {
    simulator.asyncDelayMs = 3_600_000;
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string } } }>(DELETE, { input: { backupId: backupIds[2] } });
    expect(deleted.errors).toBeUndefined();
    const id = deleted.data!.deleteBackup.operation.id;
    expect(await read(harness.gql, BESIDE_BACKUP, id)).toEqual({ status: 'RUNNING', finishedAt: null, backup: { status: 'DELETING' } });
    expect(await read(harness.gql, STATUS_ALONE, id)).toEqual({ status: 'RUNNING', finishedAt: null });
    simulator.finishJobs();
  });
});

const redis = await testRedis();
afterAll(() => redis.stop());

describe.skipIf(!redis.url)(redisSuite('zstack: a delete one replica showed SUCCEEDED beside its backup reads SUCCEEDED on another (Redis)', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let harness: Harness;
  let simulator: ZstackSimulator;
  let second: RunningGateway;
  beforeAll(async () => {
    const store = new RedisStore(redis.url as string, prefix);
    await store.ready();
    harness = await startHarness({ kinds: ['zstack'], store });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    const secondStore = new RedisStore(redis.url as string, prefix);
    await secondStore.ready();
    second = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: secondStore });
  });
  afterAll(async () => {
    await second?.close();
    await harness?.close();
  });

  it('the other replica\'s poll of status alone reads SUCCEEDED at the same finishedAt', async () => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ id: string }> } }> } }>(INSTANCES);
    const backupId = answer.data!.instances.edges.flatMap((edge) => edge.node.backups.map((backup) => backup.id))[0]!;
    const id = await deleteInTheGap(harness.gql, simulator, backupId);
    const shown = await read(harness.gql, BESIDE_BACKUP, id);
    expect(shown.status).toBe('SUCCEEDED');
    expect(await read(gqlAt(second.graphqlUrl), STATUS_ALONE, id)).toEqual({ status: 'SUCCEEDED', finishedAt: shown.finishedAt });
  });
});
