import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ZSTACK_SIM_STORAGE, zstackDate, type ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { errorCodes, eventually, startHarness, withHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const OPERATION = 'query($id: ID!) { operation(id: $id) { status error providerOperationId } }';
const BACKUPS = 'query($id: ID!) { instance(id: $id) { backups { id } } }';
const SYNC = 'mutation { syncBackups(input: { providerId: "zstack-test" }) { operation { id status providerOperationId } } }';

interface Polled {
  operation: { status: string; error: string | null; providerOperationId: string };
}

/**
 * ZStack as its documents describe it, where the adapter once followed its
 * own simulator instead: jobs named by the 202's `location`, a job answer
 * whose `error` is set counted as failed, and query failures' error codes.
 */
describe('zstack: fidelity to the documented API', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  let instanceIds: string[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(first: 100) { edges { node { id } } } }');
    instanceIds = list.data!.instances.edges.map((edge) => edge.node.id);
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    simulator.honourJobUuidHeader = true;
    simulator.asyncDelayMs = 50;
  });

  const settle = (id: string) => eventually(() => harness.gql<Polled>(OPERATION, { id }), (poll) => poll.data?.operation.status !== 'RUNNING');

  it('polls the job the 202 location names, when ZStack ignores the client job uuid header', async () => {
    simulator.honourJobUuidHeader = false;
    const sync = await harness.gql<{ syncBackups: { operation: { id: string; status: string; providerOperationId: string } } }>(SYNC);
    expect(sync.data?.syncBackups.operation.status).toBe('RUNNING');
    const sent = harness.simulator('zstack').server.log.filter((item) => item.method === 'PUT').at(-1)!;
    // The job is ZStack's own, not the uuid the gateway sent.
    expect(sync.data!.syncBackups.operation.providerOperationId).not.toBe(sent.headers['x-job-uuid']);
    expect(simulator.jobs.has(sync.data!.syncBackups.operation.providerOperationId)).toBe(true);
    const done = await settle(sync.data!.syncBackups.operation.id);
    expect(done.data?.operation).toMatchObject({ status: 'SUCCEEDED', error: null });
  });

  it('deletes a backup with the header ignored: the operation succeeds and the backup is gone', async () => {
    simulator.honourJobUuidHeader = false;
    const listed = await harness.gql<{ instance: { backups: Array<{ id: string; nativeId: string }> } }>('query($id: ID!) { instance(id: $id) { backups { id nativeId } } }', { id: instanceIds[2] });
    const backup = listed.data!.instance.backups[0]!;
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string } } }>('mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }', { input: { backupId: backup.id } });
    expect(deleted.errors).toBeUndefined();
    expect((await settle(deleted.data!.deleteBackup.operation.id)).data?.operation.status).toBe('SUCCEEDED');
    expect(simulator.volumeBackups.some((volume) => volume.groupUuid === backup.nativeId)).toBe(false);
  });

  it('judges a delete whose job expired unread by whether its backup group is gone (the job did its work; only its result expired)', async () => {
    const listed = await harness.gql<{ instance: { backups: Array<{ id: string; nativeId: string }> } }>('query($id: ID!) { instance(id: $id) { backups { id nativeId } } }', { id: instanceIds[3] });
    const backup = listed.data!.instance.backups[0]!;
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string } } }>('mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }', { input: { backupId: backup.id } });
    expect(deleted.errors).toBeUndefined();
    simulator.expireJobs();
    const poll = await harness.gql<Polled>(OPERATION, { id: deleted.data!.deleteBackup.operation.id });
    expect(poll.data?.operation).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect(simulator.volumeBackups.some((volume) => volume.groupUuid === backup.nativeId)).toBe(false);
  });

  it("names the backup of a create ZStack answers at once (200 with the documented inventories and their groupUuid)", async () => {
    simulator.answerAtOnce = true;
    try {
      const answer = await harness.gql<{ createBackup: { operation: { status: string }; backup: { nativeId: string; name: string; status: string } | null } }>(
        'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { status } backup { nativeId name status } } }',
        { input: { instanceId: instanceIds[3], name: 'at-once' } },
      );
      expect(answer.errors).toBeUndefined();
      const group = simulator.volumeBackups.find((volume) => volume.name === 'at-once')!.groupUuid;
      expect(answer.data?.createBackup).toEqual({ operation: { status: 'SUCCEEDED' }, backup: { nativeId: group, name: 'at-once', status: 'AVAILABLE' } });
    } finally {
      simulator.answerAtOnce = false;
    }
  });

  it('counts a job answer whose error is not null as FAILED, even with HTTP 200', async () => {
    simulator.failNextJob = { code: 'SYS.1001', description: 'A message or a operation timeout', details: 'Create VM on KVM timeout after 300s', status: 200 };
    const sync = await harness.gql<{ syncBackups: { operation: { id: string } } }>(SYNC);
    const done = await settle(sync.data!.syncBackups.operation.id);
    expect(done.data?.operation).toMatchObject({ status: 'FAILED', error: 'A message or a operation timeout' });
  });

  it("keeps ZStack's error code when a query answers 503 with an error body", async () => {
    simulator.failNextQuery = { code: 'SYS.1006', description: 'the query is not permitted' };
    harness.resetUpstreamLogs();
    const answer = await harness.gql(BACKUPS, { id: instanceIds[3] });
    expect(errorCodes(answer)).toEqual(['PROVIDER_ERROR']);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ providerCode: 'SYS.1006', provider: 'zstack-test' });
    expect(answer.errors?.[0]?.message).toBe('the query is not permitted');
    // A failure ZStack states is not retried.
    expect(harness.simulator('zstack').server.count('GET /zstack/v1/volume-backups')).toBe(1);
  });

  it('a restore whose job expired says its outcome cannot be told and to look at the VM (it sent the user to the backups, which a revert leaves unchanged)', async () => {
    const listed = await harness.gql<{ instance: { backups: Array<{ id: string }> } }>(BACKUPS, { id: instanceIds[1] });
    const backupId = listed.data!.instance.backups[0]!.id;
    simulator.asyncDelayMs = 60_000;
    const restored = await harness.gql<{ restoreBackup: { operation: { id: string } } }>('mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }', { input: { backupId, confirm: true } });
    expect(restored.errors).toBeUndefined();
    simulator.expireJobs();
    const poll = await harness.gql<Polled>(OPERATION, { id: restored.data!.restoreBackup.operation.id });
    expect(poll.data?.operation).toMatchObject({ status: 'FAILED', error: 'the provider no longer knows this job (expired), and nothing ZStack lists tells whether the revert was done: look at the VM before reverting it again' });
  });

  it('still treats a plain 503 (no ZStack error body) as the provider being unavailable', async () => {
    await harness.simulator('zstack').server.setFault('http-503');
    try {
      const answer = await harness.gql(BACKUPS, { id: instanceIds[3] });
      expect(errorCodes(answer)).toEqual(['PROVIDER_UNAVAILABLE']);
    } finally {
      await harness.simulator('zstack').server.setFault('none');
    }
  });

  it('refuses a query answer without its inventories array (PROVIDER_ERROR), rather than reading it as no backups', async () => {
    // The simulator's 'slow' fault answers 200 with {} (as a proxy or a broken node might).
    await harness.simulator('zstack').server.setFault({ mode: 'slow', slowMs: 1, onlyLabel: 'GET /zstack/v1/volume-backups', times: 1 });
    const shapeless = await harness.gql<{ instance: { backups: unknown[] | null } }>(BACKUPS, { id: instanceIds[2] });
    expect(errorCodes(shapeless)).toEqual(['PROVIDER_ERROR']);
    expect(shapeless.errors?.[0]?.extensions).toMatchObject({ provider: 'zstack-test', providerCode: 'INVALID_RESPONSE' });
    expect(shapeless.data?.instance.backups).toBeNull();
    const after = await harness.gql<{ instance: { backups: unknown[] } }>(BACKUPS, { id: instanceIds[2] });
    expect(after.errors).toBeUndefined();
    expect(after.data?.instance.backups.length).toBeGreaterThan(0);
  });
});

describe('zstack: a create whose job expired unread', () => {
  const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
  const POLL = 'query($id: ID!) { operation(id: $id) { status error backup { nativeId } } }';
  let harness: Harness;
  let simulator: ZstackSimulator;
  let instanceId: string;
  let olderName: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; backups: Array<{ name: string }> } }> } }>('{ instances(first: 100) { edges { node { id backups { name } } } } }');
    const withBackups = list.data!.instances.edges.find((edge) => edge.node.backups.length > 0)!.node;
    instanceId = withBackups.id;
    // Seeded in 2017: a backup of this name made long before the creates below.
    olderName = withBackups.backups.at(-1)!.name;
  });
  afterAll(() => harness.close());

  const create = async (name: string): Promise<string> => {
    const answer = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId, name } });
    expect(answer.errors).toBeUndefined();
    return answer.data!.createBackup.operation.id;
  };

  it('is not told SUCCEEDED by an older backup of the same name when its job failed (the create left no backup)', async () => {
    simulator.asyncDelayMs = 60_000;
    simulator.failNextJob = { code: 'SYS.1001', description: 'A message or a operation timeout', details: 'Create VM on KVM timeout after 300s' };
    const id = await create(olderName);
    simulator.expireJobs();
    // The failed job's flow rolled its volume backups back: only the older backup has the name.
    expect(simulator.volumeBackups.filter((volume) => volume.name === olderName)).toHaveLength(1);
    const poll = await harness.gql<{ operation: { status: string; error: string | null; backup: unknown } }>(POLL, { id });
    expect(poll.data?.operation).toMatchObject({ status: 'FAILED', error: expect.stringContaining('expired'), backup: null });
  });

  /** The earlier tests' backups of the name, made a few seconds before: ZStack dates to the second, and two in one second cannot be told apart. */
  const ageEarlierBackups = () => {
    for (const volume of simulator.volumeBackups) if (volume.name === olderName) volume.createDate = zstackDate(new Date(Date.now() - 5_000));
  };

  it("is FAILED, not RUNNING for ever, when its own backup's volumes show Failed", async () => {
    ageEarlierBackups();
    simulator.asyncDelayMs = 60_000;
    const id = await create(olderName);
    simulator.expireJobs();
    const made = simulator.volumeBackups.filter((volume) => volume.name === olderName).at(-1)!;
    for (const volume of simulator.volumeBackups) if (volume.groupUuid === made.groupUuid) volume.status = 'Failed';
    const poll = await harness.gql<{ operation: { status: string; error: string | null; backup: { nativeId: string } | null } }>(POLL, { id });
    expect(poll.data?.operation).toMatchObject({ status: 'FAILED', error: expect.stringContaining('FAILED'), backup: { nativeId: made.groupUuid } });
  });

  it("is FAILED when one of its backup's volumes failed while another still shows Creating", async () => {
    ageEarlierBackups();
    simulator.asyncDelayMs = 60_000;
    const id = await create(olderName);
    const made = simulator.volumeBackups.filter((volume) => String(volume.name).startsWith(olderName)).at(-1)!;
    const volumes = simulator.volumeBackups.filter((volume) => volume.groupUuid === made.groupUuid);
    expect(volumes).toHaveLength(2);
    // The job is forgotten while the root still shows Creating and the data volume has failed.
    for (const job of simulator.jobs.values()) job.expired = true;
    for (const volume of volumes) volume.status = volume.type === 'Root' ? 'Creating' : 'Failed';
    const poll = await harness.gql<{ operation: { status: string; error: string | null; backup: { nativeId: string; status: string } | null } }>(
      'query($id: ID!) { operation(id: $id) { status error backup { nativeId status } } }',
      { id },
    );
    expect(poll.data?.operation).toMatchObject({ status: 'FAILED', backup: { nativeId: made.groupUuid, status: 'FAILED' } });
  });

  it('names its own backup, the newest of its name, when the job succeeded', async () => {
    ageEarlierBackups();
    simulator.asyncDelayMs = 60_000;
    const id = await create(olderName);
    simulator.expireJobs();
    const made = simulator.volumeBackups.filter((volume) => volume.name === olderName).at(-1)!;
    const poll = await harness.gql<{ operation: { status: string; backup: { nativeId: string } | null } }>(POLL, { id });
    expect(poll.data?.operation).toMatchObject({ status: 'SUCCEEDED', backup: { nativeId: made.groupUuid } });
  });

  /** A create of the name whose job expires unread, beside another backup of its name given the same second. */
  const createBesideSameSecond = async () => {
    ageEarlierBackups();
    simulator.asyncDelayMs = 60_000;
    const id = await create(olderName);
    simulator.expireJobs();
    const made = simulator.volumeBackups.filter((volume) => volume.name === olderName).at(-1)!;
    const other = simulator.volumeBackups.find((volume) => volume.name === olderName && volume.groupUuid !== made.groupUuid)!;
    for (const volume of simulator.volumeBackups) if (volume.groupUuid === other.groupUuid) Object.assign(volume, { createDate: made.createDate, status: 'Ready' });
    const poll = await harness.gql<{ operation: { status: string; error: string | null; backup: { nativeId: string } | null } }>(POLL, { id });
    return { made, poll };
  };

  it('names its own backup though another of its name is dated the same second: the resourceUuid it sent (it was FAILED naming none)', async () => {
    simulator.resourceUuidTakenBy = 'root';
    const { made, poll } = await createBesideSameSecond();
    const sent = JSON.parse(harness.simulator('zstack').server.log.filter((item) => item.method === 'POST').at(-1)!.bodyText) as { params: { resourceUuid: string } };
    expect(sent.params.resourceUuid).toMatch(/^[0-9a-f]{32}$/);
    expect(made.uuid).toBe(sent.params.resourceUuid);
    expect(poll.data?.operation).toEqual({ status: 'SUCCEEDED', error: null, backup: { nativeId: made.groupUuid } });
  });

  it('names its own backup when the node gives the resourceUuid to the group', async () => {
    simulator.resourceUuidTakenBy = 'group';
    const { made, poll } = await createBesideSameSecond();
    expect(poll.data?.operation).toEqual({ status: 'SUCCEEDED', error: null, backup: { nativeId: made.groupUuid } });
  });

  it('names none, FAILED, on a node that ignores the resourceUuid, when another backup of its name is dated the same second (the later listed was taken, and a query lists in its sort order, by uuid)', async () => {
    simulator.resourceUuidTakenBy = 'nothing';
    const { poll } = await createBesideSameSecond();
    simulator.resourceUuidTakenBy = 'root';
    expect(poll.data?.operation).toEqual({ status: 'FAILED', error: expect.stringContaining('2 backups of its name are dated the same second'), backup: null });
  });
});

describe('zstack: a backup kept on another image store than the configured one', () => {
  const OTHER_STORE = 'b'.repeat(32);
  const THIRD_STORE = 'c'.repeat(32);
  const BACKUPS_OF = 'query($id: ID!) { instance(id: $id) { backups { id nativeId } } }';
  const POLL = 'query($id: ID!) { operation(id: $id) { status error } }';
  let harness: Harness;
  let simulator: ZstackSimulator;
  let instanceId: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.asyncDelayMs = 20;
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; backups: unknown[] } }> } }>('{ instances(first: 100) { edges { node { id backups { id } } } } }');
    instanceId = list.data!.instances.edges.find((edge) => edge.node.backups.length >= 3)!.node.id;
  });
  afterAll(() => harness.close());

  /** The instance's `index`th backup, its volumes kept on `stores` (ZStack's own schedule, a second image store). */
  const backupOn = async (index: number, stores: string[]) => {
    const listed = await harness.gql<{ instance: { backups: Array<{ id: string; nativeId: string }> } }>(BACKUPS_OF, { id: instanceId });
    const backup = listed.data!.instance.backups[index]!;
    for (const volume of simulator.volumeBackups) if (volume.groupUuid === backup.nativeId) volume.backupStorageRefs = stores.map((store) => ({ backupStorageUuid: store, installPath: `/zstack_bs/${store}`, status: 'Ready' }));
    return backup;
  };
  const settle = (id: string) => eventually(() => harness.gql<{ operation: { status: string; error: string | null } }>(POLL, { id }), (poll) => poll.data?.operation.status !== 'RUNNING');

  it('is restored from the store that holds it (the configured one was named: ZStack failed the revert)', async () => {
    const backup = await backupOn(0, [OTHER_STORE]);
    const restored = await harness.gql<{ restoreBackup: { operation: { id: string } } }>('mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }', { input: { backupId: backup.id, confirm: true } });
    expect(restored.errors).toBeUndefined();
    expect((await settle(restored.data!.restoreBackup.operation.id)).data?.operation).toEqual({ status: 'SUCCEEDED', error: null });
    const sent = harness.simulator('zstack').server.log.filter((item) => item.method === 'PUT' && item.label.includes('vm-backups')).at(-1)!;
    expect(JSON.parse(sent.bodyText)).toEqual({ revertVmFromVmBackup: { backupStorageUuid: OTHER_STORE } });
  });

  it('is deleted from the store that holds it, and is gone', async () => {
    const backup = await backupOn(1, [OTHER_STORE]);
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string } } }>('mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }', { input: { backupId: backup.id } });
    expect(deleted.errors).toBeUndefined();
    expect((await settle(deleted.data!.deleteBackup.operation.id)).data?.operation).toEqual({ status: 'SUCCEEDED', error: null });
    expect(simulator.volumeBackups.some((volume) => volume.groupUuid === backup.nativeId)).toBe(false);
  });

  const deleteBackup = async (backupId: string) => {
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string } } }>('mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }', { input: { backupId } });
    expect(deleted.errors).toBeUndefined();
    return deleted.data!.deleteBackup.operation.id;
  };
  const listed = async (nativeId: string) => {
    const answer = await harness.gql<{ instance: { backups: Array<{ nativeId: string }> } }>(BACKUPS_OF, { id: instanceId });
    return answer.data!.instance.backups.some((backup) => backup.nativeId === nativeId);
  };

  it('a backup the configured store holds too is restored from the configured store, as before', async () => {
    const backup = await backupOn(2, [OTHER_STORE, ZSTACK_SIM_STORAGE]);
    const restored = await harness.gql<{ restoreBackup: { operation: { id: string } } }>('mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }', { input: { backupId: backup.id, confirm: true } });
    expect((await settle(restored.data!.restoreBackup.operation.id)).data?.operation.status).toBe('SUCCEEDED');
    const sent = harness.simulator('zstack').server.log.filter((item) => item.method === 'PUT' && item.label.includes('vm-backups')).at(-1)!;
    expect(JSON.parse(sent.bodyText)).toEqual({ revertVmFromVmBackup: { backupStorageUuid: ZSTACK_SIM_STORAGE } });
  });

  it('a backup held on two image stores is deleted from both in one call (backupStorageUuids is a list), and is gone (it stayed listed from the other store, the delete SUCCEEDED)', async () => {
    const backup = await backupOn(0, [ZSTACK_SIM_STORAGE, OTHER_STORE]);
    const id = await deleteBackup(backup.id);
    const sent = harness.simulator('zstack').server.log.filter((item) => item.method === 'DELETE').at(-1)!;
    expect(new URLSearchParams(sent.query).getAll('backupStorageUuids')).toEqual([ZSTACK_SIM_STORAGE, OTHER_STORE]);
    expect((await settle(id)).data?.operation).toEqual({ status: 'SUCCEEDED', error: null });
    expect(simulator.volumeBackups.some((volume) => volume.groupUuid === backup.nativeId)).toBe(false);
    expect(await listed(backup.nativeId)).toBe(false);
  });

  it('a backup still listed once the delete job succeeded (a store the delete did not name, added meanwhile) reads FAILED naming that store, not SUCCEEDED', async () => {
    const backup = await backupOn(0, [ZSTACK_SIM_STORAGE]);
    simulator.asyncDelayMs = 300;
    try {
      const id = await deleteBackup(backup.id);
      // ZStack's own schedule, or a sync, copies the backup to a third store before the job runs.
      for (const volume of simulator.volumeBackups) if (volume.groupUuid === backup.nativeId) (volume.backupStorageRefs as unknown[]).push({ backupStorageUuid: THIRD_STORE, installPath: `/zstack_bs/${THIRD_STORE}`, status: 'Ready' });
      const polled = (await settle(id)).data?.operation;
      expect(polled?.status).toBe('FAILED');
      expect(polled?.error).toContain(`still listed, held on image store ${THIRD_STORE}`);
      expect(await listed(backup.nativeId)).toBe(true);
    } finally {
      simulator.asyncDelayMs = 20;
    }
  });
});

describe('zstack: dates as the management node\'s JVM writes them', () => {
  it('dates backups whatever JDK the node runs (Gson writes the JVM\'s own format: a comma from Java 9, U+202F before PM from JDK 20)', async () => {
    await withHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) }, async (harness) => {
      const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
      const read = async () => {
        const answer = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ createdAt: string | null }> } }> } }>('{ instances(first: 100) { edges { node { backups { createdAt } } } } }');
        expect(answer.errors).toBeUndefined();
        return answer.data!.instances.edges.flatMap((edge) => edge.node.backups.map((backup) => backup.createdAt));
      };
      const java8 = await read();
      expect(java8.length).toBeGreaterThan(0);
      expect(java8).not.toContain(null);
      for (const style of ['java9', 'java20', '24h'] as const) {
        simulator.dateStyle = style;
        expect(await read(), style).toEqual(java8);
      }
    });
  });
});

describe('zstack: appliance VMs', () => {
  it("a virtual router (type ApplianceVm, listed by vm-instances beside the users' VMs) is no instance: not listed, not counted", async () => {
    await withHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) }, async (harness) => {
      const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
      simulator.addApplianceVm();
      const answer = await harness.gql<{ instances: { totalCount: number; edges: Array<{ node: { nativeId: string } }> } }>('{ instances(first: 100) { totalCount edges { node { nativeId } } } }');
      expect(answer.errors).toBeUndefined();
      const users = simulator.vms.filter((vm) => vm.type === 'UserVm').map((vm) => vm.uuid);
      expect(answer.data!.instances.edges.map((edge) => edge.node.nativeId).sort()).toEqual([...users].sort());
      expect(answer.data!.instances.totalCount).toBe(users.length);
    });
  });
});
