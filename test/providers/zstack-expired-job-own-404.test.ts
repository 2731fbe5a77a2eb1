import { describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { withHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * ZStack's REST server answers the poll of a job whose result expired with 404 and the plain words
 * "the job has been expired" (providers.md: "404 with "the job has been expired" once the job
 * expires"; RestServer writes them as text, not as its JSON error). Once the account's url had
 * answered as no API does (its login a web server's 404 page: health DEGRADED OTHER), that
 * 404 was read as the other server's too: a restore's poll, its only call, kept health DEGRADED
 * while ZStack answered it. Now it is ZStack's own answer, and the restore's outcome is what an
 * expired revert's is. Over HTTP, the simulator answering; the url's mistake played by the
 * `not-found-page` fault on the login.
 */
const HEALTH = '{ providers { id health healthCause } }';
const INSTANCES = '{ instances(first: 5) { providerErrors { code } } }';
const BACKUPS = '{ instances(first: 5) { edges { node { backups { id } } } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';
type Health = { providers: Array<{ id: string; health: string; healthCause: string | null }> };

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

/**
 * The url answering as no API does while the poll's answer is out: ZStack's session dropped (a
 * query answered ID.1001), and the login that renews it answered by a web server's 404 page
 * (loginNotFound: health DEGRADED OTHER); the fault then lifted. The poll was sent with the session
 * before, so its answer is the first to come after the url's mistake.
 */
async function misdirectWhileOut(harness: Harness, poll: () => Promise<unknown>): Promise<unknown> {
  const { server } = harness.simulator('zstack');
  const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
  const hold = server.holdAnswersOf('GET /zstack/v1/api-jobs/:uuid');
  const polled = poll();
  await hold.arrived;
  simulator.sessions.clear();
  await server.setFault({ mode: 'not-found-page', onlyLabel: 'PUT /zstack/v1/accounts/login' });
  expect((await harness.gql<{ instances: { providerErrors: Array<{ code: string }> } }>(INSTANCES)).data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_ERROR' }]);
  expect((await harness.gql<Health>(HEALTH)).data?.providers).toEqual([{ id: 'zstack-test', health: 'DEGRADED', healthCause: 'OTHER' }]);
  await server.setFault('none');
  hold.release();
  return polled;
}

const EXPIRED_RESTORE = 'the provider no longer knows this job (expired), and nothing ZStack lists tells whether the revert was done: look at the VM before reverting it again';

describe("zstack: the expired job's plain-text 404 is ZStack's own answer", () => {
  // ZStack's REST server names no content type (the simulator's default); a proxy in front of it may label the words text/plain.
  it.each([
    ['no content type, as ZStack writes it', false],
    ['labelled text/plain', true],
  ])('brings health back to UP after the url answered as no API does: a restore polled after its job expired, its poll the first answer since the login 404 (%s)', async (_how, namesContentType) => {
    await withHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      (harness.simulator('zstack').simulator as ZstackSimulator).namesContentType = namesContentType;
      const id = await expiredRestore(harness);
      const { server } = harness.simulator('zstack');
      server.log.length = 0;
      const poll = (await misdirectWhileOut(harness, () => harness.gql(OPERATION, { id }))) as { data?: { operation: unknown } };
      expect(poll.data?.operation).toEqual({ status: 'FAILED', error: EXPIRED_RESTORE });
      // As answered: the query whose session was refused, the login the web server answered, then the poll: none answered since the login's 404.
      expect(server.log.map((request) => request.label)).toEqual(['GET /zstack/v1/vm-instances', 'PUT /zstack/v1/accounts/login', 'GET /zstack/v1/api-jobs/:uuid']);
      expect((await harness.gql<Health>(HEALTH)).data?.providers).toEqual([{ id: 'zstack-test', health: 'UP', healthCause: null }]);
    });
  });

  it("guard: a web server's HTML 404 to the same poll keeps health DEGRADED (OTHER)", async () => {
    await withHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      const id = await expiredRestore(harness);
      const { server } = harness.simulator('zstack');
      await misdirectWhileOut(harness, async () => {
        await server.setFault({ mode: 'not-found-page', onlyLabel: 'GET /zstack/v1/api-jobs/:uuid', times: 1 });
        return harness.gql(OPERATION, { id });
      });
      expect((await harness.gql<Health>(HEALTH)).data?.providers).toEqual([{ id: 'zstack-test', health: 'DEGRADED', healthCause: 'OTHER' }]);
    });
  });
});
