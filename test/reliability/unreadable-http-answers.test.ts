import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { simulatedKinds } from '../../src/providers/registry.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * A provider (or another service at the account's url) that answers with bytes no HTTP client
 * reads: a flood of header lines, a status line with no code. The account is unavailable, as
 * before, but its words must say it answered: "unreachable: a refused connection or a host name
 * that does not resolve" sent the operator to DNS and firewalls for a host that was answering.
 */
const QUERY = '{ instances(first: 1000) { providerErrors { provider { id } code message } } }';

interface Answer {
  instances: { providerErrors: Array<{ provider: { id: string }; code: string; message: string }> };
}

describe('a provider answering with HTTP the gateway cannot read', () => {
  const kinds = simulatedKinds();
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ kinds, configure: withProviderSettings({ retries: 0, breakerThreshold: 1_000 }) });
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    for (const kind of kinds) await harness.simulator(kind).server.clearFault();
  });

  for (const kind of kinds) {
    for (const mode of ['header-flood', 'not-http'] as const) {
      it(`${kind} ${mode}: PROVIDER_UNAVAILABLE saying the provider answered unreadable HTTP, not that it is unreachable`, async () => {
        await harness.simulator(kind).server.setFault({ mode });
        const answer = await harness.gql<Answer>(QUERY);
        expect(answer.status).toBe(200);
        const failed = answer.data!.instances.providerErrors;
        expect(failed).toEqual([
          {
            provider: { id: harness.providerId(kind) },
            code: 'PROVIDER_UNAVAILABLE',
            message: `provider ${harness.providerId(kind)} answered with HTTP the gateway cannot read (a malformed status line or header, more headers than it reads, or a body unlike its Content-Length): check that the account's url points at the provider's API and not another service or proxy`,
          },
        ]);
        expect(answer.text).not.toMatch(/x-filler|127\.0\.0\.1/);
      });
    }
  }
});
