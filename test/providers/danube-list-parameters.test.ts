import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DANUBE_SIM_API_KEY } from '../../src/providers/danube/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * Danube's list parameters (API docs): `GET /vm/define/backup` "data.full – Return list of objects
 * with all backup definition details (default: false)" and "data.extended – Include total number of
 * backups for each backup definition (default: false)"; `GET /vm/{h}/backup` "data.full – Return
 * list of objects with all backup details (default: false)". The simulator ignored both and always
 * answered the full, extended lists, so a gateway that left them out would never have been told.
 */
describe('danube: the lists answer as full and extended ask', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
  });
  afterAll(() => harness.close());

  const list = async (path: string): Promise<unknown[]> => {
    const response = await fetch(`${harness.simulator('danube').server.url}/api${path}`, { headers: { 'es-api-key': DANUBE_SIM_API_KEY } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { result: unknown[] }).result;
  };

  it('definitions: names alone by default, objects with full, the backup count only with extended', async () => {
    const names = await list('/vm/define/backup/');
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((name) => typeof name === 'string')).toBe(true);
    const full = (await list('/vm/define/backup/?full=true')) as Array<Record<string, unknown>>;
    expect(full.map((row) => row.name)).toEqual(names);
    expect(full.every((row) => !('backups' in row))).toBe(true);
    const extended = (await list('/vm/define/backup/?full=true&extended=true')) as Array<Record<string, unknown>>;
    expect(extended.every((row) => typeof row.backups === 'number')).toBe(true);
  });

  it("a VM's definitions (`GET /vm/{h}/define/backup`): its own alone, names by default, objects with full, the count with extended, filtered by disk_id", async () => {
    const all = (await list('/vm/define/backup/?full=true')) as Array<Record<string, unknown>>;
    const own = all.filter((row) => row.hostname === 'web03.example.com');
    expect(own.length).toBeGreaterThan(0);
    expect(await list('/vm/web03.example.com/define/backup/')).toEqual(own.map((row) => row.name));
    expect(await list('/vm/web03.example.com/define/backup/?full=true')).toEqual(own);
    const extended = (await list('/vm/web03.example.com/define/backup/?full=true&extended=true')) as Array<Record<string, unknown>>;
    expect(extended.every((row) => typeof row.backups === 'number')).toBe(true);
    expect(await list('/vm/web03.example.com/define/backup/?disk_id=1')).toEqual(own.filter((row) => Number(row.disk_id) === 1).map((row) => row.name));
    const badDisk = await fetch(`${harness.simulator('danube').server.url}/api/vm/web03.example.com/define/backup/?disk_id=99`, { headers: { 'es-api-key': DANUBE_SIM_API_KEY } });
    expect(badDisk.status).toBe(412);
    expect(await badDisk.json()).toEqual({ detail: 'Invalid disk_id' });
  });

  it("a VM's backups: names alone by default, objects with full", async () => {
    const names = await list('/vm/web03.example.com/backup/');
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((name) => typeof name === 'string')).toBe(true);
    const full = (await list('/vm/web03.example.com/backup/?full=true')) as Array<Record<string, unknown>>;
    expect(full.map((row) => row.name)).toEqual(names);
  });

  it('the gateway asks for full lists, and reads definitions, schedules and backups from them', async () => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ name: string }>; definitions: Array<{ name: string }> } }> } }>(
      '{ instances(first: 100) { edges { node { backups { name } definitions { name } } } } }',
    );
    expect(answer.errors).toBeUndefined();
    const edges = answer.data!.instances.edges;
    expect(edges.some((edge) => edge.node.backups.length > 0)).toBe(true);
    expect(edges.some((edge) => edge.node.definitions.length > 0)).toBe(true);
  });
});
