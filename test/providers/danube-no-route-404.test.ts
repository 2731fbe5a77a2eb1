import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DANUBE_SIM_API_KEY } from '../../src/providers/danube/simulator.js';
import { startHarness, type Harness } from '../helpers/harness.js';

/**
 * A path no esdc-ce url pattern matches is answered by Django's 404 handler (core/views.py
 * `page_not_found`): 404, the text "Resource not found" named application/json, and none of the
 * `es_*` headers its API views set, before anyone is asked who is calling. The simulator answered
 * DRF's `{"detail": "Not found"}` with Danube's headers, the switched-off datacenter's very answer
 * (backups-switched-off.ts), so no test could tell the two apart. Its routes and their missing VMs
 * answer as before.
 */
describe('danube simulator: a path that is not a route', () => {
  let harness: Harness;
  let origin: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
    origin = new URL(harness.simulator('danube').url).origin;
  });
  afterAll(() => harness.close());

  const ask = (path: string, headers: Record<string, string> = { 'es-api-key': DANUBE_SIM_API_KEY }) => fetch(`${origin}${path}`, { headers });

  it.each([
    ['a top-level word esdc-ce has none of', '/api/nothing-here'],
    ['a VM path under no pattern', '/api/vm/web01.example.com/snapshots/x/y'],
    ['a backup name outside [A-Za-z0-9._-]', '/api/vm/web01.example.com/backup/daily%252F..%252Fx'],
    ['a task path under no pattern', '/api/task/1e1-abc/status/more'],
  ])('%s: 404 "Resource not found", no es_* header', async (_what, path) => {
    const answer = await ask(path);
    expect(answer.status).toBe(404);
    expect(await answer.text()).toBe('Resource not found');
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect([answer.headers.get('es_version'), answer.headers.get('es_username'), answer.headers.get('es_dc')]).toEqual([null, null, null]);
  });

  it('answers so before authentication: no credential, still 404 "Resource not found"', async () => {
    const answer = await ask('/api/nothing-here', {});
    expect(answer.status).toBe(404);
    expect(await answer.text()).toBe('Resource not found');
  });

  it("keeps a route's own 404 (a guard): a VM that does not exist is \"VM not found\" with Danube's headers", async () => {
    const answer = await ask('/api/vm/no-such-vm.example.com/define/backup/');
    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({ detail: 'VM not found' });
    expect(answer.headers.get('es_version')).not.toBeNull();
  });
});
