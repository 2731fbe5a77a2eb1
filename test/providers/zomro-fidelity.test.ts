import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ZOMRO_SIM_PASSWORD, ZOMRO_SIM_TOKEN, ZOMRO_SIM_USER, type ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { errorCodes, eventually, type Harness, startHarness, withHarness, withProviderSettings } from '../helpers/harness.js';

/** Issue 18: Zomro as its documents say it, where adapter and simulator once shared a misreading. */

interface Node {
  id: string;
  nativeId: string;
  raw: Record<string, unknown>;
  backups: Array<{ id: string; nativeId: string; status: string; sizeBytes: number | null; raw: Record<string, unknown> }>;
  schedules: Array<{ id: string; raw: Record<string, unknown> }>;
}

const LIST = '{ instances(first: 1000) { edges { node { id nativeId raw backups { id nativeId status sizeBytes raw } schedules { id raw } } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';

/** No read cache: every read in this file reaches the simulator. */
const uncached = (settings: Record<string, unknown> = {}) => withProviderSettings({ ...settings, cacheTtlMs: 0 });

describe('zomro fidelity: documented words only', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let nodes: Node[];

  beforeAll(async () => {
    // A restore settles only after ten minutes: no poll in this file reaches it.
    harness = await startHarness({ kinds: ['zomro'], configure: uncached({ restoreSettleMs: 600_000 }) });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    simulator.imageSizeUnit = 'GB';
    simulator.createdBackupStatus = 'Active';
    simulator.rebuildWord = 'rebuilding';
    simulator.listsFotboStatus = true;
    simulator.listsFleioId = true;
    // Each test's instances at rest: a rebuild an earlier test began would refuse its restore.
    for (const instance of simulator.instances.values()) instance.rebuildUntil = 0;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
    expect(answer.errors).toBeUndefined();
    nodes = answer.data!.instances.edges.map((edge) => edge.node);
  });

  const restore = async (node: Node) => {
    const backup = node.backups.find((item) => item.status === 'AVAILABLE')!;
    const answer = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: backup.id, confirm: true } });
    expect(answer.errors).toBeUndefined();
    return answer.data!.restoreBackup.operation.id;
  };

  it('every seeded backup row lists createdate as a date alone, as BILLmanager does ("createdate": {"$": "2024-07-23"} in its docs)', () => {
    const dates = nodes.flatMap((node) => node.backups.map((backup) => backup.raw.createdate));
    expect(dates.length).toBeGreaterThan(0);
    // The simulator seeded the newest backup of its protected instance with a time of day.
    expect(dates.filter((date) => typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date))).toEqual([]);
  });

  it("restores a backup listed without fleio_id from the image's own fleio_id (func=image&elid=<backup id>)", async () => {
    simulator.listsFleioId = false;
    try {
      const answer = await harness.gql<{ instance: Node }>('query($id: ID!) { instance(id: $id) { id nativeId raw backups { id nativeId status sizeBytes raw } schedules { id raw } } }', { id: nodes[4]!.id });
      const node = answer.data!.instance;
      const backup = node.backups.find((item) => item.status === 'AVAILABLE')!;
      expect(backup.raw.fleio_id).toBeUndefined();
      harness.resetUpstreamLogs();
      const restored = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: backup.id, confirm: true } });
      expect(restored.errors).toBeUndefined();
      const log = harness.simulator('zomro').server.log;
      expect(log.find((request) => request.label === 'image')?.form).toMatchObject({ elid: backup.nativeId });
      expect(log.find((request) => request.label === 'instances.fleio.rebuild')?.form).toMatchObject({ elid: node.nativeId, select_rebuild: simulator.backups.get(backup.nativeId)!.fleio_id, sok: 'ok' });
    } finally {
      simulator.listsFleioId = true;
    }
  });

  it('reads every page of a backup and a schedule list (BILLmanager pages every list: p_cnt/p_num, the count in p_elems)', async () => {
    const node = nodes[3]!;
    for (const n of [1, 2]) simulator.schedules.set(`9${n}`, { id: `9${n}`, instanceId: node.nativeId, name: `extra-${n}`, rotation_days: 'Sunday ', rotation_time: '03:00', create_date: '2024-07-25' });
    simulator.listPageCap = 2;
    try {
      harness.resetUpstreamLogs();
      const answer = await harness.gql<{ instance: Node }>('query($id: ID!) { instance(id: $id) { backups { nativeId } schedules { id } } }', { id: node.id });
      expect(answer.errors).toBeUndefined();
      const held = [...simulator.backups.values()].filter((backup) => backup.instanceId === node.nativeId).map((backup) => backup.id);
      expect(held.length).toBeGreaterThan(2);
      expect(answer.data!.instance.backups.map((backup) => backup.nativeId).sort()).toEqual(held.sort());
      expect(answer.data!.instance.schedules).toHaveLength([...simulator.schedules.values()].filter((schedule) => schedule.instanceId === node.nativeId).length);
      const pages = harness.simulator('zomro').server.log.filter((request) => request.label === 'instances.fleio_bckps').map((request) => request.form.p_num);
      expect(pages.sort()).toEqual(['1', '2']);
    } finally {
      simulator.listPageCap = null;
      for (const n of [1, 2]) simulator.schedules.delete(`9${n}`);
    }
  });

  it('reads every page of a list sent without a count from a panel capping its pages (it kept the first page only)', async () => {
    const node = nodes[3]!;
    simulator.listPageCap = 2;
    simulator.countsLists = false;
    try {
      harness.resetUpstreamLogs();
      const answer = await harness.gql<{ instance: Node }>('query($id: ID!) { instance(id: $id) { backups { nativeId } } }', { id: node.id });
      expect(answer.errors).toBeUndefined();
      const held = [...simulator.backups.values()].filter((backup) => backup.instanceId === node.nativeId).map((backup) => backup.id);
      expect(held).toHaveLength(4);
      expect(answer.data!.instance.backups.map((backup) => backup.nativeId).sort()).toEqual(held.sort());
      // Two full pages of two, then the empty third that ends the list.
      const pages = harness.simulator('zomro').server.log.filter((request) => request.label === 'instances.fleio_bckps').map((request) => request.form.p_num);
      expect(pages).toEqual(['1', '2', '3']);
    } finally {
      simulator.listPageCap = null;
      simulator.countsLists = true;
    }
  });

  it('a restore is not finished while the instance still shows a documented resting word (active | stopped)', async () => {
    const id = await restore(nodes[3]!);
    const poll = await harness.gql<{ operation: { status: string } }>(OPERATION, { id });
    expect(simulator.instances.get(nodes[3]!.nativeId)!.instance_status).toBe('active');
    expect(poll.data?.operation.status).toBe('RUNNING');
  });

  it('a restore shown with an undocumented word (REBUILD) is running; suspend ends it FAILED', async () => {
    simulator.rebuildWord = 'REBUILD';
    const id = await restore(nodes[2]!);
    // Held past both polls: the harness's 150 ms rebuild ended between them on a loaded machine,
    // and the second poll read the resting word (RUNNING, not settled) instead of `suspend`.
    simulator.instances.get(nodes[2]!.nativeId)!.rebuildUntil = Date.now() + 60_000;
    expect((await harness.gql<{ operation: { status: string } }>(OPERATION, { id })).data?.operation.status).toBe('RUNNING');
    simulator.rebuildWord = 'suspend';
    expect((await harness.gql<{ operation: { status: string; error: string } }>(OPERATION, { id })).data?.operation).toEqual({ status: 'FAILED', error: 'the instance is suspended' });
  });

  it('a backup that ends Suspended (a word of the panel code) ends its create FAILED, not RUNNING forever', async () => {
    simulator.createdBackupStatus = 'Suspended';
    simulator.asyncDelayMs = 0;
    const answer = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: nodes[4]!.id, name: 'will-suspend' } });
    expect(answer.errors).toBeUndefined();
    const done = await eventually(
      () => harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id: answer.data!.createBackup.operation.id }),
      (poll) => poll.data?.operation.status !== 'RUNNING' && poll.data?.operation.status !== 'PENDING',
      { timeoutMs: 3_000 },
    );
    expect(done.data?.operation).toEqual({ status: 'FAILED', error: 'backup status "Suspended"' });
  });

  it('a validation error ($object as a field -> [messages] JSON string, param[]) is BAD_USER_INPUT naming the field', async () => {
    const answer = await harness.gql(CREATE, { input: { instanceId: nodes[4]!.id, name: 'n'.repeat(100) } });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.message).toMatch(/refused field\(s\) name: .*too long/);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ provider: 'zomro-test', providerCode: 'value' });
  });

  it('gives a backup still Saving no size, whatever image_size shows ("Determined after the backup creation is complete")', async () => {
    const delay = simulator.asyncDelayMs;
    simulator.imageSizeWhileSaving = '0';
    simulator.asyncDelayMs = 60_000;
    try {
      const answer = await harness.gql<{ createBackup: { backup: { status: string; sizeBytes: number | null; raw: Record<string, unknown> } | null } }>(
        'mutation($input: CreateBackupInput!) { createBackup(input: $input) { backup { status sizeBytes raw } } }',
        { input: { instanceId: nodes[5]!.id, name: 'still-saving' } },
      );
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.createBackup.backup).toMatchObject({ status: 'CREATING', sizeBytes: null, raw: { fleio_status: 'Saving', image_size: '0' } });
    } finally {
      simulator.imageSizeWhileSaving = '';
      simulator.asyncDelayMs = delay;
    }
  });

  it('reads image_size as GB or as bytes, whichever the panel sends (the docs name no unit)', async () => {
    const record = simulator.backups.get(nodes[2]!.backups[0]!.nativeId)!;
    expect(nodes[2]!.backups[0]!.sizeBytes).toBe(Number(record.image_size) * 2 ** 30);
    simulator.imageSizeUnit = 'bytes';
    const answer = await harness.gql<{ instance: Node }>('query($id: ID!) { instance(id: $id) { backups { nativeId sizeBytes raw } } }', { id: nodes[2]!.id });
    const backup = answer.data!.instance.backups.find((item) => item.nativeId === record.id)!;
    expect(backup.raw.image_size).toBe(String(Number(record.image_size) * 2 ** 30));
    expect(backup.sizeBytes).toBe(Number(record.image_size) * 2 ** 30);
  });

  it('Instance.raw and BackupSchedule.raw carry documented fields the schema does not name', () => {
    const simulated = simulator.instances.get(nodes[2]!.nativeId)!;
    expect(nodes[2]!.raw).toMatchObject({ ip: simulated.ip, datacentername: simulated.datacentername });
    expect(nodes[2]!.schedules[0]!.raw).toMatchObject({ instance_id: nodes[2]!.nativeId, servername: simulated.servername, rotation_time: '02:01' });
    expect(JSON.stringify(nodes[2]!.raw)).not.toContain('"$');
  });
});

describe('zomro fidelity: fotbo_status, the live state the panel reads first', () => {
  it('a restore stays RUNNING past restoreSettleMs while fotbo_status says rebuilding, and the instance is BUSY (instance_status alone looked at rest)', async () => {
    // Settled at once: only the state word can keep the restore running.
    await withHarness({ kinds: ['zomro'], configure: uncached({ restoreSettleMs: 0 }), simulator: { asyncDelayMs: 60_000 } }, async (harness) => {
      const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
      const list = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
      const node = list.data!.instances.edges.map((edge) => edge.node)[3]!;
      const backup = node.backups.find((item) => item.status === 'AVAILABLE')!;
      const restored = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: backup.id, confirm: true } });
      expect(restored.errors).toBeUndefined();
      const id = restored.data!.restoreBackup.operation.id;

      const poll = await harness.gql<{ operation: { status: string } }>(OPERATION, { id });
      expect(poll.data?.operation.status).toBe('RUNNING');
      const instance = await harness.gql<{ instance: { state: string; status: string; raw: Record<string, unknown> } }>('query($id: ID!) { instance(id: $id) { state status raw } }', { id: node.id });
      expect(instance.data?.instance).toMatchObject({ state: 'rebuilding', status: 'BUSY', raw: { instance_status: 'active', fotbo_status: 'rebuilding' } });

      // The rebuild ends: the live word rests again, and the restore is done.
      simulator.instances.get(node.nativeId)!.rebuildUntil = 0;
      expect((await harness.gql<{ operation: { status: string } }>(OPERATION, { id })).data?.operation.status).toBe('SUCCEEDED');
    });
  });

  it('a panel without fotbo_status is read from instance_status (a rebuild then ends by restoreSettleMs alone)', async () => {
    await withHarness({ kinds: ['zomro'], configure: uncached({ restoreSettleMs: 0 }), simulator: { asyncDelayMs: 60_000 } }, async (harness) => {
      const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
      simulator.listsFotboStatus = false;
      const list = await harness.gql<{ instances: { edges: Array<{ node: Node & { state: string } }> } }>('{ instances(first: 1000) { edges { node { id nativeId state backups { id status } } } } }');
      const node = list.data!.instances.edges.map((edge) => edge.node)[3]!;
      expect(node.state).toBe('active');
      const backup = node.backups.find((item) => item.status === 'AVAILABLE')!;
      const restored = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: backup.id, confirm: true } });
      expect((await harness.gql<{ operation: { status: string } }>(OPERATION, { id: restored.data!.restoreBackup.operation.id })).data?.operation.status).toBe('SUCCEEDED');
    });
  });
});

describe('zomro fidelity: a backup deleted while its restore (the rebuild) runs', () => {
  const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';

  /** Restores a backup of the fourth instance, deletes that backup mid-rebuild, ends the rebuild: the restore's last word. */
  const restoreThenDelete = (reading: 'finishes' | 'fails') =>
    withHarness({ kinds: ['zomro'], configure: uncached({ restoreSettleMs: 0 }), simulator: { asyncDelayMs: 60_000 } }, async (harness) => {
      const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
      simulator.rebuildOfDeletedImage = reading;
      const list = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
      const node = list.data!.instances.edges.map((edge) => edge.node)[3]!;
      const backup = node.backups.find((item) => item.status === 'AVAILABLE')!;
      const restored = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: backup.id, confirm: true } });
      expect(restored.errors).toBeUndefined();
      const id = restored.data!.restoreBackup.operation.id;
      expect((await harness.gql<{ operation: { status: string } }>(OPERATION, { id })).data?.operation.status).toBe('RUNNING');
      // Zomro refuses a delete only for `protected: on`: it is taken at once, rebuild or not.
      const deleted = await harness.gql<{ deleteBackup: { operation: { status: string } } }>(DELETE, { input: { backupId: backup.id } });
      expect(deleted.errors).toBeUndefined();
      expect(deleted.data?.deleteBackup.operation.status).toBe('SUCCEEDED');
      simulator.instances.get(node.nativeId)!.rebuildUntil = 0;
      return (await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id })).data!.operation;
    });

  it('where the cloud fails a rebuild that loses its image, the restore is FAILED, saying its backup was deleted mid-rebuild', async () => {
    const operation = await restoreThenDelete('fails');
    expect(operation.status).toBe('FAILED');
    expect(operation.error).toContain('the instance is in an error state ("error")');
    expect(operation.error).toContain('its backup was deleted while the instance was being rebuilt from it');
  });

  it('where the rebuild already has its image, the restore ends SUCCEEDED as any other', async () => {
    expect(await restoreThenDelete('finishes')).toEqual({ status: 'SUCCEEDED', error: null });
  });
});

describe('zomro fidelity: a restore while the instance is still being rebuilt', () => {
  it('is refused CONFLICT before any call (the cloud rebuilds no server mid-rebuild), and the simulator refuses a rebuild sent anyway', async () => {
    await withHarness({ kinds: ['zomro'], configure: uncached({ restoreSettleMs: 0 }), simulator: { asyncDelayMs: 60_000 } }, async (harness) => {
      const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
      const list = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
      const node = list.data!.instances.edges.map((edge) => edge.node)[3]!;
      const [first, second] = node.backups.filter((item) => item.status === 'AVAILABLE');
      expect((await harness.gql(RESTORE, { input: { backupId: first!.id, confirm: true } })).errors).toBeUndefined();
      harness.resetUpstreamLogs();
      const again = await harness.gql(RESTORE, { input: { backupId: second!.id, confirm: true } });
      expect(errorCodes(again)).toEqual(['CONFLICT']);
      expect(again.errors?.[0]?.message).toContain('the instance is still being rebuilt (it shows "rebuilding"): wait for the restore under way to end');
      expect(harness.simulator('zomro').server.count('instances.fleio.rebuild')).toBe(0);
      // A panel whose word does not say so (no fotbo_status): the rebuild is sent, and refused there.
      simulator.listsFotboStatus = false;
      const sent = await harness.gql(RESTORE, { input: { backupId: second!.id, confirm: true } });
      expect(errorCodes(sent)).toEqual(['CONFLICT']);
      expect(harness.simulator('zomro').server.count('instances.fleio.rebuild')).toBe(1);
      // Once the rebuild is over, a restore goes through.
      simulator.listsFotboStatus = true;
      simulator.instances.get(node.nativeId)!.rebuildUntil = 0;
      expect((await harness.gql(RESTORE, { input: { backupId: second!.id, confirm: true } })).errors).toBeUndefined();
    });
  });
});

describe('zomro fidelity: a backup while the instance is being rebuilt', () => {
  it('is refused CONFLICT before any call while its word says rebuilding; sent anyway, the panel refuses it (or, in the other reading, takes it)', async () => {
    await withHarness({ kinds: ['zomro'], configure: uncached({ restoreSettleMs: 0 }), simulator: { asyncDelayMs: 60_000 } }, async (harness) => {
      const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
      const list = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
      const node = list.data!.instances.edges.map((edge) => edge.node)[3]!;
      const backup = node.backups.find((item) => item.status === 'AVAILABLE')!;
      expect((await harness.gql(RESTORE, { input: { backupId: backup.id, confirm: true } })).errors).toBeUndefined();
      harness.resetUpstreamLogs();
      const create = (name: string) => harness.gql<{ createBackup: { operation: { status: string } } }>(CREATE, { input: { instanceId: node.id, name } });
      const mid = await create('mid-rebuild-1');
      expect(errorCodes(mid)).toEqual(['CONFLICT']);
      expect(mid.errors?.[0]?.message).toContain('the instance is being rebuilt (it shows "rebuilding"): its cloud takes no backup of a server mid-rebuild');
      expect(harness.simulator('zomro').server.count('instances.fleio_bckps.edit')).toBe(0);
      // A panel whose word does not say so (no fotbo_status): the create is sent, and refused there, as Nova refuses the snapshot.
      simulator.listsFotboStatus = false;
      const sent = await create('mid-rebuild-2');
      expect(errorCodes(sent)).toEqual(['CONFLICT']);
      expect(harness.simulator('zomro').server.count('instances.fleio_bckps.edit')).toBe(1);
      expect([...simulator.backups.values()].some((item) => item.name === 'mid-rebuild-2')).toBe(false);
      // The other reading (a panel that takes it): the create is the panel's to answer, and runs.
      simulator.backupsMidRebuild = 'takes';
      const taken = await create('mid-rebuild-3');
      expect(taken.errors).toBeUndefined();
      expect(taken.data?.createBackup.operation.status).toBe('RUNNING');
      // Once the rebuild is over, a backup goes through where the word is read too.
      simulator.backupsMidRebuild = 'refuses';
      simulator.listsFotboStatus = true;
      simulator.instances.get(node.nativeId)!.rebuildUntil = 0;
      expect((await create('after-rebuild')).errors).toBeUndefined();
    });
  });
});

describe('zomro fidelity: sessions', () => {
  it('logs in with func=auth, sends auth=<session>, and one login renews a dead session for concurrent requests', async () => {
    await withHarness({
      kinds: ['zomro'],
      configure: uncached({ auth: { username: ZOMRO_SIM_USER, password: ZOMRO_SIM_PASSWORD } }),
    }, async (harness) => {
      const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
      const server = harness.simulator('zomro').server;
      expect((await harness.gql(LIST)).errors).toBeUndefined();
      expect(simulator.logins).toBe(1);
      const login = server.log.find((request) => request.label === 'auth')!;
      expect(login.form).toMatchObject({ username: ZOMRO_SIM_USER, sok: 'ok' });
      const session = server.log.find((request) => request.label === 'instances')!.form.auth;
      expect(session).toMatch(/^[0-9a-f]{24}$/);
      expect(server.log.every((request) => request.form.authinfo === undefined)).toBe(true);

      simulator.expireSessions();
      harness.resetUpstreamLogs();
      const [first, second] = await Promise.all([harness.gql<{ instances: { edges: unknown[] } }>(LIST), harness.gql<{ instances: { edges: unknown[] } }>(LIST)]);
      expect(first.errors).toBeUndefined();
      expect(second.errors).toBeUndefined();
      expect(first.data?.instances.edges.length).toBeGreaterThan(0);
      expect(simulator.logins).toBe(2);
      const renewed = server.log.filter((request) => request.label === 'instances').at(-1)!.form.auth;
      expect(renewed).not.toBe(session);
      for (const text of [first.text, second.text, ...harness.logs]) {
        expect(text).not.toContain(ZOMRO_SIM_PASSWORD);
        expect(text).not.toContain(session);
      }
    });
  });

  it('a configured token that expired is a PROVIDER_ERROR saying so, without the token', async () => {
    await withHarness({ kinds: ['zomro'], configure: uncached() }, async (harness) => {
      const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
      simulator.expireSessions();
      const answer = await harness.gql<{ instances: { providerErrors: Array<{ code: string; message: string }> } }>('{ instances { providerErrors { code message } } }');
      expect(answer.data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_ERROR', message: expect.stringMatching(/session token: it has expired/) }]);
      expect(answer.text).not.toContain(ZOMRO_SIM_TOKEN);
      expect(simulator.logins).toBe(0);
    });
  });

  it('the simulator ends a session idle longer than sessionIdleMs', async () => {
    await withHarness({ kinds: ['zomro'], configure: uncached() }, async (harness) => {
      const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
      expect((await harness.gql(LIST)).errors).toBeUndefined();
      simulator.sessionIdleMs = -1;
      const answer = await harness.gql<{ instances: { providerErrors: Array<{ code: string }> } }>('{ instances { providerErrors { code } } }');
      expect(answer.data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_ERROR' }]);
      expect(simulator.sessions.has(ZOMRO_SIM_TOKEN)).toBe(false);
    });
  });
});

describe('zomro fidelity: services BILLmanager deleted but still lists', () => {
  const INSTANCE = 'query($id: ID!) { instance(id: $id) { backups { id nativeId status } } }';
  const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
  let harness: Harness;
  let simulator: ZomroSimulator;
  let nodes: Array<{ id: string; nativeId: string }>;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: uncached() });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>('{ instances(first: 100) { edges { node { id nativeId } } } }');
    nodes = answer.data!.instances.edges.map((edge) => edge.node);
  });
  afterAll(() => harness.close());

  const backupsOf = async (id: string) => {
    const answer = await harness.gql<{ instance: { backups: Array<{ id: string; nativeId: string; status: string }> } }>(INSTANCE, { id });
    expect(answer.errors).toBeUndefined();
    return answer.data!.instance.backups;
  };

  const shown = {
    code: 'item_real_status "4"',
    word: 'item_real_status {"$orig": "4", "$": "Deleted"}',
    russian: 'item_real_status {"$orig": "4", "$": "Удалена"} (a panel in Russian: it stayed listed, its delete RUNNING)',
    image: 'fleio_status "deleted" (Glance\'s word), its item active',
  } as const;
  for (const [listed, index] of [['code', 3], ['word', 4], ['russian', 1], ['image', 2]] as const) {
    it(`a deleted backup listed with ${shown[listed]} is gone: its delete SUCCEEDS and it leaves the list`, async () => {
      simulator.listsDeletedItems = listed === 'russian' ? 'word' : listed;
      simulator.deletedWord = listed === 'russian' ? 'Удалена' : 'Deleted';
      try {
        const node = nodes.find((item) => item.nativeId === String(5_203_773 + index))!;
        const backup = (await backupsOf(node.id)).find((item) => simulator.backups.get(item.nativeId)!.protected === 'off')!;
        const deleted = await harness.gql<{ deleteBackup: { operation: { id: string; status: string } } }>(DELETE, { input: { backupId: backup.id } });
        expect(deleted.errors).toBeUndefined();
        // The panel still lists it, as deleted.
        expect(simulator.backups.get(backup.nativeId)?.deleted).toBe(true);
        const done = await eventually(() => harness.gql<{ operation: { status: string } }>(OPERATION, { id: deleted.data!.deleteBackup.operation.id }), (poll) => poll.data?.operation.status !== 'RUNNING', { timeoutMs: 3_000 });
        expect(done.data?.operation.status).toBe('SUCCEEDED');
        expect((await backupsOf(node.id)).map((item) => item.nativeId)).not.toContain(backup.nativeId);
      } finally {
        simulator.listsDeletedItems = null;
        simulator.deletedWord = 'Deleted';
      }
    });
  }

  it('a deleted instance listed with item_status {"$orig": "4", "$": "Удалена"} (a panel in Russian) is no instance', async () => {
    simulator.listsDeletedItems = 'word';
    simulator.deletedWord = 'Удалена';
    try {
      const gone = nodes[4]!;
      simulator.deleteInstance(gone.nativeId);
      const answer = await harness.gql<{ instances: { edges: Array<{ node: { nativeId: string } }> } }>('{ instances(first: 100) { edges { node { nativeId } } } }');
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.instances.edges.map((edge) => edge.node.nativeId)).not.toContain(gone.nativeId);
    } finally {
      simulator.listsDeletedItems = null;
      simulator.deletedWord = 'Deleted';
      // Back in service for the cases after this one, which count the instances.
      simulator.instances.get(nodes[4]!.nativeId)!.deleted = false;
    }
  });

  it('a deleted instance listed with item_status {"$orig": "4", "$": "Deleted"} is no instance', async () => {
    simulator.listsDeletedItems = 'word';
    try {
      const gone = nodes[5]!;
      simulator.deleteInstance(gone.nativeId);
      const answer = await harness.gql<{ instances: { edges: Array<{ node: { nativeId: string } }> } }>('{ instances(first: 100) { edges { node { nativeId } } } }');
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.instances.edges.map((edge) => edge.node.nativeId)).toEqual(nodes.filter((node) => node !== gone).map((node) => node.nativeId));
    } finally {
      simulator.listsDeletedItems = null;
    }
  });
});

describe('zomro fidelity: a create known by its name (no id in its answer)', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let instance: { id: string; nativeId: string };
  let usedName: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: uncached() });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    // Zomro's document shows no answer to the create, nor any rule against a name used before.
    simulator.createAnswersId = false;
    simulator.allowsRepeatedNames = true;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>('{ instances(first: 100) { edges { node { id nativeId } } } }');
    instance = answer.data!.instances.edges.map((edge) => edge.node).find((node) => node.nativeId === '5203777')!;
    // Seeded in July 2024, Active: an older backup of the name the creates below use.
    usedName = [...simulator.backups.values()].find((backup) => backup.instanceId === instance.nativeId && backup.protected === 'off')!.name;
  });
  afterAll(() => harness.close());

  const create = async () => {
    const answer = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: instance.id, name: usedName } });
    expect(answer.errors).toBeUndefined();
    return answer.data!.createBackup.operation.id;
  };

  it('is RUNNING while its own backup is Saving, not SUCCEEDED by an older Active backup of that name', async () => {
    simulator.asyncDelayMs = 86_400_000;
    const id = await create();
    expect((await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id })).data?.operation).toEqual({ status: 'RUNNING', error: null });
  });

  it('a schedule created under a name the instance used before answers the new schedule, not the older one', async () => {
    const older = [...simulator.schedules.values()].find((schedule) => schedule.instanceId === instance.nativeId)!;
    const answer = await harness.gql<{ createBackupSchedule: { schedule: { nativeId: string; weekdays: string[]; time: string } } }>(
      'mutation($input: CreateBackupScheduleInput!) { createBackupSchedule(input: $input) { schedule { nativeId weekdays time } } }',
      { input: { instanceId: instance.id, name: older.name, weekdays: ['SUNDAY'], time: '03:15' } },
    );
    expect(answer.errors).toBeUndefined();
    const made = [...simulator.schedules.values()].filter((schedule) => schedule.name === older.name).at(-1)!;
    expect(made.id).not.toBe(older.id);
    expect(answer.data?.createBackupSchedule.schedule).toEqual({ nativeId: made.id, weekdays: ['SUNDAY'], time: '03:15' });
  });

  it('is FAILED when its own backup ends killed, whatever an older backup of that name shows', async () => {
    simulator.asyncDelayMs = 0;
    simulator.createdBackupStatus = 'killed';
    try {
      const id = await create();
      expect((await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id })).data?.operation).toEqual({ status: 'FAILED', error: 'backup status "killed"' });
    } finally {
      simulator.createdBackupStatus = 'Active';
    }
  });
});

describe('zomro fidelity: schedule rows name their instance (instance_id)', () => {
  it("an instance's schedules are its own when the panel answers every instance's (plid/elid ignored)", async () => {
    await withHarness({ kinds: ['zomro'], configure: uncached() }, async (harness) => {
      const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
      simulator.ignoresInstanceFilter = true;
      const answer = await harness.gql<{ instances: { edges: Array<{ node: { nativeId: string; schedules: Array<{ nativeId: string; instance: { nativeId: string } | null }> } }> } }>(
        '{ instances(first: 100) { edges { node { nativeId schedules { nativeId instance { nativeId } } } } } }',
      );
      expect(answer.errors).toBeUndefined();
      for (const { node } of answer.data!.instances.edges) {
        const own = [...simulator.schedules.values()].filter((schedule) => schedule.instanceId === node.nativeId).map((schedule) => schedule.id);
        expect(node.schedules.map((schedule) => schedule.nativeId), node.nativeId).toEqual(own);
      }
      // The first two seeded instances have no schedule of their own.
      expect(answer.data!.instances.edges[0]!.node.schedules).toEqual([]);
      // Said once per period, apart from the backup lists' line: rows dropped silently hid a panel naming instances another way.
      const lines = harness.logs.filter((line) => line.includes("named other VMs' schedules")).map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines).toEqual([expect.objectContaining({ level: 40, provider: 'zomro-test', kind: 'zomro', list: 'schedules' })]);
    });
  });
});
