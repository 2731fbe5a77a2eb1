import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, type Harness } from '../helpers/harness.js';

const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const CREATE_MANY = 'mutation($input: CreateBackupsInput!) { createBackups(input: $input) { results { operation { id } error { code } } } }';
const KEY_REUSED = 'idempotencyKey was already used with a different input: send a new idempotencyKey with each new request, and this one only to retry the request that first used it, with its input';

/**
 * One idempotencyKey sent with two different mutations: the second is another input, refused as
 * such. Its record holds an answer of the first mutation's shape, which the second cannot replay,
 * and it was told "a record this gateway cannot read (written by another version?)", the first
 * request with it "may have acted", though the client only reused a key.
 */
describe('an idempotencyKey reused with another mutation', () => {
  let harness: Harness;
  let instanceId: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    instanceId = answer.data!.instances.edges[3]!.node.id;
  });
  afterAll(() => harness.close());

  it('createBackup then createBackups: CONFLICT, used with a different input', async () => {
    const idempotencyKey = randomUUID();
    const first = await harness.gql(CREATE, { input: { instanceId, name: `one-${idempotencyKey}`, idempotencyKey } });
    expect(first.errors).toBeUndefined();
    const second = await harness.gql(CREATE_MANY, { input: { instanceIds: [instanceId], name: `many-${idempotencyKey}`, idempotencyKey } });
    expect(errorCodes(second)).toEqual(['CONFLICT']);
    expect(second.errors?.[0]?.message).toBe(KEY_REUSED);
  });

  it('createBackups then createBackup: the same', async () => {
    const idempotencyKey = randomUUID();
    const first = await harness.gql(CREATE_MANY, { input: { instanceIds: [instanceId], name: `many-${idempotencyKey}`, idempotencyKey } });
    expect(first.errors).toBeUndefined();
    const second = await harness.gql(CREATE, { input: { instanceId, name: `one-${idempotencyKey}`, idempotencyKey } });
    expect(errorCodes(second)).toEqual(['CONFLICT']);
    expect(second.errors?.[0]?.message).toBe(KEY_REUSED);
  });

  it('the same mutation and input again replays its answer (guard)', async () => {
    const idempotencyKey = randomUUID();
    const input = { instanceId, name: `again-${idempotencyKey}`, idempotencyKey };
    const first = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input });
    const again = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input });
    expect(again.data?.createBackup.operation.id).toBe(first.data?.createBackup.operation.id);
  });
});
