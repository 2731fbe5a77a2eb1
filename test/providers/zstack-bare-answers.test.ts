import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';

const LIST = '{ instances(first: 100) { edges { node { id backups { nativeId name status } } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error providerErrorCode backup { nativeId name } } }';

interface Listed {
  instances: { edges: Array<{ node: { id: string; backups: Array<{ nativeId: string; name: string; status: string }> } }> };
}
interface Polled {
  operation: { status: string; error: string | null; providerErrorCode: string | null; backup: { nativeId: string; name: string } | null };
}

/**
 * ZStack's REST server names no content type on its answers (RestServer.sendResponse writes the
 * status and the body bare), and the simulator now answers so by default. Every call of a create
 * goes over it: the login, the VM and backup queries, the 202 and its job's polls, a failed job's
 * 503 `{"error"}`. Read as "not JSON", every one of them was a PROVIDER_ERROR.
 */
describe('zstack: answers with no content type, as ZStack sends them', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.asyncDelayMs = 50;
  });
  afterAll(() => harness.close());

  it('the simulator names no content type by default, on JSON and on plain words alike', async () => {
    expect(simulator.namesContentType).toBe(false);
    const login = await request(`${simulator.url}/zstack/v1/accounts/login`, { method: 'PUT', body: '{}' });
    await login.body.text();
    expect(login.statusCode).toBe(503);
    expect(login.headers['content-type']).toBeUndefined();
    const expired = await request(`${simulator.url}/zstack/v1/api-jobs/${'0'.repeat(32)}`);
    expect(await expired.body.text()).toBe('the job has been expired');
    expect(expired.headers['content-type']).toBeUndefined();
  });

  it('creates a backup, polls its job to SUCCEEDED and lists it', async () => {
    const before = await harness.gql<Listed>(LIST);
    expect(before.errors).toBeUndefined();
    const instanceId = before.data!.instances.edges[2]!.node.id;
    const created = await harness.gql<{ createBackup: { operation: { id: string; status: string } } }>(CREATE, { input: { instanceId, name: 'bare-answers' } });
    expect(created.errors).toBeUndefined();
    const done = await eventually(
      () => harness.gql<Polled>(OPERATION, { id: created.data!.createBackup.operation.id }),
      (poll) => !['PENDING', 'RUNNING'].includes(String(poll.data?.operation.status)),
    );
    expect(done.errors).toBeUndefined();
    const group = String(simulator.volumeBackups.find((volume) => volume.name === 'bare-answers')?.groupUuid);
    expect(done.data?.operation).toEqual({ status: 'SUCCEEDED', error: null, providerErrorCode: null, backup: { nativeId: group, name: 'bare-answers' } });
    const after = await harness.gql<Listed>(LIST);
    expect(after.errors).toBeUndefined();
    const listed = after.data!.instances.edges.find((edge) => edge.node.id === instanceId)!.node.backups;
    expect(listed).toContainEqual({ nativeId: group, name: 'bare-answers', status: 'AVAILABLE' });
    // Every answer the gateway read was bare.
    expect(harness.simulator('zstack').server.count('GET /zstack/v1/api-jobs/:uuid')).toBeGreaterThan(0);
  });

  it("reads a failed job's bare 503 {error} as the job's failure, with ZStack's code", async () => {
    const listed = await harness.gql<Listed>(LIST);
    const instanceId = listed.data!.instances.edges[3]!.node.id;
    simulator.failNextJob = { code: 'SYS.1001', description: 'A message or a operation timeout', details: 'Create VM on KVM timeout after 300s' };
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId, name: 'bare-fails' } });
    expect(created.errors).toBeUndefined();
    const done = await eventually(
      () => harness.gql<Polled>(OPERATION, { id: created.data!.createBackup.operation.id }),
      (poll) => !['PENDING', 'RUNNING'].includes(String(poll.data?.operation.status)),
    );
    expect(done.data?.operation).toMatchObject({ status: 'FAILED', error: 'A message or a operation timeout', providerErrorCode: 'SYS.1001' });
  });
});
