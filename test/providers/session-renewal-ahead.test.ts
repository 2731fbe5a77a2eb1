import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { eventually, startHarness, withDanubePasswordLogin, withProviderSettings, type Harness } from '../helpers/harness.js';

const INSTANCES = '{ instances(first: 100) { edges { node { id nativeId backups { nativeId } } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status } }';
const LIFETIME_MS = 60_000;

interface Listed {
  instances: { edges: Array<{ node: { id: string; nativeId: string; backups: Array<{ nativeId: string }> } }> };
}

/**
 * The login answers when its session ends (ZStack's `expiredDate`, Danube's `expires`). The gateway
 * renewed only once the provider refused a call, so every expiry cost a refused call, and a write
 * sent with a dead session was a failed job. Now it renews ahead of the end (a tenth of the lifetime,
 * at most a minute). Time is moved on for the gateway and the simulators alike (their clocks are
 * Date.now(), faked), no sleeps.
 */
describe('sessions renewed ahead of the end their login reported', () => {
  /** Moves the wall clock on for the gateway and the simulators alike. */
  const moveClock = (ms: number) => {
    vi.setSystemTime(Date.now() + ms);
  };
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now());
  });
  afterAll(() => vi.useRealTimers());

  describe('zstack', () => {
    let harness: Harness;
    let simulator: ZstackSimulator;
    beforeAll(async () => {
      harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
      simulator = harness.simulator('zstack').simulator as ZstackSimulator;
      simulator.sessionLifetimeMs = LIFETIME_MS;
      simulator.asyncDelayMs = 0;
      simulator.expireSessions();
    });
    afterAll(() => harness.close());

    it('a query past the margin logs in before its first call, once for all its concurrent calls, and no call is refused', async () => {
      expect((await harness.gql(INSTANCES)).errors).toBeUndefined();
      const logins = simulator.logins;
      const refused = simulator.sessionsRefused;
      moveClock(LIFETIME_MS - 5_000);
      const server = harness.simulator('zstack').server;
      server.log.length = 0;
      const answer = await harness.gql<Listed>(INSTANCES);
      expect(answer.errors).toBeUndefined();
      expect(simulator.logins - logins).toBe(1);
      expect(server.log[0]?.label).toBe('PUT /zstack/v1/accounts/login');
      expect(simulator.sessionsRefused - refused).toBe(0);
    });

    it('a write after the session would have ended is sent once, no call on its way is refused, and it succeeds', async () => {
      const list = await harness.gql<Listed>(INSTANCES);
      const id = list.data!.instances.edges[0]!.node.id;
      const refused = simulator.sessionsRefused;
      moveClock(LIFETIME_MS + 1_000);
      const server = harness.simulator('zstack').server;
      const posts = server.count((request) => request.method === 'POST');
      const started = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: id, name: 'renewed-ahead' } });
      expect(started.errors).toBeUndefined();
      const done = await eventually(() => harness.gql<{ operation: { status: string } }>(OPERATION, { id: started.data!.createBackup.operation.id }), (read) => read.data?.operation.status !== 'RUNNING');
      expect(done.data?.operation.status).toBe('SUCCEEDED');
      expect(server.count((request) => request.method === 'POST') - posts).toBe(1);
      expect(simulator.sessionsRefused - refused).toBe(0);
    });

    it('reads the lifetime on the node clock: a gateway clock behind ZStack\'s still renews before the end', async () => {
      // The node's clock runs 10 minutes ahead: `expiredDate` read against the gateway's clock would be 11 minutes away.
      simulator.clockOffsetMs += 600_000;
      simulator.expireSessions();
      expect((await harness.gql(INSTANCES)).errors).toBeUndefined();
      const logins = simulator.logins;
      const refused = simulator.sessionsRefused;
      moveClock(LIFETIME_MS - 5_000);
      expect((await harness.gql(INSTANCES)).errors).toBeUndefined();
      expect(simulator.logins - logins).toBe(1);
      expect(simulator.sessionsRefused - refused).toBe(0);
    });
  });

  describe('zstack, where each call extends its session (sessionRenewedOnUse)', () => {
    let harness: Harness;
    let simulator: ZstackSimulator;
    beforeAll(async () => {
      harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0, sessionRenewedOnUse: true }, 'zstack') });
      simulator = harness.simulator('zstack').simulator as ZstackSimulator;
      simulator.sessionLifetimeMs = LIFETIME_MS;
      simulator.sessionRenewedOnUse = true;
      simulator.expireSessions();
    });
    afterAll(() => harness.close());

    it('a session in use is not renewed, and one left unused past its end is renewed before the next call', async () => {
      expect((await harness.gql(INSTANCES)).errors).toBeUndefined();
      const logins = simulator.logins;
      for (let step = 0; step < 3; step++) {
        moveClock(LIFETIME_MS / 2);
        expect((await harness.gql(INSTANCES)).errors).toBeUndefined();
      }
      expect(simulator.logins - logins).toBe(0);
      const refused = simulator.sessionsRefused;
      moveClock(LIFETIME_MS);
      expect((await harness.gql(INSTANCES)).errors).toBeUndefined();
      expect(simulator.logins - logins).toBe(1);
      expect(simulator.sessionsRefused - refused).toBe(0);
    });
  });

  describe('danube', () => {
    let harness: Harness;
    let simulator: DanubeSimulator;
    beforeAll(async () => {
      harness = await startHarness({ kinds: ['danube'], simulator: { instances: 6 }, configure: [withDanubePasswordLogin(), withProviderSettings({ cacheTtlMs: 0 })] });
      simulator = harness.simulator('danube').simulator as DanubeSimulator;
      simulator.tokenLifetimeMs = LIFETIME_MS;
      simulator.expireToken();
    });
    afterAll(() => harness.close());

    it('a query past the margin logs in before its first call, once for all its concurrent calls, and no call is refused', async () => {
      expect((await harness.gql(INSTANCES)).errors).toBeUndefined();
      const logins = simulator.logins;
      const refused = simulator.tokensRefused;
      moveClock(LIFETIME_MS - 5_000);
      const server = harness.simulator('danube').server;
      server.log.length = 0;
      const answer = await harness.gql<Listed>(INSTANCES);
      expect(answer.errors).toBeUndefined();
      expect(simulator.logins - logins).toBe(1);
      expect(server.log[0]?.label).toBe('POST /accounts/login');
      expect(simulator.tokensRefused - refused).toBe(0);
    });

    it('a write after the token would have ended is sent once, and no call on its way is refused', async () => {
      const list = await harness.gql<Listed>(INSTANCES);
      const node = list.data!.instances.edges[0]!.node;
      const refused = simulator.tokensRefused;
      moveClock(LIFETIME_MS + 1_000);
      const server = harness.simulator('danube').server;
      const isWrite = (request: { method: string; label: string }) => request.method !== 'GET' && request.label !== 'POST /accounts/login';
      const writes = server.count(isWrite);
      const started = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: node.id, name: 'renewed-ahead', definitionName: 'daily' } });
      expect(started.errors).toBeUndefined();
      expect(server.count(isWrite) - writes).toBe(1);
      expect(simulator.tokensRefused - refused).toBe(0);
    });

    it('reads the lifetime on the provider clock: a gateway clock behind Danube\'s still renews before the end', async () => {
      // Danube's clock runs 10 minutes ahead of the gateway's: `expires` read against the gateway's clock would be 11 minutes away.
      simulator.clockOffsetMs += 600_000;
      simulator.expireToken();
      expect((await harness.gql(INSTANCES)).errors).toBeUndefined();
      const logins = simulator.logins;
      const refused = simulator.tokensRefused;
      moveClock(LIFETIME_MS - 5_000);
      expect((await harness.gql(INSTANCES)).errors).toBeUndefined();
      expect(simulator.logins - logins).toBe(1);
      expect(simulator.tokensRefused - refused).toBe(0);
    });
  });
});
