import { describe, expect, it } from 'vitest';
import type { ProviderKind } from '../../src/providers/registry.js';
import { DANUBE_SIM_PASSWORD, DANUBE_SIM_USER, type DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { ZOMRO_SIM_PASSWORD, ZOMRO_SIM_USER, type ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { withHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * The ZStack recovery (credentials-refused-recovery.test.ts) for the other two providers that log
 * in with a password: Danube (`POST /accounts/login`, 400 "Unable to log in with provided
 * credentials.") and Zomro (`func=auth`, `doc.error` of type `auth`). A password changed at the
 * provider and changed back: DEGRADED CREDENTIALS_REFUSED with the gauge at 1, then UP and 0 at
 * the next request once the refused login is held no longer (`refusedLoginHeldMs` 0).
 */
const LIST = '{ instances(first: 5) { totalCount providerErrors { code retryAfterSeconds } } }';
const HEALTH = '{ providers { id health healthCause } }';

type Listed = { instances: { totalCount: number; providerErrors: Array<{ code: string; retryAfterSeconds: number | null }> } };

/** A provider that logs in with a password, as a test drives it. */
interface PasswordLogin {
  kind: Extract<ProviderKind, 'danube' | 'zomro'>;
  auth: { username: string; password: string };
  password: string;
  setPassword(harness: Harness, password: string): void;
  isLogin(label: string): boolean;
}

const LOGINS: PasswordLogin[] = [
  {
    kind: 'danube',
    auth: { username: DANUBE_SIM_USER, password: DANUBE_SIM_PASSWORD },
    password: DANUBE_SIM_PASSWORD,
    setPassword: (harness, password) => {
      (harness.simulator('danube').simulator as DanubeSimulator).accountPassword = password;
    },
    isLogin: (label) => /accounts\/login$/.test(label),
  },
  {
    kind: 'zomro',
    auth: { username: ZOMRO_SIM_USER, password: ZOMRO_SIM_PASSWORD },
    password: ZOMRO_SIM_PASSWORD,
    setPassword: (harness, password) => {
      (harness.simulator('zomro').simulator as ZomroSimulator).accountPassword = password;
    },
    isLogin: (label) => label === 'auth',
  },
];

async function gauge(harness: Harness, kind: string): Promise<string | undefined> {
  const pattern = new RegExp(`^backup_graph_upstream_credentials_refused\\{provider="${kind}-test",kind="${kind}"\\} (\\d)$`, 'm');
  return pattern.exec(await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text())?.[1];
}

async function health(harness: Harness): Promise<unknown> {
  return (await harness.gql<{ providers: unknown[] }>(HEALTH)).data?.providers;
}

describe.each(LOGINS)('$kind credentials refused, then put right at the provider', (login) => {
  const logins = (harness: Harness): number => harness.simulator(login.kind).server.count((item) => login.isLogin(item.label));

  it('a password changed at the provider and changed back, the hold at 0: DEGRADED CREDENTIALS_REFUSED and the gauge at 1, then UP and 0 at the next request', async () => {
    await withHarness({ kinds: [login.kind], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0, refusedLoginHeldMs: 0, auth: login.auth }) }, async (harness) => {
      login.setPassword(harness, `changed-at-the-provider-${login.kind}`);
      const refused = await harness.gql<Listed>(LIST);
      expect(refused.data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_ERROR', retryAfterSeconds: null }]);
      expect(await health(harness)).toEqual([{ id: `${login.kind}-test`, health: 'DEGRADED', healthCause: 'CREDENTIALS_REFUSED' }]);
      expect(await gauge(harness, login.kind)).toBe('1');

      login.setPassword(harness, login.password);
      const answered = await harness.gql<Listed>(LIST);
      expect(answered.data?.instances.providerErrors).toEqual([]);
      expect(answered.data?.instances.totalCount).toBeGreaterThan(0);
      expect(await health(harness)).toEqual([{ id: `${login.kind}-test`, health: 'UP', healthCause: null }]);
      expect(await gauge(harness, login.kind)).toBe('0');
      const readyz = (await (await fetch(`${harness.gateway.adminUrl}/readyz`)).json()) as { providers: Array<{ health: string; cause?: string }> };
      expect(readyz.providers[0]).toMatchObject({ health: 'UP' });
      expect(readyz.providers[0]?.cause).toBeUndefined();
      expect(logins(harness)).toBe(2);
      for (const text of [refused.text, answered.text, ...harness.logs]) expect(text).not.toContain(login.password);
    });
  });

  it('(guard) at the default hold the password put right is not tried until the hold ends: one login sent, the next request answered from the hold', async () => {
    await withHarness({ kinds: [login.kind], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0, auth: login.auth }) }, async (harness) => {
      login.setPassword(harness, `changed-at-the-provider-${login.kind}-2`);
      await harness.gql<Listed>(LIST);
      login.setPassword(harness, login.password);
      const held = await harness.gql<Listed>(LIST);
      expect(held.data?.instances.providerErrors).toHaveLength(1);
      expect(held.data?.instances.providerErrors[0]?.retryAfterSeconds).toBeGreaterThan(0);
      expect(await health(harness)).toEqual([{ id: `${login.kind}-test`, health: 'DEGRADED', healthCause: 'CREDENTIALS_REFUSED' }]);
      expect(logins(harness)).toBe(1);
    });
  });
});
