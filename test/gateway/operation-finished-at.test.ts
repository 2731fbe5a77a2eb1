import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_KINDS } from '../../src/providers/registry.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';

interface Followed {
  operation: { status: string; finishedAt: string | null } | null;
}

describe('Operation.finishedAt', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: PROVIDER_KINDS });
  });
  afterAll(() => harness.close());

  for (const kind of PROVIDER_KINDS) {
    it(`is the time the gateway first saw the work finished, the same on every later read (${kind}; it was each read's own time)`, async () => {
      const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string; status: string } }> } }>(`{ instances(kind: ${kind.toUpperCase()}) { edges { node { id status } } } }`);
      const instance = listed.data!.instances.edges.find((edge) => edge.node.status === 'RUNNING')!.node;
      const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(
        'mutation($id: ID!) { createBackup(input: { instanceId: $id, name: "finished-at", definitionName: "daily" }) { operation { id } } }',
        { id: instance.id },
      );
      expect(created.errors).toBeUndefined();
      const read = () => harness.gql<Followed>('query($id: ID!) { operation(id: $id) { status finishedAt } }', { id: created.data!.createBackup.operation.id });
      const done = await eventually(read, (answer) => answer.data?.operation?.finishedAt != null);
      const first = done.data!.operation!.finishedAt!;
      expect(done.data!.operation!.status).toBe('SUCCEEDED');
      expect(Date.parse(first)).toBeLessThanOrEqual(Date.now());
      // Later reads, each a few ms after the one before.
      const startedAt = Date.now();
      let reads = 0;
      while (reads < 3 || Date.now() - startedAt < 20) {
        const again = await read();
        expect(again.data?.operation).toEqual({ status: 'SUCCEEDED', finishedAt: first });
        reads++;
      }
    });
  }
});
