import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

type Listed = { id: string; provider: { id: string }; definitions: Array<{ name: string }> };
type Read = { __typename: string; id: string; status: string; backupId: string | null };

/**
 * An operation id encodes what was known when the work began. A Danube create answers its task
 * before the backup has a name; once the task is done the operation names the backup, and it was
 * answered by a second id built from that name: `node(id).id` differed from `id`, and a client
 * cache keyed by id (Apollo Client, Relay) kept the operation it polled as RUNNING for ever.
 */
describe('an operation is answered by the id it was asked by', () => {
  let harness: Harness;
  let created: string;
  beforeAll(async () => {
    // Tasks done as soon as they are polled: the first read after the create sees the backup named.
    harness = await startHarness({ kinds: ['danube'], simulator: { asyncDelayMs: 0 } });
    const listed = await harness.gql<{ instances: { edges: Array<{ node: Listed }> } }>('{ instances(first: 100) { edges { node { id provider { id } definitions { name } } } } }');
    const instance = listed.data!.instances.edges.map((edge) => edge.node).find((node) => node.definitions.length > 0)!;
    const started = await harness.gql<{ createBackup: { operation: { id: string; backupId: string | null } } }>(
      'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id backupId } } }',
      { input: { instanceId: instance.id, name: 'stable-id', definitionName: instance.definitions[0]!.name } },
    );
    expect(started.errors).toBeUndefined();
    // The create answered before its backup had a name: the case where an id could change.
    expect(started.data!.createBackup.operation.backupId).toBeNull();
    created = started.data!.createBackup.operation.id;
  }, 30_000);
  afterAll(() => harness.close());

  it('operation(id:) and node(id) answer the same id once the backup is named', async () => {
    const answer = await harness.gql<{ operation: Read; node: Read }>(
      'query($id: ID!) { operation(id: $id) { __typename id status backupId } node(id: $id) { __typename ... on Operation { id status backupId } } }',
      { id: created },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.operation.status).toBe('SUCCEEDED');
    expect(answer.data!.operation.backupId).not.toBeNull();
    expect(answer.data!.operation.id).toBe(created);
    expect(answer.data!.node).toMatchObject({ __typename: 'Operation', id: created, status: 'SUCCEEDED' });
  });

  it('_entities answers the representation\'s id', async () => {
    const answer = await harness.gql<{ _entities: Array<Read | null> }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Operation { id status backupId } } }',
      { r: [{ __typename: 'Operation', id: created }] },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities).toEqual([expect.objectContaining({ id: created, status: 'SUCCEEDED' })]);
  });

  it('operationUpdated answers the id it was subscribed by', async () => {
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const answer = await wsRun(client, 'subscription($id: ID!) { operationUpdated(id: $id) { id status backupId } }', { id: created });
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.operationUpdated).toMatchObject({ id: created, status: 'SUCCEEDED' });
      expect((answer.data!.operationUpdated as Read).backupId).not.toBeNull();
    } finally {
      await client.dispose();
    }
  });

  it('cancelOperation answers the id it was given', async () => {
    const answer = await harness.gql<{ cancelOperation: { operation: Read } }>(
      'mutation($id: ID!) { cancelOperation(input: { operationId: $id }) { operation { id status } } }',
      { id: created },
    );
    // The task is done: Danube answers that it cannot be cancelled, read as the task's status.
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.cancelOperation.operation).toEqual({ id: created, status: 'SUCCEEDED' });
  });
});
