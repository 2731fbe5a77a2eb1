import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { eventually, type Harness, startHarness, withClients } from '../helpers/harness.js';

const KEY = 'subscriber-key-0123456789';

/** A backup made while the test runs stays Saving until the test ends it (finishBackups): released by the test, never run out. */
const HELD_MS = 10 * 60_000;

/** Every status of one subscription until it ends, and its first one as soon as it comes. */
function follow(client: Client, id: string): { first: Promise<string>; all: Promise<string[]> } {
  const statuses: string[] = [];
  let firstSeen: (status: string) => void = () => {};
  const first = new Promise<string>((resolve) => (firstSeen = resolve));
  const all = new Promise<string[]>((resolve, reject) => {
    client.subscribe<{ operationUpdated: { status: string } }>(
      { query: 'subscription($id: ID!) { operationUpdated(id: $id) { status kind backup { name } } }', variables: { id } },
      {
        next: (value) => {
          if (value.errors) reject(new Error(JSON.stringify(value.errors)));
          else statuses.push(value.data!.operationUpdated.status);
          if (statuses.length === 1) firstSeen(statuses[0]!);
        },
        error: reject,
        complete: () => resolve(statuses),
      },
    );
  });
  // An error, or an end with no status, settles `first` too, so a test waiting on it fails at once.
  const firstOrEnd = Promise.race([first, all.then((seen) => Promise.reject(new Error(`ended with no first status: ${JSON.stringify(seen)}`)))]);
  firstOrEnd.catch(() => {});
  return { first: firstOrEnd, all };
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
    // The backup stays Saving until both subscribers have seen it running (a 700 ms job ended
    // before the first poll on a loaded machine, and the test saw only SUCCEEDED).
    const zomro = harness.simulator('zomro').simulator as ZomroSimulator;
    zomro.asyncDelayMs = HELD_MS;
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
    expect(await first.first).toBe('RUNNING');
    expect(await second.first).toBe('RUNNING');
    zomro.finishBackups();
    const [a, b] = await Promise.all([first.all, second.all]);
    expect(a).toEqual(['RUNNING', 'SUCCEEDED']);
    expect(b).toEqual(['RUNNING', 'SUCCEEDED']);
    expect(harness.gateway.services.watcher.loops).toBe(0);
  });

  it('refuses a connection without a valid key', async () => {
    const stranger = createClient({ url: harness.gateway.graphqlUrl.replace('http', 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: 'Bearer nope-nope-nope-nope' }, retryAttempts: 0 });
    // graphql-ws's Forbidden: the connection closes before any operation runs.
    await expect(follow(stranger, 'x').all).rejects.toMatchObject({ code: 4403 });
    await stranger.dispose();
  });
});
