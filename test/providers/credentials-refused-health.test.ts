import { describe, expect, it } from 'vitest';
import { DANUBE_SIM_USER } from '../../src/providers/danube/simulator.js';
import { ONAPP_SIM_USER } from '../../src/providers/onapp/simulator.js';
import type { ProviderKind } from '../../src/providers/registry.js';
import { ZOMRO_SIM_USER } from '../../src/providers/zomro/simulator.js';
import { ZSTACK_SIM_ACCOUNT } from '../../src/providers/zstack/simulator.js';
import { withHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * An account configured with credentials its provider's simulator refuses (no fault injected: the
 * simulator's own check refuses them). `providers { health healthCause }` read DEGRADED OTHER where
 * a data call was refused 401/403 (an OnApp key, a Danube key) and UP where the refusal came another
 * way: a login refused (Danube 400, ZStack 503 ID.1000, Zomro's 200 document with an `auth` error),
 * a Zomro token refused inside a 200 document, a ZStack fixed session refused 503 ID.1001. Each now
 * reads DEGRADED CREDENTIALS_REFUSED, a fixed name: neither the credential nor the provider's words
 * reach that answer.
 */
const CASES: Array<{ name: string; kind: ProviderKind; wrong: string; auth: (wrong: string) => Record<string, string>; providerWords: RegExp }> = [
  { name: 'onapp API key (401)', kind: 'onapp', wrong: 'not-the-onapp-key-3c1d', auth: (wrong) => ({ username: ONAPP_SIM_USER, password: wrong }), providerWords: /sign in or sign up/i },
  { name: 'danube API key (403)', kind: 'danube', wrong: 'not-the-danube-key-77ab', auth: (wrong) => ({ apiKey: wrong }), providerWords: /Invalid API key/i },
  { name: 'danube login (400)', kind: 'danube', wrong: 'not-the-danube-password-1e0f', auth: (wrong) => ({ username: DANUBE_SIM_USER, password: wrong }), providerWords: /Unable to log in/i },
  { name: 'zstack login (503 ID.1000)', kind: 'zstack', wrong: 'not-the-zstack-password-9a4b', auth: (wrong) => ({ accountName: ZSTACK_SIM_ACCOUNT, password: wrong }), providerWords: /ID\.1000|wrong account name/i },
  { name: 'zstack fixed session (503 ID.1001)', kind: 'zstack', wrong: 'not-the-zstack-session-52c8', auth: (wrong) => ({ sessionId: wrong }), providerWords: /ID\.1001|Session expired/i },
  { name: 'zomro token (access, keepalive refused)', kind: 'zomro', wrong: 'not-the-zomro-token-4d6e', auth: (wrong) => ({ token: wrong }), providerWords: /Insufficient privileges/i },
  { name: 'zomro login (auth error in a 200 document)', kind: 'zomro', wrong: 'not-the-zomro-password-0b93', auth: (wrong) => ({ username: ZOMRO_SIM_USER, password: wrong }), providerWords: /Authorization failed/i },
];

const REFUSED = '{ instances(first: 5) { providerErrors { code } } }';
const HEALTH = '{ providers { id health healthCause } }';

describe("an account whose provider refuses the gateway's credentials", () => {
  it.each(CASES)('$name: health DEGRADED, healthCause CREDENTIALS_REFUSED, no credential nor provider words in it', async ({ kind, wrong, auth, providerWords }) => {
    await withHarness({ kinds: [kind], configure: [withProviderSettings({ cacheTtlMs: 0, retries: 0 }), withProviderSettings({ auth: auth(wrong) }, kind)] }, async (harness) => {
      const refused = await harness.gql<{ instances: { providerErrors: Array<{ code: string }> } }>(REFUSED);
      expect(refused.data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_ERROR' }]);
      const health = await harness.gql<{ providers: unknown[] }>(HEALTH);
      expect(health.data?.providers).toEqual([{ id: `${kind}-test`, health: 'DEGRADED', healthCause: 'CREDENTIALS_REFUSED' }]);
      expect(health.text).not.toContain(wrong);
      expect(health.text).not.toMatch(providerWords);
      // The operator's view keeps its finer class.
      const readyz = (await (await fetch(`${harness.gateway.adminUrl}/readyz`)).json()) as { providers: Array<{ health: string; cause?: string }> };
      expect(readyz.providers[0]).toMatchObject({ health: 'DEGRADED', cause: 'credentials' });
    });
  });
});
