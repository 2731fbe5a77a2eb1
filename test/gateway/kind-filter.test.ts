import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

type Owned = { provider: { id: string; kind: string } };

/** Every argument that filters by provider kind picks exactly the accounts of that kind. */
describe('filters by provider kind', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro', 'zstack'] });
  });
  afterAll(() => harness.close());

  it('instances(kind:) lists only that kind, and Provider.kind names it', async () => {
    const answer = await harness.gql<{ instances: { totalCount: number; edges: Array<{ node: Owned }> } }>('{ instances(kind: ZSTACK, first: 500) { totalCount edges { node { provider { id kind } } } } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.instances.totalCount).toBeGreaterThan(0);
    expect(new Set(answer.data!.instances.edges.map((edge) => `${edge.node.provider.id}/${edge.node.provider.kind}`))).toEqual(new Set([`${harness.providerId('zstack')}/ZSTACK`]));
  });

  it('backups(filter: { kind }) lists only that kind', async () => {
    const answer = await harness.gql<{ backups: { totalCount: number; edges: Array<{ node: Owned }> } }>('{ backups(filter: { kind: ZOMRO }, first: 500) { totalCount edges { node { provider { id kind } } } } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.backups.totalCount).toBeGreaterThan(0);
    expect(new Set(answer.data!.backups.edges.map((edge) => edge.node.provider.id))).toEqual(new Set([harness.providerId('zomro')]));
  });

  it('protectionSummary(kind:) counts only that kind', async () => {
    const answer = await harness.gql<{ protectionSummary: { providers: Array<Owned> } }>('{ protectionSummary(kind: ZOMRO) { providers { provider { id kind } } } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.protectionSummary.providers).toEqual([{ provider: { id: harness.providerId('zomro'), kind: 'ZOMRO' } }]);
  });
});
