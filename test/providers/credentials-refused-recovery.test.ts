import { describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { ZSTACK_SIM_PASSWORD } from '../../src/providers/zstack/simulator.js';
import { withHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * Credentials the provider refused, then put right at the provider (the panel's password changed
 * back, the session made known again): health goes from DEGRADED CREDENTIALS_REFUSED back to UP,
 * and the alert's gauge from 1 back to 0, at the first data call answered. A refused login is held
 * (`refusedLoginHeldMs`, 30 s by default) before it is tried again; held 0, the next request logs in.
 */
const LIST = '{ instances(first: 5) { totalCount providerErrors { code retryAfterSeconds } } }';
const HEALTH = '{ providers { id health healthCause } }';
const GAUGE = /^backup_graph_upstream_credentials_refused\{provider="zstack-test",kind="zstack"\} (\d)$/m;

type Listed = { instances: { totalCount: number; providerErrors: Array<{ code: string; retryAfterSeconds: number | null }> } };

async function gauge(harness: Harness): Promise<string | undefined> {
  return GAUGE.exec(await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text())?.[1];
}

async function health(harness: Harness): Promise<unknown> {
  return (await harness.gql<{ providers: unknown[] }>(HEALTH)).data?.providers;
}

const logins = (harness: Harness): number => harness.simulator('zstack').server.count((item) => item.label === 'PUT /zstack/v1/accounts/login');

describe('credentials refused, then put right at the provider', () => {
  it('a ZStack password changed in the panel and changed back, the hold at 0: DEGRADED CREDENTIALS_REFUSED and the gauge at 1, then UP and 0 at the next request', async () => {
    await withHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0, refusedLoginHeldMs: 0 }) }, async (harness) => {
      const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
      simulator.accountPassword = 'changed-in-the-panel-4f2a';
      const refused = await harness.gql<Listed>(LIST);
      // Held for no time: no time to wait is told.
      expect(refused.data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_ERROR', retryAfterSeconds: null }]);
      expect(await health(harness)).toEqual([{ id: 'zstack-test', health: 'DEGRADED', healthCause: 'CREDENTIALS_REFUSED' }]);
      expect(await gauge(harness)).toBe('1');

      simulator.accountPassword = ZSTACK_SIM_PASSWORD;
      const answered = await harness.gql<Listed>(LIST);
      expect(answered.data?.instances.providerErrors).toEqual([]);
      expect(answered.data?.instances.totalCount).toBeGreaterThan(0);
      expect(await health(harness)).toEqual([{ id: 'zstack-test', health: 'UP', healthCause: null }]);
      expect(await gauge(harness)).toBe('0');
      const readyz = (await (await fetch(`${harness.gateway.adminUrl}/readyz`)).json()) as { providers: Array<{ health: string; cause?: string; login?: string }> };
      expect(readyz.providers[0]).toMatchObject({ health: 'UP' });
      expect(readyz.providers[0]?.cause).toBeUndefined();
      expect(readyz.providers[0]?.login).toBeUndefined();
      expect(logins(harness)).toBe(2);
    });
  });

  it('(guard) at the default hold the password put right is not tried until the hold ends: the next request is answered from it, one login sent', async () => {
    await withHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
      simulator.accountPassword = 'changed-in-the-panel-90b1';
      await harness.gql<Listed>(LIST);
      simulator.accountPassword = ZSTACK_SIM_PASSWORD;
      const held = await harness.gql<Listed>(LIST);
      expect(held.data?.instances.providerErrors).toHaveLength(1);
      expect(held.data?.instances.providerErrors[0]?.retryAfterSeconds).toBeGreaterThan(0);
      expect(await health(harness)).toEqual([{ id: 'zstack-test', health: 'DEGRADED', healthCause: 'CREDENTIALS_REFUSED' }]);
      expect(logins(harness)).toBe(1);
    });
  });

  it('(guard) a ZStack fixed sessionId refused, then known to ZStack again: UP and the gauge at 0 at the next request, no hold', async () => {
    const session = 'c0ffee11c0ffee22c0ffee33c0ffee44';
    await withHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0, auth: { sessionId: session } }) }, async (harness) => {
      const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
      expect((await harness.gql<Listed>(LIST)).data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_ERROR', retryAfterSeconds: null }]);
      expect(await health(harness)).toEqual([{ id: 'zstack-test', health: 'DEGRADED', healthCause: 'CREDENTIALS_REFUSED' }]);
      expect(await gauge(harness)).toBe('1');
      simulator.sessions.add(session);
      expect((await harness.gql<Listed>(LIST)).data?.instances.providerErrors).toEqual([]);
      expect(await health(harness)).toEqual([{ id: 'zstack-test', health: 'UP', healthCause: null }]);
      expect(await gauge(harness)).toBe('0');
    });
  });
});
