import { afterAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { serveFloor, type FloorMode, type FloorServer } from '../../bench/floor-servers.js';
import { dashboardOnce } from '../../bench/load.js';
import { dashboardBody } from '../../bench/settings.js';

// A dashboard answer as the gateway gives it (two instances, one provider failing nothing).
const instance = (n: number) => ({
  node: {
    id: `SW5zdGFuY2U6${n}`,
    name: `vm-${n}`,
    state: 'running',
    provider: { id: 'UHJvdmlkZXI6b25hcHA', kind: 'ONAPP' },
    backups: [{ id: `QmFja3VwOi${n}`, name: `nightly-${n}`, status: 'AVAILABLE', sizeBytes: 1024 * n, createdAt: '2026-12-01T02:00:00.000Z', protected: false }],
    schedules: [{ id: `U2NoZWR1bGU6${n}`, name: 'nightly', cron: '0 2 * * *', weekdays: ['MONDAY', 'FRIDAY'], time: '02:00', nextRunAt: '2026-12-04T02:00:00.000Z' }],
    definitions: [],
  },
});
const answer = {
  data: {
    providers: [{ id: 'UHJvdmlkZXI6b25hcHA', kind: 'ONAPP', name: 'onapp', health: 'UP', capabilities: ['LIST_INSTANCES', 'LIST_BACKUPS'] }],
    instances: { totalCount: 2, providerErrors: [], edges: [instance(1), instance(2)] },
  },
};

const servers: FloorServer[] = [];
const started = async (mode: FloorMode) => {
  const server = await serveFloor(answer, mode);
  servers.push(server);
  return server;
};
afterAll(() => Promise.all(servers.map((server) => server.close())));

// The bench reads the gateway's CPU as multiples of these floors: a floor that answered less than the whole dashboard would flatter it.
describe('bench serving floors', () => {
  it.each(['json', 'graphql', 'apollo'] as const)('%s: answers the dashboard query with the whole stored answer', async (mode) => {
    const { url } = await started(mode);
    const text = await dashboardOnce(url, dashboardBody(2), 2);
    expect(JSON.parse(text)).toEqual(answer);
  });

  it('graphql: executes the query, so fields it does not ask for are left out', async () => {
    const { url } = await started('graphql');
    const response = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ providers { kind } }' }) });
    expect(await response.body.json()).toEqual({ data: { providers: [{ kind: 'ONAPP' }] } });
  });

  it('apollo: goes through Apollo Server (its parse errors and CSRF check), then executes the query', async () => {
    const { url } = await started('apollo');
    const post = (query: string) => request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const executed = await post('{ providers { kind } }');
    expect(await executed.body.json()).toEqual({ data: { providers: [{ kind: 'ONAPP' }] } });
    const unparsable = await post('{ providers {');
    expect(unparsable.statusCode).toBe(400);
    expect(await unparsable.body.json()).toMatchObject({ errors: [{ extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] });
    const simpleGet = await request(`${url}?query=${encodeURIComponent('{ providers { kind } }')}`);
    expect(simpleGet.statusCode).toBe(400);
    await simpleGet.body.dump();
  });
});
