import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import type { ProviderKind } from '../../src/providers/registry.js';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { backupId, decodeBackupId, instanceId } from '../../src/gateway/ids.js';
import { startHarness, type Harness } from '../helpers/harness.js';

/** Each kind of id the gateway cannot read back (native-id.ts), as a provider's JSON carries it. */
const UNREADABLE_IDS: ReadonlyArray<{ kind: string; id: unknown; text: string | null }> = [
  { kind: 'over 512 bytes', id: 'h'.repeat(2000), text: 'h'.repeat(600) },
  { kind: 'half a surrogate pair', id: 'vm-\uD800-half', text: '-half' },
  { kind: 'past 2^53', id: 2 ** 53 + 2, text: String(2 ** 53 + 2) },
  { kind: 'of no id type', id: { planted: 'object-id' }, text: 'object-id' },
];

type Row = Record<string, unknown>;

/** Where each simulator keeps its VMs, backups and schedules, and how a copy of one is planted with another id (undone by the function returned). */
interface Planting {
  kind: ProviderKind;
  plantVm(harness: Harness, id: unknown): () => void;
  plantBackup(harness: Harness, vmNativeId: string, id: unknown): () => void;
  /** A schedule (Danube: a definition, which is its schedule too) of the VM; none where the provider has no lists but backups. */
  plantSchedule?(harness: Harness, vmNativeId: string, id: unknown): () => void;
  /** The VM's own lists looked up by id besides its backups. */
  owned: ReadonlyArray<'schedules' | 'definitions'>;
}

function plantInMap<K, V extends object>(map: Map<K, V>, key: K, from: V, change: Partial<Record<keyof V, unknown>>): () => void {
  map.set(key, { ...from, ...change } as V);
  return () => map.delete(key);
}

function plantInArray(rows: Row[], from: Row, change: Row): () => void {
  const planted = { ...from, ...change };
  rows.push(planted);
  return () => void rows.splice(rows.indexOf(planted), 1);
}

const PLANTINGS: readonly Planting[] = [
  {
    kind: 'zomro',
    plantVm: (harness, id) => {
      const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
      const [first] = simulator.instances.values();
      return plantInMap(simulator.instances, 'planted', first!, { id });
    },
    plantBackup: (harness, vm, id) => {
      const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
      const from = [...simulator.backups.values()].find((backup) => backup.instanceId === vm)!;
      return plantInMap(simulator.backups, 'planted', from, { id });
    },
    plantSchedule: (harness, vm, id) => {
      const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
      const from = [...simulator.schedules.values()].find((schedule) => schedule.instanceId === vm)!;
      return plantInMap(simulator.schedules, 'planted', from, { id });
    },
    owned: ['schedules'],
  },
  {
    kind: 'onapp',
    plantVm: (harness, id) => {
      const simulator = harness.simulator('onapp').simulator as OnappSimulator;
      const [first] = simulator.vms.values();
      return plantInMap(simulator.vms, -1, first!, { id });
    },
    plantBackup: (harness, vm, id) => {
      const simulator = harness.simulator('onapp').simulator as OnappSimulator;
      const from = [...simulator.backups.values()].find((backup) => String(backup.vmId) === vm)!;
      return plantInMap(simulator.backups, -1, from, { id });
    },
    plantSchedule: (harness, vm, id) => {
      const simulator = harness.simulator('onapp').simulator as OnappSimulator;
      const disks = new Set([...simulator.vms.values()].find((item) => String(item.id) === vm)!.disks.map((disk) => disk.id));
      const from = [...simulator.schedules.values()].find((schedule) => disks.has(schedule.diskId))!;
      return plantInMap(simulator.schedules, -1, from, { id });
    },
    owned: ['schedules'],
  },
  {
    kind: 'danube',
    plantVm: (harness, hostname) => {
      const simulator = harness.simulator('danube').simulator as DanubeSimulator;
      return plantInArray(simulator.vms, simulator.vms[0]!, { hostname });
    },
    plantBackup: (harness, vm, name) => {
      const simulator = harness.simulator('danube').simulator as DanubeSimulator;
      return plantInArray(simulator.backups, simulator.backups.find((row) => row.hostname === vm)!, { name });
    },
    plantSchedule: (harness, vm, name) => {
      const simulator = harness.simulator('danube').simulator as DanubeSimulator;
      return plantInArray(simulator.definitions, simulator.definitions.find((row) => row.hostname === vm)!, { name });
    },
    owned: ['schedules', 'definitions'],
  },
  {
    // Its instance lookup was fixed before (zstack-lookup-foreign-row); its backups are looked up in the VM's list as the others' are.
    kind: 'zstack',
    plantVm: (harness, uuid) => {
      const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
      return plantInArray(simulator.vms, simulator.vms[0]!, { uuid });
    },
    plantBackup: (harness, vm, groupUuid) => {
      const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
      const from = simulator.volumeBackups.find((row) => row.vmInstanceUuid === vm)!;
      return plantInArray(simulator.volumeBackups, from, { uuid: 'f'.repeat(32), groupUuid });
    },
    owned: [],
  },
];

type Ids = Array<{ id: string }> | null;
interface Listed {
  instances: { edges: Array<{ node: { id: string; nativeId: string; backups: Ids; schedules: Ids; definitions?: Ids } }> };
}
interface Looked {
  a: { id: string } | null;
  b: { id: string } | null;
  backup: { id: string } | null;
  backupNode: { id: string } | null;
  [owned: `o${number}`]: { id: string } | null;
  _entities: Array<{ id: string } | null>;
}
const TYPENAME = { schedules: 'BackupSchedule', definitions: 'BackupDefinition' } as const;
/** `owned` the schedules' (and definitions') ids, each asked by `node` under an alias of its own. */
const lookups = (owned: number): string => `query($a: ID!, $b: ID!, $backup: ID!, ${Array.from({ length: owned }, (_, index) => `$o${index}: ID!, `).join('')}$entities: [_Any!]!) {
  a: instance(id: $a) { id }
  b: node(id: $b) { id }
  backup(id: $backup) { id }
  backupNode: node(id: $backup) { id }
  ${Array.from({ length: owned }, (_, index) => `o${index}: node(id: $o${index}) { id }`).join('\n  ')}
  _entities(representations: $entities) { ... on Node { id } }
}`;

/**
 * A lookup by id asks for rows the gateway named itself. A row of the provider's data beside
 * them whose id the gateway cannot read back is none of them: it must not fail the lookup, be
 * answered, or be told of as a row left out of a list the answer never showed.
 */
describe.each(PLANTINGS)('$kind: lookups by id beside a row whose id cannot be read back', (planting) => {
  let harness: Harness;
  let instances: string[];
  let vm: string;
  let backups: string[];
  let scheduledVm: string;
  let owned: Array<{ __typename: string; id: string }>;
  beforeAll(async () => {
    harness = await startHarness({ kinds: [planting.kind] });
    const lists = planting.owned.map((list) => `${list} { id }`).join(' ');
    const listed = await harness.gql<Listed>(`{ instances(first: 100) { edges { node { id nativeId backups { id } ${lists} } } } }`);
    const edges = listed.data!.instances.edges;
    instances = edges.slice(0, 3).map((edge) => edge.node.id);
    const withBackups = edges.find((edge) => (edge.node.backups?.length ?? 0) >= 2)!;
    vm = withBackups.node.nativeId;
    backups = withBackups.node.backups!.slice(0, 2).map((backup) => backup.id);
    const scheduled = edges.find((edge) => planting.owned.every((list) => (edge.node[list]?.length ?? 0) >= 1))!;
    scheduledVm = scheduled.node.nativeId;
    owned = planting.owned.map((list) => ({ __typename: TYPENAME[list], id: scheduled.node[list]![0]!.id }));
  });
  afterAll(() => harness.close());

  it.each(UNREADABLE_IDS)('an id $kind: the rows asked answer, with no error and never the row', async ({ id, text }) => {
    const unplant = [planting.plantVm(harness, id), planting.plantBackup(harness, vm, id), ...(planting.plantSchedule ? [planting.plantSchedule(harness, scheduledVm, id)] : [])];
    try {
      const entities = [...instances.map((instance) => ({ __typename: 'Instance', id: instance })), ...backups.map((backup) => ({ __typename: 'Backup', id: backup })), ...owned];
      const ownedIds = Object.fromEntries(owned.map((entity, index) => [`o${index}`, entity.id]));
      const answer = await harness.gql<Looked>(lookups(owned.length), { a: instances[0], b: instances[1], backup: backups[0], ...ownedIds, entities });
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual({
        a: { id: instances[0] },
        b: { id: instances[1] },
        backup: { id: backups[0] },
        backupNode: { id: backups[0] },
        ...Object.fromEntries(owned.map((entity, index) => [`o${index}`, { id: entity.id }])),
        _entities: [...instances, ...backups, ...owned.map((entity) => entity.id)].map((entity) => ({ id: entity })),
      });
      if (text !== null) expect(answer.text).not.toContain(text);
    } finally {
      for (const undo of unplant) undo();
    }
  });

  it('a backup asked that is not listed is null with the error at its path (it may be the row left out), and a field showing the list keeps it at its own path alone', async () => {
    const undo = planting.plantBackup(harness, vm, 'h'.repeat(2000));
    try {
      const { providerId, instanceNativeId, keyExtra } = decodeBackupId(backups[0]!);
      const unlisted = backupId({ providerId, instanceNativeId, nativeId: 'not-listed', keyExtra });
      const missing = await harness.gql<{ backup: null }>('query($id: ID!) { backup(id: $id) { id } }', { id: unlisted });
      expect(missing.data).toEqual({ backup: null });
      expect(missing.errors?.map((error) => [error.path, error.extensions?.providerCode])).toEqual([[['backup'], 'INVALID_RESPONSE']]);
      const shown = await harness.gql<{ backup: { id: string }; instance: { backups: unknown[] } }>('query($id: ID!, $vm: ID!) { backup(id: $id) { id } instance(id: $vm) { backups { id } } }', { id: backups[0], vm: instanceOf(backups[0]!) });
      expect(shown.data?.backup).toEqual({ id: backups[0] });
      expect(shown.errors?.map((error) => [error.path?.join('.'), error.extensions?.providerCode])).toEqual([['instance.backups', 'INVALID_RESPONSE']]);
      expect(missing.text + shown.text).not.toContain('h'.repeat(600));
    } finally {
      undo();
    }
  });

  // Last: it deletes the second backup.
  it("a delete of a backup beside the row looks its backup up: answered, with no error", async () => {
    const undo = planting.plantBackup(harness, vm, 'h'.repeat(2000));
    try {
      const answer = await harness.gql<{ deleteBackup: { operation: { backupId: string } } }>('mutation($id: ID!) { deleteBackup(input: { backupId: $id }) { backup { id } operation { backupId } } }', { id: backups[1] });
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.deleteBackup.operation.backupId).toBe(backups[1]);
      expect(answer.text).not.toContain('h'.repeat(600));
    } finally {
      undo();
    }
  });
});

function instanceOf(backup: string): string {
  const { providerId, instanceNativeId } = decodeBackupId(backup);
  return instanceId({ providerId, nativeId: instanceNativeId });
}
