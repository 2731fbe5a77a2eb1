import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import type { SimRequest, SimResponse } from '../../src/simulator/server.js';
import { startHarness, withClients, withLimits, type Harness } from '../helpers/harness.js';

const KEY = 'poll-budget-key-0123456789';
const BUDGET = 40;

/**
 * A subscription's polls go on after its request, and each is held to a
 * request's upstream budget (limits.maxUpstreamCallsPerRequest) all the same:
 * a panel whose backup list says it holds thousands of rows, one a page,
 * must not send a poll after thousands of pages.
 */
describe('subscription polls spend from a budget of their own', () => {
  let harness: Harness;
  let client: Client;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: [withClients([{ name: 'watcher', key: KEY, roles: ['operator'] }]), withLimits({ maxUpstreamCallsPerRequest: BUDGET })] });
    client = createClient({ url: harness.gateway.graphqlUrl.replace('http', 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${KEY}` }, lazy: true, retryAttempts: 0 });
  });
  afterAll(async () => {
    await client.dispose();
    await harness.close();
  });

  it('refuses a poll whose backup list counts 3,000 rows one a page, before asking for the pages', async () => {
    const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }', {}, { key: KEY });
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(
      'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }',
      { input: { instanceId: list.data!.instances.edges[2]!.node.id, name: 'followed' } },
      { key: KEY },
    );
    expect(created.errors).toBeUndefined();
    const handled = simulator as unknown as { handle(request: SimRequest): SimResponse };
    const handle = handled.handle.bind(simulator);
    // The panel answers one row a page and says the list holds 3,000.
    simulator.listPageCap = 1;
    handled.handle = (request) => {
      const response = handle(request);
      const doc = (response.json as { doc?: Record<string, unknown> } | undefined)?.doc;
      if (request.label === 'instances.fleio_bckps' && doc) doc.p_elems = { $: '3000' };
      return response;
    };
    harness.simulator('zomro').server.log.length = 0;
    try {
      const outcome = await new Promise<string>((resolve) => {
        client.subscribe<{ operationUpdated: { status: string } }>(
          { query: 'subscription($id: ID!) { operationUpdated(id: $id) { status } }', variables: { id: created.data!.createBackup.operation.id } },
          {
            next: (value) => {
              if (value.errors) resolve(String(value.errors[0]?.extensions?.code));
            },
            error: (error) => resolve(Array.isArray(error) ? String((error as Array<{ extensions?: { code?: unknown } }>)[0]?.extensions?.code) : `error ${String(error)}`),
            complete: () => resolve('complete'),
          },
        );
      });
      expect(outcome).toBe('QUERY_TOO_COMPLEX');
      const pages = harness.simulator('zomro').server.log.filter((request) => request.label === 'instances.fleio_bckps').length;
      expect(pages).toBeLessThanOrEqual(BUDGET);
    } finally {
      delete (handled as Partial<typeof handled>).handle;
      simulator.listPageCap = null;
    }
  });
});
