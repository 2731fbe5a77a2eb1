import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZOMRO_SIM_TOKEN, type ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { errorCodes, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

interface Node {
  id: string;
  nativeId: string;
  backups: Array<{ id: string; nativeId: string; name: string; status: string }>;
}

const LIST = '{ instances(first: 1000) { edges { node { id nativeId backups { id nativeId name status } } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';
const REBUILD = 'instances.fleio.rebuild';

/**
 * Zomro's backup document: "fleio_status - Backup status. The value Active means the backup is
 * created", Saving while it is "in the process of being created". The restore rebuilds the
 * instance from the backup's image, which its cloud does from an active image only. A restore of
 * a backup still Saving was sent (and the simulator rebuilt from it, SUCCEEDED); one of a backup
 * shown Suspended (the panel code's word, FAILED) too.
 */
describe('zomro: a restore of a backup that is not Active', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
  });
  afterAll(() => harness.close());

  const nodes = async () => (await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST)).data!.instances.edges.map((edge) => edge.node);
  const rebuilds = () => harness.simulator('zomro').server.log.filter((item) => item.form.func === REBUILD).length;

  it('still Saving (CREATING): CONFLICT saying to wait, nothing sent; once Active, the same idempotencyKey restores it', async () => {
    simulator.asyncDelayMs = 3_600_000;
    const node = (await nodes()).find((item) => item.backups.length === 1)!;
    const created = await harness.gql(CREATE, { input: { instanceId: node.id, name: 'still-saving' } });
    expect(created.errors).toBeUndefined();
    const backup = (await nodes()).find((item) => item.id === node.id)!.backups.find((item) => item.name === 'still-saving')!;
    expect(backup.status).toBe('CREATING');
    const input = { backupId: backup.id, confirm: true, idempotencyKey: 'zomro-saving-restore' };
    harness.resetUpstreamLogs();
    const refused = await harness.gql(RESTORE, { input });
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors?.[0]?.message).toBe('the backup is not created yet (it shows "Saving"; Zomro\'s backup is created once it shows Active), so nothing was sent to Zomro; wait until the backup reads AVAILABLE, then send the restore again');
    expect(rebuilds()).toBe(0);
    simulator.backups.get(backup.nativeId)!.readyAt = 0;
    const restored = await harness.gql<{ restoreBackup: { operation: { status: string } } }>(RESTORE, { input });
    expect(restored.errors).toBeUndefined();
    expect(restored.data?.restoreBackup.operation.status).toBe('RUNNING');
    expect(rebuilds()).toBe(1);
  });

  it('shown Suspended (FAILED): CONFLICT saying to restore from another backup, nothing sent', async () => {
    const suspended = [...simulator.backups.values()].find((backup) => backup.fixedStatus === 'Suspended')!;
    const backup = (await nodes()).flatMap((node) => node.backups).find((item) => item.nativeId === suspended.id)!;
    expect(backup.status).toBe('FAILED');
    harness.resetUpstreamLogs();
    const refused = await harness.gql(RESTORE, { input: { backupId: backup.id, confirm: true } });
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors?.[0]?.message).toBe('the backup shows "Suspended", not Active (Zomro\'s word for a backup that is created), so the instance cannot be rebuilt from it and nothing was sent to Zomro; restore from another backup');
    expect(rebuilds()).toBe(0);
  });

  it('the simulator refuses a rebuild from an image that is not Active, sent anyway (a stale status)', async () => {
    const suspended = [...simulator.backups.values()].find((backup) => backup.fixedStatus === 'Suspended')!;
    const answer = await fetch(simulator.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ func: REBUILD, auth: ZOMRO_SIM_TOKEN, out: 'json', elid: suspended.instanceId, select_rebuild: suspended.fleio_id, sok: 'ok', clicked_button: 'ok' }).toString(),
    });
    const body = (await answer.json()) as { doc: { error?: { $type?: string } } };
    expect(body.doc.error?.$type).toBe('notactive');
    expect(simulator.instances.get(suspended.instanceId)!.rebuildUntil).toBe(0);
  });
});
