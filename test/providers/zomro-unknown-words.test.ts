import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ZOMRO_SIM_TOKEN, type ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { errorCodes, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

interface Node {
  id: string;
  nativeId: string;
  state: string | null;
  status: string;
  backups: Array<{ id: string; nativeId: string; status: string }>;
}

const LIST = '{ instances(first: 1000) { edges { node { id nativeId state status backups { id nativeId status } } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';
const REBUILD = 'instances.fleio.rebuild';

/**
 * Words Zomro's documents do not name: an instance state (`Disabled`, one nobody documents), a
 * backup's (`Disabled`; Glance's `deactivated`), and the panel's wording of a rebuild refused for an
 * image that is not Active (`notactive` is the simulator's own). Each maps to a documented status
 * or a typed error, never a failed list.
 */
describe('zomro: words its documents do not name', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  const nodes = async (): Promise<Node[]> => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
    expect(answer.errors).toBeUndefined();
    return answer.data!.instances.edges.map((edge) => edge.node);
  };
  /**
   * An instance the panel rebuilds from a backup of its own: at rest (the first test leaves its
   * instance being rebuilt, BUSY, for the simulator's asyncDelayMs and then in a word nobody
   * documents, UNKNOWN; a restore of it mid-rebuild is refused before any call), with more than one
   * AVAILABLE backup. Chosen by its state, not by how long ago that rebuild began: on a loaded
   * machine the rebuild was still running when the later tests listed, and they restored into it.
   */
  const restorableAtRest = (node: Node): boolean => ['RUNNING', 'STOPPED'].includes(node.status) && node.backups.filter((backup) => backup.status === 'AVAILABLE').length > 1;
  const rebuilds = () => harness.simulator('zomro').server.log.filter((item) => item.form.func === REBUILD).length;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    simulator.notActiveRefusal = null;
  });

  it('an instance shown Disabled, or in a word nobody documents, is UNKNOWN with its word kept; a backup and a restore of it are sent, the restore RUNNING', async () => {
    const [disabled, odd] = (await nodes()).filter((node) => node.backups.some((backup) => backup.status === 'AVAILABLE'));
    simulator.instances.get(disabled!.nativeId)!.instance_status = 'Disabled';
    simulator.instances.get(odd!.nativeId)!.instance_status = 'hibernating';
    const shown = await nodes();
    expect(shown.find((node) => node.id === disabled!.id)).toMatchObject({ state: 'Disabled', status: 'UNKNOWN' });
    expect(shown.find((node) => node.id === odd!.id)).toMatchObject({ state: 'hibernating', status: 'UNKNOWN' });

    const created = await harness.gql<{ createBackup: { operation: { status: string } } }>(CREATE, { input: { instanceId: disabled!.id, name: 'of-a-disabled-one' } });
    expect(created.errors).toBeUndefined();
    expect(['RUNNING', 'SUCCEEDED']).toContain(created.data!.createBackup.operation.status);

    harness.resetUpstreamLogs();
    const backup = disabled!.backups.find((item) => item.status === 'AVAILABLE')!;
    const restored = await harness.gql<{ restoreBackup: { operation: { id: string; status: string } } }>(RESTORE, { input: { backupId: backup.id, confirm: true } });
    expect(restored.errors).toBeUndefined();
    expect(rebuilds()).toBe(1);
    const polled = await harness.gql<{ operation: { status: string } }>(OPERATION, { id: restored.data!.restoreBackup.operation.id });
    expect(polled.errors).toBeUndefined();
    expect(polled.data!.operation.status).toBe('RUNNING');
  });

  it("a backup Glance shows deactivated is FAILED, its restore CONFLICT with nothing sent (it was UNKNOWN, sent, and refused by the panel)", async () => {
    const node = (await nodes()).find(restorableAtRest)!;
    const target = node.backups.find((backup) => backup.status === 'AVAILABLE')!;
    simulator.backups.get(target.nativeId)!.fixedStatus = 'deactivated';
    const backup = (await nodes()).find((item) => item.id === node.id)!.backups.find((item) => item.id === target.id)!;
    expect(backup.status).toBe('FAILED');
    harness.resetUpstreamLogs();
    const refused = await harness.gql(RESTORE, { input: { backupId: backup.id, confirm: true } });
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors?.[0]?.message).toContain('the backup shows "deactivated", not Active');
    expect(rebuilds()).toBe(0);
  });

  it('a backup in a word nobody documents is UNKNOWN and its restore is sent; the panel refusing it in words of its own is PROVIDER_ERROR with its type, its message scrubbed', async () => {
    const node = (await nodes()).find(restorableAtRest)!;
    const target = node.backups.filter((backup) => backup.status === 'AVAILABLE')[1]!;
    simulator.backups.get(target.nativeId)!.fixedStatus = 'Disabled';
    const backup = (await nodes()).find((item) => item.id === node.id)!.backups.find((item) => item.id === target.id)!;
    expect(backup.status).toBe('UNKNOWN');
    simulator.notActiveRefusal = { type: 'imagestate', message: `Image is Disabled; session ${ZOMRO_SIM_TOKEN} may not rebuild from it` };
    harness.resetUpstreamLogs();
    const refused = await harness.gql(RESTORE, { input: { backupId: backup.id, confirm: true } });
    expect(rebuilds()).toBe(1);
    expect(errorCodes(refused)).toEqual(['PROVIDER_ERROR']);
    const error = refused.errors![0]!;
    expect(error.extensions?.providerCode).toBe('imagestate');
    expect(error.message).toContain('Image is Disabled; session');
    expect(JSON.stringify(refused)).not.toContain(ZOMRO_SIM_TOKEN);
    expect(JSON.stringify(refused)).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });
});
