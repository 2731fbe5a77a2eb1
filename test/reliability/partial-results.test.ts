import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

describe('partial results', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ retries: 0 }) });
  });
  afterAll(() => harness.close());

  it('nulls only the nested list of a failing provider call, with an error at its path', async () => {
    await harness.simulator('zomro').server.setFault({ mode: 'http-500', onlyLabel: 'instances.fleio_bckps' });
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { name: string; backups: unknown; schedules: unknown[] } }> } }>(
      '{ instances { edges { node { name backups { id } schedules { id } } } } }',
    );
    await harness.simulator('zomro').server.clearFault();
    const nodes = answer.data!.instances.edges.map((edge) => edge.node);
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      expect(node.name).toEqual(expect.any(String));
      expect(node.backups).toBeNull();
      expect(Array.isArray(node.schedules)).toBe(true);
    }
    expect(errorCodes(answer)).toEqual(nodes.map(() => 'PROVIDER_UNAVAILABLE'));
    expect(answer.errors?.[0]).toMatchObject({ path: ['instances', 'edges', 0, 'node', 'backups'], extensions: { code: 'PROVIDER_UNAVAILABLE', provider: 'zomro-test' } });
  });
});
