import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderAdapter } from '../../src/providers/adapter.js';
import type { RunningSimulator } from '../../src/providers/module.js';
import { createAdapter, providerConfigSchema, startSimulator, type ProviderConfig } from '../../src/providers/registry.js';
import type { UpstreamScope } from '../../src/upstream/scope.js';

/**
 * Danube's definitions list serves both the definitions and the schedules of
 * a query: one read per request, shared by that request's loaders and never
 * by another request, which must send its own call with its own request id.
 */
describe('a read shared within one request (RequestMemo)', () => {
  let simulator: RunningSimulator;
  let adapter: ProviderAdapter;
  let hostnames: string[];
  const definitionCalls = () => simulator.server.log.filter((request) => request.label === 'GET /vm/define/backup');

  beforeAll(async () => {
    simulator = await startSimulator('danube');
    // Coalescing off: identical reads of two requests in flight at once share one
    // flight on purpose (test/reliability/coalesced-reads.test.ts); here the memo alone is tested.
    adapter = createAdapter(providerConfigSchema.parse({ ...simulator.accountConfig('danube-memo'), coalesceReads: false }) as ProviderConfig, { logger: pino({ level: 'silent' }) });
    hostnames = (await adapter.listInstances({ requestId: 'setup' })).map((instance) => instance.nativeId);
  });
  afterAll(async () => {
    await adapter.close();
    await simulator.stop();
  });

  it("makes one definitions call for one request's definitions and schedules, asked in the same tick", async () => {
    simulator.server.log.length = 0;
    const scope: UpstreamScope = { requestId: 'memo-one' };
    const [definitions, schedules] = await Promise.all([adapter.listDefinitions(hostnames, scope), adapter.listSchedules(hostnames, scope)]);
    expect(definitions.flat().length).toBeGreaterThan(0);
    expect(schedules.flat().length).toBe(definitions.flat().length);
    expect(definitionCalls().map((request) => request.headers['x-request-id'])).toEqual(['memo-one']);
  });

  it('never lends one request its in-flight read to another: each sends its own call, with its own id', async () => {
    simulator.server.log.length = 0;
    await Promise.all([adapter.listDefinitions(hostnames, { requestId: 'memo-a' }), adapter.listDefinitions(hostnames, { requestId: 'memo-b' })]);
    expect(definitionCalls().map((request) => request.headers['x-request-id']).sort()).toEqual(['memo-a', 'memo-b']);
  });

  it('reads again once the shared read has settled (a later read in the same request sees fresh data)', async () => {
    simulator.server.log.length = 0;
    const scope: UpstreamScope = { requestId: 'memo-later' };
    await adapter.listDefinitions(hostnames, scope);
    await adapter.listDefinitions(hostnames, scope);
    expect(definitionCalls()).toHaveLength(2);
  });
});
