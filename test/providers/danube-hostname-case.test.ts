import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { backupId, decodeBackupId } from '../../src/gateway/ids.js';
import { eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/** A VM listed with capitals: esdc-ce's hostname pattern takes them, and refuses a second VM differing by case alone. */
const LISTED = 'Web03.Example.com';
/** The same hostname as a client re-spelt it in a global id (decoded, lower-cased, encoded again). */
const RESPELT = 'web03.example.com';
/** A backup name no id is made of: its row is left out of the list. */
const UNREADABLE = 'u'.repeat(2000);

interface Backup {
  id: string;
  name: string;
  instance: { id: string; nativeId: string } | null;
}
interface Listed {
  id: string;
  nativeId: string;
  backups: Backup[];
  definitions: Array<{ id: string; name: string }>;
}

const INSTANCES = '{ instances(first: 100) { edges { node { id nativeId backups { id name instance { id nativeId } } definitions { id name } } } } }';
const NODE = 'query($id: ID!) { node(id: $id) { id ... on Instance { nativeId } ... on Backup { name instance { id } } ... on BackupDefinition { name instance { id } } } }';
const BACKUP = 'query($id: ID!) { backup(id: $id) { id name instance { id nativeId } } }';
const BACKUPS_OF = 'query($filter: BackupFilter) { backups(filter: $filter, first: 100) { edges { node { id name } } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status instance { id } } backup { id } } }';
const CREATE_BACKUPS = 'mutation($input: CreateBackupsInput!) { createBackups(input: $input) { createdCount failedCount results { instanceId instance { id } operation { instance { id } } error { code message } } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';

/** A global id with its hostname part (the first key) re-spelt, as a client that changes its case would. */
function respelt(id: string, hostname = RESPELT): string {
  const [tag, provider, , ...rest] = JSON.parse(Buffer.from(id, 'base64url').toString('utf8')) as string[];
  return Buffer.from(JSON.stringify([tag, provider, hostname, ...rest]), 'utf8').toString('base64url');
}

/**
 * esdc-ce checks a new hostname's uniqueness with case folded (`hostname__iexact`), so two VMs
 * never differ by case alone and a listed hostname with capitals is real. A client that re-spells a
 * global id's hostname in another case names the same VM: the gateway answers it with the listed
 * VM's own ids (never a second identity: DataLoader and read-cache keys, `Instance.id`), and sends
 * Danube the listed spelling. Whether Danube's look-up by name folds case is not documented: under
 * both readings (esdc-ce on PostgreSQL compares exactly; a Danube folding case).
 */
describe.each([
  { reading: "exact (esdc-ce's get_vm on PostgreSQL)", foldsHostnameCase: false, backupVmField: 'hostname' as const },
  { reading: 'case folded', foldsHostnameCase: true, backupVmField: 'hostname' as const },
  // Rows as the API docs' example writes them, without `vm`: each is the VM's the list was asked for,
  // so on a Danube folding case a re-spelt id's list answered the VM's backups under a second id.
  { reading: 'case folded, backup rows without `vm`', foldsHostnameCase: true, backupVmField: 'absent' as const },
])('danube: a hostname with capitals re-spelt in another case ($reading)', ({ foldsHostnameCase, backupVmField }) => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let vm: Listed;

  const listedVm = async (): Promise<Listed> => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Listed }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    return answer.data!.instances.edges.map((edge) => edge.node).find((node) => node.nativeId === LISTED)!;
  };
  /** The hostnames the gateway put into Danube's paths since the log was reset. */
  const hostnamesSent = (): string[] =>
    harness
      .simulator('danube')
      .server.log.map((request) => /^\/(?:api\/)?vm\/([^/]+)/.exec(request.rawPath)?.[1])
      .filter((segment): segment is string => segment !== undefined && segment !== 'define');

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    simulator.foldsHostnameCase = foldsHostnameCase;
    simulator.backupVmField = backupVmField;
    simulator.asyncDelayMs = 20;
    simulator.renameVm('web03.example.com', LISTED);
    vm = await listedVm();
    expect(vm.backups.length).toBeGreaterThan(1);
    expect(vm.definitions.length).toBeGreaterThan(0);
  });
  afterAll(() => harness.close());

  it('answers a re-spelt Instance id with the listed VM and its own id', async () => {
    const answer = await harness.gql<{ node: { id: string; nativeId: string } | null }>(NODE, { id: respelt(vm.id) });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.node).toEqual({ id: vm.id, nativeId: LISTED });
  });

  it("answers a re-spelt Backup id with the listed backup's id and VM, asking Danube by the listed spelling", async () => {
    const listed = vm.backups[0]!;
    harness.resetUpstreamLogs();
    const answer = await harness.gql<{ backup: Backup | null }>(BACKUP, { id: respelt(listed.id) });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.backup).toEqual({ id: listed.id, name: listed.name, instance: { id: vm.id, nativeId: LISTED } });
    expect(hostnamesSent().filter((hostname) => hostname !== LISTED)).toEqual([]);
  });

  it("answers a re-spelt BackupDefinition id with the listed definition's id", async () => {
    const listed = vm.definitions[0]!;
    const answer = await harness.gql<{ node: { id: string; name: string; instance: { id: string } | null } | null }>(NODE, { id: respelt(listed.id) });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.node).toEqual({ id: listed.id, name: listed.name, instance: { id: vm.id } });
  });

  it("lists a re-spelt instance's backups under their listed ids", async () => {
    const answer = await harness.gql<{ backups: { edges: Array<{ node: { id: string; name: string } }> } }>(BACKUPS_OF, { filter: { instanceId: respelt(vm.id) } });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.backups.edges.map((edge) => edge.node.id).sort()).toEqual(vm.backups.map((backup) => backup.id).sort());
  });

  it("tells a backup of the re-spelt instance left out at `backups(filter: { instanceId })`'s path, as for the listed id", async () => {
    const listedUuid = simulator.vms.find((item) => item.hostname === LISTED)!.uuid;
    const planted = { ...simulator.backups.find((row) => row.vm_uuid === listedUuid)!, name: UNREADABLE };
    simulator.backups.push(planted);
    try {
      for (const instanceId of [vm.id, respelt(vm.id)]) {
        const answer = await harness.gql(BACKUPS_OF, { filter: { instanceId } });
        expect(answer.errors?.map((error) => [error.path?.join('.'), error.extensions?.providerCode])).toEqual([['backups', 'INVALID_RESPONSE']]);
      }
    } finally {
      simulator.backups.splice(simulator.backups.indexOf(planted), 1);
    }
  });

  it("tells a row left out of the re-spelt instance's backups at the lookup's path (`backup(id:)`, `node`, `_entities`) where the backup asked is not listed, as for the listed id", async () => {
    const listedUuid = simulator.vms.find((item) => item.hostname === LISTED)!.uuid;
    const planted = { ...simulator.backups.find((row) => row.vm_uuid === listedUuid)!, name: UNREADABLE };
    simulator.backups.push(planted);
    const unlisted = backupId({ ...decodeBackupId(vm.backups[0]!.id), nativeId: 'no-such-backup' });
    try {
      const doors: Array<[query: string, variables: (id: string) => Record<string, unknown>, path: string]> = [
        ['query($id: ID!) { backup(id: $id) { id } }', (id) => ({ id }), 'backup'],
        ['query($id: ID!) { node(id: $id) { id } }', (id) => ({ id }), 'node'],
        ['query($r: [_Any!]!) { _entities(representations: $r) { ... on Backup { id } } }', (id) => ({ r: [{ __typename: 'Backup', id }] }), '_entities.0'],
      ];
      for (const [query, variables, path] of doors) {
        for (const id of [unlisted, respelt(unlisted)]) {
          const answer = await harness.gql(query, variables(id));
          expect([path, answer.errors?.map((error) => [error.path?.join('.'), error.extensions?.providerCode])]).toEqual([path, [[path, 'INVALID_RESPONSE']]]);
        }
      }
    } finally {
      simulator.backups.splice(simulator.backups.indexOf(planted), 1);
    }
  });

  it("answers a listed Backup id while Danube's VM list fails: the list only re-spells ids", async () => {
    const listed = vm.backups[0]!;
    // A VM made since the gateway last read the list: its id is not known listed
    // (RecentlyListedIds), so its look-up reads the list, which fails.
    const late = { hostname: 'late01.example.com', uuid: randomUUID() };
    simulator.vms.push({ ...late, alias: 'late', status: 'running', node: 'node99.erigones.com', vcpus: 1, ram: 512, disks: 1 });
    const row = { ...simulator.backups.find((item) => item.hostname === 'web04.example.com')!, hostname: late.hostname, vm: late.hostname, vm_uuid: late.uuid, name: 'late-backup' };
    simulator.backups.push(row);
    const lateId = backupId({ ...decodeBackupId(listed.id), instanceNativeId: late.hostname, nativeId: 'late-backup' });
    const server = harness.simulator('danube').server;
    await server.setFault({ mode: 'http-500', onlyLabel: 'GET /vm', times: 1000 });
    harness.resetUpstreamLogs();
    try {
      // `instance` is not asked: Danube's instance is read from that list, so it would fail.
      for (const [id, name] of [[listed.id, listed.name], [lateId, 'late-backup']] as const) {
        const answer = await harness.gql<{ backup: { id: string; name: string } | null }>('query($id: ID!) { backup(id: $id) { id name } }', { id });
        expect(answer.errors).toBeUndefined();
        expect(answer.data?.backup).toEqual({ id, name });
      }
      expect(server.log.some((request) => request.label === 'GET /vm')).toBe(true);
    } finally {
      await server.setFault({ mode: 'none' });
      simulator.backups.splice(simulator.backups.indexOf(row), 1);
      simulator.vms.splice(simulator.vms.findIndex((item) => item.uuid === late.uuid), 1);
    }
  });

  it('still tells a hostname no VM has, in any case, as nothing there', async () => {
    const answer = await harness.gql<{ node: unknown }>(NODE, { id: respelt(vm.id, 'nobody.example.com') });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.node).toBeNull();
  });

  it('makes one backup where createBackups names the VM twice, once re-spelt: the second item is refused', async () => {
    harness.resetUpstreamLogs();
    const answer = await harness.gql<{
      createBackups: { createdCount: number; failedCount: number; results: Array<{ instanceId: string; instance: { id: string } | null; operation: { instance: { id: string } | null } | null; error: { code: string; message: string } | null }> };
    }>(CREATE_BACKUPS, { input: { instanceIds: [vm.id, respelt(vm.id)], name: 'twice', definitionName: vm.definitions[0]!.name } });
    expect(answer.errors).toBeUndefined();
    const { createdCount, failedCount, results } = answer.data!.createBackups;
    expect([createdCount, failedCount]).toEqual([1, 1]);
    expect(results[0]).toMatchObject({ instanceId: vm.id, operation: { instance: { id: vm.id } }, error: null });
    expect(results[1]).toMatchObject({ instanceId: respelt(vm.id), operation: null, error: { code: 'BAD_USER_INPUT', message: expect.stringMatching(/names this instance again/) } });
    const creates = harness.simulator('danube').server.log.filter((request) => request.method === 'POST' && /\/backup\//.test(request.rawPath));
    expect(creates.map((request) => request.rawPath)).toEqual([expect.stringContaining(`/vm/${LISTED}/backup/`)]);
  });

  it('deletes through a re-spelt Backup id on the listed VM, its answer naming the listed ids', async () => {
    const doomed = (await listedVm()).backups.at(-1)!;
    harness.resetUpstreamLogs();
    const answer = await harness.gql<{ deleteBackup: { operation: { id: string; status: string; instance: { id: string } | null }; backup: { id: string } } }>(DELETE, { input: { backupId: respelt(doomed.id) } });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.deleteBackup.backup.id).toBe(doomed.id);
    expect(answer.data!.deleteBackup.operation.instance?.id).toBe(vm.id);
    expect(hostnamesSent().filter((hostname) => hostname !== LISTED && hostname !== String(simulator.vms.find((item) => item.hostname === LISTED)?.uuid))).toEqual([]);
    const done = await eventually(
      () => harness.gql<{ operation: { status: string } }>(OPERATION, { id: answer.data!.deleteBackup.operation.id }),
      (read) => read.data?.operation.status !== 'RUNNING',
    );
    expect(done.data?.operation.status).toBe('SUCCEEDED');
    expect((await listedVm()).backups.map((backup) => backup.id)).not.toContain(doomed.id);
  });
});

/**
 * With the read cache on, a re-spelt id reads what the listed one filled: one cache entry per VM,
 * not one per spelling a client sends.
 */
describe('danube: a re-spelt hostname and the read cache', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
    (harness.simulator('danube').simulator as DanubeSimulator).renameVm('web03.example.com', LISTED);
  });
  afterAll(() => harness.close());

  it("reads a re-spelt Backup id from the listed VM's cached list, with no upstream call", async () => {
    const listed = await harness.gql<{ instances: { edges: Array<{ node: Listed }> } }>(INSTANCES);
    const vm = listed.data!.instances.edges.map((edge) => edge.node).find((node) => node.nativeId === LISTED)!;
    const backup = vm.backups[0]!;
    harness.resetUpstreamLogs();
    const answer = await harness.gql<{ backup: Backup | null }>(BACKUP, { id: respelt(backup.id) });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.backup?.id).toBe(backup.id);
    expect(harness.upstreamCount('danube')).toBe(0);
  });
});
