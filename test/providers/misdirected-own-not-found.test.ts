import { describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { dashboardNodes } from '../helpers/dashboard.js';
import { withHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * Once an account's url answered as no API does (its instance list a web server's 404 page: health
 * DEGRADED OTHER), any answer but a 404 brought health back to UP, and a 404 never did: a real 404
 * of the provider's own (a VM or backup that does not exist, at a url that is right again) kept it
 * DEGRADED OTHER. Now a 404 whose body is the provider's own error (OnApp's `{"errors": ...}`,
 * Danube's `{"detail": "VM not found"}`) is an answer, and a web server's HTML 404 is still not.
 * Over HTTP, the simulators answering; the url's mistake played by the `not-found-page` fault.
 */
const HEALTH = '{ providers { id health healthCause } }';
const INSTANCES = '{ instances(first: 5) { providerErrors { code } } }';
type Health = { providers: Array<{ id: string; health: string; healthCause: string | null }> };

async function misdirect(harness: Harness, kind: 'onapp' | 'danube', instanceList: string): Promise<void> {
  const server = harness.simulator(kind).server;
  await server.setFault({ mode: 'not-found-page', onlyLabel: instanceList });
  expect((await harness.gql<{ instances: { providerErrors: Array<{ code: string }> } }>(INSTANCES)).data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_ERROR' }]);
  expect((await harness.gql<Health>(HEALTH)).data?.providers).toEqual([{ id: `${kind}-test`, health: 'DEGRADED', healthCause: 'OTHER' }]);
  await server.setFault('none');
  server.log.length = 0;
}

const BACKUP = 'query($id: ID!) { backup(id: $id) { id } }';
/** A backup of a VM OnApp does not have: its one call, the VM's backup list, answers OnApp's own 404. */
const missingOnappBackup = encodeId('Backup', 'onapp-test', ['999999', '888888']);

describe("onapp: a 404 of OnApp's own after the url answered as no API does", () => {
  it("brings health back to UP: the VM's backup list answered 404 with OnApp's error body", async () => {
    await withHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      await misdirect(harness, 'onapp', 'GET /virtual_machines.json');
      const answer = await harness.gql<{ backup: unknown }>(BACKUP, { id: missingOnappBackup });
      expect(answer.data?.backup).toBeNull();
      // The only call: a 404 (no other answer brought health back).
      expect(harness.simulator('onapp').server.log.map((request) => request.label)).toEqual(['GET /virtual_machines/:id/backups.json']);
      expect((await harness.gql<Health>(HEALTH)).data?.providers).toEqual([{ id: 'onapp-test', health: 'UP', healthCause: null }]);
    });
  });

  it("guard: a web server's HTML 404 to the same call keeps health DEGRADED (OTHER)", async () => {
    await withHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      await misdirect(harness, 'onapp', 'GET /virtual_machines.json');
      await harness.simulator('onapp').server.setFault({ mode: 'not-found-page', onlyLabel: 'GET /virtual_machines/:id/backups.json' });
      await harness.gql(BACKUP, { id: missingOnappBackup });
      expect((await harness.gql<Health>(HEALTH)).data?.providers).toEqual([{ id: 'onapp-test', health: 'DEGRADED', healthCause: 'OTHER' }]);
    });
  });

  it("a web framework's JSON 404 (`{\"status\":404,\"error\":\"Not Found\"}`, a Rails API's at the wrong url) to the same call keeps health DEGRADED (OTHER)", async () => {
    await withHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      await misdirect(harness, 'onapp', 'GET /virtual_machines.json');
      await harness.simulator('onapp').server.setFault({ mode: 'not-found-json', onlyLabel: 'GET /virtual_machines/:id/backups.json' });
      await harness.gql(BACKUP, { id: missingOnappBackup });
      expect((await harness.gql<Health>(HEALTH)).data?.providers).toEqual([{ id: 'onapp-test', health: 'DEGRADED', healthCause: 'OTHER' }]);
    });
  });
});

const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id providerOperationId } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status } }';

describe("danube: a 404 of Danube's own after the url answered as no API does", () => {
  it('brings health back to UP: a delete polled after its task was forgotten and its VM deleted ("Task does not exist", "VM not found")', async () => {
    await withHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      const simulator = harness.simulator('danube').simulator as DanubeSimulator;
      const node = (await dashboardNodes(harness)).find((candidate) => candidate.backups.some((item) => item.status === 'AVAILABLE'))!;
      const backup = node.backups.find((item) => item.status === 'AVAILABLE')!;
      const deleted = await harness.gql<{ deleteBackup: { operation: { id: string; providerOperationId: string } } }>(DELETE, { input: { backupId: backup.id } });
      const operation = deleted.data!.deleteBackup.operation;
      simulator.forgetTask(operation.providerOperationId);
      // A Danube that lists a deleted VM's backups by its original hostname answers 200: this one does not.
      simulator.answersToOriginalHostname = false;
      simulator.vms.splice(simulator.vms.findIndex((row) => row.hostname === node.nativeId || row.uuid === node.nativeId), 1);
      await misdirect(harness, 'danube', 'GET /vm');
      await harness.gql(OPERATION, { id: operation.id });
      // Its calls: two 404s, each Danube's own (no other answer brought health back).
      const server = harness.simulator('danube').server;
      expect(server.log.map((request) => request.label)).toEqual(['GET /task/:x/status', 'GET /vm/:x/backup']);
      expect((await harness.gql<Health>(HEALTH)).data?.providers).toEqual([{ id: 'danube-test', health: 'UP', healthCause: null }]);
    });
  });
});
