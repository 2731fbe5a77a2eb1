import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { follow } from '../helpers/ws.js';
import { startHarness, type Harness } from '../helpers/harness.js';

describe('operationUpdated: a subscriber who joins an operation already watched', () => {
  let harness: Harness;
  let client: Client;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
    client = createClient({ url: harness.gateway.graphqlUrl.replace('http', 'ws'), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
  });
  afterAll(async () => {
    await client.dispose();
    await harness.close();
  });

  it('gets the current status at once, from the loop already running, with no poll of its own', async () => {
    (harness.simulator('zomro').simulator as ZomroSimulator).asyncDelayMs = 2_500;
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(
      'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }',
      { input: { instanceId: list.data!.instances.edges[1]!.node.id, name: 'joined-late' } },
    );
    const id = created.data!.createBackup.operation.id;
    const first = follow(client, id);
    expect(await first.first).toBe('RUNNING');
    const pollsBefore = harness.simulator('zomro').server.count('instances.fleio_bckps');
    const late = follow(client, id);
    // Still running (the status has not changed since), yet the late subscriber hears it now.
    expect(await late.first).toBe('RUNNING');
    expect(harness.gateway.services.watcher.loops).toBe(1);
    expect(harness.simulator('zomro').server.count('instances.fleio_bckps') - pollsBefore).toBeLessThanOrEqual(1);
    expect(await late.all).toEqual(['RUNNING', 'SUCCEEDED']);
    expect(await first.all).toEqual(['RUNNING', 'SUCCEEDED']);
  });
});
