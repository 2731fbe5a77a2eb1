import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { startHarness, type Harness } from '../helpers/harness.js';

/**
 * Attacks on where a row left out is told (rows-a-filter-reads.ts, lookups-beside-rows-left-out.ts):
 * aliases of one field with different filters in one query, the field inside fragments, a filter
 * naming a VM of another account, `_entities` mixing providers. An OnApp backup of VM Y whose id
 * the gateway cannot read back is left out of Y's list; it must be told at every field that read
 * Y's list, and at no field that did not.
 */
const UNREADABLE = 'u'.repeat(2000);
type Answer = { data?: Record<string, unknown> | null; errors?: Array<{ path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown>; message: string }>; text: string };
const errorsOf = (answer: Answer): string[] => (answer.errors ?? []).map((error) => `${error.path?.join('.') ?? '(no path)'}: ${error.extensions?.providerCode ?? error.extensions?.code}`).sort();

interface Node {
  id: string;
  nativeId: string;
  backups: Array<{ id: string }>;
}

describe('rows left out, asked by aliases, fragments, another account and _entities', () => {
  let harness: Harness;
  let x: Node;
  let y: Node;
  let zomroVm: Node;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp', 'zomro'] });
    const list = async (provider: string) =>
      (await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(`{ instances(first: 1000, providerId: "${provider}") { edges { node { id nativeId backups { id } } } } }`)).data!.instances.edges.map((edge) => edge.node).filter((node) => node.backups.length > 0);
    const onapp = await list('onapp-test');
    x = onapp[0]!;
    y = onapp[1]!;
    zomroVm = (await list('zomro-test'))[0]!;
    const simulator = harness.simulator('onapp').simulator as OnappSimulator;
    simulator.backups.set(-1, { ...[...simulator.backups.values()].find((backup) => String(backup.vmId) === y.nativeId)!, id: UNREADABLE as unknown as number });
  });
  afterAll(() => harness.close());

  it("aliases of one field with different filters, one in a fragment: the error only at the alias that read Y's list", async () => {
    const answer = await harness.gql(
      `query($x: ID!, $y: ID!) { ...F b: backups(first: 1000, filter: { instanceId: $y }) { totalCount } }
       fragment F on Query { a: backups(first: 1000, filter: { instanceId: $x }) { totalCount } ...G }
       fragment G on Query { c: backups(first: 1000, filter: { instanceId: $x }) { totalCount } }`,
      { x: x.id, y: y.id },
    );
    expect(errorsOf(answer)).toEqual(['b: INVALID_RESPONSE']);
    expect(answer.text).not.toContain(UNREADABLE.slice(0, 600));
  });

  it("a filter naming Y beside another account's providerId is NOT_FOUND, and says nothing of Y's list", async () => {
    harness.resetUpstreamLogs();
    const answer = await harness.gql('query($y: ID!) { a: backups(first: 1000, filter: { instanceId: $y, providerId: "zomro-test" }) { totalCount } }', { y: y.id });
    expect(answer.errors?.map((error) => error.message)).toEqual(['instance not found']);
    expect(errorsOf(answer)).toEqual(['a: NOT_FOUND']);
  });

  it('_entities mixing a found OnApp backup of X, a Zomro backup and a Zomro VM: no error; one of Y found: none either', async () => {
    const representations = [x.backups[0]!.id, zomroVm.backups[0]!.id, zomroVm.id, y.backups[0]!.id].map((id) => ({ __typename: 'Backup', id }));
    representations[2]!.__typename = 'Instance';
    const answer = await harness.gql<{ _entities: Array<{ id: string } | null> }>('query($r: [_Any!]!) { _entities(representations: $r) { ... on Node { id } } }', { r: representations });
    expect(errorsOf(answer)).toEqual([]);
    expect(answer.data?._entities.map((entity) => entity?.id)).toEqual(representations.map((entity) => entity.id));
  });
});
