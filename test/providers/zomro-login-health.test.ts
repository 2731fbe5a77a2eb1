import { describe, expect, it } from 'vitest';
import { ZOMRO_SIM_PASSWORD, ZOMRO_SIM_USER, type ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { withHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * A Zomro login's answer is HTTP 200 whatever BILLmanager says in it, and it ends any failure health
 * held but a refusal of the credentials. Two ways health read UP while the account was refused:
 *
 * - a login BILLmanager refused in its 200 (`doc.error`): health went UP at the answer, then DEGRADED
 *   once the login code read the refusal, a `provider health changed` UP line between;
 * - a login answered with a session BILLmanager then refused for every call (`access`, the keepalive
 *   saying the session is dead): health went UP at the login and stayed UP while every read failed
 *   "refused the gateway's session right after a fresh login".
 *
 * Now the first is no answered login, and the second reads DEGRADED CREDENTIALS_REFUSED.
 */
const READ = '{ instances(first: 5) { providerErrors { code message } } }';
const HEALTH = '{ providers { id health healthCause } }';
const AUTH = { username: ZOMRO_SIM_USER, password: ZOMRO_SIM_PASSWORD };

const healthChanges = (harness: Harness): string[] =>
  harness.logs.filter((line) => line.includes('provider health changed')).map((line) => (JSON.parse(line) as { health: string }).health);
const simulatorOf = (harness: Harness): ZomroSimulator => harness.simulator('zomro').simulator as ZomroSimulator;

describe('zomro: health and the login answer', () => {
  it('a session refused at once after every login reads DEGRADED CREDENTIALS_REFUSED, never UP between requests', async () => {
    await withHarness({ kinds: ['zomro'], configure: withProviderSettings({ auth: AUTH, cacheTtlMs: 0, retries: 0, refusedLoginHeldMs: 0 }) }, async (harness) => {
      simulatorOf(harness).refusesSessions = true;
      for (let read = 0; read < 2; read++) {
        const answer = await harness.gql<{ instances: { providerErrors: Array<{ code: string; message: string }> } }>(READ);
        expect(answer.data?.instances.providerErrors.map((error) => error.code)).toEqual(['PROVIDER_ERROR']);
        expect(answer.data?.instances.providerErrors[0]?.message).toMatch(/refused the gateway's session right after a fresh login/);
        expect((await harness.gql(HEALTH)).data).toEqual({ providers: [{ id: 'zomro-test', health: 'DEGRADED', healthCause: 'CREDENTIALS_REFUSED' }] });
      }
      expect(healthChanges(harness)).toEqual(['DEGRADED']);
    });
  });

  it('a session refused as auth at once after every login (no keepalive asked) reads DEGRADED CREDENTIALS_REFUSED too', async () => {
    await withHarness({ kinds: ['zomro'], configure: withProviderSettings({ auth: AUTH, cacheTtlMs: 0, retries: 0, refusedLoginHeldMs: 0 }) }, async (harness) => {
      simulatorOf(harness).refusesSessions = true;
      simulatorOf(harness).sessionRefusalType = 'auth';
      const answer = await harness.gql<{ instances: { providerErrors: Array<{ code: string }> } }>(READ);
      expect(answer.data?.instances.providerErrors.map((error) => error.code)).toEqual(['PROVIDER_ERROR']);
      expect(harness.simulator('zomro').server.count('keepalive')).toBe(0);
      expect((await harness.gql(HEALTH)).data).toEqual({ providers: [{ id: 'zomro-test', health: 'DEGRADED', healthCause: 'CREDENTIALS_REFUSED' }] });
    });
  });

  it('a login refused in its 200 after another failure: health stays DEGRADED, no UP line between', async () => {
    await withHarness({ kinds: ['zomro'], configure: withProviderSettings({ auth: AUTH, cacheTtlMs: 0, retries: 0, refusedLoginHeldMs: 0 }) }, async (harness) => {
      const { server } = harness.simulator('zomro');
      await server.setFault({ mode: 'http-503', onlyLabel: 'instances', times: 1 });
      const unavailable = await harness.gql<{ instances: { providerErrors: Array<{ code: string }> } }>(READ);
      expect(unavailable.data?.instances.providerErrors.map((error) => error.code)).toEqual(['PROVIDER_UNAVAILABLE']);
      simulatorOf(harness).refusesLogins = true;
      simulatorOf(harness).expireSessions();
      const refused = await harness.gql<{ instances: { providerErrors: Array<{ code: string }> } }>(READ);
      expect(refused.data?.instances.providerErrors.map((error) => error.code)).toEqual(['PROVIDER_ERROR']);
      expect((await harness.gql(HEALTH)).data).toEqual({ providers: [{ id: 'zomro-test', health: 'DEGRADED', healthCause: 'CREDENTIALS_REFUSED' }] });
      expect(healthChanges(harness)).toEqual(['DEGRADED']);
    });
  });
});
