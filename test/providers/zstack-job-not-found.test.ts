import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const INSTANCES = '{ instances(first: 100) { edges { node { id nativeId backups { id nativeId } } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error errorCode providerErrorCode } }';

interface Vm {
  id: string;
  nativeId: string;
  backups: Array<{ id: string; nativeId: string }>;
}
interface Ended {
  status: string;
  error: string | null;
  errorCode: string | null;
  providerErrorCode: string | null;
}

/**
 * ZStack accepts every non-query API (202) and answers in its job (RestServer: only sync-call
 * APIs answer at once), so a create or a revert of something gone since the gateway read it (its
 * read cache) is a job failing with SYS.1003 (RESOURCE_NOT_FOUND), not a refused request. The
 * operation says so: `errorCode` NOT_FOUND once the backup group (revert) or the VM (create) is
 * seen gone, PROVIDER_ERROR with ZStack's code when the missing resource was another (the image
 * store). Before, such an operation was FAILED with ZStack's words and no code, and the
 * simulator answered these calls 404 at once, which ZStack does not.
 */
describe('zstack: a create or revert whose job fails with SYS.1003', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  let vms: Vm[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.asyncDelayMs = 0;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Vm }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    vms = answer.data!.instances.edges.map((edge) => edge.node).filter((node) => node.backups.length > 0);
    expect(vms.length).toBeGreaterThanOrEqual(4);
  });
  afterAll(() => harness.close());

  async function ended(operationId: string): Promise<Ended | undefined> {
    const done = await eventually(() => harness.gql<{ operation: Ended }>(OPERATION, { id: operationId }), (read) => read.data?.operation.status !== 'RUNNING');
    expect(done.errors).toBeUndefined();
    return done.data?.operation;
  }

  async function restore(vm: Vm): Promise<Ended | undefined> {
    const backup = vm.backups[0]!;
    const started = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: backup.id, confirm: true } });
    expect(started.errors).toBeUndefined();
    return ended(started.data!.restoreBackup.operation.id);
  }

  async function create(vm: Vm): Promise<Ended | undefined> {
    const started = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: vm.id, name: 'after-gone' } });
    expect(started.errors).toBeUndefined();
    return ended(started.data!.createBackup.operation.id);
  }

  it('a revert of a backup deleted at ZStack meanwhile is FAILED with errorCode NOT_FOUND', async () => {
    const vm = vms[0]!;
    const group = vm.backups[0]!.nativeId;
    for (let index = simulator.volumeBackups.length - 1; index >= 0; index--) if (simulator.volumeBackups[index]!.groupUuid === group) simulator.volumeBackups.splice(index, 1);
    expect(await restore(vm)).toEqual({ status: 'FAILED', error: `No volume backups found with group uuid: ${group}`, errorCode: 'NOT_FOUND', providerErrorCode: 'SYS.1003' });
  });

  it('a create whose VM was deleted at ZStack while it ran is FAILED with errorCode NOT_FOUND', async () => {
    const vm = vms[1]!;
    // The gateway reads the VM before it sends a create: gone before, it is NOT_FOUND at once.
    simulator.failNextJob = { code: 'SYS.1003', description: 'cannot find volume', details: 'the root volume is gone' };
    const started = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: vm.id, name: 'vm-gone' } });
    expect(started.errors).toBeUndefined();
    simulator.vms.splice(simulator.vms.findIndex((row) => row.uuid === vm.nativeId), 1);
    expect(await ended(started.data!.createBackup.operation.id)).toEqual({ status: 'FAILED', error: 'cannot find volume', errorCode: 'NOT_FOUND', providerErrorCode: 'SYS.1003' });
  });

  it('a revert or create whose missing resource is the image store, the backup and VM still listed, is PROVIDER_ERROR with SYS.1003', async () => {
    simulator.imageStoreGone = true;
    try {
      const expected = { status: 'FAILED', error: 'cannot find image store', errorCode: 'PROVIDER_ERROR', providerErrorCode: 'SYS.1003' };
      expect(await restore(vms[2]!)).toEqual(expected);
      expect(await create(vms[3]!)).toEqual(expected);
    } finally {
      simulator.imageStoreGone = false;
    }
  });

  it('a job failing with another ZStack error is PROVIDER_ERROR with its code; one that succeeded has no code', async () => {
    const vm = vms[3]!;
    simulator.failNextJob = { code: 'SYS.1007', description: 'the backup storage is full', details: 'no capacity' };
    expect(await create(vm)).toEqual({ status: 'FAILED', error: 'the backup storage is full', errorCode: 'PROVIDER_ERROR', providerErrorCode: 'SYS.1007' });
    expect(await create(vm)).toEqual({ status: 'SUCCEEDED', error: null, errorCode: null, providerErrorCode: null });
  });

  it('a job whose error has no readable code (none, or no short token) has a null providerErrorCode, as the schema says', async () => {
    simulator.failNextJob = { code: '', description: 'something failed', details: '' };
    expect(await create(vms[3]!)).toEqual({ status: 'FAILED', error: 'something failed', errorCode: 'PROVIDER_ERROR', providerErrorCode: null });
  });
});
