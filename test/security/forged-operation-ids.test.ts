import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeId } from '../../src/domain/ids.js';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import type { ProviderKind } from '../../src/providers/registry.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { decodeOperationId, operationId } from '../../src/gateway/ids.js';
import { startCreate, type Node } from '../helpers/danube-creates.js';
import { dashboardNodes, type DashboardNode } from '../helpers/dashboard.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

/**
 * Operation ids are unsigned: a client can write one from facts it knows (a VM's hostname, a task
 * id in the shape Danube makes them, an instance and any backup id). The gateway acts only on an
 * operation one of its mutations started (the started-operations record), and a Zomro restore,
 * whose status is read from its instance alone, answers only for a restore it marked.
 */

const CANCEL = 'mutation($id: ID!) { cancelOperation(input: { operationId: $id }) { operation { status error } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';
const NODE = 'query($id: ID!) { node(id: $id) { ... on Operation { status } } }';
const SUBSCRIBE = 'subscription($id: ID!) { operationUpdated(id: $id) { status } }';

describe('danube: cancelOperation of an operation id the gateway did not answer', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let nodes: Node[];
  const cancelsSent = () => harness.simulator('danube').server.count('PUT /task/:x/cancel');

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], simulator: { instances: 8 } });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    // Tasks run until the test ends: a cancel always finds them running.
    simulator.asyncDelayMs = 600_000;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>('{ instances(first: 100) { edges { node { id nativeId } } } }');
    // VMs with a `daily` definition, which the creates below run.
    const withDaily = new Set(simulator.definitions.filter((definition) => definition.name === 'daily').map((definition) => definition.hostname));
    nodes = answer.data!.instances.edges.map((edge) => edge.node).filter((node) => withDaily.has(node.nativeId));
    expect(nodes.length).toBeGreaterThanOrEqual(3);
  });
  afterAll(() => harness.close());

  it("a task someone else started at Danube, named with a real VM: NOT_FOUND, no cancel is sent, and the task runs on", async () => {
    // A task the gateway never started: another Danube client's, on the same VM, in Danube's task id shape.
    const { id: ownId, taskId } = await startCreate(harness.gql, nodes[0]!, 'own');
    const foreignTask = '1e1-6f75849b-11b8-4bf1-8f66';
    simulator.tasks.set(foreignTask, { ...simulator.tasks.get(taskId)!, onDone: () => {} });
    const forged = operationId({ ...decodeOperationId(ownId), kind: 'RESTORE_BACKUP', token: [foreignTask] });
    const before = cancelsSent();
    const answer = await harness.gql(CANCEL, { id: forged });
    expect(errorCodes(answer)).toEqual(['NOT_FOUND']);
    expect(cancelsSent() - before).toBe(0);
    expect(simulator.tasks.get(foreignTask)!.revoked).toBe(false);
  });

  it("the gateway's own task named by another id (another start time, another kind): NOT_FOUND, no cancel is sent", async () => {
    const { id, taskId } = await startCreate(harness.gql, nodes[1]!, 'reworded');
    const ref = decodeOperationId(id);
    const before = cancelsSent();
    for (const forged of [{ ...ref, startedAt: new Date(ref.startedAt.getTime() - 1) }, { ...ref, kind: 'DELETE_BACKUP' as const }]) {
      expect(errorCodes(await harness.gql(CANCEL, { id: operationId(forged) }))).toEqual(['NOT_FOUND']);
    }
    expect(cancelsSent() - before).toBe(0);
    expect(simulator.tasks.get(taskId)!.revoked).toBe(false);
  });

  it('the id as the gateway answered it still cancels its task', async () => {
    const { id, taskId } = await startCreate(harness.gql, nodes[2]!, 'cancelled');
    const before = cancelsSent();
    const answer = await harness.gql<{ cancelOperation: { operation: { status: string; error: string } } }>(CANCEL, { id });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.cancelOperation.operation).toEqual({ status: 'FAILED', error: 'the task was revoked' });
    expect(cancelsSent() - before).toBe(1);
    expect(simulator.tasks.get(taskId)!.revoked).toBe(true);
  });
});

describe('zomro: a restore operation id the gateway did not answer', () => {
  let harness: Harness;
  let instance: { id: string; nativeId: string };

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string; status: string } }> } }>('{ instances(first: 100) { edges { node { id nativeId status } } } }');
    instance = answer.data!.instances.edges.map((edge) => edge.node).find((node) => node.status === 'RUNNING')!;
  });
  afterAll(() => harness.close());

  /** Long past the restore's settle time: the instance's resting word read SUCCEEDED, whatever backup the id named. */
  const forged = (backupNativeId: string) =>
    operationId({ providerId: decodeId(instance.id).providerId, kind: 'RESTORE_BACKUP', startedAt: new Date(Date.now() - 60 * 60 * 1000), instanceNativeId: instance.nativeId, backupNativeId, token: [] });

  it.each(['999999', '1'])('a restore of an existing instance from backup %s, never asked of the gateway: NOT_FOUND by operation, null by node, not SUCCEEDED', async (backupNativeId) => {
    expect(errorCodes(await harness.gql(OPERATION, { id: forged(backupNativeId) }))).toEqual(['NOT_FOUND']);
    const byNode = await harness.gql<{ node: unknown }>(NODE, { id: forged(backupNativeId) });
    expect(byNode.errors).toBeUndefined();
    expect(byNode.data).toEqual({ node: null });
  });
});

describe('danube: an operation done at once (no task), read by an id the gateway did not answer', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let nodes: Node[];

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], simulator: { instances: 8 } });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    simulator.finishAtOnce = true;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>('{ instances(first: 100) { edges { node { id nativeId } } } }');
    const withDaily = new Set(simulator.definitions.filter((definition) => definition.name === 'daily').map((definition) => definition.hostname));
    nodes = answer.data!.instances.edges.map((edge) => edge.node).filter((node) => withDaily.has(node.nativeId));
    expect(nodes.length).toBeGreaterThanOrEqual(3);
  });
  afterAll(() => harness.close());

  const createAtOnce = async (node: Node): Promise<string> => {
    const answer = await harness.gql<{ createBackup: { operation: { id: string; status: string } } }>(
      'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }',
      { input: { instanceId: node.id, name: 'at-once', definitionName: 'daily' } },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.createBackup.operation.status).toBe('SUCCEEDED');
    return answer.data!.createBackup.operation.id;
  };

  it('a delete, a restore and a create of a listed VM never asked of the gateway: NOT_FOUND by operation, null by node, not SUCCEEDED', async () => {
    const own = decodeOperationId(await createAtOnce(nodes[0]!));
    const forgeries = [
      { ...own, kind: 'DELETE_BACKUP' as const, backupNativeId: 'daily-20990101_000000' },
      { ...own, kind: 'RESTORE_BACKUP' as const, backupNativeId: 'daily-20990101_000000' },
      { ...own, instanceNativeId: nodes[1]!.nativeId },
    ];
    for (const forged of forgeries.map((ref) => operationId(ref))) {
      expect(errorCodes(await harness.gql(OPERATION, { id: forged }))).toEqual(['NOT_FOUND']);
      const byNode = await harness.gql<{ node: unknown }>(NODE, { id: forged });
      expect(byNode.errors).toBeUndefined();
      expect(byNode.data).toEqual({ node: null });
    }
  });

  it('a subscription to a forged one is told NOT_FOUND, not SUCCEEDED', async () => {
    // A VM of its own: a second create of nodes[0]'s definition in the same second is Danube's "Backup already exists".
    const own = decodeOperationId(await createAtOnce(nodes[2]!));
    const forged = operationId({ ...own, kind: 'DELETE_BACKUP', backupNativeId: 'daily-20990101_000000' });
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const answer = await wsRun(client, SUBSCRIBE, { id: forged });
      expect(answer.data ?? null).toBeNull();
      expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    } finally {
      await client.dispose();
    }
  });

  it('the id as the gateway answered it still reads SUCCEEDED', async () => {
    const id = await createAtOnce(nodes[1]!);
    const answer = await harness.gql<{ operation: { status: string } }>(OPERATION, { id });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.operation.status).toBe('SUCCEEDED');
  });
});

/** What `operationUpdated` last told of an id: its status, or its errors' codes. */
async function subscribed(harness: Harness, id: string): Promise<{ status: unknown } | { codes: unknown[] }> {
  const client = wsClient(harness.gateway.graphqlUrl);
  try {
    const answer = await wsRun(client, SUBSCRIBE, { id });
    if (answer.errors) return { codes: answer.errors.map((error) => error.extensions?.code) };
    return { status: (answer.data?.operationUpdated as { status?: unknown } | undefined)?.status };
  } finally {
    await client.dispose();
  }
}

/** A forged id read every way a client can: NOT_FOUND by operation and subscription, null by node. */
async function expectUnvouched(harness: Harness, id: string): Promise<void> {
  expect(errorCodes(await harness.gql(OPERATION, { id }))).toEqual(['NOT_FOUND']);
  const byNode = await harness.gql<{ node: unknown }>(NODE, { id });
  expect(byNode.errors).toBeUndefined();
  expect(byNode.data).toEqual({ node: null });
  expect(await subscribed(harness, id)).toEqual({ codes: ['NOT_FOUND'] });
}

/** The gateway's own id still reads SUCCEEDED, by operation and by subscription. */
async function expectSucceeded(harness: Harness, id: string): Promise<void> {
  const answer = await harness.gql<{ operation: { status: string } }>(OPERATION, { id });
  expect(answer.errors).toBeUndefined();
  expect(answer.data!.operation.status).toBe('SUCCEEDED');
  expect(await subscribed(harness, id)).toEqual({ status: 'SUCCEEDED' });
}

const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status providerOperationId } } }';
type Deleted = { deleteBackup: { operation: { id: string; status: string; providerOperationId: string | null } } };

/**
 * A delete read SUCCEEDED once its backup was not listed. Where no job of the provider confirms
 * it (ZStack's or Danube's answer 404 for a job or task made up as for one expired; Zomro and
 * OnApp have none to read), an id naming a listed VM and any backup it does not list read so.
 */
describe.each<{ kind: ProviderKind; forge: (own: ReturnType<typeof decodeOperationId>) => Parameters<typeof operationId>[0][]; expire: (harness: Harness, providerOperationId: string | null) => void }>([
  {
    kind: 'zstack',
    // A job uuid ZStack never made (404, as an expired one) and a group it does not list.
    forge: (own) => [
      { ...own, token: [randomUUID().replaceAll('-', '')], backupNativeId: randomUUID().replaceAll('-', '') },
      { ...own, token: [randomUUID().replaceAll('-', '')] },
    ],
    // The own delete's job result expires unread: its read rests on the group being gone too.
    expire: (harness) => (harness.simulator('zstack').simulator as ZstackSimulator).expireJobs(),
  },
  {
    kind: 'danube',
    // A task id in Danube's shape it never made (404 "Task does not exist (anymore)") and a backup it does not list.
    forge: (own) => [
      { ...own, token: [`1e1-${randomUUID()}`, ...own.token.slice(1)], backupNativeId: 'daily-20990101_000000' },
      { ...own, token: [`1e1-${randomUUID()}`, ...own.token.slice(1)] },
    ],
    expire: (harness, task) => (harness.simulator('danube').simulator as DanubeSimulator).expireTask(task!),
  },
  { kind: 'zomro', forge: (own) => [{ ...own, backupNativeId: '999999' }], expire: () => {} },
  { kind: 'onapp', forge: (own) => [{ ...own, backupNativeId: '999999' }], expire: () => {} },
])('$kind: a delete operation id the gateway did not answer, naming a listed VM and a backup not listed', ({ kind, forge, expire }) => {
  let harness: Harness;
  let nodes: DashboardNode[];
  let own: { id: string; providerOperationId: string | null };

  beforeAll(async () => {
    // No read cache: each read asks the provider's list as it is then.
    harness = await startHarness({ kinds: [kind], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    nodes = await dashboardNodes(harness);
    const backup = nodes.flatMap((node) => node.backups).find((candidate) => candidate.status === 'AVAILABLE' && !candidate.protected);
    if (!backup) throw new Error(`the ${kind} simulator shows no deletable backup`);
    const answer = await harness.gql<Deleted>(DELETE, { input: { backupId: backup.id } });
    expect(answer.errors).toBeUndefined();
    own = answer.data!.deleteBackup.operation;
    expire(harness, own.providerOperationId);
  });
  afterAll(() => harness.close());

  it('NOT_FOUND by operation and by subscription, null by node, not SUCCEEDED', async () => {
    const ref = decodeOperationId(own.id);
    // On every listed VM, not only the one the gateway deleted from.
    const onAnotherVm = nodes.find((node) => node.nativeId !== ref.instanceNativeId)!;
    const forgeries = [...forge(ref), ...forge({ ...ref, instanceNativeId: onAnotherVm.nativeId })];
    for (const forged of forgeries) await expectUnvouched(harness, operationId(forged));
  });

  it("the gateway's own delete id still reads SUCCEEDED, by operation and by subscription", async () => {
    await expectSucceeded(harness, own.id);
  });
});
