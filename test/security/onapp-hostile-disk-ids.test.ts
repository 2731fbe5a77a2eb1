import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnappSimulator, SimVm } from '../../src/providers/onapp/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

interface Node {
  id: string;
  nativeId: string;
  schedules: Array<{ nativeId: string }> | null;
}
interface Listed {
  instances: { edges: Array<{ node: Node }> };
}
const LIST = '{ instances(first: 100) { edges { node { id nativeId schedules { nativeId } } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { status } } }';

/**
 * Disk ids OnApp answers go into the path of the disk's schedules read (`/settings/disks/{id}/schedules.json`)
 * and of a create (`/settings/disks/{id}/backups.json`). One of no OnApp id's shape (an integer) made the
 * VM's whole schedules list NOT_FOUND "object not found" (the URL builder refused it), and one the
 * gateway cannot read back (over 512 bytes, a number past 2^53) failed the whole account's schedules.
 * Such a disk is left out, its schedules unread, with PROVIDER_ERROR INVALID_RESPONSE at the VM's
 * schedules list; the other disks' schedules are answered; the value is never quoted nor sent.
 */
const HOSTILE: Array<[string, unknown]> = [
  ['over 512 bytes', '7'.repeat(600)],
  ['"../"', '../11802'],
  ['"%2F"', '11802%2F..'],
  ['"?"', '11802?page=2'],
  ['"#"', '11802#x'],
  ['CR LF', '11802\r\nX-Injected: 1'],
  ['not an integer', '11802a'],
  ['a leading zero (disk 11802 to OnApp)', '011802'],
  ['a fraction', 11802.5],
  ['an integer past 2^53', 2 ** 53 + 2],
];

const hostileDisk = (id: unknown) => ({ id: id as number, primary: false, is_swap: false, disk_size: 5, has_autobackups: true });

function expectLeftOut(harness: Harness, listed: Awaited<ReturnType<Harness['gql']>> & { data?: Listed | null }, vm: SimVm, value: unknown): void {
  const edges = listed.data!.instances.edges;
  const index = edges.findIndex((edge) => edge.node.nativeId === String(vm.id));
  const errors = (listed.errors ?? []).map((error) => [error.path?.join('.'), error.extensions?.code, error.extensions?.providerCode, error.message]);
  expect(errors).toHaveLength(1);
  expect(errors[0]!.slice(0, 3)).toEqual([`instances.edges.${index}.node.schedules`, 'PROVIDER_ERROR', 'INVALID_RESPONSE']);
  expect(errors[0]![3]).toMatch(/^provider onapp-test sent .*: one row left out of its schedules list, the others answered$/);
  // The readable disk's schedule is still answered, and every other VM's list.
  expect(edges[index]!.node.schedules?.length).toBe(1);
  expect(edges.filter((edge) => edge.node.schedules === null)).toEqual([]);
  if (typeof value === 'string') expect(listed.text).not.toContain(value.length > 100 ? value.slice(0, 100) : value);
  // Nothing but readable disk ids reached OnApp's paths.
  const paths = harness.simulator('onapp').server.log.map((request) => request.rawPath);
  expect(paths.filter((path) => path.startsWith('/settings/disks/') && !/^\/settings\/disks\/\d+\/schedules\.json$/.test(path))).toEqual([]);
}

describe.each([
  ['read from the account\'s disk list', true],
  ['read from the VM\'s disk list', false],
])('onapp: a disk whose id cannot go into a URL, %s', (_name, accountDiskList) => {
  let harness: Harness;
  let simulator: OnappSimulator;
  let vm: SimVm;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
    simulator.accountDiskList = accountDiskList;
    // A VM with one schedule on its primary disk.
    vm = [...simulator.vms.values()][1]!;
  });
  afterAll(() => harness.close());

  it.each(HOSTILE)("is left out of its VM's schedules, the others answered, the error at that list (%s)", async (_what, value) => {
    vm.disks.push(hostileDisk(value));
    try {
      harness.resetUpstreamLogs();
      expectLeftOut(harness, await harness.gql<Listed>(LIST), vm, value);
    } finally {
      vm.disks.pop();
    }
  });
});

describe('onapp: a create whose primary disk id cannot go into a URL', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  it.each(HOSTILE)("is the provider's INVALID_RESPONSE, nothing POSTed, never NOT_FOUND (%s)", async (_what, value) => {
    const vm = [...simulator.vms.values()][2]!;
    const primary = vm.disks[0]!;
    const before = primary.id;
    const listed = await harness.gql<Listed>(LIST);
    const instanceId = listed.data!.instances.edges.find((edge) => edge.node.nativeId === String(vm.id))!.node.id;
    primary.id = value as number;
    try {
      harness.resetUpstreamLogs();
      const answer = await harness.gql(CREATE, { input: { instanceId, name: 'hostile-disk' } });
      expect(answer.errors?.map((error) => [error.extensions?.code, error.extensions?.providerCode])).toEqual([['PROVIDER_ERROR', 'INVALID_RESPONSE']]);
      expect(answer.errors?.[0]?.message).toMatch(/^provider onapp-test sent /);
      if (typeof value === 'string') expect(answer.text).not.toContain(value.length > 100 ? value.slice(0, 100) : value);
      expect(harness.simulator('onapp').server.log.filter((request) => request.method === 'POST')).toEqual([]);
    } finally {
      primary.id = before;
    }
  });
});

/**
 * The account's disk list names each disk's VM (`virtual_machine_id`): one the gateway cannot read back
 * failed every VM's schedules (null, INVALID_RESPONSE). Such a disk is no VM's a client can name (the
 * VM itself is left out of `instances`): it is left out of every VM's schedules, the others answered.
 */
describe("onapp: a disk of the account's disk list whose VM id cannot be read back", () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  it("answers every other VM's schedules", async () => {
    const hostileVm = 'v'.repeat(600);
    simulator.vms.set(999_999, { id: hostileVm as unknown as number, label: 'odd', hostname: 'odd', booted: true, locked: false, disks: [hostileDisk(987_654)] });
    try {
      const listed = await harness.gql<Listed>(LIST);
      const edges = listed.data!.instances.edges;
      expect(edges.length).toBeGreaterThan(1);
      expect(edges.filter((edge) => edge.node.schedules === null)).toEqual([]);
      expect(edges.some((edge) => (edge.node.schedules?.length ?? 0) > 0)).toBe(true);
      expect((listed.errors ?? []).map((error) => [error.path?.join('.'), error.extensions?.code, error.extensions?.providerCode])).toEqual([['instances', 'PROVIDER_ERROR', 'INVALID_RESPONSE']]);
      expect(listed.text).not.toContain(hostileVm.slice(0, 100));
    } finally {
      simulator.vms.delete(999_999);
    }
  });
});
