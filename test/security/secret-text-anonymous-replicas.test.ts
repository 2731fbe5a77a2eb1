import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { DANUBE_SIM_API_KEY } from '../../src/providers/danube/simulator.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { errorCodes, type GraphQLAnswer, type Harness, startHarness, withLimits } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * Callers without a key are held by address for writes refused for credential text, and an IPv4
 * /24 as a whole at GROUP_SHARE (4) addresses' worth. With Redis the /24's count is every
 * replica's: one prober's addresses spread over two replicas add up there too.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const NOTE = 'mutation($input: UpdateBackupNoteInput!) { updateBackupNote(input: $input) { backup { id } } }';
const PIECE = DANUBE_SIM_API_KEY.slice(12, 20);

describe.skipIf(!redis.url)(redisSuite('anonymous writes refused for credential text: a /24 counted across two replicas', redis), () => {
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
      configure: [
        // The test's requests come from loopback: each names its client in X-Forwarded-For, as a proxy would.
        (config) => ({ ...config, allowAnonymous: true, anonymousRole: 'operator', listen: { ...(config.listen as object), trustedProxies: ['loopback'] } }),
        withLimits({ secretTextRefusals: { perKey: 1, windowMs: 3_600_000 } }),
      ],
    });
    other = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: stores[1]! });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ id: string }> | null } }> } }>('{ instances(first: 100) { edges { node { backups { id } } } } }', {}, { headers: { 'x-forwarded-for': '192.0.2.1' } });
    backupId = list.data!.instances.edges.flatMap((edge) => edge.node.backups ?? [])[0]!.id;
  });
  afterAll(async () => {
    await other?.close();
    await harness?.close();
  });

  const noteAt = async (gateway: RunningGateway, address: string, note: string): Promise<GraphQLAnswer<unknown>> => {
    const response = await fetch(gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ query: NOTE, variables: { input: { backupId, note } } }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, ...(JSON.parse(text) as Pick<GraphQLAnswer<unknown>, 'data' | 'errors'>) };
  };

  it("four addresses of one /24, two on each replica, hold the /24 on the replica whose refusal brings the shared count to four", async () => {
    const replicas = [harness.gateway, other, harness.gateway, other];
    for (const [index, gateway] of replicas.entries()) expect(errorCodes(await noteAt(gateway, `198.18.7.${index + 1}`, `guess ${index}: ${PIECE}`))).toEqual(['BAD_USER_INPUT']);
    // Counted per replica, each had two of the /24's four.
    const held = await noteAt(other, '198.18.7.200', 'an ordinary note');
    expect(errorCodes(held)).toEqual(['FORBIDDEN']);
    expect(held.errors?.[0]?.message).toMatch(/^writes refused: this address's \/24 wrote text the gateway redacts too often; retry after \d+ s \(limits\.secretTextRefusals\)$/);
    expect((await noteAt(other, '198.18.8.1', 'an ordinary note')).errors).toBeUndefined();
  });
});
