import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZSTACK_SIM_ACCOUNT, ZSTACK_SIM_PASSWORD, ZSTACK_SIM_STORAGE, type ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const BACKUPS = '{ instances(first: 100) { edges { node { backups { id nativeId } } } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error providerErrorCode } }';

/**
 * DeleteVmBackup's `deleteMode` (API docs: optional, no values named) is ZStack's deletion mode:
 * Permissive, the default, runs the cascade's deletion checks and fails the job when one refuses;
 * Enforcing skips them; any other word fails the parameter check. The gateway sends Permissive:
 * it never overrides ZStack's checks. The simulator ignored the parameter.
 */
describe('zstack: deleteMode', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.asyncDelayMs = 0;
  });
  afterAll(() => harness.close());

  const groups = async () => (await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ id: string; nativeId: string }> } }> } }>(BACKUPS)).data!.instances.edges.flatMap((edge) => edge.node.backups);
  const listed = (group: string) => simulator.volumeBackups.some((row) => row.groupUuid === group);

  async function deleteAtSimulator(group: string, mode: string, stores: string | null = null): Promise<{ status: number; body: unknown }> {
    const login = await fetch(`${simulator.url}/zstack/v1/accounts/login`, {
      method: 'PUT',
      body: JSON.stringify({ logInByAccount: { accountName: ZSTACK_SIM_ACCOUNT, password: createHash('sha512').update(ZSTACK_SIM_PASSWORD).digest('hex') } }),
    });
    const session = ((await login.json()) as { inventory: { uuid: string } }).inventory.uuid;
    const query = `deleteMode=${mode}${stores === null ? '' : `&backupStorageUuids=${stores}`}`;
    const answer = await fetch(`${simulator.url}/zstack/v1/vm-backups/${group}?${query}`, { method: 'DELETE', headers: { authorization: `OAuth ${session}` } });
    expect(answer.status).toBe(202);
    const { location } = (await answer.json()) as { location: string };
    const job = await fetch(new URL(new URL(location).pathname, simulator.url));
    const text = await job.text();
    return { status: job.status, body: text === '' ? null : JSON.parse(text) };
  }

  it('fails the job of a delete naming a mode ZStack does not have, nothing deleted (it deleted)', async () => {
    const group = (await groups())[0]!.nativeId;
    expect(await deleteAtSimulator(group, 'Cascade')).toMatchObject({ status: 503, body: { error: { code: 'SYS.1007' } } });
    expect(listed(group)).toBe(true);
  });

  it('backupStorageUuids joined by a comma is one uuid, as ZStack reads a list query parameter (one value each): the job fails, nothing deleted (the simulator split it and deleted)', async () => {
    const group = (await groups())[0]!.nativeId;
    const other = '0123456789abcdef0123456789abcdef';
    expect(await deleteAtSimulator(group, 'Permissive', `${ZSTACK_SIM_STORAGE},${other}`)).toMatchObject({ status: 503 });
    expect(listed(group)).toBe(true);
  });

  it("a deletion check that refuses fails the gateway's Permissive delete with ZStack's words, the backup kept; Enforcing would delete", async () => {
    const [first, second] = await groups();
    simulator.deletionCheckRefusal = { code: 'SYS.1001', description: 'the VM backup is referenced by a running revert' };
    try {
      const deleted = await harness.gql<{ deleteBackup: { operation: { id: string } } }>(DELETE, { input: { backupId: first!.id } });
      expect(deleted.errors).toBeUndefined();
      const done = await eventually(() => harness.gql<{ operation: { status: string } }>(OPERATION, { id: deleted.data!.deleteBackup.operation.id }), (read) => read.data?.operation.status !== 'RUNNING');
      expect(done.data?.operation).toEqual({ status: 'FAILED', error: 'the VM backup is referenced by a running revert', providerErrorCode: 'SYS.1001' });
      expect(listed(first!.nativeId)).toBe(true);
      const sent = harness.simulator('zstack').server.log.filter((item) => item.method === 'DELETE').at(-1)!;
      expect(sent.query).toContain('deleteMode=Permissive');
      expect(await deleteAtSimulator(second!.nativeId, 'Enforcing')).toMatchObject({ status: 200 });
      expect(listed(second!.nativeId)).toBe(false);
    } finally {
      simulator.deletionCheckRefusal = null;
    }
  });
});
