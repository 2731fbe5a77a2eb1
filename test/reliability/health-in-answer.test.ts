import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withAccountCopy, withProviderSettings } from '../helpers/harness.js';

/**
 * `providers { health healthCause }` in the same answer as the lists that called the account:
 * health is read once the request's own calls to it have ended, so an account whose first call
 * failed is not UP beside its own "unreachable". The API says UNREACHABLE; which failure (a name
 * not found, a refusal) and the host name stay in the log and /readyz.
 */
const QUERY = '{ providers { id health healthCause } instances { providerErrors { provider { id } code message } } }';

interface Answer {
  providers: Array<{ id: string; health: string; healthCause: string | null }>;
  instances: { providerErrors: Array<{ provider: { id: string }; code: string; message: string }> };
}

describe('provider health in the answer that called the provider', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  it('a host name that does not resolve: not UP, UNREACHABLE, in the first answer; no host name or resolver text', async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: [withAccountCopy('zomro', { id: 'zomro-lost', url: 'http://backup-graph-test.invalid/' }), withProviderSettings({ retries: 0 })],
    });
    const answer = await harness.gql<Answer>(QUERY);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.instances.providerErrors).toEqual([{ provider: { id: 'zomro-lost' }, code: 'PROVIDER_UNAVAILABLE', message: "provider zomro-lost is unreachable: a refused connection or a host name that does not resolve (which one: the gateway's log, its admin /readyz); if it never answered, check the account's url and port in the config" }]);
    expect(answer.data?.providers).toEqual([
      { id: 'zomro-test', health: 'UP', healthCause: null },
      { id: 'zomro-lost', health: 'DEGRADED', healthCause: 'UNREACHABLE' },
    ]);
    expect(answer.text).not.toMatch(/invalid|backup-graph-test|ENOTFOUND|EAI_|getaddrinfo|dns/i);
    // The operator's view has the finer cause.
    const ready = (await (await fetch(`${harness.gateway.adminUrl}/readyz`)).json()) as { providers: Array<{ id: string; cause?: string }> };
    expect(ready.providers.find((provider) => provider.id === 'zomro-lost')?.cause).toBe('dns');
  });

  it('a refused connection: DEGRADED and UNREACHABLE in the first answer, DOWN once the breaker opens', async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ retries: 0, breakerThreshold: 2, breakerHalfOpenAfterMs: 60_000 }) });
    await harness.simulator('onapp').server.setFault('down');
    const first = await harness.gql<Answer>(QUERY);
    expect(first.data?.instances.providerErrors.map((error) => error.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(first.data?.providers).toEqual([{ id: 'onapp-test', health: 'DEGRADED', healthCause: 'UNREACHABLE' }]);
    const second = await harness.gql<Answer>(QUERY);
    expect(second.data?.providers).toEqual([{ id: 'onapp-test', health: 'DOWN', healthCause: 'UNREACHABLE' }]);
  });

  it('a provider answering 503 to a nested list only: the health read after that list failed says SERVER_ERROR', async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ retries: 0 }) });
    await harness.simulator('zomro').server.setFault({ mode: 'http-503', onlyLabel: 'instances.fleio_bckps' });
    const answer = await harness.gql<{ providers: Answer['providers'] }>('{ providers { id health healthCause } instances(first: 1) { edges { node { backups { id } } } } }');
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(answer.data?.providers).toEqual([{ id: 'zomro-test', health: 'DEGRADED', healthCause: 'SERVER_ERROR' }]);
  });
});
