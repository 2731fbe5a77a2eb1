import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZSTACK_SIM_ACCOUNT, ZSTACK_SIM_PASSWORD, ZSTACK_SIM_STORAGE, type ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { eventually, startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';

const OTHER_STORE = '0123456789abcdef0123456789abcdef';
const INSTANCES = '{ instances(first: 100) { edges { node { id nativeId provider { id } } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error errorCode providerErrorCode failure { code message } } }';

interface Ended {
  status: string;
  error: string | null;
  errorCode: string | null;
  providerErrorCode: string | null;
  failure: { code: string; message: string } | null;
}

/**
 * ZStack's REST server accepts every non-query API (202) and runs the parameter checks
 * (APIParam: a mandatory name, at most 255 characters, an image store that exists) in the API's
 * interceptors after it: a create with a bad name or resource is a job that fails, not a 400. The
 * simulator answered 400 at once, so the gateway's path for a create accepted and then failed was
 * never the one tested.
 */
describe('zstack: a create whose parameters ZStack refuses is accepted, and its job fails', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  let session: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withAccountCopy('zstack', { id: 'zstack-other-store', backupStorageUuid: OTHER_STORE }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.asyncDelayMs = 0;
    const login = await fetch(`${simulator.url}/zstack/v1/accounts/login`, {
      method: 'PUT',
      body: JSON.stringify({ logInByAccount: { accountName: ZSTACK_SIM_ACCOUNT, password: createHash('sha512').update(ZSTACK_SIM_PASSWORD).digest('hex') } }),
    });
    session = ((await login.json()) as { inventory: { uuid: string } }).inventory.uuid;
  });
  afterAll(() => harness.close());

  async function createAtSimulator(params: Record<string, unknown>): Promise<{ status: number; job: { status: number; body: unknown } | null }> {
    const volume = String(simulator.vms[0]!.rootVolumeUuid);
    const answer = await fetch(`${simulator.url}/zstack/v1/volumes/${volume}/vm-backups`, { method: 'POST', headers: { authorization: `OAuth ${session}` }, body: JSON.stringify({ params }) });
    if (answer.status !== 202) return { status: answer.status, job: null };
    const { location } = (await answer.json()) as { location: string };
    const job = await fetch(new URL(new URL(location).pathname, simulator.url));
    return { status: 202, job: { status: job.status, body: await job.json() } };
  }

  it('answers 202 to a bad name or image store, and fails the job with the check\'s error (it answered 400)', async () => {
    const before = simulator.volumeBackups.length;
    const noName = await createAtSimulator({ backupStorageUuid: ZSTACK_SIM_STORAGE, name: '' });
    expect(noName).toMatchObject({ status: 202, job: { status: 503, body: { error: { code: 'SYS.1007' } } } });
    const longName = await createAtSimulator({ backupStorageUuid: ZSTACK_SIM_STORAGE, name: 'n'.repeat(256) });
    expect(longName).toMatchObject({ status: 202, job: { status: 503, body: { error: { code: 'SYS.1007' } } } });
    const otherStore = await createAtSimulator({ backupStorageUuid: OTHER_STORE, name: 'x' });
    expect(otherStore).toMatchObject({ status: 202, job: { status: 503, body: { error: { code: 'SYS.1003' } } } });
    // Nothing was made.
    expect(simulator.volumeBackups.length).toBe(before);
  });

  it('keeps the immediate 400 as a knob (createChecksAtOnce), off by default', async () => {
    simulator.createChecksAtOnce = true;
    try {
      expect((await createAtSimulator({ backupStorageUuid: OTHER_STORE, name: 'x' })).status).toBe(400);
    } finally {
      simulator.createChecksAtOnce = false;
    }
  });

  it('the gateway\'s create against an image store ZStack lacks is an operation that reads FAILED, its failure scrubbed', async () => {
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; provider: { id: string } } }> } }>(INSTANCES);
    const vm = list.data!.instances.edges.map((edge) => edge.node).find((node) => node.provider.id === 'zstack-other-store')!;
    const before = simulator.volumeBackups.length;
    const started = await harness.gql<{ createBackup: { operation: { id: string; status: string } } }>(CREATE, { input: { instanceId: vm.id, name: 'wrong-store' } });
    expect(started.errors).toBeUndefined();
    const done = await eventually(() => harness.gql<{ operation: Ended }>(OPERATION, { id: started.data!.createBackup.operation.id }), (read) => read.data?.operation.status !== 'RUNNING');
    const words = `invalid field[backupStorageUuid], resource[uuid:${OTHER_STORE}, type:BackupStorageVO] not found`;
    expect(done.data?.operation).toEqual({ status: 'FAILED', error: words, errorCode: 'PROVIDER_ERROR', providerErrorCode: 'SYS.1003', failure: { code: 'PROVIDER_ERROR', message: words } });
    expect(simulator.volumeBackups.length).toBe(before);
    // The job's details quote the session: no answer or log line carries one, live or expired (a
    // session ZStack has forgotten is gone from `sessions`, and one leaked would go unseen there).
    simulator.expireSessions();
    const sessions = [...simulator.issuedSessions];
    expect(sessions.length).toBeGreaterThan(0);
    const seen = JSON.stringify(done) + harness.logs.join('\n');
    for (const issued of sessions) expect(seen).not.toContain(issued);
  });
});
