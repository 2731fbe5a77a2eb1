import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeId, encodeId } from '../../src/domain/ids.js';
import { startHarness, type Harness } from '../helpers/harness.js';

/**
 * Replicas' clocks differ. An operation's startedAt is the clock of the
 * replica that started it (it is in the id); its finishedAt, the clock of the
 * replica that first saw it finished. A replica whose clock was behind the
 * starter's by more than the work took answered a finish before the start: a
 * Zomro delete (done within the first poll, 250 ms) with clocks one second
 * apart had finishedAt 750 ms before startedAt, a negative duration on every
 * dashboard. The id's startedAt stands in here for the starter's clock, a
 * minute ahead of this one's.
 */
describe('Operation.finishedAt across replicas whose clocks differ', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
  });
  afterAll(() => harness.close());

  it('is never before startedAt', async () => {
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string; backups: Array<{ nativeId: string; status: string }> } }> } }>('{ instances { edges { node { id backups { nativeId status } } } } }');
    const node = listed.data!.instances.edges.map((edge) => edge.node).find((candidate) => candidate.backups.some((backup) => backup.status === 'AVAILABLE'))!;
    const [instanceNativeId] = decodeId(node.id).keys;
    const made = node.backups.find((backup) => backup.status === 'AVAILABLE')!;
    const startedAt = Date.now() + 60_000;
    // A create whose backup is listed, built: SUCCEEDED on this replica's first read. (A delete of a
    // backup no longer listed read so too, but is NOT_FOUND unless the gateway recorded it started.)
    const id = encodeId('Operation', 'zomro-test', ['CREATE_BACKUP', String(startedAt), instanceNativeId as string, made.nativeId, 'made']);
    const read = await harness.gql<{ operation: { status: string; startedAt: string; finishedAt: string | null } }>('query($id: ID!) { operation(id: $id) { status startedAt finishedAt } }', { id });
    expect(read.errors).toBeUndefined();
    const operation = read.data!.operation;
    expect(operation.status).toBe('SUCCEEDED');
    expect(Date.parse(operation.startedAt)).toBe(startedAt);
    expect(Date.parse(operation.finishedAt as string)).toBeGreaterThanOrEqual(startedAt);
  });
});
