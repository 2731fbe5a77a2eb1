import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ZOMRO_SIM_PASSWORD, ZOMRO_SIM_TOKEN, ZOMRO_SIM_USER, type ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import type { SimRequest, SimResponse, SimulatorServer } from '../../src/simulator/server.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * BILLmanager answers its refusals 200 with `doc.error`. A write so refused did nothing, but the
 * gateway counted its 200 as a write that reached the panel, and what failed after it (the
 * keepalive asking whether the session was dead, the login renewing it) kept the idempotencyKey
 * for 24 h as "may have acted": the retry with the key, once the panel was back, was told that
 * failure again and never acted. Now the adapter marks the write refused, and the key is freed.
 */
const INSTANCES = '{ instances(first: 100) { edges { node { id } } } }';
const CREATE_SCHEDULE = 'mutation($input: CreateBackupScheduleInput!) { createBackupSchedule(input: $input) { schedule { id } } }';
const CREATE_BACKUP = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const SCHEDULE_EDIT = 'instances.fleio_bckps.schedule.edit';
const BACKUP_EDIT = 'instances.fleio_bckps.edit';
type Handle = (request: SimRequest) => SimResponse | Promise<SimResponse>;
// Every call reaches the simulator; no breaker trips on the faults.
const settings = { cacheTtlMs: 0, coalesceReads: false, retries: 1, breakerThreshold: 1_000 };

async function open(auth: Record<string, string>) {
  const harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ ...settings, auth }) });
  const running = harness.simulator('zomro');
  const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(INSTANCES);
  expect(answer.errors).toBeUndefined();
  return { harness, simulator: running.simulator as ZomroSimulator, server: running.server, instanceId: answer.data!.instances.edges[0]!.node.id };
}

const scheduleInput = (instanceId: string) => ({ instanceId, name: `nightly-${randomUUID().slice(0, 8)}`, weekdays: ['MONDAY'], time: '02:30', idempotencyKey: randomUUID() });
const backupInput = (instanceId: string) => ({ instanceId, name: `manual-${randomUUID().slice(0, 8)}`, idempotencyKey: randomUUID() });

describe('zomro with a fixed token: a write refused 200 `access`, then its keepalive fails', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let server: SimulatorServer;
  let instanceId: string;
  beforeAll(async () => {
    ({ harness, simulator, server, instanceId } = await open({ token: ZOMRO_SIM_TOKEN }));
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    simulator.forbiddenFuncs.clear();
    await server.clearFault();
  });

  it.each([
    { mutation: CREATE_SCHEDULE, func: SCHEDULE_EDIT, input: scheduleInput },
    { mutation: CREATE_BACKUP, func: BACKUP_EDIT, input: backupInput },
  ])('$func: the key is freed, and the retry with it acts once the right is back', async ({ mutation, func, input: inputOf }) => {
    const input = inputOf(instanceId);
    const before = server.count(func);
    simulator.forbiddenFuncs.add(func);
    await server.setFault({ mode: 'http-503', onlyLabel: 'keepalive' });
    const first = await harness.gql(mutation, { input });
    expect(errorCodes(first)).toEqual(['PROVIDER_UNAVAILABLE']);
    simulator.forbiddenFuncs.clear();
    await server.clearFault();
    const again = await harness.gql(mutation, { input });
    expect(again.errors).toBeUndefined();
    // The refused write and the retry's: the retry acted (kept, it replayed the keepalive's 503).
    expect(server.count(func) - before).toBe(2);
  });
});

describe('zomro with a login: the session dies, then the login that renews it fails 503', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let server: SimulatorServer;
  let instanceId: string;
  beforeAll(async () => {
    ({ harness, simulator, server, instanceId } = await open({ username: ZOMRO_SIM_USER, password: ZOMRO_SIM_PASSWORD }));
  });
  afterAll(() => harness.close());

  it('at the write (refused 200 for its dead session): the key is freed, and the retry with it acts', async () => {
    const input = scheduleInput(instanceId);
    const before = server.count(SCHEDULE_EDIT);
    const target = simulator as unknown as { handle: Handle };
    const handle = target.handle.bind(target);
    // The session dies between the read that finds the instance and the write.
    target.handle = (request) => {
      if (request.form.get('func') === SCHEDULE_EDIT) {
        target.handle = handle;
        simulator.expireSessions();
      }
      return handle(request);
    };
    await server.setFault({ mode: 'http-503', onlyLabel: 'auth' });
    try {
      const first = await harness.gql(CREATE_SCHEDULE, { input });
      expect(errorCodes(first)).toEqual(['PROVIDER_UNAVAILABLE']);
    } finally {
      target.handle = handle;
      await server.clearFault();
    }
    const again = await harness.gql(CREATE_SCHEDULE, { input });
    expect(again.errors).toBeUndefined();
    expect(server.count(SCHEDULE_EDIT) - before).toBe(2);
  });

  it('a write refused for its dead session and sent again once renewed, that send failing 503: the key is kept (the send may have acted)', async () => {
    const input = scheduleInput(instanceId);
    const before = server.count(SCHEDULE_EDIT);
    const target = simulator as unknown as { handle: Handle };
    const handle = target.handle.bind(target);
    let sends = 0;
    // The first send meets a dead session (refused 200); the one after the renewal gets a 503.
    target.handle = (request) => {
      if (request.form.get('func') === SCHEDULE_EDIT) {
        sends += 1;
        if (sends === 1) simulator.expireSessions();
        if (sends === 2) return { status: 503, text: 'Service Unavailable' };
      }
      return handle(request);
    };
    try {
      const first = await harness.gql(CREATE_SCHEDULE, { input });
      expect(errorCodes(first)).toEqual(['PROVIDER_UNAVAILABLE']);
      expect(sends).toBe(2);
    } finally {
      target.handle = handle;
    }
    // Kept: the retry is told the 503 again and sends nothing (freed, it would create a second schedule).
    const again = await harness.gql(CREATE_SCHEDULE, { input });
    expect(errorCodes(again)).toEqual(['PROVIDER_UNAVAILABLE']);
    // The simulator labels (and counts) the first send only: the 503 was answered before its handler.
    expect(server.count(SCHEDULE_EDIT) - before).toBe(1);
  });

  it('before any write (at the read that finds the instance): the key is freed, and the retry with it acts', async () => {
    const input = scheduleInput(instanceId);
    const before = server.count(SCHEDULE_EDIT);
    simulator.expireSessions();
    await server.setFault({ mode: 'http-503', onlyLabel: 'auth' });
    try {
      const first = await harness.gql(CREATE_SCHEDULE, { input });
      expect(errorCodes(first)).toEqual(['PROVIDER_UNAVAILABLE']);
      expect(server.count(SCHEDULE_EDIT) - before).toBe(0);
    } finally {
      await server.clearFault();
    }
    const again = await harness.gql(CREATE_SCHEDULE, { input });
    expect(again.errors).toBeUndefined();
    expect(server.count(SCHEDULE_EDIT) - before).toBe(1);
  });
});

describe('zstack: a create answered 200 with ID.1001 (its session dead), then the login that renews it fails 503', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  let server: SimulatorServer;
  let instanceId: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings(settings) });
    const running = harness.simulator('zstack');
    simulator = running.simulator as ZstackSimulator;
    server = running.server;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(INSTANCES);
    instanceId = answer.data!.instances.edges[0]!.node.id;
  });
  afterAll(() => harness.close());

  it('the key is freed, and the retry with it acts once', async () => {
    const input = backupInput(instanceId);
    const isCreate = (request: { method: string; rawPath: string }) => request.method === 'POST' && request.rawPath.endsWith('/vm-backups');
    const isLogin = (request: { method: string; rawPath: string }) => request.method === 'PUT' && request.rawPath.endsWith('/accounts/login');
    const before = server.count(isCreate);
    const target = simulator as unknown as { handle: Handle };
    const handle = target.handle.bind(target);
    let refusing = true;
    // ZStack's "error ... If not null, the operation failed ... whatever the status": a 200 refusing the session.
    target.handle = (request) => {
      if (refusing && isCreate(request)) return { status: 200, json: { error: { code: 'ID.1001', description: 'Session expired' } } };
      if (refusing && isLogin(request)) return { status: 503, text: 'Service Unavailable' };
      return handle(request);
    };
    try {
      const first = await harness.gql(CREATE_BACKUP, { input });
      expect(errorCodes(first)).toEqual(['PROVIDER_UNAVAILABLE']);
    } finally {
      refusing = false;
      target.handle = handle;
    }
    const again = await harness.gql(CREATE_BACKUP, { input });
    expect(again.errors).toBeUndefined();
    // The refused create and the retry's.
    expect(server.count(isCreate) - before).toBe(2);
  });
});
