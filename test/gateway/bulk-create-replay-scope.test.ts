import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { NO_SUCH_PROVIDER } from '../../src/gateway/provider-set.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

const redis = await testRedis();
afterAll(() => redis.stop());

const OPERATOR = 'operator-key-0123456789abcdef';
const CREATE_BACKUPS = /* GraphQL */ `mutation($input: CreateBackupsInput!) {
  createBackups(input: $input) { createdCount failedCount results { instanceId operation { id provider { id } } error { code message } } }
}`;

interface BulkAnswer {
  createBackups: { createdCount: number; failedCount: number; results: Array<{ instanceId: string; operation: { id: string; provider: { id: string } } | null; error: { code: string; message?: string } | null }> };
}

/** The gateway as configured before and after the operator's `providers` was narrowed, both on one Redis (the records outlive a redeploy). */
async function gatewayFor(prefix: string, providers: string[], kinds: Array<'zomro' | 'onapp' | 'danube'> = ['zomro', 'onapp']): Promise<Harness> {
  const store = new RedisStore(redis.url as string, prefix);
  await store.ready();
  return startHarness({ kinds, store, configure: withClients([{ name: 'operator', key: OPERATOR, roles: ['operator'], providers }]) });
}

describe.skipIf(!redis.url)(redisSuite('createBackups replayed after the key lost an account', redis), () => {
  const started: Harness[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((harness) => harness.close()));
  });

  it("answers the items of an account the key no longer sees as a fresh call would (NOT_FOUND, no operation), and the others as recorded", async () => {
    const prefix = `backup-graph-test:${randomUUID()}:`;
    const before = await gatewayFor(prefix, ['zomro-test', 'onapp-test']);
    started.push(before);
    const list = await before.gql<{ instances: { edges: Array<{ node: { id: string; provider: { id: string } } }> } }>('{ instances(first: 50) { edges { node { id provider { id } } } } }', {}, { key: OPERATOR });
    const first = (account: string) => list.data!.instances.edges.find(({ node }) => node.provider.id === account)!.node.id;
    const instanceIds = [first('zomro-test'), first('onapp-test')];
    const input = { instanceIds, name: 'replayed', idempotencyKey: 'bulk-scope-1' };

    const original = await before.gql<BulkAnswer>(CREATE_BACKUPS, { input }, { key: OPERATOR });
    expect(original.errors).toBeUndefined();
    expect(original.data!.createBackups.createdCount).toBe(2);
    const zomroOperation = original.data!.createBackups.results[0]!.operation!.id;

    const after = await gatewayFor(prefix, ['zomro-test']);
    started.push(after);
    after.resetUpstreamLogs();
    const replay = await after.gql<BulkAnswer>(CREATE_BACKUPS, { input }, { key: OPERATOR });
    expect(replay.errors).toBeUndefined();
    expect(replay.data!.createBackups).toEqual({
      createdCount: 1,
      failedCount: 1,
      results: [
        { instanceId: instanceIds[0], operation: { id: zomroOperation, provider: { id: 'zomro-test' } }, error: null },
        { instanceId: instanceIds[1], operation: null, error: { code: 'NOT_FOUND', message: NO_SUCH_PROVIDER } },
      ],
    });
    // A replay: nothing sent upstream, the Zomro item's operation is the recorded one.
    expect(after.upstreamCount()).toBe(0);
    expect(JSON.stringify(replay)).not.toContain('onapp-test');
  }, 60_000);

  it("answers a failed item of an account the key no longer sees as a fresh call would, not with the provider's recorded refusal (it told the instance was there)", async () => {
    const prefix = `backup-graph-test:${randomUUID()}:`;
    const kinds: Array<'zomro' | 'danube'> = ['zomro', 'danube'];
    const before = await gatewayFor(prefix, ['zomro-test', 'danube-test'], kinds);
    started.push(before);
    const list = await before.gql<{ instances: { edges: Array<{ node: { id: string; provider: { id: string } } }> } }>('{ instances(first: 50) { edges { node { id provider { id } } } } }', {}, { key: OPERATOR });
    const of = (account: string) => list.data!.instances.edges.filter(({ node }) => node.provider.id === account).map(({ node }) => node.id);
    // Danube's second VM has no definitions: the provider refuses to run "daily" there.
    const instanceIds = [of('zomro-test')[0]!, of('danube-test')[1]!];
    const input = { instanceIds, name: 'replayed-refusal', definitionName: 'daily', idempotencyKey: 'bulk-scope-2' };
    const original = await before.gql<BulkAnswer>(CREATE_BACKUPS, { input }, { key: OPERATOR });
    expect(original.data!.createBackups.results[1]!.error).toEqual({ code: 'NOT_FOUND', message: expect.stringMatching(/^Backup definition not found: .+ has no backup definition named "daily"/) });

    const after = await gatewayFor(prefix, ['zomro-test'], kinds);
    started.push(after);
    const replay = await after.gql<BulkAnswer>(CREATE_BACKUPS, { input }, { key: OPERATOR });
    const fresh = await after.gql<BulkAnswer>(CREATE_BACKUPS, { input: { ...input, idempotencyKey: 'bulk-scope-3' } }, { key: OPERATOR });
    expect(fresh.data!.createBackups.results[1]!.error!.message).not.toMatch(/^Backup definition not found/);
    expect(replay.data!.createBackups.results[1]).toEqual(fresh.data!.createBackups.results[1]);
    expect([replay.data!.createBackups.createdCount, replay.data!.createBackups.failedCount]).toEqual([1, 1]);
  }, 60_000);
});
