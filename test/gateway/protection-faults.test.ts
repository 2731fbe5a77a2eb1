import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

type Counts = { instances: number; protected: number; stale: number; unprotected: number; unknown: number };
interface SummaryAnswer {
  protectionSummary: {
    counts: Counts;
    providers: Array<{ provider: { id: string }; counts: Counts }>;
    providerErrors: Array<{ provider: { id: string }; code: string; message: string }>;
  };
}
const SUMMARY = '{ protectionSummary { counts { instances protected stale unprotected unknown } providers { provider { id } counts { instances protected stale unprotected unknown } } providerErrors { provider { id } code message } } }';

describe('protection when a provider fails', () => {
  let harness: Harness;

  beforeAll(async () => {
    // A breaker that opens only after many failures: the first test fails a dozen backup lists on purpose.
    harness = await startHarness({ kinds: ['zomro', 'danube'], configure: withProviderSettings({ breakerThreshold: 100 }) });
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    for (const simulator of harness.simulators.values()) await simulator.server.clearFault();
    // A breaker opened by the previous test closes again before the next one starts.
    await eventually(() => harness.gql<{ providers: Array<{ health: string }> }>('{ providers { health } instances { totalCount } }'), (answer) => answer.data?.providers.every((provider) => provider.health === 'UP') ?? false);
  });

  it('a provider whose backup list fails gives UNKNOWN for its instances, never a guess; the others answer', async () => {
    await harness.simulator('zomro').server.setFault({ mode: 'http-500', onlyLabel: 'instances.fleio_bckps' });
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { provider: { id: string }; protection: { status: string; reason: string; lastBackup: unknown; usableBackups: number | null; error: { code: string; message: string } | null } } }> } }>(
      '{ instances { edges { node { provider { id } protection { status reason lastBackup { id } usableBackups error { code message } } } } } }',
    );
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data!.instances.edges.map((edge) => edge.node);
    const zomro = nodes.filter((node) => node.provider.id === 'zomro-test');
    expect(zomro).toHaveLength(6);
    for (const node of zomro) {
      expect(node.protection).toMatchObject({ status: 'UNKNOWN', reason: 'PROVIDER_FAILED', lastBackup: null, usableBackups: null });
      expect(node.protection.error?.code).toMatch(/^PROVIDER_/);
      expect(node.protection.error?.message).not.toMatch(/127\.0\.0\.1|token/i);
    }
    expect(nodes.filter((node) => node.provider.id === 'danube-test').map((node) => node.protection.status)).not.toContain('UNKNOWN');

    const summary = await harness.gql<SummaryAnswer>(SUMMARY);
    expect(summary.errors).toBeUndefined();
    const { counts, providers, providerErrors } = summary.data!.protectionSummary;
    expect(providers.find((entry) => entry.provider.id === 'zomro-test')?.counts).toEqual({ instances: 6, protected: 0, stale: 0, unprotected: 0, unknown: 6 });
    expect(counts.instances).toBe(12);
    expect(counts.unknown).toBe(6);
    expect(providerErrors.map((error) => error.provider.id)).toEqual(['zomro-test']);
  });

  it('a provider that is down is named in providerErrors and left out of the counts', async () => {
    await harness.simulator('zomro').server.setFault('down');
    const summary = await harness.gql<SummaryAnswer>(SUMMARY);
    expect(summary.errors).toBeUndefined();
    const { counts, providers, providerErrors } = summary.data!.protectionSummary;
    expect(providers.map((entry) => entry.provider.id)).toEqual(['danube-test']);
    expect(counts).toEqual(providers[0]!.counts);
    expect(counts.unknown).toBe(0);
    expect(providerErrors).toEqual([{ provider: { id: 'zomro-test' }, code: expect.stringMatching(/^PROVIDER_/), message: expect.any(String) }]);
    const unknown = await harness.gql<{ instances: { totalCount: number; providerErrors: Array<{ provider: { id: string } }> } }>('{ instances(filter: { protection: [UNKNOWN] }) { totalCount providerErrors { provider { id } } } }');
    expect(unknown.data!.instances).toEqual({ totalCount: 0, providerErrors: [{ provider: { id: 'zomro-test' } }] });
  });
});
