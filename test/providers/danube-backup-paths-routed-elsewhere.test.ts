import { describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { errorCodes, withHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * A reverse proxy in front of Danube that routes the backup paths to another Django REST API (or to
 * nothing behind a Django default): that server answers DRF's generic 404 `{"detail": "Not found."}`,
 * the very words of a datacenter with backups switched off, but without the `es_version` header every
 * answer of Danube's API carries (esdc-ce's api/response.py). Read as switched off, each VM's
 * `backups` was UNSUPPORTED "backups are switched off for the account's datacenter" and health stayed
 * UP while Danube was never asked. Now PROVIDER_ERROR HTTP_404 saying to check the url and the proxy,
 * health DEGRADED (OTHER); the datacenter's own switched-off answer (with the header) still reads
 * UNSUPPORTED (danube-backups-switched-off.test.ts). Over HTTP, the simulator's
 * `backupPathsRoutedElsewhere` playing the proxy.
 */
const LISTED = '{ instances(first: 100) { totalCount providerErrors { code } edges { node { id backups { id } } } } }';
const FILTERED = 'query($id: ID!) { backups(first: 10, filter: { instanceId: $id }) { totalCount } }';
const HEALTH = '{ providers { id health healthCause } }';

type Listed = { instances: { totalCount: number; providerErrors: unknown[]; edges: Array<{ node: { id: string; backups: unknown[] | null } }> } };

const routeElsewhere = (harness: Harness): void => {
  (harness.simulator('danube').simulator as DanubeSimulator).backupPathsRoutedElsewhere = true;
};

describe("danube: a proxy's 404 \"Not found.\" on the backup paths (no es_version header)", () => {
  it('reads each VM\'s backups PROVIDER_ERROR HTTP_404 naming the url and the proxy, not UNSUPPORTED "switched off"; health DEGRADED (OTHER)', async () => {
    await withHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      routeElsewhere(harness);
      const listed = await harness.gql<Listed>(LISTED);
      expect(listed.data?.instances.totalCount).toBe(6);
      expect(listed.data?.instances.providerErrors).toEqual([]);
      const backups = (listed.errors ?? []).filter((error) => error.path?.at(-1) === 'backups');
      expect(backups.map((error) => [error.extensions?.code, error.extensions?.providerCode])).toEqual(listed.data!.instances.edges.map(() => ['PROVIDER_ERROR', 'HTTP_404']));
      expect(backups[0]?.message).toMatch(/without Danube's es_version header: not Danube's answer but another server's/);
      expect(backups[0]?.message).not.toMatch(/switched off/);
      expect((await harness.gql<{ providers: unknown }>(HEALTH)).data?.providers).toEqual([{ id: 'danube-test', health: 'DEGRADED', healthCause: 'OTHER' }]);
    });
  });

  it('answers one VM\'s backups(filter: {instanceId}) PROVIDER_ERROR, not UNSUPPORTED', async () => {
    await withHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      const id = (await harness.gql<Listed>('{ instances(first: 1) { totalCount providerErrors { code } edges { node { id backups { id } } } } }')).data!.instances.edges[0]!.node.id;
      routeElsewhere(harness);
      const filtered = await harness.gql(FILTERED, { id });
      expect(errorCodes(filtered)).toEqual(['PROVIDER_ERROR']);
      expect(filtered.errors?.[0]?.message).toMatch(/check the account's url in the config and the proxy in front of Danube/);
    });
  });
});
