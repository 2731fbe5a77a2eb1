import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { backupId, decodeBackupId } from '../../src/gateway/ids.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/** A VM listed with capitals, so a client's lower-cased id is a re-spelling. */
const LISTED = 'Web03.Example.com';
const RESPELT = 'web03.example.com';

interface Listed {
  id: string;
  nativeId: string;
  backups: Array<{ id: string; name: string }>;
}

const DASHBOARD = '{ instances(first: 100) { edges { node { id nativeId backups { id name } } } } }';
const BACKUP = 'query($id: ID!) { backup(id: $id) { id name instance { id nativeId } } }';
const BACKUP_ALONE = 'query($id: ID!) { backup(id: $id) { id name } }';

/** A global id with its hostname part (the first key) re-spelt, as a client that changes its case would. */
function respelt(id: string): string {
  const [tag, provider, , ...rest] = JSON.parse(Buffer.from(id, 'base64url').toString('utf8')) as string[];
  return Buffer.from(JSON.stringify([tag, provider, RESPELT, ...rest]), 'utf8').toString('base64url');
}

/**
 * With the read cache off (the default), a Danube look-up by id read the whole VM list
 * (`GET /vm?full=true`) only to spell a re-spelt hostname as listed, for every id, though a client
 * sends back the ids the gateway gave it. The hostnames the last list read named (RecentlyListedIds)
 * let an id listed as written go with no such read; any other id reads the list as before.
 */
describe('danube: look-ups by an id listed as written read no VM list', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let vm: Listed;

  const vmListReads = (): number => harness.simulator('danube').server.count((request) => request.label === 'GET /vm');
  const dashboard = async (): Promise<Listed[]> => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Listed }> } }>(DASHBOARD);
    expect(answer.errors).toBeUndefined();
    return answer.data!.instances.edges.map((edge) => edge.node);
  };

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    simulator.renameVm('web03.example.com', LISTED);
    vm = (await dashboard()).find((node) => node.nativeId === LISTED)!;
    expect(vm.backups.length).toBeGreaterThan(0);
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.resetUpstreamLogs());

  it('answers backup(id:) of a listed backup after a dashboard with no GET /vm', async () => {
    const listed = vm.backups[0]!;
    const answer = await harness.gql<{ backup: { id: string; name: string } | null }>(BACKUP_ALONE, { id: listed.id });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.backup).toEqual({ id: listed.id, name: listed.name });
    expect(vmListReads()).toBe(0);
  });

  it('answers node(id:) and _entities of listed backups with no GET /vm', async () => {
    const [first, second] = vm.backups;
    const node = await harness.gql<{ node: { id: string } | null }>('query($id: ID!) { node(id: $id) { id } }', { id: first!.id });
    expect(node.errors).toBeUndefined();
    expect(node.data?.node?.id).toBe(first!.id);
    const entities = await harness.gql<{ _entities: Array<{ id: string } | null> }>('query($r: [_Any!]!) { _entities(representations: $r) { ... on Backup { id } } }', {
      r: [first, second ?? first].map((backup) => ({ __typename: 'Backup', id: backup!.id })),
    });
    expect(entities.errors).toBeUndefined();
    expect(entities.data?._entities.map((entity) => entity?.id)).toEqual([first!.id, (second ?? first)!.id]);
    expect(vmListReads()).toBe(0);
  });

  it("still answers a re-spelt id with the listed VM's ids, reading the list for it", async () => {
    const listed = vm.backups[0]!;
    const answer = await harness.gql<{ backup: { id: string; name: string; instance: { id: string; nativeId: string } | null } | null }>(BACKUP, { id: respelt(listed.id) });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.backup).toEqual({ id: listed.id, name: listed.name, instance: { id: vm.id, nativeId: LISTED } });
    // The list for the re-spelling (`instance` reads the VM from that list too, in its own read).
    expect(vmListReads()).toBeGreaterThanOrEqual(1);
    expect(harness.simulator('danube').server.log.filter((request) => /^\/(?:api\/)?vm\/web03/.test(request.rawPath))).toEqual([]);
  });

  it('says nothing of a VM row left out of the list beside a look-up that answered, whether it read the list (a re-spelt id) or not (a listed one)', async () => {
    const model = simulator.vms.find((item) => item.hostname === 'web04.example.com')!;
    const planted = { ...model, hostname: 'h'.repeat(2000), uuid: randomUUID() };
    simulator.vms.push(planted);
    try {
      const listed = vm.backups[0]!;
      for (const [id, listReads] of [[listed.id, 0], [respelt(listed.id), 1]] as const) {
        harness.resetUpstreamLogs();
        const answer = await harness.gql<{ backup: { id: string; name: string } | null }>(BACKUP_ALONE, { id });
        expect([id, answer.errors]).toEqual([id, undefined]);
        expect(answer.data?.backup).toEqual({ id: listed.id, name: listed.name });
        expect(vmListReads()).toBe(listReads);
      }
      // A field showing the list still tells the row, at its path.
      const shown = await harness.gql('{ instances(first: 100) { edges { node { id } } } }');
      expect(shown.errors?.map((error) => error.path?.join('.'))).toEqual(['instances']);
    } finally {
      simulator.vms.splice(simulator.vms.indexOf(planted), 1);
    }
  });

  it('finds a backup of a VM made after the hostnames were noted, by its exact id: its id is not known listed, so the list is read', async () => {
    const hostname = `late-${randomUUID().slice(0, 8)}.example.com`;
    const uuid = randomUUID();
    simulator.vms.push({ hostname, uuid, alias: 'late', status: 'running', node: 'node99.erigones.com', vcpus: 1, ram: 512, disks: 1 });
    const model = simulator.backups.find((row) => row.hostname === 'web04.example.com')!;
    const row = { ...model, hostname, vm: hostname, vm_uuid: uuid, name: 'late-backup' };
    simulator.backups.push(row);
    try {
      const id = backupId({ ...decodeBackupId(vm.backups[0]!.id), instanceNativeId: hostname, nativeId: 'late-backup' });
      const answer = await harness.gql<{ backup: { id: string; name: string } | null }>(BACKUP_ALONE, { id });
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.backup).toEqual({ id, name: 'late-backup' });
      expect(vmListReads()).toBe(1);
      // That read noted it: asked again, no list.
      harness.resetUpstreamLogs();
      const again = await harness.gql<{ backup: { id: string } | null }>(BACKUP_ALONE, { id });
      expect(again.data?.backup?.id).toBe(id);
      expect(vmListReads()).toBe(0);
    } finally {
      simulator.backups.splice(simulator.backups.indexOf(row), 1);
      simulator.vms.splice(simulator.vms.findIndex((item) => item.uuid === uuid), 1);
    }
  });
});
