import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import type { ProviderKind } from '../../src/providers/registry.js';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import type { SimRequest, SimResponse } from '../../src/simulator/server.js';
import { startHarness, type Harness } from '../helpers/harness.js';

/**
 * A filtered account-wide field (`backups(filter: { instanceId })`, `backups(filter: { providerId })`,
 * `protectionSummary(providerId:)`, `instances(providerId:, filter:)`) answers from some of the lists
 * its request read. A row left out of a list it did not answer from (another VM's, another
 * account's, or a row of no VM where the filter names one) was told at its path too: a client
 * filtering to one VM heard its complete answer may be partial.
 */
const UNREADABLE = 'u'.repeat(2000);
type Answer = { errors?: Array<{ path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown>; message: string }>; text: string };
/** Each error as its path and the list its message names. */
const errorsOf = (answer: Answer): string[] => (answer.errors ?? []).map((error) => `${error.path?.join('.') ?? '(no path)'}: ${error.extensions?.providerCode} ${/of its (\w+) list/.exec(error.message)?.[1] ?? error.message}`).sort();

interface Listed {
  instances: { edges: Array<{ node: { id: string; nativeId: string; backups: Array<{ id: string }> | null } }> };
}

/** How each simulator takes a VM, and a backup of a VM, of an id the gateway cannot read back (undone by the function returned). */
interface Planting {
  kind: ProviderKind;
  plantVm(harness: Harness, id: string): () => void;
  plantBackup(harness: Harness, vmNativeId: string, id: string): () => void;
}

function plantInMap<K, V extends object>(map: Map<K, V>, key: K, from: V, change: Partial<Record<keyof V, unknown>>): () => void {
  map.set(key, { ...from, ...change } as V);
  return () => map.delete(key);
}

function plantInArray<Row extends object>(rows: Row[], from: Row, change: Record<string, unknown>): () => void {
  const planted = { ...from, ...change } as Row;
  rows.push(planted);
  return () => void rows.splice(rows.indexOf(planted), 1);
}

const PLANTINGS: readonly Planting[] = [
  {
    kind: 'zomro',
    plantVm: (harness, id) => {
      const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
      return plantInMap(simulator.instances, 'planted', [...simulator.instances.values()][0]!, { id });
    },
    plantBackup: (harness, vm, id) => {
      const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
      return plantInMap(simulator.backups, 'planted', [...simulator.backups.values()].find((backup) => backup.instanceId === vm)!, { id });
    },
  },
  {
    kind: 'onapp',
    plantVm: (harness, id) => {
      const simulator = harness.simulator('onapp').simulator as OnappSimulator;
      return plantInMap(simulator.vms, -1, [...simulator.vms.values()][0]!, { id });
    },
    plantBackup: (harness, vm, id) => {
      const simulator = harness.simulator('onapp').simulator as OnappSimulator;
      return plantInMap(simulator.backups, -1, [...simulator.backups.values()].find((backup) => String(backup.vmId) === vm)!, { id });
    },
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
  },
  {
    kind: 'zstack',
    plantVm: (harness, uuid) => {
      const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
      return plantInArray(simulator.vms, simulator.vms[0]!, { uuid });
    },
    plantBackup: (harness, vm, groupUuid) => {
      const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
      return plantInArray(simulator.volumeBackups, simulator.volumeBackups.find((row) => row.vmInstanceUuid === vm)!, { uuid: 'f'.repeat(32), groupUuid });
    },
  },
];

const BESIDE_ANOTHER_VM = `query($x: ID!) {
  a: backups(first: 1000, filter: { instanceId: $x }) { totalCount }
  b: backups(first: 1000) { totalCount }
  c: instances(first: 1000) { totalCount }
}`;

describe.each(PLANTINGS)('$kind: `backups(filter: { instanceId })` beside rows left out of no list of its VM', (planting) => {
  let harness: Harness;
  let x: { id: string; nativeId: string; backups: number };
  let y: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: [planting.kind] });
    const listed = await harness.gql<Listed>('{ instances(first: 1000) { edges { node { id nativeId backups { id } } } } }');
    const withBackups = listed.data!.instances.edges.filter((edge) => (edge.node.backups?.length ?? 0) > 0).map((edge) => edge.node);
    x = { id: withBackups[0]!.id, nativeId: withBackups[0]!.nativeId, backups: withBackups[0]!.backups!.length };
    y = withBackups[1]!.nativeId;
  });
  afterAll(() => harness.close());

  it("another VM's backup and a VM of unreadable ids: X's whole answer with no error; the unfiltered fields keep theirs", async () => {
    const unplant = [planting.plantVm(harness, UNREADABLE), planting.plantBackup(harness, y, UNREADABLE)];
    try {
      const answer = await harness.gql<{ a: { totalCount: number } }>(BESIDE_ANOTHER_VM, { x: x.id });
      expect(answer.data?.a.totalCount).toBe(x.backups);
      expect(errorsOf(answer)).toEqual(['b: INVALID_RESPONSE backups', 'b: INVALID_RESPONSE instances', 'c: INVALID_RESPONSE instances']);
      expect(answer.text).not.toContain(UNREADABLE.slice(0, 600));
    } finally {
      for (const undo of unplant) undo();
    }
  });

  it("a backup of X's own left out: the error stays at its path", async () => {
    const undo = planting.plantBackup(harness, x.nativeId, UNREADABLE);
    try {
      const answer = await harness.gql('query($x: ID!) { a: backups(first: 1000, filter: { instanceId: $x }) { totalCount } }', { x: x.id });
      expect(errorsOf(answer)).toEqual(['a: INVALID_RESPONSE backups']);
    } finally {
      undo();
    }
  });
});

type Handle = (request: SimRequest) => SimResponse | Promise<SimResponse>;
const handlerOf = (harness: Harness, kind: ProviderKind) => harness.simulator(kind).simulator as unknown as { handle: Handle };

/**
 * Zomro answers only once `kind` has answered the list holding the planted row (`path`), every
 * call of it in flight: a field of Zomro alone would otherwise end before that list's rows were
 * read, and no field ending first claims what was not yet noted (undone by the function returned).
 */
function zomroAfter(harness: Harness, kind: ProviderKind, path: string): () => void {
  const other = handlerOf(harness, kind);
  const zomro = handlerOf(harness, 'zomro');
  const [otherHandle, zomroHandle] = [other.handle.bind(other), zomro.handle.bind(zomro)];
  let release!: () => void;
  const answered = new Promise<void>((resolve) => (release = resolve));
  let inFlight = 0;
  other.handle = async (request) => {
    const listed = request.rawPath.includes(path);
    if (listed) inFlight += 1;
    try {
      return await otherHandle(request);
    } finally {
      if (listed && --inFlight === 0) release();
    }
  };
  zomro.handle = async (request) => {
    await answered;
    return zomroHandle(request);
  };
  return () => {
    other.handle = otherHandle;
    zomro.handle = zomroHandle;
  };
}

const EVERY_PROTECTION = '[PROTECTED, STALE, UNPROTECTED, UNKNOWN]';

/**
 * Rows of no VM (ZStack's volume backups, Danube's definitions, whose VM id cannot be read back),
 * beside a second account: told at every field that answered from every list of the account
 * whatever it filters, and at none that names a VM or another account.
 */
describe.each([
  {
    kind: 'zstack' as const,
    list: '/volume-backups',
    plant: (harness: Harness) => {
      const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
      const planted = simulator.volumeBackups[0]!.groupUuid;
      for (const row of simulator.volumeBackups) if (row.groupUuid === planted) row.vmInstanceUuid = UNREADABLE;
    },
    told: ['backups'],
  },
  {
    kind: 'danube' as const,
    list: '/vm/define/backup',
    plant: (harness: Harness) => {
      (harness.simulator('danube').simulator as DanubeSimulator).definitions[0]!.hostname = UNREADABLE;
    },
    told: ['definitions', 'schedules'],
  },
])('$kind: rows of no VM, beside a zomro account', ({ kind, list, plant, told }) => {
  let harness: Harness;
  let vm: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: [kind, 'zomro'] });
    plant(harness);
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(`{ instances(first: 1000, providerId: "${kind}-test") { edges { node { id } } } }`);
    vm = listed.data!.instances.edges[0]!.node.id;
  });
  afterAll(() => harness.close());

  const unfiltered = `b: backups(first: 1000) { totalCount } s: protectionSummary { counts { instances } } p: instances(first: 1000, filter: { protection: ${EVERY_PROTECTION} }) { totalCount }`;
  const atUnfiltered = (): string[] => ['b', 's', 'p'].flatMap((path) => told.filter((list) => path !== 'b' || list === 'backups').map((list) => `${path}: INVALID_RESPONSE ${list}`)).sort();

  it.each([
    { field: 'backups(filter: { instanceId })', selection: 'a: backups(first: 1000, filter: { instanceId: $vm }) { totalCount }' },
    { field: 'backups(filter: { instanceId, status })', selection: 'a: backups(first: 1000, filter: { instanceId: $vm, status: [AVAILABLE] }) { totalCount }' },
    { field: 'backups(filter: { providerId }) of the other account', selection: 'a: backups(first: 1000, filter: { providerId: "zomro-test" }) { totalCount }' },
    { field: 'backups(filter: { kind }) of the other kind', selection: 'a: backups(first: 1000, filter: { kind: ZOMRO }) { totalCount }' },
    { field: 'protectionSummary(providerId:) of the other account', selection: 'a: protectionSummary(providerId: "zomro-test") { counts { instances } }' },
    { field: 'protectionSummary(kind:) of the other kind', selection: 'a: protectionSummary(kind: ZOMRO) { counts { instances } }' },
    { field: 'instances(providerId:, filter: { protection }) of the other account', selection: `a: instances(first: 1000, providerId: "zomro-test", filter: { protection: ${EVERY_PROTECTION} }) { totalCount }` },
    { field: 'instances(kind:, filter: { rpoHours }) of the other kind', selection: 'a: instances(first: 1000, kind: ZOMRO, filter: { rpoHours: 24 }) { totalCount }' },
  ])('$field: no error at it, the unfiltered fields beside it keep theirs', async ({ selection }) => {
    const variables = selection.includes('$vm') ? '($vm: ID!)' : '';
    const undo = zomroAfter(harness, kind, list);
    const answer = await harness.gql(`query${variables} { ${selection} ${unfiltered} }`, variables ? { vm } : undefined).finally(undo);
    expect(answer.data?.a).not.toBeNull();
    expect(errorsOf(answer)).toEqual(atUnfiltered());
    expect(answer.text).not.toContain(UNREADABLE.slice(0, 600));
  });

  it.each([
    { field: 'backups(filter: { providerId, status })', selection: `a: backups(first: 1000, filter: { providerId: "${kind}-test", status: [AVAILABLE] }) { totalCount }`, lists: told.filter((list) => list === 'backups') },
    { field: 'protectionSummary(providerId:)', selection: `a: protectionSummary(providerId: "${kind}-test", rpoHours: 24) { counts { instances } }`, lists: told },
    { field: 'instances(kind:, filter: { protection })', selection: `a: instances(first: 1000, kind: ${kind.toUpperCase()}, filter: { protection: [PROTECTED] }) { totalCount }`, lists: told },
  ])('$field of its account, naming no VM: the error at it', async ({ selection, lists }) => {
    const answer = await harness.gql(`{ ${selection} }`);
    expect(errorsOf(answer)).toEqual(lists.map((list) => `a: INVALID_RESPONSE ${list}`));
  });
});

describe('a VM of an unreadable id in one account, plain `instances` of the other', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack', 'zomro'] });
    PLANTINGS.find((planting) => planting.kind === 'zstack')!.plantVm(harness, UNREADABLE);
  });
  afterAll(() => harness.close());

  it.each([
    { field: 'instances(providerId:)', selection: 'a: instances(first: 1000, providerId: "zomro-test") { totalCount }' },
    { field: 'instances(kind:, filter: { status })', selection: 'a: instances(first: 1000, kind: ZOMRO, filter: { status: [RUNNING, STOPPED] }) { totalCount }' },
  ])('$field: no error at it; `instances` of every account keeps its', async ({ selection }) => {
    const undo = zomroAfter(harness, 'zstack', '/vm-instances');
    const answer = await harness.gql(`{ ${selection} c: instances(first: 1000) { totalCount } }`).finally(undo);
    expect(errorsOf(answer)).toEqual(['c: INVALID_RESPONSE instances']);
  });
});
