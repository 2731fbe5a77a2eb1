import { describe, expect, it } from 'vitest';
import { ONAPP_SIM_USER } from '../../src/providers/onapp/simulator.js';
import { withHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * The operator's alert on refused credentials (deploy/prometheus, ProviderCredentialsRefused) reads
 * backup_graph_upstream_credentials_refused off /metrics: 1 for an account whose provider refused the
 * gateway's credentials (health DEGRADED, /readyz cause credentials), 0 for an account answered.
 * Before it, only the API and /readyz said so, and no rule could.
 */
const REFUSED_KEY = 'not-the-onapp-key-5e2a';

async function metricsText(adminUrl: string): Promise<string> {
  return (await fetch(`${adminUrl}/metrics`)).text();
}

describe('backup_graph_upstream_credentials_refused', () => {
  it('reads 1 for the account whose provider refused its credentials and 0 for the account answered, each by provider and kind', async () => {
    await withHarness(
      { kinds: ['onapp', 'zomro'], configure: [withProviderSettings({ cacheTtlMs: 0, retries: 0 }), withProviderSettings({ auth: { username: ONAPP_SIM_USER, password: REFUSED_KEY } }, 'onapp')] },
      async (harness) => {
        const before = await metricsText(harness.gateway.adminUrl);
        expect(before).toMatch(/^backup_graph_upstream_credentials_refused\{provider="onapp-test",kind="onapp"\} 0$/m);
        await harness.gql('{ instances(first: 5) { providerErrors { code } } }');
        const after = await metricsText(harness.gateway.adminUrl);
        expect(after).toMatch(/^backup_graph_upstream_credentials_refused\{provider="onapp-test",kind="onapp"\} 1$/m);
        expect(after).toMatch(/^backup_graph_upstream_credentials_refused\{provider="zomro-test",kind="zomro"\} 0$/m);
        expect(after).not.toContain(REFUSED_KEY);
      },
    );
  });
});
