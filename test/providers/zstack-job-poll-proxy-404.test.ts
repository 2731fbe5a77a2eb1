import { describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { errorCodes, withHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * A job poll answered 404 by a web server or proxy in front of ZStack (its HTML page, or a web
 * framework's JSON 404) is not ZStack's "the job has been expired": it says nothing of the job. Read
 * by its status alone it was an expired job, and a restore still running at ZStack was FAILED "the
 * provider no longer knows this job" for good. Now the poll fails PROVIDER_ERROR HTTP_404 naming the
 * url and the proxy, health DEGRADED (OTHER), and the next poll, answered by ZStack, reads the job as
 * it is. Over HTTP: the simulator's `not-found-page` and `not-found-json` faults on the poll, once.
 */
const BACKUPS = '{ instances(first: 5) { edges { node { backups { id } } } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';
const HEALTH = '{ providers { id health healthCause } }';

/** A restore whose job runs for a minute: its operation id. */
async function runningRestore(harness: Harness): Promise<string> {
  const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
  const listed = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ id: string }> } }> } }>(BACKUPS);
  const backupId = listed.data!.instances.edges.flatMap((edge) => edge.node.backups)[0]!.id;
  simulator.asyncDelayMs = 60_000;
  const restored = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId, confirm: true } });
  expect(restored.errors).toBeUndefined();
  return restored.data!.restoreBackup.operation.id;
}

describe("zstack: a proxy's 404 to a job poll is not an expired job", () => {
  it.each(['not-found-page', 'not-found-json'] as const)('%s: the poll fails PROVIDER_ERROR HTTP_404, health DEGRADED (OTHER); the next poll reads the job RUNNING', async (mode) => {
    await withHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      const id = await runningRestore(harness);
      const { server } = harness.simulator('zstack');
      await server.setFault({ mode, onlyLabel: 'GET /zstack/v1/api-jobs/:uuid', times: 1 });
      const proxied = await harness.gql<{ operation: unknown }>(OPERATION, { id });
      expect(errorCodes(proxied)).toEqual(['PROVIDER_ERROR']);
      expect(proxied.errors?.[0]?.extensions?.providerCode).toBe('HTTP_404');
      expect(proxied.errors?.[0]?.message).toMatch(/without ZStack's words for an expired job .*: the job's state is unknown/);
      expect((await harness.gql(HEALTH)).data).toEqual({ providers: [{ id: 'zstack-test', health: 'DEGRADED', healthCause: 'OTHER' }] });
      const answered = await harness.gql<{ operation: { status: string } }>(OPERATION, { id });
      expect(answered.data?.operation).toEqual({ status: 'RUNNING', error: null });
      expect((await harness.gql(HEALTH)).data).toEqual({ providers: [{ id: 'zstack-test', health: 'UP', healthCause: null }] });
    });
  });
});
