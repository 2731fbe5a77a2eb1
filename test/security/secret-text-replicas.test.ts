import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { DANUBE_SIM_API_KEY } from '../../src/providers/danube/simulator.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { errorCodes, type GraphQLAnswer, type Harness, startHarness, withClients, withLimits } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * limits.secretTextRefusals was counted in each gateway process: behind a balancer, N replicas
 * allowed a key N times `perKey` refused writes of credential text a window, each one a guess
 * confirmed. With Redis the replicas count together: a replica learns the key is held from the
 * shared count its own refusal brings back.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const NOTE = 'mutation($input: UpdateBackupNoteInput!) { updateBackupNote(input: $input) { backup { id } } }';
const PIECE = DANUBE_SIM_API_KEY.slice(12, 20);
const PER_KEY = 2;
const operator = (name: string) => ({ name, key: `${name}-key-0123456789abcdef`, roles: ['operator'] });
const GUESSER = operator('guesser');
const ORDINARY = operator('ordinary');

describe.skipIf(!redis.url)(redisSuite('writes refused for credential text counted across two replicas', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  const stores = redis.url ? [new RedisStore(redis.url, prefix), new RedisStore(redis.url, prefix)] : [];
  let harness: Harness;
  let other: RunningGateway;
  let backupId: string;

  beforeAll(async () => {
    await Promise.all(stores.map((store) => store.ready()));
    harness = await startHarness({
      kinds: ['danube'],
      store: stores[0]!,
      configure: [withClients([GUESSER, ORDINARY]), withLimits({ secretTextRefusals: { perKey: PER_KEY, windowMs: 3_600_000 } })],
    });
    other = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: stores[1]! });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ id: string }> | null } }> } }>('{ instances(first: 100) { edges { node { backups { id } } } } }', {}, { key: ORDINARY.key });
    backupId = list.data!.instances.edges.flatMap((edge) => edge.node.backups ?? [])[0]!.id;
  });
  afterAll(async () => {
    await other?.close();
    await harness?.close();
  });

  const noteAt = async (gateway: RunningGateway, client: { key: string }, note: string): Promise<GraphQLAnswer<unknown>> => {
    const response = await fetch(gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${client.key}` },
      body: JSON.stringify({ query: NOTE, variables: { input: { backupId, note } } }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, ...(JSON.parse(text) as Pick<GraphQLAnswer<unknown>, 'data' | 'errors'>) };
  };

  it("a key's refusals on both replicas add up: the one that brings the shared count to perKey holds the key's writes there", async () => {
    expect(errorCodes(await noteAt(harness.gateway, GUESSER, `guess 1: ${PIECE}`))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await noteAt(other, GUESSER, `guess 2: ${PIECE}`))).toEqual(['BAD_USER_INPUT']);
    // Counted per replica, this one had one refusal more to give.
    harness.resetUpstreamLogs();
    const held = await noteAt(other, GUESSER, `guess 3: ${PIECE}`);
    expect(errorCodes(held)).toEqual(['FORBIDDEN']);
    expect(held.errors?.[0]?.message).toMatch(/^writes refused: this key wrote text the gateway redacts too often; retry after \d+ s \(limits\.secretTextRefusals\)$/);
    expect(held.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(3_000);
    expect(errorCodes(await noteAt(other, GUESSER, 'an ordinary note'))).toEqual(['FORBIDDEN']);
    expect(harness.upstreamCount()).toBe(0);
    // Another key is not held back.
    const ordinary = await noteAt(other, ORDINARY, 'an ordinary note');
    expect(ordinary.errors).toBeUndefined();
  });
});
