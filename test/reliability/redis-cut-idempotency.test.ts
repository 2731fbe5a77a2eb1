import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, startHarness, type GraphQLAnswer, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * Redis unreachable (a partition, a failover: connections closed, new ones
 * refused) between a keyed mutation's claim and its record: the provider has
 * acted and the client is answered, but the record stays `pending`. Left so,
 * every retry with the key waited its minute and was told CONFLICT "still in
 * progress", for the key's 24 h: the client could neither learn what its
 * request did nor safely try again with a new key.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
/** Far short of the minute a retry waits on a pending record: waiting it out fails the test. */
const ANSWER_WITHIN_MS = 15_000;
const CREATE_LABEL = 'instances.fleio_bckps.edit';

type Created = GraphQLAnswer<{ createBackup: { operation: { id: string } } }>;

describe.skipIf(!redis.url)(redisSuite('Redis unreachable between an idempotency claim and its record', redis), () => {
  let proxy: RedisProxy;
  let harness: Harness;
  let instanceIds: string[];
  let raw: Redis;
  const prefix = `backup-graph-test:${randomUUID()}:`;
  /**
   * Once the request's claim is in Redis and its create is at the provider (it has acted), Redis
   * goes away. Cut on the claim alone, a loaded machine let the claim's lease renewal, before the
   * POST went out, meet the cut: refused STORE_UNAVAILABLE with nothing sent, not the case tested.
   */
  const cutOnceClaimed = async (): Promise<void> => {
    // Records only: a claim's live key (`idem:live:<claim>`) lands just before it.
    await eventually(async () => (await raw.keys(`${prefix}idem:*`)).filter((key) => !key.startsWith(`${prefix}idem:live:`)).length, (count) => count > claimed, { intervalMs: 5 });
    claimed += 1;
    await eventually(async () => harness.simulator('zomro').server.inFlightWhere((request) => request.form.get('func') === CREATE_LABEL), (inFlight) => inFlight > 0, { intervalMs: 2 });
    proxy.cut();
  };
  let claimed = 0;

  async function gql(variables: Record<string, unknown>): Promise<Created> {
    const response = await fetch(harness.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: CREATE, variables }),
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, ...(JSON.parse(text) as Pick<Created, 'data' | 'errors'>) };
  }
  const creates = () => harness.simulator('zomro').server.count(CREATE_LABEL);

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    raw = new Redis(redis.url as string);
    const store = new RedisStore(proxy.url, prefix);
    await store.ready();
    harness = await startHarness({ kinds: ['zomro'], store });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    instanceIds = list.data!.instances.edges.map((edge) => edge.node.id);
  });
  afterAll(async () => {
    proxy?.mend();
    await harness?.close();
    await proxy?.close();
    await raw?.quit();
  });

  it('a retry with the key, once Redis is back, gets the first answer, and nothing is created twice', async () => {
    const simulator = harness.simulator('zomro').server;
    await simulator.setFault({ mode: 'late', slowMs: 500, onlyLabel: 'instances.fleio_bckps.edit', times: 1 });
    harness.resetUpstreamLogs();
    const input = { instanceId: instanceIds[1], name: 'cut-record', idempotencyKey: randomUUID() };
    const answered = gql({ input });
    let first: Created;
    try {
      // The create is at the provider (its answer 500 ms late); Redis goes away before it is recorded.
      await cutOnceClaimed();
      first = await answered;
    } finally {
      proxy.mend();
      await simulator.clearFault();
    }
    expect(first.errors).toBeUndefined();
    const id = first.data?.createBackup.operation.id;
    expect(id).toEqual(expect.any(String));
    // Once Redis is back for the gateway: its record, sent again every second, has landed. Sent at
    // once, the retry met the gateway's connection still waiting out ioredis's reconnect backoff,
    // which grows with the cut's length (an answer that waited for its started record longer cut
    // Redis longer): its claim then waited past 2 s, STORE_UNAVAILABLE, not the case tested.
    await eventually(async () => Promise.all((await raw.keys(`${prefix}idem:*`)).map((key) => raw.get(key))), (values) => values.some((value) => value?.includes('"state":"done"') === true));
    const retried = await gql({ input });
    expect(retried.errors).toBeUndefined();
    expect(retried.data?.createBackup.operation.id).toBe(id);
    expect(creates()).toBe(1);
  }, 40_000);

  it('a key whose refusal could not be recorded is freed once Redis is back: the retry acts', async () => {
    const simulator = harness.simulator('zomro').server;
    // Turned away unread (429): nothing was made, so the key must not stay claimed.
    await simulator.setFault({ mode: 'rate-limit', retryAfterSeconds: 1, onlyLabel: 'instances.fleio_bckps.edit', times: 1 });
    simulator.latencyMs = 500;
    harness.resetUpstreamLogs();
    const input = { instanceId: instanceIds[2], name: 'cut-refusal', idempotencyKey: randomUUID() };
    const answered = gql({ input });
    let first: Created;
    try {
      await cutOnceClaimed();
      first = await answered;
    } finally {
      proxy.mend();
      simulator.latencyMs = 0;
      await simulator.clearFault();
    }
    expect(first.errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
    // The retry reaches the provider (whose simulator made the backup before its 429: it says the
    // name is taken), instead of waiting its minute on a claim nobody holds.
    const retried = await gql({ input });
    expect(retried.errors?.[0]?.message).not.toMatch(/still in progress/);
    expect(creates()).toBe(2);
  }, 40_000);
});
