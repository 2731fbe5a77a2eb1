import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { instanceId } from '../../src/gateway/ids.js';
import { ESDC_CE_CREATE_DETAIL, type DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { SEEN_BEYOND_LIST } from '../../src/gateway/recently-listed-ids.js';
import { startCreate, type Node } from '../helpers/danube-creates.js';
import { startHarness, withAccountCopy, withProviderSettings, type Harness } from '../helpers/harness.js';

const NODE = 'query($id: ID!) { node(id: $id) { id ... on Instance { nativeId } } }';
const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Instance { id nativeId } } }';
const DASHBOARD = '{ instances(first: 100) { edges { node { id nativeId } } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status backupId } }';
const COPY = 'danube-copy';

/** The hostname with its first letter in capitals: a rename in case alone, which esdc-ce allows one VM. */
const capitalised = (hostname: string): string => hostname.charAt(0).toUpperCase() + hostname.slice(1);

/**
 * The gateway's memory of the hostnames Danube named lately (RecentlyListedIds) lets a look-up by
 * a hostname spelt as Danube named it go with no read of the VM list. It was fed by the VM-list
 * reads alone: a read by id (GET /vm, the whole list, read for a VM known listed) and a create's
 * follow-up reads (its VM's backups by uuid, each naming the VM's hostname now) did not, so after
 * a VM was renamed in case the spelling it had still went as written for five minutes, and
 * Danube (exact, as esdc-ce on PostgreSQL) answered no VM. Each of Danube's answers that names a
 * VM's hostname now feeds it, per account; a client's ids never do.
 */
describe('danube: the hostnames every read of Danube names feed the memory of listed ids', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let nodes: Node[];
  let provider: string;
  const vmListReads = (): number => harness.simulator('danube').server.count((request) => request.label === 'GET /vm');

  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['danube'],
      simulator: { instances: 8 },
      configure: [withProviderSettings({ cacheTtlMs: 0 }), withAccountCopy('danube', { id: COPY })],
    });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    simulator.createDetail = ESDC_CE_CREATE_DETAIL;
    simulator.asyncDelayMs = 60_000;
    provider = harness.providerId('danube');
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    // Each test begins with both accounts' lists read, as a dashboard reads them.
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(DASHBOARD);
    expect(answer.errors).toBeUndefined();
    nodes = answer.data!.instances.edges.map((edge) => edge.node).filter((node) => node.id === instanceId({ providerId: provider, nativeId: node.nativeId }));
    harness.resetUpstreamLogs();
  });

  it('a read by id (node, then _entities) hears the VM list it reads: a spelling Danube dropped is looked up in the list, and answers the VM', async () => {
    const [renamed, other] = [nodes[2]!, nodes[3]!];
    const now = capitalised(renamed.nativeId);
    simulator.renameVm(renamed.nativeId, now);
    try {
      // Known listed as written, so read by id: Danube's answer is its whole VM list, naming the new spelling.
      const read = await harness.gql<{ node: { id: string } | null }>(NODE, { id: other.id });
      expect(read.data?.node?.id).toBe(other.id);
      expect(vmListReads()).toBe(1);
      const answer = await harness.gql<{ _entities: Array<{ id: string; nativeId: string } | null> }>(ENTITIES, { r: [{ __typename: 'Instance', id: renamed.id }] });
      expect(answer.errors).toBeUndefined();
      expect(answer.data?._entities).toEqual([{ id: instanceId({ providerId: provider, nativeId: now }), nativeId: now }]);
      // The other account's memory is its own: its list still names the old spelling.
      expect(harness.gateway.services.listedIds.has(COPY, renamed.nativeId)).toBe(true);
      expect(harness.gateway.services.listedIds.has(COPY, now)).toBe(false);
    } finally {
      simulator.renameVm(now, renamed.nativeId);
    }
  });

  it("a create's follow-up read of its VM's backups hears the VM's hostname now: the spelling the client holds answers the VM", async () => {
    const node = nodes[4]!;
    const { id, taskId } = await startCreate(harness.gql, node, 'heard');
    harness.resetUpstreamLogs();
    const now = capitalised(node.nativeId);
    simulator.renameVm(node.nativeId, now);
    try {
      simulator.tasks.get(taskId)!.doneAt = 0;
      const read = await harness.gql<{ operation: { status: string; backupId: string | null } }>(OPERATION, { id });
      expect(read.errors).toBeUndefined();
      expect(read.data?.operation.status).toBe('SUCCEEDED');
      // No VM list was read since the rename: only the backups' rows named the new spelling.
      expect(vmListReads()).toBe(0);
      const answer = await harness.gql<{ node: { id: string; nativeId: string } | null }>(NODE, { id: node.id });
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.node).toEqual({ id: instanceId({ providerId: provider, nativeId: now }), nativeId: now });
      expect(harness.gateway.services.listedIds.has(COPY, node.nativeId)).toBe(true);
    } finally {
      simulator.renameVm(now, node.nativeId);
    }
  });

  it("the account's definitions list hears each definition's VM by its hostname now: the spelling the client holds answers the VM", async () => {
    const [renamed, other] = [nodes[5]!, nodes[6]!];
    const definitions = await harness.gql<{ node: { definitions: Array<{ id: string }> } | null }>('query($id: ID!) { node(id: $id) { ... on Instance { definitions { id } } } }', { id: other.id });
    expect(definitions.errors).toBeUndefined();
    const definitionId = definitions.data!.node!.definitions[0]!.id;
    const now = capitalised(renamed.nativeId);
    simulator.renameVm(renamed.nativeId, now);
    try {
      harness.resetUpstreamLogs();
      // Known listed as written: no VM list, only every VM's definitions, naming the new spelling.
      const read = await harness.gql<{ node: { id: string } | null }>('query($id: ID!) { node(id: $id) { id } }', { id: definitionId });
      expect(read.data?.node?.id).toBe(definitionId);
      expect(vmListReads()).toBe(0);
      const answer = await harness.gql<{ node: { id: string; nativeId: string } | null }>(NODE, { id: renamed.id });
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.node).toEqual({ id: instanceId({ providerId: provider, nativeId: now }), nativeId: now });
    } finally {
      simulator.renameVm(now, renamed.nativeId);
    }
  });

  it("is not grown by a client's ids: hostnames no VM has, asked many at once, feed nothing", async () => {
    const memory = harness.gateway.services.listedIds;
    const before = memory.size(provider);
    expect(before).toBe(nodes.length);
    const asked = Array.from({ length: 50 }, (_, index) => ({ __typename: 'Instance', id: instanceId({ providerId: provider, nativeId: `nobody-${index}.example.com` }) }));
    const answer = await harness.gql<{ _entities: unknown[] }>(ENTITIES, { r: asked });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?._entities).toEqual(asked.map(() => null));
    expect(memory.size(provider)).toBe(before);
    for (const { id } of asked.slice(0, 3)) expect(memory.has(provider, JSON.parse(Buffer.from(id, 'base64url').toString('utf8'))[2] as string)).toBe(false);
    expect(SEEN_BEYOND_LIST).toBeLessThanOrEqual(10_000);
  });
});
