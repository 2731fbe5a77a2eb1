import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

interface Node {
  nativeId: string;
  backups?: Array<{ nativeId: string }> | null;
  definitions?: Array<{ name: string }> | null;
  schedules?: Array<{ name: string }> | null;
}
interface Listed {
  instances: { edges: Array<{ node: Node }> };
}
interface Answered {
  answered: { providerErrors: Array<{ code: string }> };
}
type Answer = { errors?: Array<{ path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown>; message: string }> };
const errorsOf = (answer: Answer) => (answer.errors ?? []).map((error) => [error.path?.join('.'), error.extensions?.code, error.extensions?.providerCode, error.message]).sort();

const ROOT_FIELDS = [
  { field: 'backups', query: '{ answered: backups(first: 100) { totalCount edges { node { nativeId } } providerErrors { code } } }' },
  { field: 'protectionSummary', query: '{ answered: protectionSummary { counts { instances } providerErrors { code } } }' },
  { field: 'instances(filter: { protection })', query: '{ answered: instances(first: 100, filter: { protection: [PROTECTED, STALE, UNPROTECTED, UNKNOWN] }) { totalCount providerErrors { code } } }' },
];

/**
 * A row of a list read for many VMs at once whose *VM* id cannot be read back (ZStack's volume
 * backups by `vmInstanceUuid`, Danube's definitions by `hostname`) failed the whole read: every VM
 * of the account lost its backups, or its definitions and schedules. Such a row is no VM's a client
 * can name (a VM of that id is itself left out of `instances`): it is left out of every VM's list
 * without an error there, and reported where an account-wide field answered the list.
 */
describe('zstack: a volume backup whose VM id cannot be read back', () => {
  let harness: Harness;
  let vm: string;
  let planted: string;
  let kept: string[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
    const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    const groupsOf = (uuid: string) => [...new Set(simulator.volumeBackups.filter((row) => row.vmInstanceUuid === uuid).map((row) => String(row.groupUuid)))];
    vm = String(simulator.vms.find((row) => groupsOf(String(row.uuid)).length >= 2)!.uuid);
    [planted = '', ...kept] = groupsOf(vm);
    kept.sort();
    // Asked by the VM's volumes (volumeUuid?=), the group still comes back for that VM.
    for (const row of simulator.volumeBackups) if (row.groupUuid === planted) row.vmInstanceUuid = 'v'.repeat(2000);
  });
  afterAll(() => harness.close());

  it("leaves it out of every VM's backups, with no error at any of them (the whole read failed)", async () => {
    const listed = await harness.gql<Listed>('{ instances(first: 100) { edges { node { nativeId backups { nativeId } } } } }');
    expect(listed.errors).toBeUndefined();
    const edges = listed.data!.instances.edges;
    expect(edges.find((edge) => edge.node.nativeId === vm)!.node.backups?.map((backup) => backup.nativeId).sort()).toEqual(kept);
    expect(edges.filter((edge) => edge.node.backups === null)).toEqual([]);
    expect(listed.text).not.toContain('v'.repeat(600));
  });

  it.each(ROOT_FIELDS)('$field: answered, the error at its path, every time it is asked', async ({ query }) => {
    for (let round = 0; round < 2; round++) {
      const answer = await harness.gql<Answered>(query);
      expect(answer.data?.answered.providerErrors).toEqual([]);
      expect(errorsOf(answer)).toEqual([
        ['answered', 'PROVIDER_ERROR', 'INVALID_RESPONSE', 'provider zstack-test sent an id of 2000 bytes (at most 512 are read): one backup left out of its backups list, the others answered'],
      ]);
      expect(answer.text).not.toContain(planted);
      expect(answer.text).not.toContain('v'.repeat(600));
    }
  });

  it('logs it at warn, never quoting the id', () => {
    const lines = harness.logs.filter((line) => line.includes('was left out'));
    expect(lines.some((line) => line.includes('"list":"backups"'))).toBe(true);
    expect(harness.logs.join('\n')).not.toContain('v'.repeat(600));
  });
});

describe('danube: a backup definition whose hostname cannot be read back', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
    const simulator = harness.simulator('danube').simulator as DanubeSimulator;
    simulator.definitions[0]!.hostname = 'h'.repeat(2000);
  });
  afterAll(() => harness.close());

  it("leaves it out of every VM's definitions and schedules, with no error at any of them (the whole read failed)", async () => {
    const listed = await harness.gql<Listed>('{ instances(first: 100) { edges { node { nativeId definitions { name } schedules { name } } } } }');
    expect(listed.errors).toBeUndefined();
    const edges = listed.data!.instances.edges;
    expect(edges.filter((edge) => edge.node.definitions === null || edge.node.schedules === null)).toEqual([]);
    expect(edges.some((edge) => (edge.node.definitions?.length ?? 0) > 0)).toBe(true);
    expect(listed.text).not.toContain('h'.repeat(600));
  });

  it.each(ROOT_FIELDS.slice(1))('$field: answered, the error at its path for each list it read', async ({ query }) => {
    const answer = await harness.gql<Answered>(query);
    expect(answer.data?.answered.providerErrors).toEqual([]);
    const reason = 'provider danube-test sent an id of 2000 bytes (at most 512 are read)';
    expect(errorsOf(answer)).toEqual([
      ['answered', 'PROVIDER_ERROR', 'INVALID_RESPONSE', `${reason}: one definition left out of its definitions list, the others answered`],
      ['answered', 'PROVIDER_ERROR', 'INVALID_RESPONSE', `${reason}: one row left out of its schedules list, the others answered`],
    ]);
    expect(answer.text).not.toContain('h'.repeat(600));
  });
});

/**
 * The read cache on: the VMs' lists read beside such a row are not cached either, so an
 * account-wide field answered after a plain instance list (which fills the cache) still says so.
 */
describe('zstack, with the read cache: a volume backup whose VM id cannot be read back', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
    const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    const planted = simulator.volumeBackups[0]!.groupUuid;
    for (const row of simulator.volumeBackups) if (row.groupUuid === planted) row.vmInstanceUuid = 'v'.repeat(2000);
  });
  afterAll(() => harness.close());

  it('`backups` after `instances { backups }`: the error at its path', async () => {
    const listed = await harness.gql<Listed>('{ instances(first: 100) { edges { node { nativeId backups { nativeId } } } } }');
    expect(listed.errors).toBeUndefined();
    const answer = await harness.gql<Answered>(ROOT_FIELDS[0]!.query);
    expect(errorsOf(answer)).toEqual([
      ['answered', 'PROVIDER_ERROR', 'INVALID_RESPONSE', 'provider zstack-test sent an id of 2000 bytes (at most 512 are read): one backup left out of its backups list, the others answered'],
    ]);
  });
});
