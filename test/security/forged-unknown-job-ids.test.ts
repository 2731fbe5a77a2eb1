import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationKind, OperationRef } from '../../src/domain/types.js';
import { decodeOperationId, operationId } from '../../src/gateway/ids.js';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { danubeHarness, startCreate, type Node } from '../helpers/danube-creates.js';
import { errorCodes, eventually, startHarness, type Harness } from '../helpers/harness.js';
import { around, mutate } from '../helpers/started-by-mutation.js';

/**
 * A ZStack or Danube operation id is the client's to write: a job or task id of the provider's
 * shape that the provider does not know (404, as an expired one answers) was read from the backup
 * lists, one job poll and one list read per id, and a create id written around another task was
 * polled and looked for in the backups before it was NOT_FOUND. Every status of such an operation
 * rests on the gateway's record of starting it, so an id no mutation recorded is NOT_FOUND before
 * any provider call: forged ids, however many, cost the providers nothing.
 */

const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';
const NODE = 'query($id: ID!) { node(id: $id) { id } }';
const KINDS: OperationKind[] = ['CREATE_BACKUP', 'DELETE_BACKUP', 'RESTORE_BACKUP'];

/** One query reading every id as an alias of its own. */
const manyReads = (ids: string[]): string => `{ ${ids.map((id, at) => `r${at}: operation(id: ${JSON.stringify(id)}) { status }`).join(' ')} }`;

async function expectNotFoundUnasked(harness: Harness, kind: 'zstack' | 'danube', forged: string[]): Promise<void> {
  const before = harness.upstreamCount(kind);
  for (const id of forged) {
    expect(errorCodes(await harness.gql(OPERATION, { id })), id).toEqual(['NOT_FOUND']);
    const node = await harness.gql<{ node: unknown }>(NODE, { id });
    expect(node.data?.node ?? null).toBeNull();
  }
  const together = await harness.gql(manyReads(forged));
  expect(new Set(errorCodes(together))).toEqual(new Set(['NOT_FOUND']));
  expect(harness.upstreamCount(kind) - before).toBe(0);
}

describe('zstack: operation ids naming a job ZStack does not know', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  let own: OperationRef;
  let ownId: string;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.asyncDelayMs = 0;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(first: 5) { edges { node { id } } } }');
    expect(answer.errors).toBeUndefined();
    const started = await mutate(harness, 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }', { instanceId: answer.data!.instances.edges[0]!.node.id, name: 'own' });
    own = started.ref;
    ownId = started.id;
  });
  afterAll(() => harness.close());

  it('of every kind, read by operation, node and twenty-nine at once (limits.maxAliases is 30): NOT_FOUND, and ZStack is asked nothing', async () => {
    const made = (kind: OperationKind): string =>
      operationId({ ...own, kind, backupNativeId: kind === 'CREATE_BACKUP' ? null : randomUUID().replaceAll('-', ''), token: [randomUUID().replaceAll('-', ''), ...own.token.slice(1)] });
    const forged = [...KINDS.map(made), operationId({ ...own, kind: 'SYNC_BACKUPS', instanceNativeId: null, backupNativeId: null, token: [randomUUID().replaceAll('-', '')] })];
    await expectNotFoundUnasked(harness, 'zstack', [...forged, ...Array.from({ length: 25 }, () => made('CREATE_BACKUP'))]);
  });

  it("the gateway's own create is still read once its job has expired (from the backups, as before)", async () => {
    const done = await eventually(() => harness.gql<{ operation: { status: string } }>(OPERATION, { id: ownId }), (read) => read.data?.operation.status !== 'RUNNING');
    expect(done.data!.operation.status).toBe('SUCCEEDED');
    simulator.expireJobs();
    const read = await harness.gql<{ operation: { status: string } }>(OPERATION, { id: ownId });
    expect(read.errors).toBeUndefined();
    expect(read.data!.operation.status).toBe('SUCCEEDED');
  });
});

describe('danube: operation ids naming a task Danube does not know, or another task', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let nodes: Node[];

  beforeAll(async () => {
    ({ harness, simulator, nodes } = await danubeHarness());
    simulator.asyncDelayMs = 600_000;
    // VMs with a `daily` definition, which the creates run.
    const withDaily = new Set(simulator.definitions.filter((definition) => definition.name === 'daily').map((definition) => definition.hostname));
    nodes = nodes.filter((node) => withDaily.has(node.nativeId));
    expect(nodes.length).toBeGreaterThanOrEqual(3);
  });
  afterAll(() => harness.close());

  it('a made-up task id of every kind, read by operation, node and twenty-nine at once (limits.maxAliases is 30): NOT_FOUND, and Danube is asked nothing', async () => {
    const own = await startCreate(harness.gql, nodes[0]!, 'own');
    const ref = decodeOperationId(own.id);
    const made = (kind: OperationKind): string =>
      operationId({ ...ref, kind, backupNativeId: kind === 'CREATE_BACKUP' ? null : 'b-forged', token: [`1e1-${randomUUID().slice(0, 26)}`, ...ref.token.slice(1, kind === 'CREATE_BACKUP' ? undefined : 2)] });
    await expectNotFoundUnasked(harness, 'danube', [...KINDS.map(made), ...Array.from({ length: 26 }, () => made('CREATE_BACKUP'))]);
  });

  it("a create id written around another create's task: NOT_FOUND, no poll and no backup list read", async () => {
    const first = await startCreate(harness.gql, nodes[1]!, 'first');
    const second = await startCreate(harness.gql, nodes[2]!, 'second');
    await expectNotFoundUnasked(harness, 'danube', [around(decodeOperationId(second.id), decodeOperationId(first.id))]);
    const read = await harness.gql<{ operation: { status: string } }>(OPERATION, { id: first.id });
    expect(read.errors).toBeUndefined();
    expect(read.data!.operation.status).toBe('RUNNING');
  });
});
