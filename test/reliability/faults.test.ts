import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { simulatedKinds, type ProviderKind } from '../../src/providers/registry.js';
import type { FaultMode } from '../../src/simulator/faults.js';
import { REDIRECT_SECRET } from '../../src/simulator/server.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * What the client sees for each way a provider can misbehave. The 401 and 403 faults are
 * credentials-refused-answers.test.ts's: refused at its login too, a provider's refusal is held
 * 30 s (session.ts) and would answer this file's later cases of that account.
 */
const EXPECTED: Record<Exclude<FaultMode, 'none' | 'http-401' | 'http-403'>, string> = {
  down: 'PROVIDER_UNAVAILABLE',
  slow: 'PROVIDER_TIMEOUT',
  late: 'PROVIDER_TIMEOUT',
  'http-500': 'PROVIDER_UNAVAILABLE',
  'http-503': 'PROVIDER_UNAVAILABLE',
  'rate-limit': 'PROVIDER_UNAVAILABLE',
  'malformed-json': 'PROVIDER_ERROR',
  truncated: 'PROVIDER_UNAVAILABLE',
  'header-flood': 'PROVIDER_UNAVAILABLE',
  'not-http': 'PROVIDER_UNAVAILABLE',
  'html-error': 'PROVIDER_UNAVAILABLE',
  // A web server's 404 page where the instance list should be: the url's mistake, told as such (a login's too).
  'not-found-page': 'PROVIDER_ERROR',
  'not-found-json': 'PROVIDER_ERROR',
  'wrong-content-type': 'PROVIDER_ERROR',
  trickle: 'PROVIDER_TIMEOUT',
  echo: 'PROVIDER_ERROR',
  redirect: 'PROVIDER_ERROR',
  'redirect-json': 'PROVIDER_ERROR',
  'empty-body': 'PROVIDER_ERROR',
};

const QUERY = '{ instances(first: 1000) { edges { node { provider { id } } } providerErrors { provider { id } code message } } }';

interface Answer {
  instances: { edges: Array<{ node: { provider: { id: string } } }>; providerErrors: Array<{ provider: { id: string }; code: string; message: string }> };
}

describe('every fault mode against every provider', () => {
  const kinds: ProviderKind[] = simulatedKinds();
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({
      kinds,
      // A breaker that never opens here: each case must show its own error, not an open circuit.
      configure: withProviderSettings({ timeoutMs: 300, retries: 1, breakerThreshold: 1_000 }),
    });
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    for (const kind of kinds) await harness.simulator(kind).server.clearFault();
  });

  for (const kind of kinds) {
    for (const [mode, code] of Object.entries(EXPECTED)) {
      it(`${kind} ${mode}: ${code} for ${kind}, the others unaffected, the gateway still serving`, async () => {
        await harness.simulator(kind).server.setFault({ mode: mode as FaultMode, slowMs: 2_000, retryAfterSeconds: 0, trickleIntervalMs: 50 });
        const answer = await harness.gql<Answer>(QUERY);
        expect(answer.status).toBe(200);
        const failed = answer.data!.instances.providerErrors;
        expect(failed.map((error) => [error.provider.id, error.code])).toEqual([[harness.providerId(kind), code]]);
        expect(failed[0]!.message).not.toMatch(/https?:|127\.0\.0\.1|<html|\{"/);
        expect(answer.text).not.toContain(REDIRECT_SECRET);
        const answered = new Set(answer.data!.instances.edges.map((edge) => edge.node.provider.id));
        for (const other of kinds.filter((item) => item !== kind)) expect(answered.has(harness.providerId(other))).toBe(true);
        expect(answered.has(harness.providerId(kind))).toBe(false);

        await harness.simulator(kind).server.clearFault();
        const health = await fetch(`${harness.gateway.url}/healthz`);
        expect(health.status).toBe(200);
      });
    }
  }
});
