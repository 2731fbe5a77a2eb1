import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/state/redis-store.js';
import { errorCodes, eventually, startHarness, withProviderSettings, type GraphQLAnswer, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * Redis that stops answering with its connection still up (paused,
 * overloaded, a network dropping packets): ioredis waits for as long as TCP
 * lets it. Reads, mutations and their answers must not wait with it.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const BACKUPS = 'query($id: ID!) { instance(id: $id) { backups { name } } }';
/** Far past every wait the gateway allows itself on the store (2 s), far short of TCP's: a hang fails the test. */
const ANSWER_WITHIN_MS = 10_000;

type Created = GraphQLAnswer<{ createBackup: { operation: { id: string } } }>;

describe.skipIf(!redis.url)(redisSuite('a stalled Redis', redis), () => {
  let proxy: RedisProxy;
  let harness: Harness;
  let instanceIds: string[];

  /** The harness's gql, but given up on (and failed) past ANSWER_WITHIN_MS. */
  async function gql<T>(query: string, variables: Record<string, unknown>): Promise<GraphQLAnswer<T>> {
    const response = await fetch(harness.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, ...(JSON.parse(text) as Pick<GraphQLAnswer<T>, 'data' | 'errors'>) };
  }
  const creates = () => harness.simulator('zomro').server.count('instances.fleio_bckps.edit');

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    const store = new RedisStore(proxy.url, `backup-graph-test:${randomUUID()}:`);
    await store.ready();
    harness = await startHarness({ kinds: ['zomro'], store, configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    instanceIds = list.data!.instances.edges.map((edge) => edge.node.id);
  });
  afterAll(async () => {
    proxy?.flow();
    await harness?.close();
    await proxy?.close();
  });

  it('answers a cached read from the provider', async () => {
    await gql(BACKUPS, { id: instanceIds[0] });
    proxy.stall();
    try {
      const answer = await gql<{ instance: { backups: unknown[] } }>(BACKUPS, { id: instanceIds[0] });
      expect(answer.errors).toBeUndefined();
      expect(Array.isArray(answer.data?.instance.backups)).toBe(true);
    } finally {
      proxy.flow();
    }
  });

  it('answers a mutation without a key once the provider has', async () => {
    harness.resetUpstreamLogs();
    proxy.stall();
    try {
      const answer = await gql<Created['data']>(CREATE, { input: { instanceId: instanceIds[1], name: 'stalled-store' } });
      expect(answer.errors).toBeUndefined();
      expect(creates()).toBe(1);
    } finally {
      proxy.flow();
    }
  });

  it('refuses a mutation with a key before it acts, and frees the key once Redis answers again', async () => {
    const input = { instanceId: instanceIds[2], name: 'stalled-claim', idempotencyKey: randomUUID() };
    harness.resetUpstreamLogs();
    proxy.stall();
    let refused: Created;
    try {
      refused = await gql(CREATE, { input });
    } finally {
      proxy.flow();
    }
    expect(errorCodes(refused)).toEqual(['STORE_UNAVAILABLE']);
    expect(refused.errors?.[0]?.message).toMatch(/nothing was sent to the provider/);
    expect(creates()).toBe(0);
    // The claim the stalled Redis ran late is not left pending for the key's 24 h.
    const retried = await gql<Created['data']>(CREATE, { input });
    expect(retried.errors).toBeUndefined();
    expect(creates()).toBe(1);
  });

  it('answers a mutation with a key whose record cannot be written once the provider has acted', async () => {
    const simulator = harness.simulator('zomro').server;
    await simulator.setFault({ mode: 'late', slowMs: 500, onlyLabel: 'instances.fleio_bckps.edit', times: 1 });
    harness.resetUpstreamLogs();
    const input = { instanceId: instanceIds[3], name: 'stalled-record', idempotencyKey: randomUUID() };
    const answered = gql<Created['data']>(CREATE, { input });
    try {
      // The create is at the provider; Redis stalls before its answer is recorded.
      await eventually(() => Promise.resolve(simulator.inFlight), (inFlight) => inFlight > 0, { intervalMs: 5 });
      proxy.stall();
      const answer = await answered;
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.createBackup.operation.id).toEqual(expect.any(String));
    } finally {
      proxy.flow();
      await simulator.clearFault();
    }
    expect(creates()).toBe(1);
  });
});
