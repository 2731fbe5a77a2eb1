import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DASHBOARD_QUERY } from '../../src/server/graphiql.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

const INSTANCES = 14;

/**
 * Every upstream read in flight listens to its request's cancellation signal
 * (over WebSocket: the connection's). A dashboard has more of them than
 * node's default of ten, and node then prints a "possible EventTarget memory
 * leak" warning to stderr: noise an operator would chase, about no leak.
 */
describe('cancellation signals with a dashboard of upstream reads listening', () => {
  let harness: Harness;
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => {
    if (warning.name === 'MaxListenersExceededWarning') warnings.push(warning);
  };

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], simulator: { instances: INSTANCES } });
    process.on('warning', onWarning);
  });
  beforeEach(() => {
    warnings.length = 0;
  });
  afterAll(async () => {
    process.off('warning', onWarning);
    await harness.close();
  });

  const expectWholeDashboard = (data: unknown) => {
    const instances = (data as { instances: { edges: unknown[]; providerErrors: unknown[] } }).instances;
    expect(instances.providerErrors).toEqual([]);
    expect(instances.edges).toHaveLength(INSTANCES);
  };

  it('over WebSocket: two dashboards at once on one connection, no warning', async () => {
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const answers = await Promise.all([wsRun(client, DASHBOARD_QUERY), wsRun(client, DASHBOARD_QUERY)]);
      for (const answer of answers) {
        expect(answer.errors).toBeUndefined();
        expectWholeDashboard(answer.data);
      }
    } finally {
      await client.dispose();
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.map((warning) => warning.message)).toEqual([]);
  });

  it('over HTTP: a dashboard, no warning', async () => {
    harness.resetUpstreamLogs();
    const answer = await harness.gql(DASHBOARD_QUERY);
    expect(answer.errors).toBeUndefined();
    expectWholeDashboard(answer.data);
    // Read from the provider, not from a cache: the listeners were there to count.
    expect(harness.upstreamCount('onapp')).toBeGreaterThan(10);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.map((warning) => warning.message)).toEqual([]);
  });
});
