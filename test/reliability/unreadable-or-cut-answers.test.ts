import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { simulatedKinds } from '../../src/providers/registry.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * A provider whose answer the gateway cannot read whole: one it cut short, one that is no HTTP a
 * client reads. The account is unavailable, as before, but its words must say the host answered:
 * "unreachable: a refused connection or a host name that does not resolve" sent the operator to
 * DNS and firewalls for a host that was answering. One gateway and its simulators serve both.
 */
const QUERY = '{ instances(first: 1000) { providerErrors { provider { id } code message } } }';

interface Answer {
  instances: { providerErrors: Array<{ provider: { id: string }; code: string; message: string }> };
}

describe('a provider whose answer the gateway cannot read whole', () => {
  const kinds = simulatedKinds();
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ kinds, configure: withProviderSettings({ retries: 0, breakerThreshold: 1_000 }) });
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    for (const kind of kinds) await harness.simulator(kind).server.clearFault();
  });

  /**
   * Its answer's headers and part of its body, then the connection closed (the simulators'
   * `truncated` fault: a Content-Length of 4096, a few bytes, the socket ended).
   */
  describe('closing the connection in the middle of its answer', () => {
    for (const kind of kinds) {
      it(`${kind}: PROVIDER_UNAVAILABLE saying the provider cut its answer, not that it is unreachable`, async () => {
        await harness.simulator(kind).server.setFault({ mode: 'truncated' });
        const answer = await harness.gql<Answer>(QUERY);
        expect(answer.status).toBe(200);
        expect(answer.data!.instances.providerErrors).toEqual([
          {
            provider: { id: harness.providerId(kind) },
            code: 'PROVIDER_UNAVAILABLE',
            message: `provider ${harness.providerId(kind)} closed the connection before its answer was whole (its headers came, not all of its body): a proxy or the provider cut it`,
          },
        ]);
      });
    }
  });

  /** Bytes no HTTP client reads, from the provider or another service at the account's url: a flood of header lines, a status line with no code. */
  describe('answering with HTTP the gateway cannot read', () => {
    for (const kind of kinds) {
      for (const mode of ['header-flood', 'not-http'] as const) {
        it(`${kind} ${mode}: PROVIDER_UNAVAILABLE saying the provider answered unreadable HTTP, not that it is unreachable`, async () => {
          await harness.simulator(kind).server.setFault({ mode });
          const answer = await harness.gql<Answer>(QUERY);
          expect(answer.status).toBe(200);
          expect(answer.data!.instances.providerErrors).toEqual([
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
});
