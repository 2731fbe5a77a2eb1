import { describe, expect, it } from 'vitest';
import { eventually, startHarness, withSettings } from '../helpers/harness.js';

describe('closing the gateway with a request in flight', () => {
  // 600 ms leaves Apollo a grace past the 250 ms kept for close frames; 200 ms leaves it none, and the
  // note of what it cuts is then taken at once (on a 0 ms timer it raced Apollo's: CI saw a cut missed).
  it.each([600, 200])('cuts a request still running at shutdown.drainTimeoutMs %i ms (Apollo’s drain grace is the configured one, not its own 10 s)', async (drainTimeoutMs) => {
    const harness = await startHarness({ kinds: ['zomro'], configure: withSettings({ shutdown: { drainTimeoutMs } }) });
    const { server } = harness.simulator('zomro');
    try {
      server.latencyMs = 5_000;
      const answer = fetch(harness.gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ instances { totalCount } }' }) });
      answer.catch(() => {});
      await eventually(() => Promise.resolve(server.inFlight), (count) => count > 0);
      expect(await harness.gateway.close()).toEqual({ operationsCut: 0, requestsCut: 1 });
      // Before, Apollo held the connection for its own 10 s and the answer came after 5 s (200). Cut
      // within the configured drain, it is answered 503 SHUTTING_DOWN as it is cut (drain-cut-answer.ts).
      const cut = await answer;
      expect(cut.status).toBe(503);
      expect(await cut.json()).toEqual({ errors: [{ message: expect.stringContaining('a query changes nothing'), extensions: { code: 'SHUTTING_DOWN' } }] });
    } finally {
      server.latencyMs = 0;
      await harness.close();
    }
  }, 15_000);
});
