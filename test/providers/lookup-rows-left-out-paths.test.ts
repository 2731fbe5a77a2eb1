import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { backupId, decodeBackupId, decodeDefinitionId, decodeOperationId, decodeScheduleId, definitionId, operationId, scheduleId } from '../../src/gateway/ids.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

const UNREADABLE = 'u'.repeat(2000);
type Ids = Array<{ id: string }> | null;
interface Node {
  id: string;
  nativeId: string;
  backups: Ids;
  schedules: Ids;
}
type Answer = { errors?: Array<{ path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown>; message: string }>; text: string };
/** Each error as "path: code providerCode list", sorted. */
const errorsOf = (answer: Answer): string[] =>
  (answer.errors ?? []).map((error) => `${error.path?.join('.') ?? '(no path)'}: ${error.extensions?.code} ${error.extensions?.providerCode ?? '-'} ${/of its (\w+) list/.exec(error.message)?.[1] ?? '-'}`).sort();

/** An id of the same instance's list as `listed`, naming no row of it. */
const unlistedBackup = (listed: string): string => backupId({ ...decodeBackupId(listed), nativeId: '999999001' });
const unlistedSchedule = (listed: string): string => scheduleId({ ...decodeScheduleId(listed), nativeId: '999999002' });

/**
 * A lookup of one row in an instance's list (backup(id:), node, _entities, an operation's backup, a
 * backup's definition) that found nothing, beside a row of that
 * list the gateway left out: its error came with no path (the protection verdict's was fixed alone).
 * It names the lookup's path, since the row asked may be the one left out; a lookup that found its
 * row says nothing; a field showing the list keeps the error at its own path alone.
 */
describe('zomro: a lookup that found nothing in a list that left a row out', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let vm: Node;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    const listed = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>('{ instances(first: 1000) { edges { node { id nativeId backups { id } schedules { id } } } } }');
    vm = listed.data!.instances.edges.map((edge) => edge.node).find((node) => (node.backups?.length ?? 0) > 0 && (node.schedules?.length ?? 0) > 0)!;
    const backup = [...simulator.backups.values()].find((row) => row.instanceId === vm.nativeId)!;
    simulator.backups.set('planted', { ...backup, id: UNREADABLE });
    const schedule = [...simulator.schedules.values()].find((row) => row.instanceId === vm.nativeId)!;
    simulator.schedules.set('planted', { ...schedule, id: UNREADABLE });
  });
  afterAll(() => harness.close());

  const cases: Array<[string, string, (ids: { listed: string; unlisted: string; schedule: string; vm: string }) => Record<string, unknown>, string[]]> = [
    ['backup(id:)', 'query($unlisted: ID!) { b: backup(id: $unlisted) { id } }', (ids) => ({ unlisted: ids.unlisted }), ['b: PROVIDER_ERROR INVALID_RESPONSE backups']],
    ['node(id:) of a backup', 'query($unlisted: ID!) { n: node(id: $unlisted) { id } }', (ids) => ({ unlisted: ids.unlisted }), ['n: PROVIDER_ERROR INVALID_RESPONSE backups']],
    ['node(id:) of a schedule', 'query($schedule: ID!) { n: node(id: $schedule) { id } }', (ids) => ({ schedule: ids.schedule }), ['n: PROVIDER_ERROR INVALID_RESPONSE schedules']],
    ['_entities', 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Node { id } } }', (ids) => ({ r: [{ __typename: 'Backup', id: ids.unlisted }, { __typename: 'BackupSchedule', id: ids.schedule }] }), ['_entities.0: PROVIDER_ERROR INVALID_RESPONSE backups', '_entities.1: PROVIDER_ERROR INVALID_RESPONSE schedules']],
    ['one found, one not', 'query($listed: ID!, $unlisted: ID!) { a: backup(id: $listed) { id } b: backup(id: $unlisted) { id } }', (ids) => ({ listed: ids.listed, unlisted: ids.unlisted }), ['b: PROVIDER_ERROR INVALID_RESPONSE backups']],
    // A router matches an entity's errors to it by their index: `_entities` alone named no reference.
    ['_entities, one found, one not: at the one not', 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Node { id } } }', (ids) => ({ r: [{ __typename: 'Backup', id: ids.listed }, { __typename: 'Backup', id: ids.unlisted }] }), ['_entities.1: PROVIDER_ERROR INVALID_RESPONSE backups']],
    ['beside a field showing the list: at that field alone', 'query($unlisted: ID!, $vm: ID!) { b: backup(id: $unlisted) { id } i: instance(id: $vm) { backups { id } } }', (ids) => ({ unlisted: ids.unlisted, vm: ids.vm }), ['i.backups: PROVIDER_ERROR INVALID_RESPONSE backups']],
  ];
  it.each(cases)('names the lookup\'s path (%s)', async (_what, query, variables, expected) => {
    const listed = vm.backups![0]!.id;
    const answer = await harness.gql(query, variables({ listed, unlisted: unlistedBackup(listed), schedule: unlistedSchedule(vm.schedules![0]!.id), vm: vm.id }));
    expect(errorsOf(answer)).toEqual(expected);
    expect(answer.text).not.toContain(UNREADABLE.slice(0, 600));
  });

  it("names an operation's backup not listed at its path, and an operation naming no backup at its own; says nothing where either names its backup", async () => {
    const created = await harness.gql<{ createBackup: { operation: { id: string; backupId: string | null } } }>('mutation($vm: ID!) { createBackup(input: { instanceId: $vm, name: "looked-up" }) { operation { id backupId } } }', { vm: vm.id });
    expect(created.errors).toBeUndefined();
    const { id, backupId: made } = created.data!.createBackup.operation;
    expect(made).not.toBeNull();
    const query = 'query($id: ID!) { o: operation(id: $id) { backup { id } } }';
    expect(errorsOf(await harness.gql(query, { id }))).toEqual([]);
    // Zomro keeps no jobs: the status is read from the VM's backups. The create names its backup, which is not the row left out.
    const status = 'query($id: ID!) { o: operation(id: $id) { status } }';
    expect(errorsOf(await harness.gql(status, { id }))).toEqual([]);
    const { nativeId } = decodeBackupId(made!);
    const row = [...simulator.backups.entries()].find(([, backup]) => String(backup.id) === nativeId)!;
    simulator.backups.delete(row[0]);
    const gone = await harness.gql<{ o: { backup: null } | null }>(query, { id });
    expect(errorsOf(gone)).toEqual(['o.backup: PROVIDER_ERROR INVALID_RESPONSE backups']);
    expect(gone.data?.o?.backup).toBeNull();
    expect(errorsOf(await harness.gql(status, { id }))).toEqual([]);
    // One naming no backup looks for it by its name and time, and found none: the row left out may be it.
    const unnamed = operationId({ ...decodeOperationId(id), backupNativeId: null });
    expect(errorsOf(await harness.gql(status, { id: unnamed }))).toEqual(['o: PROVIDER_ERROR INVALID_RESPONSE backups']);
  });

  // operation(id:), node(id:) and _entities are three doors to one lookup: node and _entities told the row left out with no path.
  it('node(id:) and _entities of an operation say what operation(id:) says', async () => {
    const created = await harness.gql<{ createBackup: { operation: { id: string; backupId: string } } }>('mutation($vm: ID!) { createBackup(input: { instanceId: $vm, name: "looked-up-by-node" }) { operation { id backupId } } }', { vm: vm.id });
    const { id, backupId: made } = created.data!.createBackup.operation;
    const { nativeId } = decodeBackupId(made);
    simulator.backups.delete([...simulator.backups.entries()].find(([, backup]) => String(backup.id) === nativeId)![0]);
    const unnamed = operationId({ ...decodeOperationId(id), backupNativeId: null });
    const doors: Array<[string, (id: string) => Promise<Answer>, string]> = [
      ['operation', (asked) => harness.gql('query($id: ID!) { o: operation(id: $id) { status } }', { id: asked }), 'o'],
      ['node', (asked) => harness.gql('query($id: ID!) { o: node(id: $id) { ... on Operation { status } } }', { id: asked }), 'o'],
      ['_entities', (asked) => harness.gql('query($r: [_Any!]!) { _entities(representations: $r) { ... on Operation { status } } }', { r: [{ __typename: 'Operation', id: asked }] }), '_entities.0'],
    ];
    const told: string[] = [];
    for (const [door, ask, path] of doors) {
      told.push(`${door} named: ${errorsOf(await ask(id)).join(', ')}`, `${door} unnamed: ${errorsOf(await ask(unnamed)).join(', ')}`);
      expect(told.slice(-2)).toEqual([`${door} named: `, `${door} unnamed: ${path}: PROVIDER_ERROR INVALID_RESPONSE backups`]);
    }
  });
  // A subscription's status is answered by graphql-js, not the executor that adds these errors: it said nothing.
  it("tells a subscriber of an operation whose backup is not listed what operation(id:) tells, at the event's backup", async () => {
    const created = await harness.gql<{ createBackup: { operation: { id: string; backupId: string } } }>('mutation($vm: ID!) { createBackup(input: { instanceId: $vm, name: "looked-up-by-subscriber" }) { operation { id backupId } } }', { vm: vm.id });
    const { id, backupId: made } = created.data!.createBackup.operation;
    const { nativeId } = decodeBackupId(made);
    simulator.backups.delete([...simulator.backups.entries()].find(([, backup]) => String(backup.id) === nativeId)![0]);
    const fields = '{ status backup { id } }';
    expect(errorsOf(await harness.gql(`query($id: ID!) { operationUpdated: operation(id: $id) ${fields} }`, { id }))).toEqual(['operationUpdated.backup: PROVIDER_ERROR INVALID_RESPONSE backups']);
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const event = await wsRun(client, `subscription($id: ID!) { operationUpdated(id: $id) ${fields} }`, { id });
      expect(event.data).toEqual({ operationUpdated: { status: 'FAILED', backup: null } });
      expect(errorsOf({ errors: event.errors as Answer['errors'], text: '' })).toEqual(['operationUpdated.backup: PROVIDER_ERROR INVALID_RESPONSE backups']);
      expect(JSON.stringify(event)).not.toContain(UNREADABLE.slice(0, 600));
    } finally {
      await client.dispose();
    }
  });
});

describe('zomro: a write that read a list that left a row out', () => {
  let harness: Harness;
  let vm: Node;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
    const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    const listed = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>('{ instances(first: 1000) { edges { node { id nativeId backups { id } schedules { id } } } } }');
    vm = listed.data!.instances.edges.map((edge) => edge.node).find((node) => (node.backups?.length ?? 0) > 0 && (node.schedules?.length ?? 0) > 0)!;
    const schedule = [...simulator.schedules.values()].find((row) => row.instanceId === vm.nativeId)!;
    simulator.schedules.set('planted', { ...schedule, id: UNREADABLE });
    const backup = [...simulator.backups.values()].find((row) => row.instanceId === vm.nativeId)!;
    simulator.backups.set('planted', { ...backup, id: UNREADABLE });
  });
  afterAll(() => harness.close());

  // Zomro finds the schedule it made in the VM's schedules: the row left out there was told with no path.
  it("names the mutation's path where the adapter read the list", async () => {
    const answer = await harness.gql<{ createBackupSchedule: { schedule: { id: string } } }>('mutation($vm: ID!) { createBackupSchedule(input: { instanceId: $vm, name: "nightly-left-out", weekdays: [MONDAY], time: "03:00" }) { schedule { id } } }', { vm: vm.id });
    expect(answer.data?.createBackupSchedule.schedule.id).toBeDefined();
    expect(errorsOf(answer)).toEqual(['createBackupSchedule: PROVIDER_ERROR INVALID_RESPONSE schedules']);
    expect(answer.text).not.toContain(UNREADABLE.slice(0, 600));
  });

  it('says nothing where the write only looked its own backup up and found it', async () => {
    const answer = await harness.gql('mutation($id: ID!) { deleteBackup(input: { backupId: $id }) { operation { id } } }', { id: vm.backups![0]!.id });
    expect(errorsOf(answer)).toEqual([]);
  });

  // A delete that succeeded has no backup to look up: its absence from the list is the delete's doing, not the row left out.
  it("says nothing of a succeeded delete's backup, which is looked up nowhere", async () => {
    // Some of the VM's backups are protected (refused CONFLICT): the first the provider deletes.
    let deleted: string | undefined;
    for (const { id } of vm.backups!.slice(1)) {
      deleted ??= (await harness.gql<{ deleteBackup: { operation: { id: string } } }>('mutation($id: ID!) { deleteBackup(input: { backupId: $id }) { operation { id } } }', { id })).data?.deleteBackup.operation.id;
    }
    expect(deleted).toBeDefined();
    const query = 'query($id: ID!) { o: operation(id: $id) { status backup { id } } }';
    const done = await eventually(
      () => harness.gql<{ o: { status: string; backup: null } }>(query, { id: deleted }),
      (answer) => answer.data?.o.status === 'SUCCEEDED',
    );
    expect(done.data?.o.backup).toBeNull();
    expect(errorsOf(done)).toEqual([]);
  });
});

describe('onapp: the bulk create reads the VM\'s backups as createBackup does', () => {
  let harness: Harness;
  let vm: Node;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'] });
    const simulator = harness.simulator('onapp').simulator as unknown as { backups: Map<number, Record<string, unknown>> };
    const listed = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>('{ instances(first: 1000) { edges { node { id nativeId backups { id } schedules { id } } } } }');
    vm = listed.data!.instances.edges.map((edge) => edge.node).find((node) => (node.backups?.length ?? 0) > 0)!;
    const backup = [...simulator.backups.values()].find((row) => String(row.vmId) === vm.nativeId)!;
    simulator.backups.set(987654, { ...backup, id: UNREADABLE });
  });
  afterAll(() => harness.close());

  // OnApp reads the VM's backups to find the one it made: createBackups, not through guarded(), told that row with no path.
  it("names createBackups' path, where a row left out was told with none", async () => {
    const answer = await harness.gql<{ made: { createdCount: number } }>('mutation($vms: [ID!]!) { made: createBackups(input: { instanceIds: $vms, name: "bulk-left-out" }) { createdCount } }', { vms: [vm.id] });
    expect(answer.data?.made.createdCount).toBe(1);
    expect(errorsOf(answer)).toEqual(['made: PROVIDER_ERROR INVALID_RESPONSE backups']);
    expect(answer.text).not.toContain(UNREADABLE.slice(0, 600));
  });
});

describe("danube: a backup's definition beside a definition left out", () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let backups: Array<{ id: string; nativeId: string }>;
  let hostname: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ id: string; nativeId: string }> | null } }> } }>('{ instances(first: 100) { edges { node { nativeId backups { id nativeId } } } } }');
    const node = listed.data!.instances.edges.map((edge) => edge.node).find((item) => (item.backups?.length ?? 0) >= 2 && simulator.definitions.some((row) => row.hostname === item.nativeId))!;
    hostname = node.nativeId;
    backups = node.backups!;
    simulator.definitions.push({ ...simulator.definitions.find((row) => row.hostname === hostname)!, name: UNREADABLE });
  });
  afterAll(() => harness.close());

  const query = 'query($id: ID!) { b: backup(id: $id) { definition { name } } }';

  it('a definition found says nothing', async () => {
    const answer = await harness.gql<{ b: { definition: { name: string } | null } }>(query, { id: backups[0]!.id });
    expect(answer.data?.b.definition).not.toBeNull();
    expect(errorsOf(answer)).toEqual([]);
  });

  // The row-of-a-list lookups of a definition (node, _entities) as backup(id:)'s of a backup: no test read them.
  it('node(id:) and _entities of a definition not listed name their paths', async () => {
    const listed = await harness.gql<{ b: { instance: { definitions: Array<{ id: string }> } } }>('query($id: ID!) { b: backup(id: $id) { instance { definitions { id } } } }', { id: backups[0]!.id });
    const unlisted = definitionId({ ...decodeDefinitionId(listed.data!.b.instance.definitions[0]!.id), nativeId: 'no-such-definition' });
    expect(errorsOf(await harness.gql('query($id: ID!) { n: node(id: $id) { id } }', { id: unlisted }))).toEqual(['n: PROVIDER_ERROR INVALID_RESPONSE definitions']);
    const entities = await harness.gql('query($r: [_Any!]!) { _entities(representations: $r) { ... on Node { id } } }', { r: [{ __typename: 'BackupDefinition', id: unlisted }] });
    expect(errorsOf(entities)).toEqual(['_entities.0: PROVIDER_ERROR INVALID_RESPONSE definitions']);
    expect(entities.text).not.toContain(UNREADABLE.slice(0, 600));
  });

  it('a definition not found names the field', async () => {
    const row = simulator.backups.find((item) => item.hostname === hostname && item.name === backups[1]!.nativeId)!;
    const before = row.define;
    row.define = 'no-such-definition';
    try {
      const answer = await harness.gql<{ b: { definition: null } }>(query, { id: backups[1]!.id });
      expect(answer.data?.b.definition).toBeNull();
      expect(errorsOf(answer)).toEqual(['b.definition: PROVIDER_ERROR INVALID_RESPONSE definitions']);
      expect(answer.text).not.toContain(UNREADABLE.slice(0, 600));
    } finally {
      row.define = before;
    }
  });
});
