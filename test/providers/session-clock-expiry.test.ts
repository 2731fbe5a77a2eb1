import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DANUBE_SIM_PASSWORD, type DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { ZSTACK_SIM_PASSWORD, type ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withDanubePasswordLogin, withProviderSettings, type Harness } from '../helpers/harness.js';

const INSTANCES = '{ instances(first: 100) { edges { node { nativeId backups { nativeId } } } } }';

interface Listed {
  instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ nativeId: string }> } }> };
}

/** How many backups each instance lists, by native id. */
const countsOf = (answer: Listed): Record<string, number> => Object.fromEntries(answer.instances.edges.map((edge) => [edge.node.nativeId, edge.node.backups.length]));

/**
 * ZStack's sessions (2 h, the login's `expiredDate`) and Danube's tokens (1 h, its `expires`) die
 * on the provider's clock, asked about or not. The simulators let them live until a test killed
 * them by hand, so the gateway's renewal was never tried against time running out, nor in the
 * middle of one query's calls. The simulators' clocks are moved on (`clockOffsetMs`), no sleeps.
 */
describe('sessions that expire on the provider clock', () => {
  describe('zstack', () => {
    let harness: Harness;
    let simulator: ZstackSimulator;
    beforeAll(async () => {
      harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
      simulator = harness.simulator('zstack').simulator as ZstackSimulator;
      simulator.sessionLifetimeMs = 60_000;
      simulator.expireSessions();
    });
    afterAll(() => harness.close());

    const secretsIn = (text: string) => [ZSTACK_SIM_PASSWORD, createHash('sha512').update(ZSTACK_SIM_PASSWORD).digest('hex'), ...simulator.issuedSessions].filter((secret) => text.includes(secret));

    it('logs in again once the session outlived its lifetime, and the list answers whole', async () => {
      const first = await harness.gql<Listed>(INSTANCES);
      expect(first.errors).toBeUndefined();
      const before = simulator.logins;
      simulator.clockOffsetMs += simulator.sessionLifetimeMs + 1;
      const second = await harness.gql<Listed>(INSTANCES);
      expect(second.errors).toBeUndefined();
      expect(simulator.logins - before).toBe(1);
      expect(countsOf(second.data!)).toEqual(countsOf(first.data!));
      expect(secretsIn(JSON.stringify(second) + harness.logs.join('\n'))).toEqual([]);
    });

    it('answers a query whose session expires between its instance list and its backup queries', async () => {
      const whole = await harness.gql<Listed>(INSTANCES);
      const before = simulator.logins;
      const hold = harness.simulator('zstack').server.holdAnswersOf('GET /zstack/v1/vm-instances');
      const answer = harness.gql<Listed>(INSTANCES);
      await hold.arrived;
      simulator.clockOffsetMs += simulator.sessionLifetimeMs + 1;
      hold.release();
      const spanned = await answer;
      expect(spanned.errors).toBeUndefined();
      expect(countsOf(spanned.data!)).toEqual(countsOf(whole.data!));
      expect(simulator.logins - before).toBe(1);
      expect(secretsIn(JSON.stringify(spanned) + harness.logs.join('\n'))).toEqual([]);
    });

    it('plays the other reading too: a session renewed by each call lives on while used', async () => {
      simulator.sessionRenewedOnUse = true;
      try {
        await harness.gql(INSTANCES);
        const before = simulator.logins;
        for (let step = 0; step < 3; step++) {
          simulator.clockOffsetMs += simulator.sessionLifetimeMs / 2;
          expect((await harness.gql(INSTANCES)).errors).toBeUndefined();
        }
        expect(simulator.logins - before).toBe(0);
      } finally {
        simulator.sessionRenewedOnUse = false;
      }
    });
  });

  describe('danube', () => {
    let harness: Harness;
    let simulator: DanubeSimulator;
    beforeAll(async () => {
      harness = await startHarness({ kinds: ['danube'], simulator: { instances: 6 }, configure: [withDanubePasswordLogin(), withProviderSettings({ cacheTtlMs: 0 })] });
      simulator = harness.simulator('danube').simulator as DanubeSimulator;
      simulator.tokenLifetimeMs = 60_000;
      simulator.expireToken();
    });
    afterAll(() => harness.close());

    /** The password, or any token a login handed out, expired ones included. */
    const passwordIn = (text: string) => [DANUBE_SIM_PASSWORD, ...simulator.issuedTokens].some((secret) => text.includes(secret));

    it('logs in again once the token outlived its hour, and the list answers whole', async () => {
      const first = await harness.gql<Listed>(INSTANCES);
      expect(first.errors).toBeUndefined();
      const before = simulator.logins;
      simulator.clockOffsetMs += simulator.tokenLifetimeMs + 1;
      const second = await harness.gql<Listed>(INSTANCES);
      expect(second.errors).toBeUndefined();
      expect(simulator.logins - before).toBe(1);
      expect(countsOf(second.data!)).toEqual(countsOf(first.data!));
      expect(passwordIn(JSON.stringify(second) + harness.logs.join('\n'))).toBe(false);
    });

    it('answers a query whose token expires between its VM list and its backup lists', async () => {
      const whole = await harness.gql<Listed>(INSTANCES);
      const before = simulator.logins;
      const hold = harness.simulator('danube').server.holdAnswersOf('GET /vm');
      const answer = harness.gql<Listed>(INSTANCES);
      await hold.arrived;
      simulator.clockOffsetMs += simulator.tokenLifetimeMs + 1;
      hold.release();
      const spanned = await answer;
      expect(spanned.errors).toBeUndefined();
      expect(countsOf(spanned.data!)).toEqual(countsOf(whole.data!));
      expect(simulator.logins - before).toBe(1);
      expect(passwordIn(JSON.stringify(spanned) + harness.logs.join('\n'))).toBe(false);
    });
  });
});
