import { describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { errorCodes, withHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * A write ZStack answers 404 at once with its own JSON error (`{"error": {"code": "SYS.1003",
 * "description": ...}}`, an API that ran and found a resource missing) is ZStack answering at a url
 * that is right. Once the account's url had answered as no API does (its login a web server's 404
 * page: health DEGRADED OTHER), that 404 was read as the other server's: a sync, its only call, kept
 * health DEGRADED while ZStack answered it. Now it brings health back UP; another server's JSON 404
 * (Spring's `{"status":404,"error":"Not Found"}`, an API gateway's `{"error": {"code": 404, ...}}`)
 * still does not. Over HTTP, the simulator answering; the url's mistake played by the
 * `not-found-page` fault on the login while the sync's answer is held.
 */
const HEALTH = '{ providers { id health healthCause } }';
const INSTANCES = '{ instances(first: 5) { providerErrors { code } } }';
const SYNC = 'mutation { syncBackups(input: { providerId: "zstack-test" }) { operation { id status } } }';
const SYNC_LABEL = 'PUT /zstack/v1/vm-backups/imageStore/:uuid/actions';
type Health = { providers: Array<{ id: string; health: string; healthCause: string | null }> };

/**
 * The url answering as no API does while the sync's answer is out: ZStack's session dropped, and
 * the login that renews it answered by a web server's 404 page (health DEGRADED OTHER); the fault
 * then lifted. The sync's answer is the first to come after the url's mistake.
 */
async function syncAnsweredAfterMisdirect(harness: Harness, beforeSync: () => Promise<void> | void): Promise<unknown> {
  const { server } = harness.simulator('zstack');
  const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
  const hold = server.holdAnswersOf(SYNC_LABEL);
  await beforeSync();
  const synced = harness.gql(SYNC);
  await hold.arrived;
  simulator.sessions.clear();
  await server.setFault({ mode: 'not-found-page', onlyLabel: 'PUT /zstack/v1/accounts/login' });
  expect((await harness.gql<{ instances: { providerErrors: Array<{ code: string }> } }>(INSTANCES)).data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_ERROR' }]);
  expect((await harness.gql<Health>(HEALTH)).data?.providers).toEqual([{ id: 'zstack-test', health: 'DEGRADED', healthCause: 'OTHER' }]);
  await server.setFault('none');
  server.log.length = 0;
  hold.release();
  return synced;
}

describe("zstack: a write's 404 with ZStack's own JSON error is ZStack's answer", () => {
  it.each([
    ['SYS.1003 on top', { code: 'SYS.1003', description: 'Cannot find the image store' }],
    ['SYS.1003 under ZStack\'s SYS.1006 wrapper', { code: 'SYS.1006', description: 'An operation failed', cause: { code: 'SYS.1003', description: 'Cannot find the image store' } }],
  ])('brings health back to UP after the url answered as no API does: a sync answered 404 at once (%s), its only call', async (_how, error) => {
    await withHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
      const answer = await syncAnsweredAfterMisdirect(harness, () => {
        simulator.nextWriteNotFound = error;
      });
      // A sync names only its image store: ZStack's SYS.1003 stands as NOT_FOUND.
      expect(errorCodes(answer as Parameters<typeof errorCodes>[0])).toEqual(['NOT_FOUND']);
      expect(harness.simulator('zstack').server.log.map((request) => request.label)).toEqual([SYNC_LABEL]);
      expect((await harness.gql<Health>(HEALTH)).data?.providers).toEqual([{ id: 'zstack-test', health: 'UP', healthCause: null }]);
    });
  });

  it.each([
    ['guard: Spring\'s `{"status":404,"error":"Not Found"}` (the not-found-json fault)', 'fault'],
    ['guard: an API gateway\'s `{"error": {"code": 404, "message": "Not Found"}}`, an error object of no ZStack code', 'object'],
  ])('another server\'s JSON 404 to the same sync keeps health DEGRADED (OTHER): %s', async (_how, kind) => {
    await withHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
      await syncAnsweredAfterMisdirect(harness, async () => {
        if (kind === 'fault') await harness.simulator('zstack').server.setFault({ mode: 'not-found-json', onlyLabel: SYNC_LABEL, times: 1 });
        else simulator.nextWriteForeignNotFound = { error: { code: 404, message: 'Not Found', status: 'NOT_FOUND' } };
      });
      expect((await harness.gql<Health>(HEALTH)).data?.providers).toEqual([{ id: 'zstack-test', health: 'DEGRADED', healthCause: 'OTHER' }]);
    });
  });
});
