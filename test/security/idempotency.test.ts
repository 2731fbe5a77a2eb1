import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { errorCodes, startHarness, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

const redis = await testRedis();
afterAll(() => redis.stop());
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';

async function firstInstanceId(harness: Harness, index = 3): Promise<string> {
  const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
  return answer.data!.instances.edges[index]!.node.id;
}

const createCalls = (harness: Harness) => harness.simulator('zomro').server.count('instances.fleio_bckps.edit');

describe('idempotency keys (in memory)', () => {
  let harness: Harness;
  let instanceId: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], simulator: { latencyMs: 30 } });
    instanceId = await firstInstanceId(harness);
  });
  afterAll(() => harness.close());

  it('answers two simultaneous requests with one key with one upstream create and the same operation', async () => {
    const input = { instanceId, name: 'nightly-manual', idempotencyKey: randomUUID() };
    harness.resetUpstreamLogs();
    const [a, b] = await Promise.all([harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input }), harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input })]);
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    expect(a.data?.createBackup.operation.id).toBe(b.data?.createBackup.operation.id);
    expect(createCalls(harness)).toBe(1);
    const again = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input });
    expect(again.data?.createBackup.operation.id).toBe(a.data?.createBackup.operation.id);
    expect(createCalls(harness)).toBe(1);
  });

  it('refuses the same key with a different input with CONFLICT', async () => {
    const idempotencyKey = randomUUID();
    expect((await harness.gql(CREATE, { input: { instanceId, name: 'first-name', idempotencyKey } })).errors).toBeUndefined();
    harness.resetUpstreamLogs();
    const second = await harness.gql(CREATE, { input: { instanceId, name: 'other-name', idempotencyKey } });
    expect(errorCodes(second)).toEqual(['CONFLICT']);
    expect(createCalls(harness)).toBe(0);
  });

  it('refuses a key holding half a surrogate pair: encoded for the record, each such half read as U+FFFD and two keys were one', async () => {
    const base = randomUUID();
    const input = { instanceId, name: 'half-character-key' };
    harness.resetUpstreamLogs();
    // JSON's "\ud800" and "\udfff": two different keys, and neither is text a store can hold.
    for (const idempotencyKey of [`${base}\ud800`, `${base}\udfff`]) {
      const answer = await harness.gql(CREATE, { input: { ...input, idempotencyKey } });
      expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors?.[0]?.message).toBe('idempotencyKey must be well-formed Unicode (half a surrogate pair is no character)');
    }
    expect(createCalls(harness)).toBe(0);
    // A whole pair is a character like any other.
    expect((await harness.gql(CREATE, { input: { ...input, idempotencyKey: `${base}\ud83d\ude00` } })).errors).toBeUndefined();
    expect(createCalls(harness)).toBe(1);
  });

  it('a first attempt that may have acted (the provider did the create, then answered 500) keeps the key: the retry gets that failure, with no second create', async () => {
    const idempotencyKey = randomUUID();
    await harness.simulator('zomro').server.setFault({ mode: 'http-500', onlyLabel: 'instances.fleio_bckps.edit', times: 1 });
    harness.resetUpstreamLogs();
    const failed = await harness.gql(CREATE, { input: { instanceId, name: 'retry-me', idempotencyKey } });
    expect(errorCodes(failed)).toEqual(['PROVIDER_UNAVAILABLE']);
    await harness.simulator('zomro').server.clearFault();
    const retried = await harness.gql(CREATE, { input: { instanceId, name: 'retry-me', idempotencyKey } });
    expect(errorCodes(retried)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(retried.errors?.[0]?.message).toContain('the first request with this idempotencyKey ended so, and the provider may have acted on it');
    expect(createCalls(harness)).toBe(1);
  });

  it('a first attempt refused without acting releases the key: the retry with the same key acts', async () => {
    const idempotencyKey = randomUUID();
    const missing = await harness.gql(CREATE, { input: { instanceId: 'WyJJIiwiem9tcm8tdGVzdCIsIjk5OTk5Il0', name: 'refused', idempotencyKey } });
    expect(errorCodes(missing)).toEqual(['NOT_FOUND']);
    const retried = await harness.gql(CREATE, { input: { instanceId: 'WyJJIiwiem9tcm8tdGVzdCIsIjk5OTk5Il0', name: 'refused', idempotencyKey } });
    expect(errorCodes(retried)).toEqual(['NOT_FOUND']);
    expect(retried.errors?.[0]?.message).not.toContain('idempotencyKey');
  });

  it("marks a replay's audit line replayed: a replay acts on nothing, and read alone it was a second create", async () => {
    const target = await firstInstanceId(harness, 1);
    const input = { instanceId: target, name: 'audited-twice', idempotencyKey: randomUUID() };
    harness.resetUpstreamLogs();
    const first = await harness.gql(CREATE, { input });
    const again = await harness.gql(CREATE, { input });
    expect(first.errors).toBeUndefined();
    expect(again.errors).toBeUndefined();
    expect(createCalls(harness)).toBe(1);
    const lines = harness.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.audit === true && (line.targets as { instanceId?: string } | undefined)?.instanceId === target);
    expect(lines.map((line) => [line.outcome, line.replayed])).toEqual([
      ['ok', undefined],
      ['ok', true],
    ]);
  });

  it('writes one JSON audit line per mutation with client, operation, targets, outcome', async () => {
    const lines = harness.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.audit === true);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines[0]).toMatchObject({ client: 'anonymous', operation: 'createBackup', targets: { instanceId }, outcome: 'ok', requestId: expect.any(String) });
    expect(lines.some((line) => line.outcome === 'CONFLICT')).toBe(true);
  });
});

describe.skipIf(!redis.url)(redisSuite('idempotency keys across two gateway processes sharing Redis', redis), () => {
  let harness: Harness;
  let second: RunningGateway;
  let stores: RedisStore[];
  beforeAll(async () => {
    // One key prefix for both gateways (and none shared with other test runs).
    const prefix = `bg-test-${randomUUID()}:`;
    stores = [new RedisStore(redis.url as string, prefix), new RedisStore(redis.url as string, prefix)];
    await Promise.all(stores.map((store) => store.ready()));
    harness = await startHarness({ kinds: ['zomro'], simulator: { latencyMs: 30 }, store: stores[0]! });
    second = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: stores[1]! });
  });
  afterAll(async () => {
    await second.close();
    await harness.close();
  });

  it('does one upstream create for the same key sent to both at the same moment', async () => {
    const input = { instanceId: await firstInstanceId(harness, 4), name: 'shared-key', idempotencyKey: randomUUID() };
    harness.resetUpstreamLogs();
    const viaSecond = fetch(second.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: CREATE, variables: { input } }) }).then(
      (response) => response.json() as Promise<{ data?: { createBackup: { operation: { id: string } } }; errors?: unknown }>,
    );
    const [a, b] = await Promise.all([harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input }), viaSecond]);
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    expect(b.data?.createBackup.operation.id).toBe(a.data?.createBackup.operation.id);
    expect(createCalls(harness)).toBe(1);
  });
});
