import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZSTACK_SIM_ACCOUNT, ZSTACK_SIM_PASSWORD, type ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const BACKUPS = '{ instances(first: 100) { edges { node { id backups { id nativeId raw } } } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';

type Row = Record<string, unknown>;

/**
 * Each volume backup's `backupStorageRefs[]` as the API docs list a ref: `volumeBackupUuid`,
 * `backupStorageUuid`, `installPath`, `status`, `createDate`, `lastOpDate`. The simulator wrote
 * the store, path and status alone; the gateway reads the store and must take the rest.
 */
describe('zstack: image store refs with every documented field', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.asyncDelayMs = 0;
  });
  afterAll(() => harness.close());

  async function queryVolumeBackups(): Promise<Row[]> {
    const login = await fetch(`${simulator.url}/zstack/v1/accounts/login`, {
      method: 'PUT',
      body: JSON.stringify({ logInByAccount: { accountName: ZSTACK_SIM_ACCOUNT, password: createHash('sha512').update(ZSTACK_SIM_PASSWORD).digest('hex') } }),
    });
    const session = ((await login.json()) as { inventory: { uuid: string } }).inventory.uuid;
    const answer = await fetch(`${simulator.url}/zstack/v1/volume-backups?sort=%2Buuid`, { headers: { authorization: `OAuth ${session}` } });
    return ((await answer.json()) as { inventories: Row[] }).inventories;
  }

  it('answers refs naming their volume backup and dated, in the JVM date style of the rest of the row', async () => {
    simulator.dateStyle = 'java9';
    try {
      const rows = await queryVolumeBackups();
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        const refs = row.backupStorageRefs as Row[];
        expect(refs.length).toBeGreaterThan(0);
        for (const ref of refs) {
          expect(ref.volumeBackupUuid).toBe(row.uuid);
          // Java 9's medium format: a comma after the year, as the row's own dates.
          expect(ref.createDate).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, /);
          expect(ref.lastOpDate).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, /);
          expect(ref.createDate).toBe(row.createDate);
        }
      }
    } finally {
      simulator.dateStyle = 'java8';
    }
  });

  it('a made backup names its refs too, the root volume taking the create\'s resourceUuid', async () => {
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(BACKUPS);
    const vm = list.data!.instances.edges[2]!.node;
    const made = await harness.gql('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', { input: { instanceId: vm.id, name: 'refs-named' } });
    expect(made.errors).toBeUndefined();
    const rows = simulator.volumeBackups.filter((row) => row.name === 'refs-named' || row.name === 'refs-named-data');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect((row.backupStorageRefs as Row[]).map((ref) => ref.volumeBackupUuid)).toEqual([row.uuid]);
  });

  it('the gateway lists, and restores from, backups whose refs carry them', async () => {
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; backups: Array<{ id: string; nativeId: string; raw: unknown }> } }> } }>(BACKUPS);
    expect(list.errors).toBeUndefined();
    const backup = list.data!.instances.edges.flatMap((edge) => edge.node.backups)[0]!;
    const started = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: backup.id, confirm: true } });
    expect(started.errors).toBeUndefined();
    const done = await eventually(() => harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id: started.data!.restoreBackup.operation.id }), (read) => read.data?.operation.status !== 'RUNNING');
    expect(done.data?.operation).toEqual({ status: 'SUCCEEDED', error: null });
  });
});
