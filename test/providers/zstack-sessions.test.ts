import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { ZSTACK_SIM_PASSWORD } from '../../src/providers/zstack/simulator.js';
import { eventually, startHarness, withHarness, withProviderSettings, type DraftConfig, type Harness } from '../helpers/harness.js';

const BACKUPS = 'query($id: ID!) { instance(id: $id) { backups { id } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';

/**
 * ZStack's REST server checks no session itself: the API's interceptor does,
 * and refuses a dead one with IdentityErrors.INVALID_SESSION ("ID.1001")
 * answered as any failed API is: "503 with {"error":…}" to a query, a 202
 * and a failing job to anything else. It never answers 401 itself.
 */
describe('zstack: a session ZStack no longer knows', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  let instanceIds: string[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(first: 100) { edges { node { id } } } }');
    instanceIds = list.data!.instances.edges.map((edge) => edge.node.id);
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    simulator.sessionRefusal = 'zstack';
    simulator.expireSessionsBeforeNextWrite = false;
    simulator.asyncDelayMs = 50;
  });

  it('is renewed when a query is answered 503 with ID.1001: one login for concurrent reads, which all succeed', async () => {
    simulator.expireSessions();
    const before = simulator.logins;
    const answers = await Promise.all(instanceIds.slice(1, 5).map((id) => harness.gql(BACKUPS, { id })));
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    expect(simulator.logins - before).toBe(1);
    const refused = harness.simulator('zstack').server.log.filter((item) => item.label === 'GET /zstack/v1/volume-backups');
    expect(refused.length).toBeGreaterThan(1);
    for (const line of harness.logs) expect(line).not.toContain(ZSTACK_SIM_PASSWORD);
  });

  it('is renewed when a proxy answers 401 instead', async () => {
    simulator.sessionRefusal = 'http401';
    simulator.expireSessions();
    const before = simulator.logins;
    const answer = await harness.gql(BACKUPS, { id: instanceIds[2] });
    expect(answer.errors).toBeUndefined();
    expect(simulator.logins - before).toBe(1);
  });

  it('a create whose job fails with ID.1001 is FAILED saying nothing was done, and the next create logs in and succeeds', async () => {
    const id = instanceIds[3]!;
    // The session dies between the create's reads and its POST.
    simulator.expireSessionsBeforeNextWrite = true;
    const before = simulator.volumeBackups.length;
    const logins = simulator.logins;
    const first = await harness.gql<{ createBackup: { operation: { id: string; status: string } } }>(CREATE, { input: { instanceId: id, name: 'after-expiry' } });
    expect(first.errors).toBeUndefined();
    const failed = await eventually(() => harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id: first.data!.createBackup.operation.id }), (poll) => poll.data?.operation.status !== 'RUNNING');
    expect(failed.data?.operation.status).toBe('FAILED');
    expect(failed.data?.operation.error).toContain('nothing was done');
    expect(simulator.volumeBackups.length).toBe(before);
    const second = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: id, name: 'after-expiry-again' } });
    expect(second.errors).toBeUndefined();
    const done = await eventually(() => harness.gql<{ operation: { status: string } }>(OPERATION, { id: second.data!.createBackup.operation.id }), (poll) => poll.data?.operation.status !== 'RUNNING');
    expect(done.data?.operation.status).toBe('SUCCEEDED');
    expect(simulator.logins - logins).toBe(1);
  });

  it('a job failed for its session drops that session only: polled again after a renewal, it costs no login', async () => {
    const id = instanceIds[4]!;
    simulator.expireSessionsBeforeNextWrite = true;
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: id, name: 'polled-after-renewal' } });
    expect(created.errors).toBeUndefined();
    const operationId = created.data!.createBackup.operation.id;
    // A read renews the session (503 ID.1001) before the job is polled.
    expect((await harness.gql(BACKUPS, { id })).errors).toBeUndefined();
    const logins = simulator.logins;
    for (let poll = 0; poll < 4; poll++) {
      const polled = await eventually(() => harness.gql<{ operation: { status: string } }>(OPERATION, { id: operationId }), (answer) => answer.data?.operation.status !== 'RUNNING');
      expect(polled.data?.operation.status).toBe('FAILED');
      expect((await harness.gql(BACKUPS, { id })).errors).toBeUndefined();
    }
    expect(simulator.logins - logins).toBe(0);
  });
});

describe('zstack: a refused login', () => {
  it('is PROVIDER_ERROR (a login is synchronous: 503 with {"error"}), sent once, not an outage retried', async () => {
    await withHarness({ kinds: ['zstack'], configure: withProviderSettings({ auth: { accountName: 'admin', password: 'not-the-password-3c1a' } }) }, async (harness) => {
      const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
      const answer = await harness.gql<{ instances: { providerErrors: Array<{ code: string; message: string }> } }>('{ instances(first: 5) { providerErrors { code message } } }');
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_ERROR', message: "provider zstack-test refused the gateway's login" }]);
      expect(simulator.logins).toBe(0);
      expect(harness.simulator('zstack').server.count((item) => item.label === 'PUT /zstack/v1/accounts/login')).toBe(1);
      for (const text of [answer.text, ...harness.logs]) expect(text).not.toContain('not-the-password-3c1a');
    });
  });

  it('is sent once for many requests in a row, not at every one (a panel locks a user after a few failed logins)', async () => {
    await withHarness({ kinds: ['zstack'], configure: withProviderSettings({ auth: { accountName: 'admin', password: 'not-the-password-77d2' } }) }, async (harness) => {
      for (let n = 0; n < 5; n++) {
        const answer = await harness.gql<{ instances: { providerErrors: Array<{ code: string; message: string }> } }>('{ instances(first: 5) { providerErrors { code message } } }');
        expect(answer.data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_ERROR', message: "provider zstack-test refused the gateway's login" }]);
      }
      expect(harness.simulator('zstack').server.count((item) => item.label === 'PUT /zstack/v1/accounts/login')).toBe(1);
    });
  });

  it('is logged once per refusal, at warn, saying where to look (the answers, /readyz and health told the operator nothing)', async () => {
    await withHarness({ kinds: ['zstack'], configure: withProviderSettings({ auth: { accountName: 'admin', password: 'not-the-password-19fe' } }) }, async (harness) => {
      for (let n = 0; n < 3; n++) await harness.gql('{ instances(first: 5) { providerErrors { code } } }');
      const refusals = harness.logs.map((line) => JSON.parse(line) as { level: number; provider?: string; msg: string }).filter((line) => line.msg.includes("refused the gateway's login"));
      expect(refusals).toEqual([
        expect.objectContaining({
          level: 40,
          provider: 'zstack-test',
          retryAfterSeconds: 30,
          msg: "provider zstack-test refused the gateway's login: check the account's auth in the config (or the user in the provider's panel); the login is tried again in 30 s",
        }),
      ]);
      for (const line of harness.logs) expect(line).not.toContain('not-the-password-19fe');
    });
  });

  it('tells the seconds until the login is tried again, in providerErrors and in /readyz', async () => {
    const wrongPasswordForZstack = (draft: DraftConfig): DraftConfig => ({
      ...draft,
      providers: draft.providers.map((account) => (account['kind'] === 'zstack' ? { ...account, auth: { accountName: 'admin', password: 'not-the-password-5e0b' } } : account)),
    });
    await withHarness({ kinds: ['zstack', 'onapp'], configure: wrongPasswordForZstack }, async (harness) => {
      type Ready = { status: string; providers: Array<{ id: string; login?: string; retryAfterSeconds?: number }> };
      const ready = async () => {
        const response = await fetch(`${harness.gateway.adminUrl}/readyz`);
        return { status: response.status, body: (await response.json()) as Ready };
      };
      const before = await ready();
      expect(before.status).toBe(200);
      expect(before.body.providers.every((account) => account.login === undefined && account.retryAfterSeconds === undefined)).toBe(true);

      const answer = await harness.gql<{ instances: { providerErrors: Array<{ provider: { id: string }; code: string; retryAfterSeconds: number | null }> } }>(
        '{ instances(first: 5) { providerErrors { provider { id } code retryAfterSeconds } } }',
      );
      const [refusal] = answer.data?.instances.providerErrors ?? [];
      expect(answer.data?.instances.providerErrors).toHaveLength(1);
      expect(refusal).toMatchObject({ provider: { id: 'zstack-test' }, code: 'PROVIDER_ERROR' });
      expect(refusal?.retryAfterSeconds).toBeGreaterThanOrEqual(29);
      expect(refusal?.retryAfterSeconds).toBeLessThanOrEqual(30);

      // The refused account says so and for how long.
      const held = await ready();
      expect(held.status).toBe(200);
      const zstack = held.body.providers.find((account) => account.id === 'zstack-test');
      expect(zstack).toMatchObject({ login: 'refused' });
      expect(zstack?.retryAfterSeconds).toBeGreaterThanOrEqual(29);
      expect(zstack?.retryAfterSeconds).toBeLessThanOrEqual(30);
      expect(held.body.providers.find((account) => account.id === 'onapp-test')?.login).toBeUndefined();
      for (const text of [answer.text, JSON.stringify(held.body), ...harness.logs]) expect(text).not.toContain('not-the-password-5e0b');
    });
  });

  it('keeps the gateway ready when the only account is one whose login is refused: a password is the same on every replica, and clients get the typed error rather than no endpoint', async () => {
    await withHarness({ kinds: ['zstack'], configure: withProviderSettings({ auth: { accountName: 'admin', password: 'not-the-password-9a41' } }) }, async (harness) => {
      await harness.gql('{ instances(first: 5) { totalCount } }');
      const bare = await fetch(`${harness.gateway.url}/readyz`);
      expect(bare.status).toBe(200);
      expect(await bare.json()).toEqual({ status: 'ready' });
      const detailed = (await (await fetch(`${harness.gateway.adminUrl}/readyz`)).json()) as { providers: Array<{ login?: string }> };
      expect(detailed.providers[0]?.login).toBe('refused');
    });
  });
});
