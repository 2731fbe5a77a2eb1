import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_QUERY } from '../../src/server/graphiql.js';
import { startHarness, type Harness } from '../helpers/harness.js';

describe('cross-request read cache (cacheTtlMs)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: (config) => ({ ...config, providers: config.providers.map((provider) => ({ ...provider, cacheTtlMs: 60_000 })) }),
    });
  });
  afterAll(() => harness.close());

  it('answers a repeated dashboard query with no upstream calls within the TTL', async () => {
    const first = await harness.gql(DASHBOARD_QUERY);
    expect(first.errors).toBeUndefined();
    expect(harness.upstreamCount()).toBeGreaterThan(0);
    harness.resetUpstreamLogs();
    const second = await harness.gql(DASHBOARD_QUERY);
    expect(second.data).toEqual(first.data);
    expect(harness.upstreamCount()).toBe(0);
  });

  it('forgets an instance at once when a mutation changes it: a read after a create sees the new backup', async () => {
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; backups: Array<{ name: string }> } }> } }>('{ instances { edges { node { id backups { name } } } } }');
    const target = list.data!.instances.edges[4]!.node;
    expect(target.backups.map((backup) => backup.name)).not.toContain('cache-buster');
    const created = await harness.gql('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', { input: { instanceId: target.id, name: 'cache-buster' } });
    expect(created.errors).toBeUndefined();
    harness.resetUpstreamLogs();
    const after = await harness.gql<{ instance: { backups: Array<{ name: string }> } }>('query($id: ID!) { instance(id: $id) { backups { name } } }', { id: target.id });
    expect(after.data?.instance.backups.map((backup) => backup.name)).toContain('cache-buster');
    // The mutation dropped the stale entry and read the instance afresh; nothing else went upstream.
    expect(harness.simulator('zomro').server.count('instances.fleio_bckps')).toBeLessThanOrEqual(1);
  });
});
