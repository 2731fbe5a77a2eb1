import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { eventually, type Harness, startHarness, withClients } from '../helpers/harness.js';

const KEY = 'subscriber-key-0123456789';

function follow(client: Client, id: string): Promise<string[]> {
  const statuses: string[] = [];
  return new Promise((resolve, reject) => {
    client.subscribe<{ operationUpdated: { status: string } }>(
      { query: 'subscription($id: ID!) { operationUpdated(id: $id) { status kind backup { name } } }', variables: { id } },
      {
        next: (value) => {
          if (value.errors) reject(new Error(JSON.stringify(value.errors)));
          else statuses.push(value.data!.operationUpdated.status);
        },
        error: reject,
        complete: () => resolve(statuses),
      },
    );
  });
}

describe('operationUpdated over graphql-ws', () => {
  let harness: Harness;
  let client: Client;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: withClients([{ name: 'watcher', key: KEY, roles: ['operator'] }]),
    });
    client = createClient({ url: harness.gateway.graphqlUrl.replace('http', 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${KEY}` }, lazy: true, retryAttempts: 0 });
  });
  afterAll(async () => {
    await client.dispose();
    await harness.close();
  });

  it('pushes each status change of a backup being made until it ends, from one poll loop for two subscribers', async () => {
    (harness.simulator('zomro').simulator as ZomroSimulator).asyncDelayMs = 700;
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }', {}, { key: KEY });
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(
      'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }',
      { input: { instanceId: list.data!.instances.edges[2]!.node.id, name: 'followed' } },
      { key: KEY },
    );
    const id = created.data!.createBackup.operation.id;
    const first = follow(client, id);
    const second = follow(client, id);
    await eventually(() => Promise.resolve(harness.gateway.services.watcher.loops), (loops) => loops > 0);
    expect(harness.gateway.services.watcher.loops).toBe(1);
    const [a, b] = await Promise.all([first, second]);
    expect(a).toEqual(['RUNNING', 'SUCCEEDED']);
    expect(b).toEqual(['RUNNING', 'SUCCEEDED']);
    expect(harness.gateway.services.watcher.loops).toBe(0);
  });

  it('refuses a connection without a valid key', async () => {
    const stranger = createClient({ url: harness.gateway.graphqlUrl.replace('http', 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: 'Bearer nope-nope-nope-nope' }, retryAttempts: 0 });
    // graphql-ws's Forbidden: the connection closes before any operation runs.
    await expect(follow(stranger, 'x')).rejects.toMatchObject({ code: 4403 });
    await stranger.dispose();
  });
});
