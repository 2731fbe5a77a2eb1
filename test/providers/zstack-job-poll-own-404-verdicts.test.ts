import { describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { eventually, withHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * Guards of the job poll's 404 verdicts (expired-job-answers.ts), both passing on the code as it is:
 *
 * - a poll answered 404 with ZStack's JSON error (a node that writes the expiry so) is ZStack's own
 *   answer about the job: an expired job, health UP. Nothing covered it: the verdict's
 *   `|| isZstackOwnError(body)` taken out, every ZStack test passed while such a poll read as a
 *   proxy's page (PROVIDER_ERROR HTTP_404, health DEGRADED).
 * - two polls of one job in flight at once share one upstream read (the read coalescer), whose
 *   `ownNotFound` test only the first poll's call ran: the second reads the verdict the first heard.
 *   A verdict kept per call rather than per job read the second poll as a proxy's 404.
 *
 * Over HTTP: the simulator's `expiredJobError`, its `expireJobs`, and a hold on the poll's answer.
 */
const BACKUPS = '{ instances(first: 5) { edges { node { backups { id } } } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';
const HEALTH = '{ providers { id health healthCause } }';
const EXPIRED_RESTORE = 'the provider no longer knows this job (expired), and nothing ZStack lists tells whether the revert was done: look at the VM before reverting it again';

/** A restore asked, its job's result expired before any poll: its operation id. */
async function expiredRestore(harness: Harness): Promise<string> {
  const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
  const listed = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ id: string }> } }> } }>(BACKUPS);
  const backupId = listed.data!.instances.edges.flatMap((edge) => edge.node.backups)[0]!.id;
  simulator.asyncDelayMs = 60_000;
  const restored = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId, confirm: true } });
  expect(restored.errors).toBeUndefined();
  simulator.expireJobs();
  return restored.data!.restoreBackup.operation.id;
}

const coalescedReads = async (harness: Harness): Promise<number> => {
  const text = await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
  const line = text.split('\n').find((entry) => entry.startsWith('backup_graph_upstream_coalesced_reads_total{') && entry.includes('provider="zstack-test"'));
  return line ? Number(line.split(' ').at(-1)) : 0;
};

describe("zstack: a job poll's 404 verdict", () => {
  it("guard: ZStack's JSON error to a poll is its own answer, an expired job: the restore FAILED as expired, health UP", async () => {
    await withHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      (harness.simulator('zstack').simulator as ZstackSimulator).expiredJobError = { code: 'SYS.1003', description: 'the job has been expired' };
      const id = await expiredRestore(harness);
      const polled = await harness.gql<{ operation: unknown }>(OPERATION, { id });
      expect(polled.errors).toBeUndefined();
      expect(polled.data?.operation).toEqual({ status: 'FAILED', error: EXPIRED_RESTORE });
      expect((await harness.gql(HEALTH)).data).toEqual({ providers: [{ id: 'zstack-test', health: 'UP', healthCause: null }] });
    });
  });

  it('guard: two polls of one expired job joined in one upstream read both read it expired', async () => {
    await withHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      const id = await expiredRestore(harness);
      const { server } = harness.simulator('zstack');
      server.resetLog();
      const hold = server.holdAnswersOf('GET /zstack/v1/api-jobs/:uuid');
      const first = harness.gql<{ operation: unknown }>(OPERATION, { id });
      await hold.arrived;
      const joinedBefore = await coalescedReads(harness);
      const second = harness.gql<{ operation: unknown }>(OPERATION, { id });
      await eventually(() => coalescedReads(harness), (count) => count > joinedBefore);
      hold.release();
      const answers = await Promise.all([first, second]);
      for (const answer of answers) {
        expect(answer.errors).toBeUndefined();
        expect(answer.data?.operation).toEqual({ status: 'FAILED', error: EXPIRED_RESTORE });
      }
      expect(server.log.filter((request) => request.label === 'GET /zstack/v1/api-jobs/:uuid')).toHaveLength(1);
      expect((await harness.gql(HEALTH)).data).toEqual({ providers: [{ id: 'zstack-test', health: 'UP', healthCause: null }] });
    });
  });
});
