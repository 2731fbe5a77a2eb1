import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisOperationBus } from '../../src/cluster/redis-operation-bus.js';
import { decodeId, encodeId } from '../../src/domain/ids.js';
import { createLogger } from '../../src/observability/logger.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { wsClient, wsRun } from '../helpers/ws.js';

/**
 * Anyone who may read may subscribe to any operation id, made up or not; a
 * made-up one ends at its first poll. Its last status was kept in Redis for
 * 10 minutes (3.4 KB each with a long id): one viewer's connection made 200
 * such keys in under half a second against a local provider, some 900 MB
 * over those 10 minutes. A finished status is now kept only as long as a
 * subscriber joining as it ended needs it.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const FOLLOW = 'subscription($id: ID!) { operationUpdated(id: $id) { status } }';
/** The longest a finished status may stay (the watcher's keepFinishedMs): a lease's length. */
const KEEP_FINISHED_MS = 15_000;

describe.skipIf(!redis.url)(redisSuite('made-up operation ids followed through Redis', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let harness: Harness;
  let gateway: RunningGateway;
  let raw: Redis;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
    const store = new RedisStore(redis.url as string, prefix);
    const operationBus = new RedisOperationBus(redis.url as string, prefix);
    await Promise.all([store.ready(), operationBus.ready()]);
    gateway = await startGatewayServer(harness.config, { logger: createLogger('silent'), store, operationBus });
    raw = new Redis(redis.url as string);
  });
  afterAll(async () => {
    await gateway?.close();
    await harness?.close();
    await raw?.quit();
  });

  it('leaves their finished statuses in Redis for seconds, not minutes', async () => {
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    const [instanceNativeId] = decodeId(list.data!.instances.edges[0]!.node.id).keys;
    const client = wsClient(gateway.graphqlUrl);
    try {
      // Creates of backups that never existed: FAILED ("the backup is gone") at the first poll. (Deletes
      // of them read SUCCEEDED so, and are NOT_FOUND now: the gateway recorded starting none of them.)
      const ids = Array.from({ length: 20 }, (_, index) => encodeId('Operation', 'zomro-test', ['CREATE_BACKUP', String(Date.now()), instanceNativeId as string, `made-up-${index}`, 'x'.repeat(1_000)]));
      const answers = await Promise.all(ids.map((id) => wsRun(client, FOLLOW, { id })));
      expect(answers.map((answer) => (answer.data?.operationUpdated as { status: string } | undefined)?.status)).toEqual(ids.map(() => 'FAILED'));
    } finally {
      await client.dispose();
    }
    // Each status is written to Redis beside its answer to the client, not before it.
    const keys = await eventually(() => raw.keys(`${prefix}op-last:*`), (found) => found.length >= 20, { timeoutMs: 5_000, intervalMs: 20 });
    expect(keys).toHaveLength(20);
    const ttls = await Promise.all(keys.map((key) => raw.pttl(key)));
    for (const ttl of ttls) expect(ttl).toBeLessThanOrEqual(KEEP_FINISHED_MS);
  });
});
