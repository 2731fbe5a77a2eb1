import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import type { SimRequest, SimResponse } from '../../src/simulator/server.js';
import { errorCodes, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * A restore of an OnApp backup whose documented flags say it cannot be restored now: "built – true
 * if the storage server backed up has been built" (false: still being written) and
 * "marked_for_delete – the backup is marked for deletion (for auto-backups)". The restore of an
 * unbuilt backup was sent (a place in the VM's restore series taken, its transactions read), and
 * OnApp's 422 came back as PROVIDER_ERROR HTTP_422.
 */

interface Node {
  nativeId: string;
  backups: Array<{ id: string; nativeId: string; status: string }>;
}

const LIST = '{ instances(first: 1000) { edges { node { nativeId backups { id nativeId status } } } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';
const RESTORE_POST = 'POST /backups/:id/restore.json';
const TRANSACTIONS = 'GET /virtual_machines/:id/transactions.json';

describe('onapp: a restore of a backup its flags say is not restorable', () => {
  let harness: Harness;
  let simulator: OnappSimulator;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  const backupsNamed = async (nativeId: number) => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
    return answer.data!.instances.edges.flatMap((edge) => edge.node.backups).find((item) => item.nativeId === String(nativeId))!;
  };
  const sent = () => harness.simulator('onapp').server.count(RESTORE_POST) + harness.simulator('onapp').server.count(TRANSACTIONS);

  it('unbuilt (built false, CREATING): CONFLICT saying to wait, nothing sent, and the same idempotencyKey restores once it is built', async () => {
    const building = [...simulator.backups.values()].find((backup) => backup.builtAt > Date.now())!;
    const backup = await backupsNamed(building.id);
    expect(backup.status).toBe('CREATING');
    const input = { backupId: backup.id, confirm: true, idempotencyKey: 'onapp-unbuilt-restore' };
    harness.resetUpstreamLogs();
    const refused = await harness.gql(RESTORE, { input });
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors?.[0]?.message).toBe('the backup is not built yet (OnApp lists it with built false while its transaction writes it), so nothing was sent to OnApp; wait until the backup reads AVAILABLE, then send the restore again');
    expect(sent()).toBe(0);
    building.builtAt = 0;
    expect((await backupsNamed(building.id)).status).toBe('AVAILABLE');
    const restored = await harness.gql(RESTORE, { input });
    expect(restored.errors).toBeUndefined();
    expect(harness.simulator('onapp').server.count(RESTORE_POST)).toBe(1);
  });

  it('marked for deletion (DELETING): CONFLICT saying to restore from another backup, nothing sent', async () => {
    const marked = [...simulator.backups.values()].find((backup) => backup.builtAt <= Date.now())!;
    marked.marked_for_delete = true;
    try {
      const backup = await backupsNamed(marked.id);
      expect(backup.status).toBe('DELETING');
      harness.resetUpstreamLogs();
      const refused = await harness.gql(RESTORE, { input: { backupId: backup.id, confirm: true } });
      expect(errorCodes(refused)).toEqual(['CONFLICT']);
      // Refused by the gateway for any backup its provider lists DELETING, before OnApp's own check (restorable-backup.ts).
      expect(refused.errors?.[0]?.message).toBe('the provider lists the backup as being deleted (DELETING): a restore cannot start from it, nothing was sent; restore from another backup');
      expect(sent()).toBe(0);
    } finally {
      marked.marked_for_delete = false;
    }
  });

  it('sent anyway (listed built), OnApp\'s {"errors": [...]} refusal is PROVIDER_ERROR with its words', async () => {
    const handled = simulator as unknown as { handle(request: SimRequest): SimResponse | Promise<SimResponse> };
    const handle = handled.handle.bind(simulator);
    handled.handle = (request) => (request.method === 'POST' && /\/restore\.json$/.test(request.rawPath) ? { status: 422, json: { errors: ['Backup is not built yet'] } } : handle(request));
    try {
      const built = [...simulator.backups.values()].find((backup) => backup.builtAt <= Date.now() && !backup.marked_for_delete)!;
      const backup = await backupsNamed(built.id);
      expect(backup.status).toBe('AVAILABLE');
      const refused = await harness.gql(RESTORE, { input: { backupId: backup.id, confirm: true } });
      expect(errorCodes(refused)).toEqual(['PROVIDER_ERROR']);
      expect(refused.errors?.[0]).toMatchObject({ message: 'Backup is not built yet', extensions: { providerCode: 'HTTP_422' } });
    } finally {
      handled.handle = handle;
    }
  });
});

describe('onapp: a restore of a backup the read cache holds as CREATING or DELETING, built or kept since', () => {
  // With cacheTtlMs, the restore read its backup from the cached list: a backup built since (by its
  // own transaction, or OnApp's schedule, which no gateway poll drops from the cache) was refused
  // "not built yet" for up to cacheTtlMs (a day at most), where before the restore was sent and done.
  let harness: Harness;
  let simulator: OnappSimulator;
  /** The VM the second test restores: the restore dropped its cached lists, so the last test's read of it is fresh. */
  let restoredVm = 0;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 3_600_000 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  const backupsNamed = async (nativeId: number) => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
    return answer.data!.instances.edges.flatMap((edge) => edge.node.backups).find((item) => item.nativeId === String(nativeId))!;
  };

  it('no longer marked for deletion since the cache read it DELETING: sent', async () => {
    const marked = [...simulator.backups.values()].filter((backup) => backup.builtAt <= Date.now() && !backup.marked_for_delete).at(-1)!;
    marked.marked_for_delete = true;
    const backup = await backupsNamed(marked.id);
    expect(backup.status).toBe('DELETING');
    marked.marked_for_delete = false;
    harness.resetUpstreamLogs();
    const restored = await harness.gql(RESTORE, { input: { backupId: backup.id, confirm: true } });
    expect(restored.errors).toBeUndefined();
    expect(harness.simulator('onapp').server.count(RESTORE_POST)).toBe(1);
  });

  it('built since the cache read it CREATING: sent, as OnApp lists it now', async () => {
    const building = [...simulator.backups.values()].find((backup) => backup.builtAt > Date.now())!;
    const backup = await backupsNamed(building.id);
    expect(backup.status).toBe('CREATING');
    building.builtAt = 0;
    restoredVm = building.vmId;
    harness.resetUpstreamLogs();
    const restored = await harness.gql(RESTORE, { input: { backupId: backup.id, confirm: true } });
    expect(restored.errors).toBeUndefined();
    expect(harness.simulator('onapp').server.count(RESTORE_POST)).toBe(1);
  });

  it('still unbuilt at OnApp: refused as before, nothing sent', async () => {
    const unbuilt = [...simulator.backups.values()].find((backup) => backup.vmId === restoredVm && backup.builtAt <= Date.now() && !backup.marked_for_delete)!;
    unbuilt.builtAt = Number.MAX_SAFE_INTEGER;
    try {
      const backup = await backupsNamed(unbuilt.id);
      expect(backup.status).toBe('CREATING');
      harness.resetUpstreamLogs();
      const refused = await harness.gql(RESTORE, { input: { backupId: backup.id, confirm: true } });
      expect(errorCodes(refused)).toEqual(['CONFLICT']);
      expect(refused.errors?.[0]?.message).toMatch(/^the backup is not built yet/);
      expect(harness.simulator('onapp').server.count(RESTORE_POST)).toBe(0);
    } finally {
      unbuilt.builtAt = 0;
    }
  });
});
