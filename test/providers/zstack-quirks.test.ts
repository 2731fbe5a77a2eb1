import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseZstackDate } from '../../src/providers/zstack/mapper.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { ZSTACK_SIM_PASSWORD } from '../../src/providers/zstack/simulator.js';
import { errorCodes, eventually, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status providerOperationId } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error finishedAt backup { name status sizeBytes } } }';

describe('zstack: quirks', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  let instanceIds: string[];
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zstack'],
      simulator: { instances: 50 },
      configure: withProviderSettings({ timezone: 'Asia/Shanghai' }),
    });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(first: 100) { edges { node { id } } } }');
    instanceIds = list.data!.instances.edges.map((edge) => edge.node.id);
  });
  afterAll(() => harness.close());

  it('reads the backups of 50 VMs with one volume-backups request', async () => {
    harness.resetUpstreamLogs();
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { backups: unknown[] } }> } }>('{ instances(first: 100) { edges { node { backups { id sizeBytes } } } } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.instances.edges).toHaveLength(50);
    expect(harness.simulator('zstack').server.count('GET /zstack/v1/volume-backups')).toBe(1);
    const sent = harness.simulator('zstack').server.log.find((item) => item.label === 'GET /zstack/v1/volume-backups')!;
    // Their 100 volumes (a root and a data volume each): the condition the API docs name.
    expect(decodeURIComponent(sent.query)).toMatch(/q=volumeUuid\?=([0-9a-f]{32},){99}[0-9a-f]{32}/);
  });

  it('makes one backup of the volume group: root names it, sizes add up, dates read in the account timezone', async () => {
    const answer = await harness.gql<{ instance: { backups: Array<{ nativeId: string; name: string; sizeBytes: number; createdAt: string }> } }>('query($id: ID!) { instance(id: $id) { backups { nativeId name sizeBytes createdAt } } }', { id: instanceIds[1] });
    // Newest first: the group the simulator made first is the last.
    const backup = answer.data!.instance.backups.at(-1)!;
    const volumes = simulator.volumeBackups.filter((volume) => volume.groupUuid === backup.nativeId);
    expect(volumes).toHaveLength(2);
    expect(backup.name).toBe(volumes.find((volume) => volume.type === 'Root')!.name);
    expect(backup.sizeBytes).toBe(volumes.reduce((sum, volume) => sum + Number(volume.size), 0));
    // 10:20:57 PM in Shanghai (UTC+8) is 14:20:57 UTC.
    expect(backup.createdAt).toBe('2017-11-14T14:20:57.000Z');
    expect(parseZstackDate('Nov 14, 2017 12:05:00 AM', 'UTC')?.toISOString()).toBe('2017-11-14T00:05:00.000Z');
  });

  it('returns a RUNNING operation at once and follows the job to the end', async () => {
    simulator.asyncDelayMs = 300;
    const answer = await harness.gql<{ createBackup: { operation: { id: string; status: string; providerOperationId: string } } }>(CREATE, { input: { instanceId: instanceIds[2], name: 'nightly-manual' } });
    expect(answer.data?.createBackup.operation.status).toBe('RUNNING');
    const post = harness.simulator('zstack').server.log.find((item) => item.method === 'POST')!;
    expect(post.headers['x-job-uuid']).toBe(answer.data?.createBackup.operation.providerOperationId);
    expect(JSON.parse(post.bodyText)).toEqual({ params: { backupStorageUuid: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'nightly-manual', resourceUuid: expect.stringMatching(/^[0-9a-f]{32}$/) } });
    const done = await eventually(() => harness.gql<{ operation: { status: string; backup: { name: string; status: string } } }>(OPERATION, { id: answer.data!.createBackup.operation.id }), (poll) => poll.data?.operation.status !== 'RUNNING');
    expect(done.data?.operation).toMatchObject({ status: 'SUCCEEDED', backup: { name: 'nightly-manual', status: 'AVAILABLE' } });
  });

  it('reports a failed job with the code and description, never the details', async () => {
    simulator.failNextJob = { code: 'SYS.1001', description: 'A message or a operation timeout', details: 'Create VM on KVM timeout after 300s at /var/lib/zstack/secret-path' };
    const answer = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: instanceIds[3], name: 'doomed' } });
    const done = await eventually(() => harness.gql<{ operation: { status: string; error: string } }>(OPERATION, { id: answer.data!.createBackup.operation.id }), (poll) => poll.data?.operation.status !== 'RUNNING');
    expect(done.data?.operation).toMatchObject({ status: 'FAILED', error: 'A message or a operation timeout' });
    expect(done.text).not.toContain('secret-path');
  });

  it('judges an expired job by whether its backup exists', async () => {
    simulator.asyncDelayMs = 0;
    const answer = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: instanceIds[4], name: 'will-expire' } });
    await eventually(() => harness.gql<{ operation: { status: string } }>(OPERATION, { id: answer.data!.createBackup.operation.id }), (poll) => poll.data?.operation.status === 'SUCCEEDED');
    simulator.expireJobs();
    const afterExpiry = await harness.gql<{ operation: { status: string } }>(OPERATION, { id: answer.data!.createBackup.operation.id });
    expect(afterExpiry.data?.operation.status).toBe('SUCCEEDED');
    const sync = await harness.gql<{ syncBackups: { operation: { id: string } } }>('mutation { syncBackups(input: { providerId: "zstack-test" }) { operation { id } } }');
    simulator.expireJobs();
    const lost = await harness.gql<{ operation: { status: string; error: string } }>(OPERATION, { id: sync.data!.syncBackups.operation.id });
    expect(lost.data?.operation).toMatchObject({ status: 'FAILED', error: expect.stringContaining('expired') });
  });

  it('refuses a request sent again with the same job uuid, as ZStack does (400 "Duplicate job uuid"), and starts no second job', async () => {
    const before = simulator.volumeBackups.length;
    const vm = simulator.vms[5]!;
    const session = [...simulator.sessions][0]!;
    const send = (jobUuid: string) =>
      request(`${simulator.url}/zstack/v1/volumes/${String(vm.rootVolumeUuid)}/vm-backups`, {
        method: 'POST',
        headers: { authorization: `OAuth ${session}`, 'content-type': 'application/json', 'x-job-uuid': jobUuid },
        body: JSON.stringify({ params: { backupStorageUuid: 'fc50c1ece4753c1981e3e3f65a151e0e', name: 'retried' } }),
      }).then(async (response) => ({ status: response.statusCode, type: response.headers['content-type'], text: await response.body.text() }));
    const first = await send('a'.repeat(32));
    expect(first.status).toBe(202);
    expect(JSON.parse(first.text)).toMatchObject({ location: expect.stringMatching(/\/api-jobs\/a{32}$/) });
    expect(await send('a'.repeat(32))).toEqual({ status: 400, type: undefined, text: `Duplicate job uuid[${'a'.repeat(32)}]` });
    expect(simulator.volumeBackups.length).toBe(before + 2);
    // Not 32 characters: refused before any API runs, nothing made.
    expect(await send('a'.repeat(31))).toEqual({ status: 400, type: undefined, text: "Invalid header[X-Job-UUID], it must be a UUID with '-' stripped" });
    expect(simulator.volumeBackups.length).toBe(before + 2);
  });

  it('renews an expired session once, with one login for many concurrent requests', async () => {
    simulator.expireSessions();
    const loginsBefore = simulator.logins;
    const answers = await Promise.all(instanceIds.slice(0, 8).map((id) => harness.gql('query($id: ID!) { node(id: $id) { id } instance(id: $id) { backups { id } } }', { id })));
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    expect(simulator.logins - loginsBefore).toBe(1);
    const login = harness.simulator('zstack').server.log.filter((item) => item.label === 'PUT /zstack/v1/accounts/login').at(-1)!;
    expect(JSON.parse(login.bodyText).logInByAccount.password).toMatch(/^[0-9a-f]{128}$/);
    expect(login.bodyText).not.toContain(ZSTACK_SIM_PASSWORD);
    for (const line of harness.logs) expect(line).not.toContain(ZSTACK_SIM_PASSWORD);
  });

  it('refuses a restore onto another VM and a malformed uuid before any request', async () => {
    const list = await harness.gql<{ instance: { backups: Array<{ id: string }> } }>('query($id: ID!) { instance(id: $id) { backups { id } } }', { id: instanceIds[1] });
    harness.resetUpstreamLogs();
    const answer = await harness.gql('mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }', { input: { backupId: list.data!.instance.backups[0]!.id, targetInstanceId: instanceIds[2], confirm: true } });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(harness.simulator('zstack').server.count((item) => item.method !== 'GET')).toBe(0);
  });
});
