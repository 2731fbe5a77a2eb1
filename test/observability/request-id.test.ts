import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZOMRO_SIM_TOKEN } from '../../src/providers/zomro/simulator.js';
import { startHarness, type Harness } from '../helpers/harness.js';

describe('request ids in logs and upstream requests', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
  });
  afterAll(() => harness.close());

  it('sends the request id to the provider (a header it ignores) and logs it as JSON, credentials redacted', async () => {
    harness.resetUpstreamLogs();
    const answer = await harness.gql('{ instances { edges { node { backups { id } } } } }', {}, { headers: { 'x-request-id': 'dash-42' } });
    expect(answer.errors).toBeUndefined();
    const upstream = harness.simulator('zomro').server.log;
    expect(upstream.length).toBeGreaterThan(1);
    for (const request of upstream) expect(request.headers['x-request-id']).toBe('dash-42');
    const lines = harness.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((line) => line.requestId === 'dash-42' && line.msg === 'upstream request').length).toBe(upstream.length);
    for (const line of harness.logs) expect(line).not.toContain(ZOMRO_SIM_TOKEN);
  });
});
