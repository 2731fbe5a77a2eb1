import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { eventually, type Harness, startHarness } from '../helpers/harness.js';

interface Update {
  status: string;
  backup: { name: string; status: string } | null;
}

/** Every status an operation's subscriber is told, with the backup as that status showed it. */
function follow(client: Client, id: string, onFirst: () => void = () => {}): Promise<Update[]> {
  const updates: Update[] = [];
  return new Promise((resolve, reject) => {
    client.subscribe<{ operationUpdated: Update }>(
      { query: 'subscription($id: ID!) { operationUpdated(id: $id) { status backup { name status } } }', variables: { id } },
      {
        next: (value) => {
          if (value.errors) return reject(new Error(JSON.stringify(value.errors)));
          updates.push(value.data!.operationUpdated);
          if (updates.length === 1) onFirst();
        },
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => resolve(updates),
      },
    );
  });
}

describe('operationUpdated: each status is answered with fresh reads, for every subscriber of the shared poll loop', () => {
  let harness: Harness;
  const clients: Client[] = [];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
    (harness.simulator('zomro').simulator as ZomroSimulator).asyncDelayMs = 1_500;
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await harness.close();
  });

  it('a subscriber who joined while the backup was CREATING is told SUCCEEDED with the backup AVAILABLE, as the first one is', async () => {
    const client = () => {
      const made = createClient({ url: harness.gateway.graphqlUrl.replace('http', 'ws'), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
      clients.push(made);
      return made;
    };
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(
      'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }',
      { input: { instanceId: list.data!.instances.edges[1]!.node.id, name: 'followed-late' } },
    );
    const id = created.data!.createBackup.operation.id;
    const firstUpdates: Update[] = [];
    let second: Promise<Update[]> | undefined;
    const joined = new Promise<void>((resolve) => {
      // The second joins the loop the first started, once the backup has been read as CREATING.
      const first = follow(client(), id, () => {
        second = follow(client(), id);
        resolve();
      });
      void first.then((updates) => firstUpdates.push(...updates));
    });
    await joined;
    const secondUpdates = await second!;
    await eventually(() => Promise.resolve(firstUpdates.length), (count) => count === 2);
    const done = { status: 'SUCCEEDED', backup: { name: 'followed-late', status: 'AVAILABLE' } };
    expect(firstUpdates).toEqual([{ status: 'RUNNING', backup: { name: 'followed-late', status: 'CREATING' } }, done]);
    // Before, its own loaders kept the backup as its first status read it: SUCCEEDED, backup CREATING.
    expect(secondUpdates).toEqual([{ status: 'RUNNING', backup: { name: 'followed-late', status: 'CREATING' } }, done]);
  });
});
