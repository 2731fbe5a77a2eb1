import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeId } from '../../src/domain/ids.js';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { decodeOperationId, operationId } from '../../src/gateway/ids.js';
import { startCreate, type Node } from '../helpers/danube-creates.js';
import { errorCodes, startHarness, type Harness } from '../helpers/harness.js';
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
  const SUBSCRIBE = 'subscription($id: ID!) { operationUpdated(id: $id) { status } }';

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], simulator: { instances: 8 } });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    simulator.finishAtOnce = true;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>('{ instances(first: 100) { edges { node { id nativeId } } } }');
    const withDaily = new Set(simulator.definitions.filter((definition) => definition.name === 'daily').map((definition) => definition.hostname));
    nodes = answer.data!.instances.edges.map((edge) => edge.node).filter((node) => withDaily.has(node.nativeId));
    expect(nodes.length).toBeGreaterThanOrEqual(2);
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
    const own = decodeOperationId(await createAtOnce(nodes[0]!));
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
