import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

/** A hostname esdc-ce takes that is also a key every plain object inherits. */
const LISTED = 'ValueOf';
/**
 * Keys of Object.prototype that are valid hostnames, none of them a VM here. Folded to lower case,
 * `constructor` alone is still such a key; `valueOf` is LISTED's, folded.
 */
const INHERITED = ['constructor', 'CONSTRUCTOR', 'toString', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString'];

const LOOKUPS =
  'query($i: ID!, $b: ID!) { node(id: $i) { id ... on Instance { nativeId } } backup(id: $b) { id } _entities(representations: [{ __typename: "Instance", id: $i }, { __typename: "Backup", id: $b }]) { ... on Instance { id nativeId } ... on Backup { id } } }';

interface Answer {
  node: { id: string; nativeId: string } | null;
  backup: { id: string } | null;
  _entities: Array<{ id: string; nativeId?: string } | null>;
}

const idOf = (parts: string[]): string => Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');

/**
 * A Danube id's hostname is the client's to write and is looked up folded (listed-instance-id.ts,
 * recently-listed-ids.ts) in indexes of what the VM list named. One kept in a plain object would
 * find `constructor` or `toString` there, listed or not (Object.prototype's), and send a function
 * as the hostname. Over HTTP and WebSocket alike: a hostname that is such a key and names no VM
 * is nothing there; a VM listed under one is found in any case, under its listed ids.
 */
describe('danube: hostnames that are keys of Object.prototype', () => {
  let harness: Harness;
  let providerId: string;
  let listed: { id: string; nativeId: string };

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    providerId = harness.providerId('danube');
    (harness.simulator('danube').simulator as DanubeSimulator).renameVm('web03.example.com', LISTED);
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>('{ instances(first: 100) { edges { node { id nativeId } } } }');
    listed = list.data!.instances.edges.map((edge) => edge.node).find((node) => node.nativeId === LISTED)!;
    expect(listed).toBeDefined();
  });
  afterAll(() => harness.close());

  it.each(INHERITED)('answers %s, which no VM is named, as nothing there (the VM list read or not)', async (hostname) => {
    const variables = { i: idOf(['I', providerId, hostname]), b: idOf(['B', providerId, hostname, 'daily-20240713_040001', '1']) };
    const ws = wsClient(harness.gateway.graphqlUrl);
    try {
      for (const answer of [await harness.gql<Answer>(LOOKUPS, variables), await wsRun(ws, LOOKUPS, variables)]) {
        expect(answer.errors ?? []).toEqual([]);
        expect(answer.data).toEqual({ node: null, backup: null, _entities: [null, null] });
      }
    } finally {
      await ws.dispose();
    }
  });

  it('answers a VM listed as ValueOf, asked in another case, under its listed id', async () => {
    for (const hostname of ['valueof', 'VALUEOF', LISTED]) {
      const answer = await harness.gql<Answer>(LOOKUPS, { i: idOf(['I', providerId, hostname]), b: idOf(['B', providerId, hostname, 'no-such-backup', '1']) });
      expect(errorCodes(answer)).toEqual([]);
      expect(answer.data?.node).toEqual({ id: listed.id, nativeId: LISTED });
      expect(answer.data?._entities[0]).toEqual({ id: listed.id, nativeId: LISTED });
    }
  });
});
