import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DANUBE_SIM_API_KEY, type DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { ZSTACK_SIM_PASSWORD, type ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { dashboardNodes, type DashboardNode } from '../helpers/dashboard.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';

/**
 * Operation.failure: a failed operation's code and message, the shape providerErrors give, so a
 * client branches on a code. The provider's words are scrubbed of the credentials it quotes.
 */
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status failure { code message } } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error errorCode failure { code message } } }';

interface Followed {
  operation: { status: string; error: string | null; errorCode: string | null; failure: { code: string; message: string } | null };
}

describe('Operation.failure', () => {
  let harness: Harness;
  let nodes: DashboardNode[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack', 'danube'] });
    nodes = await dashboardNodes(harness);
  });
  afterAll(() => harness.close());

  const instanceAt = (providerId: string, index: number): DashboardNode => {
    const found = nodes.filter((node) => node.provider.id === providerId && (providerId !== 'danube-test' || node.definitions.some((definition) => definition.name === 'daily')));
    return found[index]!;
  };
  const createAndFollow = async (instance: DashboardNode) => {
    const created = await harness.gql<{ createBackup: { operation: { id: string; status: string; failure: unknown } } }>(CREATE, { input: { instanceId: instance.id, name: 'doomed', definitionName: 'daily' } });
    expect(created.errors).toBeUndefined();
    // Still running: no failure yet.
    expect(created.data?.createBackup.operation).toMatchObject({ status: 'RUNNING', failure: null });
    return eventually(() => harness.gql<Followed>(OPERATION, { id: created.data!.createBackup.operation.id }), (poll) => poll.data?.operation.status !== 'RUNNING');
  };

  it('ZStack: a failed job reads FAILED with failure { PROVIDER_ERROR, its words }, the password it quoted scrubbed', async () => {
    const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    const hashed = createHash('sha512').update(ZSTACK_SIM_PASSWORD).digest('hex');
    simulator.failNextJob = { code: 'SYS.1007', description: `the backup storage is full (login ${ZSTACK_SIM_PASSWORD} / ${hashed})`, details: '' };
    const done = await createAndFollow(instanceAt('zstack-test', 1));
    const operation = done.data!.operation;
    expect(operation.status).toBe('FAILED');
    expect(operation.failure).toEqual({ code: 'PROVIDER_ERROR', message: operation.error });
    expect(operation.failure!.message).toMatch(/^the backup storage is full \(login /);
    expect(done.text).not.toContain(ZSTACK_SIM_PASSWORD);
    expect(done.text).not.toContain(hashed);
  });

  it('ZStack: a job whose VM is gone reads failure { NOT_FOUND }, as errorCode says', async () => {
    const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    const instance = instanceAt('zstack-test', 2);
    simulator.failNextJob = { code: 'SYS.1003', description: 'cannot find volume', details: '' };
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: instance.id, name: 'doomed' } });
    expect(created.errors).toBeUndefined();
    simulator.vms.splice(simulator.vms.findIndex((row) => row.uuid === instance.nativeId), 1);
    const done = await eventually(() => harness.gql<Followed>(OPERATION, { id: created.data!.createBackup.operation.id }), (poll) => poll.data?.operation.status !== 'RUNNING');
    expect(done.data?.operation).toEqual({ status: 'FAILED', error: 'cannot find volume', errorCode: 'NOT_FOUND', failure: { code: 'NOT_FOUND', message: 'cannot find volume' } });
  });

  it('Danube: a failed task reads failure { PROVIDER_ERROR, its words }, the API key it quoted scrubbed', async () => {
    const simulator = harness.simulator('danube').simulator as DanubeSimulator;
    simulator.asyncDelayMs = 50;
    simulator.failNextTask = `zfs send failed (es-api-key: ${DANUBE_SIM_API_KEY})`;
    const done = await createAndFollow(instanceAt('danube-test', 1));
    const operation = done.data!.operation;
    expect(operation).toMatchObject({ status: 'FAILED', errorCode: null });
    expect(operation.failure).toEqual({ code: 'PROVIDER_ERROR', message: operation.error });
    expect(operation.failure!.message).toMatch(/^zfs send failed \(es-api-key: /);
    expect(done.text).not.toContain(DANUBE_SIM_API_KEY);
  });

  it('a succeeded operation has no failure', async () => {
    const done = await createAndFollow(instanceAt('danube-test', 2));
    expect(done.data?.operation).toEqual({ status: 'SUCCEEDED', error: null, errorCode: null, failure: null });
  });
});
