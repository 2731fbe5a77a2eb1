import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { simulatedKinds, type ProviderKind } from '../../src/providers/registry.js';
import { REDIRECT_SECRET } from '../../src/simulator/server.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * Answers that are no answer: a redirect (an http:// account url behind an HTTPS
 * redirect) or a list read answered with a blank body. Read as "no
 * instances" or "no backups" they would silence the protection alerts, so
 * each must reach the client as the provider's failure, for every kind.
 */
const BACKUP_LIST_LABEL: Record<ProviderKind, string> = {
  zomro: 'instances.fleio_bckps',
  onapp: 'GET /virtual_machines/:id/backups.json',
  zstack: 'GET /zstack/v1/volume-backups',
  danube: 'GET /vm/:x/backup',
};

type Counts = { instances: number; protected: number; stale: number; unprotected: number; unknown: number };
interface Summary {
  instances: { totalCount: number; providerErrors: Array<{ code: string; message: string }> };
  protectionSummary: { counts: Counts; providerErrors: Array<{ code: string; message: string }> };
}
const SUMMARY = '{ instances { totalCount providerErrors { code message } } protectionSummary { counts { instances protected stale unprotected unknown } providerErrors { code message } } }';

describe('answers that are no answer', () => {
  const kinds = simulatedKinds();
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ kinds, configure: withProviderSettings({ retries: 0, breakerThreshold: 1_000 }) });
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    for (const kind of kinds) await harness.simulator(kind).server.clearFault();
  });

  const only = async (kind: ProviderKind): Promise<Summary> => {
    const answer = await harness.gql<Summary>(SUMMARY.replace('instances {', `instances(providerId: "${harness.providerId(kind)}") {`).replace('protectionSummary {', `protectionSummary(providerId: "${harness.providerId(kind)}") {`));
    expect(answer.errors).toBeUndefined();
    expect(answer.text).not.toContain(REDIRECT_SECRET);
    return answer.data!;
  };

  for (const kind of simulatedKinds()) {
    for (const [mode, status] of [['redirect', 301], ['redirect-json', 302]] as const) {
      it(`${kind}: a ${status} is PROVIDER_ERROR saying the provider redirected, never zero instances, and its Location is not shown`, async () => {
        await harness.simulator(kind).server.setFault({ mode });
        const { instances, protectionSummary } = await only(kind);
        expect(instances.totalCount).toBe(0);
        expect(instances.providerErrors).toEqual([
          { code: 'PROVIDER_ERROR', message: `provider ${harness.providerId(kind)} redirected the request (HTTP ${status}) and redirects are not followed: check the account's url (it may need https)` },
        ]);
        expect(protectionSummary.providerErrors).toEqual(instances.providerErrors);
      });
    }

    it(`${kind}: a backup list answered with a blank body counts its instances UNKNOWN, not unprotected`, async () => {
      const before = await only(kind);
      expect(before.protectionSummary.counts.unknown).toBe(0);
      await harness.simulator(kind).server.setFault({ mode: 'empty-body', onlyLabel: BACKUP_LIST_LABEL[kind] });
      const { protectionSummary } = await only(kind);
      expect(protectionSummary.counts).toEqual({ instances: before.protectionSummary.counts.instances, protected: 0, stale: 0, unprotected: 0, unknown: before.protectionSummary.counts.instances });
      expect(protectionSummary.providerErrors.map((error) => error.code)).toEqual(['PROVIDER_ERROR']);
    });
  }

  it('a blank OnApp or Danube backup list is INVALID_RESPONSE at the backups field', async () => {
    for (const kind of ['onapp', 'danube'] as const) {
      await harness.simulator(kind).server.setFault({ mode: 'empty-body', onlyLabel: BACKUP_LIST_LABEL[kind] });
      const answer = await harness.gql(`{ instances(first: 1, providerId: "${harness.providerId(kind)}") { edges { node { backups { id } } } } }`);
      expect(answer.errors?.[0]).toMatchObject({ message: `provider ${harness.providerId(kind)} answered a list read without a list`, extensions: { code: 'PROVIDER_ERROR', provider: harness.providerId(kind), providerCode: 'INVALID_RESPONSE' } });
      await harness.simulator(kind).server.clearFault();
    }
  });
});
