import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DELETE_CHECKS_AT_ONCE } from '../../src/gateway/delete-check.js';
import { DELETE_CHECKED_EVERY_MS, MOST_DELETE_CHECKS_PER_LIST } from '../../src/gateway/deletes-in-flight.js';
import { createLogger } from '../../src/observability/logger.js';
import { ZSTACK_SIM_PASSWORD, type ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, gqlAt, startHarness, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * A delete that FAILED at the provider and that no client polled read DELETING in every list for
 * the account's give-up time (2 h): lists poll no operation, and only a poll ended the record. A
 * list that meets a record gone unchecked for DELETE_CHECKED_EVERY_MS now has its operation looked
 * at once for the whole fleet, and the next list shows the provider's word. ZStack's delete jobs
 * are held (a long asyncDelayMs), then failed (`failNextJob`, `finishJobs`); the clock is moved
 * with fake Date for the lists "a little later".
 */
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } backup { status } } }';
const INSTANCES = '{ instances(first: 100) { edges { node { id backups { id status } } } } }';
const BACKUPS = 'query($id: ID!) { instance(id: $id) { backups { id status } } }';
/** The simulator's label of a job status read: ZStack's operation status call. */
const JOB_STATUS = 'GET /zstack/v1/api-jobs/:uuid';

/** The calls a list of one instance's backups makes when its cache has run out. */
const LIST_READS = ['GET /zstack/v1/vm-instances', 'GET /zstack/v1/volume-backups'];

type Listed = Array<{ id: string; status: string }>;
type Gql = Harness['gql'];

async function statuses(gql: Gql, instanceId: string): Promise<Record<string, string>> {
  const answer = await gql<{ instance: { backups: Listed } }>(BACKUPS, { id: instanceId });
  expect(answer.errors).toBeUndefined();
  return Object.fromEntries(answer.data!.instance.backups.map((backup) => [backup.id, backup.status]));
}

async function vmWithBackups(gql: Gql): Promise<{ id: string; backups: Listed }> {
  const answer = await gql<{ instances: { edges: Array<{ node: { id: string; backups: Listed } }> } }>(INSTANCES);
  expect(answer.errors).toBeUndefined();
  const vm = answer.data!.instances.edges.map((edge) => edge.node).find((node) => node.backups.length > 1 && node.backups.every((backup) => backup.status === 'AVAILABLE'));
  expect(vm).toBeDefined();
  return vm!;
}

/** Deletes the backup, its job held at ZStack; nobody polls the operation. */
async function deleteHeld(gql: Gql, backupId: string): Promise<void> {
  const deleted = await gql<{ deleteBackup: { operation: { status: string }; backup: { status: string } } }>(DELETE, { input: { backupId } });
  expect(deleted.errors).toBeUndefined();
  expect(deleted.data!.deleteBackup.operation.status).toBe('RUNNING');
  expect(deleted.data!.deleteBackup.backup.status).toBe('DELETING');
}

/** Lists run with the gateway's clock at `at` (fake Date for the lists only: no sleep). */
async function listsAt<T>(at: number, lists: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
  try {
    return await lists();
  } finally {
    vi.useRealTimers();
  }
}

afterEach(() => vi.useRealTimers());

describe('a failed delete no one polls reads the provider\'s word a list after the check period (one gateway, memory)', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.asyncDelayMs = 600_000;
  });
  afterAll(() => harness.close());

  it('looks at the operation once per period however many lists meet the record, then shows AVAILABLE; lists within the period or without records look at nothing', async () => {
    const server = harness.simulator('zstack').server;
    const vm = await vmWithBackups(harness.gql);
    const [deleting] = vm.backups;
    const start = Date.now();
    simulator.failNextJob = { code: 'SYS.1000', description: 'an internal error', details: '' };
    await deleteHeld(harness.gql, deleting!.id);
    harness.resetUpstreamLogs();
    const statusCalls = () => server.count(JOB_STATUS);
    /** Until the check's status call has come and been answered. */
    const checked = (calls: number) => eventually(() => Promise.resolve(statusCalls() === calls && server.inFlightWhere((request) => request.label === JOB_STATUS) === 0), Boolean);

    // Within the period the record stands (the delete's own answer was its last look): no status call.
    expect((await statuses(harness.gql, vm.id))[deleting!.id]).toBe('DELETING');
    expect((await listsAt(start + DELETE_CHECKED_EVERY_MS - 1_000, () => statuses(harness.gql, vm.id)))[deleting!.id]).toBe('DELETING');
    expect(statusCalls()).toBe(0);

    // Past it, two lists at once: one status call (the job still runs), and no other until the period is over again.
    await listsAt(start + DELETE_CHECKED_EVERY_MS + 1_000, () => Promise.all([statuses(harness.gql, vm.id), statuses(harness.gql, vm.id)]));
    await checked(1);
    for (const at of [start + DELETE_CHECKED_EVERY_MS + 2_000, start + 2 * DELETE_CHECKED_EVERY_MS]) {
      expect((await listsAt(at, () => statuses(harness.gql, vm.id)))[deleting!.id]).toBe('DELETING');
    }
    expect(statusCalls()).toBe(1);

    // The delete fails at ZStack; no one polls. The next period's list has it looked at, and the one after shows AVAILABLE.
    simulator.finishJobs();
    await listsAt(start + 2 * DELETE_CHECKED_EVERY_MS + 2_000, () => statuses(harness.gql, vm.id));
    await checked(2);
    const after = await eventually(() => statuses(harness.gql, vm.id), (read) => read[deleting!.id] !== 'DELETING');
    expect(Object.values(after)).toEqual(vm.backups.map(() => 'AVAILABLE'));

    // The record is gone: lists long after meet none, and the only calls they make are the lists' own.
    const before = server.log.length;
    await listsAt(start + 10 * DELETE_CHECKED_EVERY_MS, () => Promise.all([statuses(harness.gql, vm.id), statuses(harness.gql, vm.id)]));
    expect(server.log.slice(before).map((request) => request.label).filter((label) => !LIST_READS.includes(label))).toEqual([]);
    expect(statusCalls()).toBe(2);
  });

  it('several deletes of one account unchecked for the period: one list has every one looked at, not the few whose claims won the race for the account\'s record', async () => {
    const server = harness.simulator('zstack').server;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string; backups: Listed } }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    const available = answer.data!.instances.edges.flatMap((edge) => edge.node.backups).filter((backup) => backup.status === 'AVAILABLE');
    const deleting = available.slice(0, 8);
    expect(deleting).toHaveLength(8);
    for (const backup of deleting) {
      simulator.failNextJob = { code: 'SYS.1000', description: 'an internal error', details: '' };
      await deleteHeld(harness.gql, backup.id);
    }
    // Counted from the last delete, not the first: on a loaded machine eight deletes took over a second, and the
    // last one's record, made after start + 1 s, was not due at the list's clock (7 of 8 looked at).
    const start = Date.now();
    harness.resetUpstreamLogs();
    const statusCalls = () => server.count(JOB_STATUS);
    const vmId = answer.data!.instances.edges[0]!.node.id;

    await listsAt(start + DELETE_CHECKED_EVERY_MS + 1_000, () => statuses(harness.gql, vmId));
    // Each due record's look is claimed for the fleet, then made: eight status calls, once answered.
    await eventually(() => Promise.resolve(server.inFlightWhere((request) => request.label === JOB_STATUS) === 0 ? statusCalls() : -1), (calls) => calls === deleting.length);
    // And no more within the period.
    await listsAt(start + DELETE_CHECKED_EVERY_MS + 2_000, () => statuses(harness.gql, vmId));
    expect(statusCalls()).toBe(deleting.length);

    // Every delete fails at ZStack: the next period's list has each looked at, and each record ends (one change of the account's records each, all at once).
    simulator.finishJobs();
    await listsAt(start + 2 * DELETE_CHECKED_EVERY_MS + 2_000, () => statuses(harness.gql, vmId));
    await eventually(() => Promise.resolve(server.inFlightWhere((request) => request.label === JOB_STATUS) === 0 ? statusCalls() : -1), (calls) => calls === 2 * deleting.length);
    const listed = async () => {
      const read = await harness.gql<{ instances: { edges: Array<{ node: { backups: Listed } }> } }>(INSTANCES);
      return read.data!.instances.edges.flatMap((edge) => edge.node.backups).filter((backup) => deleting.some((gone) => gone.id === backup.id));
    };
    const after = await eventually(listed, (read) => read.every((backup) => backup.status !== 'DELETING'));
    expect(after.map((backup) => backup.status)).toEqual(deleting.map(() => 'AVAILABLE'));
  });

  it('logs a check that fails without the credentials, answers the list, and looks again the next period', async () => {
    const server = harness.simulator('zstack').server;
    const vm = await vmWithBackups(harness.gql);
    const [deleting] = vm.backups;
    const start = Date.now();
    await deleteHeld(harness.gql, deleting!.id);
    harness.resetUpstreamLogs();
    // ZStack's job status answers 500 (a proxy's page): the look fails, the operation's status unknown.
    await server.setFault({ mode: 'http-500', onlyLabel: JOB_STATUS });
    try {
      expect((await listsAt(start + DELETE_CHECKED_EVERY_MS + 1_000, () => statuses(harness.gql, vm.id)))[deleting!.id]).toBe('DELETING');
      const failed = await eventually(() => Promise.resolve(harness.logs.filter((line) => line.includes('could not look at a delete in flight'))), (lines) => lines.length > 0);
      expect(failed).toHaveLength(1);
      expect(JSON.parse(failed[0]!)).toMatchObject({ level: 40, provider: 'zstack-test', code: 'PROVIDER_UNAVAILABLE', error: 'provider zstack-test answered HTTP 500' });
      for (const line of harness.logs) expect(line).not.toContain(ZSTACK_SIM_PASSWORD);
    } finally {
      await server.clearFault();
    }
    const calls = server.count(JOB_STATUS);
    expect(calls).toBeGreaterThan(0);
    // Within the period no other look, failed or not; the next period's, the job done, ends the record: the backup is gone.
    await listsAt(start + 2 * DELETE_CHECKED_EVERY_MS, () => statuses(harness.gql, vm.id));
    expect(server.count(JOB_STATUS)).toBe(calls);
    simulator.finishJobs();
    await listsAt(start + 2 * DELETE_CHECKED_EVERY_MS + 2_000, () => statuses(harness.gql, vm.id));
    await eventually(() => statuses(harness.gql, vm.id), (read) => !(deleting!.id in read));
  });

  it('a list looks at no more than MOST_DELETE_CHECKS_PER_LIST of an account\'s deletes at once; the next list takes the rest', async () => {
    const server = harness.simulator('zstack').server;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string; backups: Listed } }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    const deleting = answer.data!.instances.edges.flatMap((edge) => edge.node.backups).filter((backup) => backup.status === 'AVAILABLE').slice(0, MOST_DELETE_CHECKS_PER_LIST + 2);
    expect(deleting).toHaveLength(MOST_DELETE_CHECKS_PER_LIST + 2);
    for (const backup of deleting) await deleteHeld(harness.gql, backup.id);
    // Counted from the last delete, not the first: on a loaded machine the deletes may take seconds, and a record
    // made after the list's clock is not due yet.
    const lastDeleted = Date.now();
    harness.resetUpstreamLogs();
    const vmId = answer.data!.instances.edges[0]!.node.id;
    const settledCalls = () => Promise.resolve(server.inFlightWhere((request) => request.label === JOB_STATUS) === 0 ? server.count(JOB_STATUS) : -1);

    await listsAt(lastDeleted + DELETE_CHECKED_EVERY_MS + 1_000, () => statuses(harness.gql, vmId));
    await eventually(settledCalls, (calls) => calls === MOST_DELETE_CHECKS_PER_LIST);
    await listsAt(lastDeleted + DELETE_CHECKED_EVERY_MS + 2_000, () => statuses(harness.gql, vmId));
    await eventually(settledCalls, (calls) => calls === deleting.length);
  });
});

describe('many deletes no one polls in one account (one gateway, memory)', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.asyncDelayMs = 600_000;
  });
  afterAll(() => harness.close());

  it("one list past the period has every record's operation looked at, a few at a time (every one at once took all the account's connection slots)", async () => {
    const server = harness.simulator('zstack').server;
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string; backups: Listed } }> } }>(INSTANCES);
    expect(listed.errors).toBeUndefined();
    const available = listed.data!.instances.edges.flatMap((edge) => edge.node.backups).filter((backup) => backup.status === 'AVAILABLE');
    const deleted = available.slice(0, 6);
    expect(deleted).toHaveLength(6);
    expect(DELETE_CHECKS_AT_ONCE).toBeLessThan(deleted.length);
    const start = Date.now();
    for (const backup of deleted) await deleteHeld(harness.gql, backup.id);
    harness.resetUpstreamLogs();
    // The status answers are held: the looks a list starts wait, and those not yet sent stay unsent.
    const hold = server.holdAnswersOf(JOB_STATUS);

    const shown = await listsAt(start + DELETE_CHECKED_EVERY_MS + 1_000, async () => {
      const answer = await harness.gql<{ instances: { edges: Array<{ node: { backups: Listed } }> } }>(INSTANCES);
      expect(answer.errors).toBeUndefined();
      return answer.data!.instances.edges.flatMap((edge) => edge.node.backups);
    });
    expect(shown.filter((backup) => backup.status === 'DELETING').map((backup) => backup.id).sort()).toEqual(deleted.map((backup) => backup.id).sort());
    await hold.arrived;
    await eventually(() => Promise.resolve(server.inFlightWhere((request) => request.label === JOB_STATUS)), (held) => held >= DELETE_CHECKS_AT_ONCE);
    // A round trip through the gateway and back: any look sent with the others has arrived by now.
    expect((await harness.gql('{ __typename }')).errors).toBeUndefined();
    expect(server.inFlightWhere((request) => request.label === JOB_STATUS)).toBe(DELETE_CHECKS_AT_ONCE);
    hold.release();
    await eventually(() => Promise.resolve(server.count(JOB_STATUS) === deleted.length && server.inFlightWhere((request) => request.label === JOB_STATUS) === 0), Boolean);
    // And none more within the period.
    await listsAt(start + DELETE_CHECKED_EVERY_MS + 2_000, () => harness.gql(INSTANCES));
    expect(server.count(JOB_STATUS)).toBe(deleted.length);
  });
});

const redis = await testRedis();
afterAll(() => redis.stop());

describe.skipIf(!redis.url)(redisSuite("a failed delete no one polls reads the provider's word on every replica, one check for the fleet (Redis)", redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let harness: Harness;
  let simulator: ZstackSimulator;
  let second: RunningGateway;

  beforeAll(async () => {
    const store = new RedisStore(redis.url as string, prefix);
    await store.ready();
    harness = await startHarness({ kinds: ['zstack'], store });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.asyncDelayMs = 600_000;
    const secondStore = new RedisStore(redis.url as string, prefix);
    await secondStore.ready();
    second = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: secondStore });
  });
  afterAll(async () => {
    await second?.close();
    await harness?.close();
  });

  it('a list on each replica at once: one status call, then AVAILABLE on both', async () => {
    const server = harness.simulator('zstack').server;
    const onSecond = gqlAt(second.graphqlUrl);
    const vm = await vmWithBackups(harness.gql);
    const [deleting] = vm.backups;
    const start = Date.now();
    simulator.failNextJob = { code: 'SYS.1000', description: 'an internal error', details: '' };
    await deleteHeld(harness.gql, deleting!.id);
    simulator.finishJobs();
    harness.resetUpstreamLogs();
    expect((await statuses(onSecond, vm.id))[deleting!.id]).toBe('DELETING');
    expect(server.count(JOB_STATUS)).toBe(0);

    await listsAt(start + DELETE_CHECKED_EVERY_MS + 1_000, () => Promise.all([statuses(harness.gql, vm.id), statuses(onSecond, vm.id), statuses(onSecond, vm.id)]));
    await eventually(() => statuses(onSecond, vm.id), (read) => read[deleting!.id] === 'AVAILABLE');
    expect((await statuses(harness.gql, vm.id))[deleting!.id]).toBe('AVAILABLE');
    expect(server.count(JOB_STATUS)).toBe(1);
  });
});
