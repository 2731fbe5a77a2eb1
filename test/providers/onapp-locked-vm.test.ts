import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnappSimulator, SimTransaction } from '../../src/providers/onapp/simulator.js';
import { errorCodes, eventually, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * OnApp's `locked` (a VM field: a transaction holds the VM) while the gateway creates, deletes or
 * restores a backup of it. OnApp refuses a locked VM's actions with a 422 in one of its error
 * shapes; the gateway read it as PROVIDER_ERROR "base Virtual server is locked", which said
 * neither that nothing was done nor that it passes.
 */

interface Node {
  id: string;
  nativeId: string;
  status: string;
  raw: Record<string, unknown>;
  backups: Array<{ id: string; nativeId: string; status: string }>;
}

const LIST = '{ instances { edges { node { id nativeId status raw backups { id nativeId status } } } } }';
const INSTANCE = 'query($id: ID!) { instance(id: $id) { status raw backups { nativeId raw } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status } }';
const LOCKED_MESSAGE =
  'Virtual server is locked: OnApp acts on no locked virtual server or backup, and a transaction (a backup being taken, a restore) holds one while it runs: nothing was done; send it again once that transaction ends (the instance no longer reads BUSY)';

describe('onapp: a locked virtual server', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  let nodes: Node[];
  const writes = (): number => harness.simulator('onapp').server.count((request) => request.method !== 'GET');

  beforeAll(async () => {
    // Transactions and backups never finish on their own: a test ends a restore itself.
    harness = await startHarness({ kinds: ['onapp'], simulator: { asyncDelayMs: 24 * 3_600_000 }, configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
    expect(answer.errors).toBeUndefined();
    nodes = answer.data!.instances.edges.map((edge) => edge.node);
  });
  afterAll(() => harness.close());

  it('a create refused for the lock ({"errors": {"base": [...]}}) is CONFLICT with what to do, sent once, its idempotencyKey free', async () => {
    const node = nodes[1]!;
    const vm = simulator.vms.get(Number(node.nativeId))!;
    vm.locked = true;
    harness.resetUpstreamLogs();
    const input = { instanceId: node.id, name: 'while-locked', idempotencyKey: 'onapp-locked-create' };
    try {
      const answer = await harness.gql(CREATE, { input });
      expect(errorCodes(answer)).toEqual(['CONFLICT']);
      expect(answer.errors?.[0]).toMatchObject({ message: LOCKED_MESSAGE, extensions: { provider: 'onapp-test', providerCode: 'HTTP_422' } });
      expect(answer.errors?.[0]?.extensions).not.toHaveProperty('retryAfterSeconds');
      expect(writes()).toBe(1);
    } finally {
      vm.locked = false;
    }
    // Refused before acting: the same request creates once the lock is gone.
    const retry = await harness.gql(CREATE, { input });
    expect(retry.errors).toBeUndefined();
    expect(writes()).toBe(2);
  });

  it('a read refused for the lock (an OnApp that refuses reads of a locked VM: not documented) is CONFLICT saying to read again, not that nothing was done', async () => {
    const node = nodes[3]!;
    const vm = simulator.vms.get(Number(node.nativeId))!;
    vm.locked = true;
    simulator.lockedRefusesReads = true;
    try {
      const answer = await harness.gql(INSTANCE, { id: node.id });
      expect(errorCodes(answer)).toEqual(['CONFLICT']);
      expect(answer.errors?.[0]).toMatchObject({
        message:
          'Virtual server is locked: OnApp refused to read this locked virtual server while a transaction (a backup being taken, a restore) holds it; reading changes nothing: read it again once that transaction ends (the instance no longer reads BUSY)',
        extensions: { provider: 'onapp-test', providerCode: 'HTTP_422' },
      });
    } finally {
      vm.locked = false;
      simulator.lockedRefusesReads = false;
    }
    // The documented reading: the list comes back, the lock in each record.
    vm.locked = true;
    try {
      const answer = await harness.gql<{ instance: { status: string; backups: Array<{ raw: Record<string, unknown> }> } }>(INSTANCE, { id: node.id });
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.instance.status).toBe('BUSY');
      expect(answer.data?.instance.backups.length).toBeGreaterThan(0);
      expect(answer.data?.instance.backups.every((backup) => backup.raw.locked === true)).toBe(true);
    } finally {
      vm.locked = false;
    }
  });

  it('a restore refused for the lock ({"error": "..."}) is CONFLICT with what to do, sent once, its idempotencyKey free', async () => {
    const node = nodes[2]!;
    const vm = simulator.vms.get(Number(node.nativeId))!;
    const backup = node.backups.find((item) => item.status === 'AVAILABLE')!;
    vm.locked = true;
    harness.resetUpstreamLogs();
    const input = { backupId: backup.id, confirm: true, idempotencyKey: 'onapp-locked-restore' };
    try {
      const answer = await harness.gql(RESTORE, { input });
      expect(errorCodes(answer)).toEqual(['CONFLICT']);
      expect(answer.errors?.[0]?.message).toBe(LOCKED_MESSAGE);
      expect(writes()).toBe(1);
    } finally {
      vm.locked = false;
    }
    const retry = await harness.gql(RESTORE, { input });
    expect(retry.errors).toBeUndefined();
    expect(writes()).toBe(2);
  });

  it('a delete refused for the lock (an OnApp that refuses it: not documented either way) is CONFLICT, the backup kept', async () => {
    const node = nodes[5]!;
    const vm = simulator.vms.get(Number(node.nativeId))!;
    const backup = node.backups.find((item) => item.status === 'AVAILABLE')!;
    vm.locked = true;
    simulator.lockedRefusesDelete = true;
    harness.resetUpstreamLogs();
    try {
      const answer = await harness.gql(DELETE, { input: { backupId: backup.id } });
      expect(errorCodes(answer)).toEqual(['CONFLICT']);
      expect(answer.errors?.[0]?.message).toBe(LOCKED_MESSAGE);
      expect(writes()).toBe(1);
      expect(simulator.backups.has(Number(backup.nativeId))).toBe(true);
    } finally {
      vm.locked = false;
      simulator.lockedRefusesDelete = false;
    }
  });

  // The schema said a locked backup was refused "before any provider call": OnApp's refusal comes after it.
  it("deleteBackup's description, as GraphiQL shows it, says a locked backup's CONFLICT is the provider's refusal, after the call", async () => {
    const answer = await harness.gql<{ __type: { fields: Array<{ name: string; description: string }> } }>('{ __type(name: "Mutation") { fields { name description } } }');
    expect(answer.errors).toBeUndefined();
    const description = answer.data!.__type.fields.find((field) => field.name === 'deleteBackup')!.description;
    const [beforeCall, afterCall] = description.split(/;\s*/);
    expect(beforeCall).toMatch(/protected backup is refused with CONFLICT before any provider call/);
    expect(beforeCall).not.toMatch(/lock/);
    expect(afterCall).toMatch(/the provider refuses for a lock .*CONFLICT/);
  });

  it('an OnApp that locks the VM while its restore runs: the instance reads BUSY, raw.locked true, a create CONFLICT; RUNNING again once it is done', async () => {
    const node = nodes[4]!;
    expect(node.status).toBe('RUNNING');
    const backup = node.backups.find((item) => item.status === 'AVAILABLE')!;
    simulator.restoreLocksVm = true;
    const made: SimTransaction[] = [];
    const onRestore = (_backupId: number, transaction: SimTransaction) => void made.push(transaction);
    simulator.restoreEvents.on('restore', onRestore);
    try {
      const restore = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: backup.id, confirm: true } });
      expect(restore.errors).toBeUndefined();
      expect(made).toHaveLength(1);
      const during = await harness.gql<{ instance: { status: string; raw: Record<string, unknown>; backups: Array<{ raw: Record<string, unknown> }> } }>(INSTANCE, { id: node.id });
      expect(during.data?.instance).toMatchObject({ status: 'BUSY', raw: { locked: true } });
      expect(during.data?.instance.backups.every((item) => item.raw.locked === true)).toBe(true);
      const create = await harness.gql(CREATE, { input: { instanceId: node.id, name: 'during-restore' } });
      expect(errorCodes(create)).toEqual(['CONFLICT']);
      expect(create.errors?.[0]?.message).toBe(LOCKED_MESSAGE);
      // OnApp ends the restore: the lock goes with it.
      made[0]!.doneAt = 0;
      await eventually(() => harness.gql<{ operation: { status: string } }>(OPERATION, { id: restore.data!.restoreBackup.operation.id }), (poll) => poll.data?.operation.status === 'SUCCEEDED');
      const after = await harness.gql<{ instance: { status: string; raw: Record<string, unknown> } }>(INSTANCE, { id: node.id });
      expect(after.data?.instance).toMatchObject({ status: 'RUNNING', raw: { locked: false } });
    } finally {
      simulator.restoreEvents.off('restore', onRestore);
      simulator.restoreLocksVm = false;
    }
  });
});

describe('onapp: a virtual server locked while a backup of it is taken', () => {
  let harness: Harness;
  let simulator: OnappSimulator;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], simulator: { asyncDelayMs: 24 * 3_600_000 }, configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  it('an OnApp that locks the VM while its backup is taken: BUSY, a restore CONFLICT sent once; RUNNING and restorable once it is built', async () => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
    const node = answer.data!.instances.edges.map((edge) => edge.node)[1]!;
    expect(node.status).toBe('RUNNING');
    const backup = node.backups.find((item) => item.status === 'AVAILABLE')!;
    simulator.backupLocksVm = true;
    try {
      const create = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: node.id, name: 'taking' } });
      expect(create.errors).toBeUndefined();
      const during = await harness.gql<{ instance: { status: string; raw: Record<string, unknown> } }>(INSTANCE, { id: node.id });
      expect(during.data?.instance).toMatchObject({ status: 'BUSY', raw: { locked: true } });
      harness.resetUpstreamLogs();
      const input = { backupId: backup.id, confirm: true, idempotencyKey: 'onapp-locked-by-backup' };
      const refused = await harness.gql(RESTORE, { input });
      expect(errorCodes(refused)).toEqual(['CONFLICT']);
      expect(refused.errors?.[0]?.message).toBe(LOCKED_MESSAGE);
      expect(harness.simulator('onapp').server.count((request) => request.method === 'POST')).toBe(1);
      // OnApp builds the backup: the lock goes with it, and the same request restores.
      for (const item of simulator.backups.values()) if (item.vmId === Number(node.nativeId)) item.builtAt = 0;
      await eventually(() => harness.gql<{ operation: { status: string } }>(OPERATION, { id: create.data!.createBackup.operation.id }), (poll) => poll.data?.operation.status === 'SUCCEEDED');
      const after = await harness.gql<{ instance: { status: string } }>(INSTANCE, { id: node.id });
      expect(after.data?.instance.status).toBe('RUNNING');
      const retry = await harness.gql(RESTORE, { input });
      expect(retry.errors).toBeUndefined();
    } finally {
      simulator.backupLocksVm = false;
    }
  });
});
