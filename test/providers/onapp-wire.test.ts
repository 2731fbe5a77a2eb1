import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { isGatewayError, type GatewayError } from '../../src/domain/errors.js';
import type { Backup } from '../../src/domain/types.js';
import { createLogger } from '../../src/observability/logger.js';
import type { ProviderAdapter } from '../../src/providers/adapter.js';
import type { RunningSimulator } from '../../src/providers/module.js';
import { mapBackup } from '../../src/providers/onapp/mapper.js';
import { ONAPP_SIM_API_KEY, ONAPP_SIM_USER, type OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { createAdapter, startSimulator } from '../../src/providers/registry.js';
import { UNSCOPED } from '../../src/upstream/scope.js';
import { errorCodes, eventually, startHarness, type Harness } from '../helpers/harness.js';

const BASIC = `Basic ${Buffer.from(`${ONAPP_SIM_USER}:${ONAPP_SIM_API_KEY}`).toString('base64')}`;

type Wrapped<K extends string> = Array<Record<K, Record<string, unknown>>>;

/** One request straight to the simulator, as an OnApp client would send it. */
async function onapp(running: RunningSimulator, method: string, path: string, options: { auth?: string | null; body?: unknown } = {}) {
  const auth = options.auth === undefined ? BASIC : options.auth;
  const response = await fetch(`${running.url}${path}`, {
    method,
    headers: { accept: 'application/json', ...(auth ? { authorization: auth } : {}), ...(options.body ? { 'content-type': 'application/json' } : {}) },
    ...(options.body ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

const rejection = async (promise: Promise<unknown>): Promise<GatewayError> => {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!isGatewayError(error)) throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
};

describe('onapp simulator: the wire protocol', () => {
  let running: RunningSimulator;
  let simulator: OnappSimulator;
  beforeAll(async () => {
    running = await startSimulator('onapp', { asyncDelayMs: 100 });
    simulator = running.simulator as OnappSimulator;
  });
  afterAll(() => running.stop());

  it('answers 401 with an {"error"} body without basic auth or with a wrong key', async () => {
    const none = await onapp(running, 'GET', '/virtual_machines.json', { auth: null });
    const wrong = await onapp(running, 'GET', '/virtual_machines.json', { auth: `Basic ${Buffer.from(`${ONAPP_SIM_USER}:nope`).toString('base64')}` });
    for (const answer of [none, wrong]) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ error: expect.any(String) });
    }
  });

  it('seeds six VMs by default: one without backups, an incremental and a still-building backup', async () => {
    const vms = await onapp(running, 'GET', '/virtual_machines.json');
    expect(vms.status).toBe(200);
    const records = (vms.body as Wrapped<'virtual_machine'>).map((item) => item.virtual_machine);
    expect(records).toHaveLength(6);
    const backups = await Promise.all(
      records.map(async (vm) => ((await onapp(running, 'GET', `/virtual_machines/${String(vm.id)}/backups.json`)).body as Wrapped<'backup'>).map((item) => item.backup)),
    );
    expect(backups.filter((list) => list.length === 0)).toHaveLength(1);
    const all = backups.flat();
    expect(all.every((backup) => backup.locked === false)).toBe(true);
    expect(all.some((backup) => backup.backup_type === 'incremental')).toBe(true);
    expect(all.some((backup) => backup.built === false)).toBe(true);
    expect(all.every((backup) => typeof backup.backup_size === 'number')).toBe(true);
  });

  it('answers both backup lists, backups.json and backups/images.json, with the same wrapped records', async () => {
    const vm = [...simulator.vms.values()].find((item) => [...simulator.backups.values()].some((backup) => backup.vmId === item.id))!;
    running.server.resetLog();
    const plain = await onapp(running, 'GET', `/virtual_machines/${vm.id}/backups.json`);
    const images = await onapp(running, 'GET', `/virtual_machines/${vm.id}/backups/images.json`);
    expect(plain.status).toBe(200);
    expect(images.body).toEqual(plain.body);
    expect((plain.body as Wrapped<'backup'>).length).toBeGreaterThan(0);
    expect(running.server.log.map((request) => request.label)).toEqual(['GET /virtual_machines/:id/backups.json', 'GET /virtual_machines/:id/backups/images.json']);
  });

  it('answers 404 with an {"errors": [...]} body for a VM or backup it does not have', async () => {
    for (const path of ['/virtual_machines/999999/backups.json', '/backups/999999.json', '/settings/disks/999999/schedules.json']) {
      const answer = await onapp(running, 'GET', path);
      expect(answer).toEqual({ status: 404, body: { errors: [expect.any(String)] } });
    }
  });

  it('refuses with 422 in each of its error shapes', async () => {
    const vm = [...simulator.vms.values()][2]!;
    const backup = [...simulator.backups.values()].find((item) => item.vmId === vm.id && item.builtAt <= Date.now())!;
    vm.locked = true;
    try {
      expect(await onapp(running, 'POST', `/backups/${backup.id}/restore.json`)).toEqual({ status: 422, body: { error: 'Virtual server is locked' } });
    } finally {
      vm.locked = false;
    }

    const swap = [...simulator.vms.values()][0]!.disks.find((disk) => disk.is_swap)!;
    expect(await onapp(running, 'POST', `/settings/disks/${swap.id}/backups.json`, { body: { backup: { note: 'x' } } })).toEqual({
      status: 422,
      body: { errors: { disk: ['swap disks cannot be backed up'] } },
    });

    const building = [...simulator.backups.values()].find((backup) => backup.builtAt > Date.now())!;
    expect(await onapp(running, 'POST', `/backups/${building.id}/restore.json`)).toEqual({ status: 422, body: { errors: ['Backup is not built yet'] } });
  });

  it('answers a create (documented with no body) without the new record; the backup stays unbuilt for asyncDelayMs', async () => {
    const vm = [...simulator.vms.values()][1]!;
    const disk = vm.disks.find((item) => item.primary)!;
    const created = await onapp(running, 'POST', `/settings/disks/${disk.id}/backups.json`, { body: { backup: { note: 'ignored' } } });
    expect(created).toMatchObject({ status: 201, body: null });
    const record = [...simulator.backups.values()].at(-1)!;
    expect(record).toMatchObject({ note: null, diskId: disk.id, initiated: 'manual' });
    const built = await eventually(
      () => onapp(running, 'GET', `/backups/${record.id}.json`),
      (answer) => (answer.body as { backup: { built: boolean } }).backup.built,
    );
    expect((built.body as { backup: { backup_size: number } }).backup.backup_size).toBeGreaterThanOrEqual(0);
  });

  it('seeds the same data for the same seed', async () => {
    const again = await startSimulator('onapp', {});
    try {
      const first = await onapp(running, 'GET', '/virtual_machines.json');
      const second = await onapp(again, 'GET', '/virtual_machines.json');
      expect(second.body).toEqual(first.body);
    } finally {
      await again.stop();
    }
  });
});

describe('onapp adapter: error answers read from real HTTP', () => {
  let running: RunningSimulator;
  let simulator: OnappSimulator;
  let adapter: ProviderAdapter;
  const adapterFor = (auth?: { username: string; password: string }): ProviderAdapter => {
    const entry = { ...running.accountConfig('onapp-direct'), ...(auth ? { auth } : {}), retries: 0 };
    const [config] = validateConfig({ allowAnonymous: true, providers: [entry] }).providers;
    return createAdapter(config!, { logger: createLogger('silent') });
  };
  const backupOf = (id: number): Backup => {
    const record = simulator.backups.get(id)!;
    return mapBackup('onapp-direct', String(record.vmId), { id: record.id });
  };

  beforeAll(async () => {
    running = await startSimulator('onapp', { asyncDelayMs: 100 });
    simulator = running.simulator as OnappSimulator;
    adapter = adapterFor();
  });
  afterAll(async () => {
    await adapter.close();
    await running.stop();
  });

  it('reads the single {"error": ...} shape: restoring onto a locked VM', async () => {
    const vm = [...simulator.vms.values()][2]!;
    const record = [...simulator.backups.values()].find((item) => item.vmId === vm.id && item.builtAt <= Date.now())!;
    vm.locked = true;
    const backup = backupOf(record.id);
    const error = await rejection(adapter.restoreBackup({ backup, target: { providerId: 'onapp-direct', nativeId: String(vm.id), name: 'x', state: null, raw: {} }, targetDiskId: null, force: false }, UNSCOPED)).finally(() => {
      vm.locked = false;
    });
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/^Virtual server is locked: .*send it again once that transaction ends \(the instance no longer reads BUSY\)$/);
    expect(error.details).toMatchObject({ provider: 'onapp-direct', providerCode: 'HTTP_422' });
  });

  it('fails only the unknown VM of a backup batch, with NOT_FOUND', async () => {
    const known = [...simulator.vms.keys()].map(String);
    const results = await adapter.listBackups([known[1]!, '999999', known[2]!], UNSCOPED);
    expect(Array.isArray(results[0])).toBe(true);
    expect(Array.isArray(results[2])).toBe(true);
    expect(isGatewayError(results[1]) && results[1].code).toBe('NOT_FOUND');
  });

  it('turns a 401 into PROVIDER_ERROR that names neither the user nor the key', async () => {
    const wrong = adapterFor({ username: 'ops-user-x', password: 'wrong-key-4711' });
    try {
      const error = await rejection(wrong.listInstances(UNSCOPED));
      expect(error.code).toBe('PROVIDER_ERROR');
      expect(error.details.providerCode).toBe('HTTP_401');
      expect(JSON.stringify({ message: error.message, details: error.details })).not.toMatch(/ops-user-x|wrong-key-4711/);
    } finally {
      await wrong.close();
    }
  });
});

describe('onapp through the gateway: error shapes and batching', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], simulator: { instances: 12 } });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  it('restoring a backup still being built (built false) is CONFLICT before any call (the {"errors": [...]} answer to one sent anyway: onapp-unrestorable-backup.test.ts)', async () => {
    const building = [...simulator.backups.values()].find((backup) => backup.builtAt > Date.now())!;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ id: string; nativeId: string; status: string }> } }> } }>(
      '{ instances(first: 1000) { edges { node { nativeId backups { id nativeId status } } } } }',
    );
    const backup = answer.data!.instances.edges.flatMap((edge) => edge.node.backups).find((item) => item.nativeId === String(building.id))!;
    expect(backup.status).toBe('CREATING');
    const restore = await harness.gql('mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }', { input: { backupId: backup.id, confirm: true } });
    expect(errorCodes(restore)).toEqual(['CONFLICT']);
    expect(restore.errors?.[0]?.message).toContain('the backup is not built yet');
  });

  it('lists each VM’s backups exactly once per query, however often and however the query names the VM', async () => {
    const first = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(first: 1000) { edges { node { id } } } }');
    const ids = first.data!.instances.edges.map((edge) => edge.node.id);
    expect(ids).toHaveLength(12);
    harness.resetUpstreamLogs();
    const answer = await harness.gql(
      `query($one: ID!, $two: ID!) {
        a: instances(first: 1000) { edges { node { backups { id } again: backups { status } } } }
        b: instances(first: 3) { edges { node { backups { sizeBytes } } } }
        one: instance(id: $one) { backups { id } }
        two: node(id: $two) { ... on Instance { backups { name } } }
      }`,
      { one: ids[4], two: ids[4] },
    );
    expect(answer.errors).toBeUndefined();
    const lists = harness.simulator('onapp').server.log.filter((request) => /^\/virtual_machines\/\d+\/backups(\/images)?\.json$/.test(request.rawPath));
    expect(lists).toHaveLength(12);
    expect(new Set(lists.map((request) => request.rawPath)).size).toBe(12);
  });

  it('refuses a diskId of another VM before any POST (OnApp would back up that other VM)', async () => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>('{ instances(first: 2) { edges { node { id nativeId } } } }');
    const [mine, theirs] = answer.data!.instances.edges.map((edge) => edge.node);
    const foreignDisk = simulator.vms.get(Number(theirs!.nativeId))!.disks.find((disk) => disk.primary)!.id;
    const before = simulator.backups.size;
    harness.resetUpstreamLogs();
    const create = await harness.gql('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', { input: { instanceId: mine!.id, name: 'x', diskId: foreignDisk } });
    expect(errorCodes(create)).toEqual(['BAD_USER_INPUT']);
    expect(harness.simulator('onapp').server.count((request) => request.method === 'POST')).toBe(0);
    expect(simulator.backups.size).toBe(before);
  });

  it('deletes a schedule with DELETE /settings/schedules/:id.json', async () => {
    type Listing = { instances: { edges: Array<{ node: { nativeId: string; schedules: Array<{ id: string; nativeId: string }> } }> } };
    const query = '{ instances(first: 1000) { edges { node { nativeId schedules { id nativeId } } } } }';
    const before = await harness.gql<Listing>(query);
    const schedule = before.data!.instances.edges.flatMap((edge) => edge.node.schedules)[0]!;
    harness.resetUpstreamLogs();
    const answer = await harness.gql<{ deleteBackupSchedule: { deletedId: string } }>('mutation($input: DeleteBackupScheduleInput!) { deleteBackupSchedule(input: $input) { deletedId } }', {
      input: { scheduleId: schedule.id },
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.deleteBackupSchedule.deletedId).toBe(schedule.id);
    const deletes = harness.simulator('onapp').server.log.filter((request) => request.method === 'DELETE');
    expect(deletes.map((request) => request.rawPath)).toEqual([`/settings/schedules/${schedule.nativeId}.json`]);
    expect(simulator.schedules.has(Number(schedule.nativeId))).toBe(false);
    const after = await harness.gql<Listing>(query);
    expect(after.data!.instances.edges.flatMap((edge) => edge.node.schedules).map((item) => item.id)).not.toContain(schedule.id);
  });

  it('never writes the OnApp key or its basic-auth header into the gateway log or an answer', async () => {
    const answer = await harness.gql('{ instances { edges { node { backups { id } schedules { cron } } } } }');
    expect(answer.errors).toBeUndefined();
    const secrets = [ONAPP_SIM_API_KEY, BASIC.slice('Basic '.length)];
    for (const secret of secrets) {
      expect(answer.text).not.toContain(secret);
      expect(harness.logs.join('\n')).not.toContain(secret);
    }
  });
});
