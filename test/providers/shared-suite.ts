import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import type { Capability } from '../../src/domain/types.js';
import type { ProviderKind } from '../../src/providers/registry.js';
import type { LoggedRequest } from '../../src/simulator/server.js';
import type { SimulatorStartOptions } from '../../src/providers/module.js';
import { errorCodes, eventually, startHarness, type Harness } from '../helpers/harness.js';

/** What the shared suite needs to know about one provider. */
export interface ProviderSuiteFixture {
  kind: ProviderKind;
  /** The capabilities the adapter must declare. */
  capabilities: Capability[];
  simulator?: SimulatorStartOptions;
  /** Is this simulator request a backup listing? (for counting upstream calls) */
  isBackupListCall: (request: LoggedRequest) => boolean;
  /** Most backup-list calls a query over `instances` instances may cost. */
  maxBackupListCalls: (instances: number) => number;
  /** Extra createBackup input for this provider (e.g. Danube's definitionName), given the instance's native id. */
  createBackupExtras?: (instanceNativeId: string) => Record<string, unknown>;
  /** A native instance id that the provider does not have, but that is well-formed for it. */
  missingInstanceNativeId: string;
}

interface InstanceNode {
  id: string;
  nativeId: string;
  name: string;
  backups: Array<{ id: string; nativeId: string; name: string; status: string; protected: boolean; sizeBytes: number | null }> | null;
}

const INSTANCES_WITH_BACKUPS = /* GraphQL */ `
  query {
    instances(first: 1000) {
      totalCount
      providerErrors { provider { id } code message }
      edges { node { id nativeId name backups { id nativeId name status protected sizeBytes } } }
    }
  }
`;

const CAPABILITY_PROBES: Partial<Record<Capability, (ids: { instanceId: string; backupId: string; providerId: string }) => { query: string; variables: Record<string, unknown> }>> = {
  CREATE_DEFINITION: ({ instanceId }) => ({
    query: 'mutation($input: CreateBackupDefinitionInput!) { createBackupDefinition(input: $input) { definition { id } } }',
    variables: { input: { instanceId, name: 'nightly', cron: '0 3 * * *', retention: 7 } },
  }),
  SYNC_BACKUPS: ({ providerId }) => ({
    query: 'mutation($input: SyncBackupsInput!) { syncBackups(input: $input) { operation { id } } }',
    variables: { input: { providerId } },
  }),
  CREATE_SCHEDULE: ({ instanceId }) => ({
    query: 'mutation($input: CreateBackupScheduleInput!) { createBackupSchedule(input: $input) { schedule { id } } }',
    variables: { input: { instanceId, name: 'weekly', weekdays: ['MONDAY'], time: '03:00' } },
  }),
  UPDATE_BACKUP_NOTE: ({ backupId }) => ({
    query: 'mutation($input: UpdateBackupNoteInput!) { updateBackupNote(input: $input) { backup { id } } }',
    variables: { input: { backupId, note: 'hello' } },
  }),
  CANCEL_OPERATION: ({ providerId }) => ({
    query: 'mutation($input: CancelOperationInput!) { cancelOperation(input: $input) { operation { id } } }',
    variables: { input: { operationId: encodeId('Operation', providerId, ['CREATE_BACKUP', '0', '', '', 'probe-task']) } },
  }),
};

type ListCapability = Extract<Capability, 'LIST_INSTANCES' | 'LIST_BACKUPS' | 'LIST_SCHEDULES' | 'LIST_DEFINITIONS'>;
type Item = Record<string, unknown> & { id: string };

const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const CRON = /^\S+( \S+){4}$/;
const WORD = /\S/;
const isDateOrNull = (value: unknown) => value === null || ISO_DATE.test(String(value));
const isCount = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * Each list capability as the shared suite asks it: the Instance field that
 * lists it (none for the instances themselves), the selection, and what every
 * listed item must look like (beyond id, nativeId, provider and raw, checked for all).
 */
const LISTS: Record<ListCapability, { field: 'backups' | 'schedules' | 'definitions' | null; typename: string; selection: string; check: (item: Item) => void }> = {
  LIST_INSTANCES: {
    field: null,
    typename: 'Instance',
    selection: 'id nativeId name status provider { id } raw',
    check: (item) => expect(item).toMatchObject({ name: expect.any(String), status: expect.stringMatching(/^(RUNNING|STOPPED|SUSPENDED|BUSY|UNKNOWN)$/) }),
  },
  LIST_BACKUPS: {
    field: 'backups',
    typename: 'Backup',
    selection: 'id nativeId name status protected sizeBytes createdAt provider { id } instance { id } raw',
    check: (item) => {
      expect(item).toMatchObject({ name: expect.any(String), status: expect.stringMatching(/^(PENDING|CREATING|AVAILABLE|RESTORING|DELETING|FAILED|UNKNOWN)$/), protected: expect.any(Boolean) });
      expect(item.sizeBytes === null || isCount(item.sizeBytes), `sizeBytes ${String(item.sizeBytes)}`).toBe(true);
      expect(isDateOrNull(item.createdAt), `createdAt ${String(item.createdAt)}`).toBe(true);
    },
  },
  LIST_SCHEDULES: {
    field: 'schedules',
    typename: 'BackupSchedule',
    selection: 'id nativeId name cron timezone weekdays time nextRunAt provider { id } instance { id } raw',
    check: (item) => {
      expect(item).toMatchObject({ name: expect.any(String), cron: expect.stringMatching(CRON), timezone: expect.stringMatching(WORD), weekdays: expect.any(Array) });
      for (const day of item.weekdays as string[]) expect(day).toMatch(/^(SUN|MON|TUES|WEDNES|THURS|FRI|SATUR)DAY$/);
      expect(isDateOrNull(item.nextRunAt), `nextRunAt ${String(item.nextRunAt)}`).toBe(true);
    },
  },
  LIST_DEFINITIONS: {
    field: 'definitions',
    typename: 'BackupDefinition',
    selection: 'id nativeId name retention active schedule { cron timezone } provider { id } instance { id } raw',
    check: (item) => {
      expect(item).toMatchObject({ name: expect.stringMatching(WORD), active: expect.any(Boolean), schedule: { cron: expect.stringMatching(CRON), timezone: expect.stringMatching(WORD) } });
      expect(isCount(item.retention) && (item.retention as number) > 0, `retention ${String(item.retention)}`).toBe(true);
    },
  },
};

/**
 * The behaviours every provider adapter must show, over real HTTP: gateway
 * on loopback, provider simulator on loopback. Each provider's test file runs
 * this with its fixture, then adds its own quirks.
 */
export function describeProviderSuite(fixture: ProviderSuiteFixture): void {
  describe(`${fixture.kind}: shared provider behaviours`, () => {
    let harness: Harness;
    let providerId: string;

    beforeAll(async () => {
      harness = await startHarness({ kinds: [fixture.kind], ...(fixture.simulator ? { simulator: fixture.simulator } : {}) });
      providerId = harness.providerId(fixture.kind);
    });
    // A harness that failed to start leaves nothing to close; its own error is the one to read.
    afterAll(() => harness?.close());
    beforeEach(async () => {
      await harness.simulator(fixture.kind).server.clearFault();
      harness.resetUpstreamLogs();
    });

    const listInstances = async (): Promise<InstanceNode[]> => {
      const answer = await harness.gql<{ instances: { edges: Array<{ node: InstanceNode }> } }>(INSTANCES_WITH_BACKUPS);
      expect(answer.errors).toBeUndefined();
      return answer.data!.instances.edges.map((edge) => edge.node);
    };

    const deletableBackup = async () => {
      const instances = await listInstances();
      for (const instance of instances) {
        const backup = instance.backups?.find((item) => !item.protected && item.status === 'AVAILABLE');
        if (backup) return { instance, backup };
      }
      throw new Error('the simulator seeds no deletable backup');
    };

    /** Every item the account lists for `capability`, with the id of the instance it hangs from (none for instances). */
    const listed = async (capability: ListCapability): Promise<Array<{ item: Item; parent: string | null }>> => {
      const { field, selection } = LISTS[capability];
      const answer = await harness.gql<{ instances: { providerErrors: unknown[]; edges: Array<{ node: Item }> } }>(
        `{ instances(first: 1000) { providerErrors { code message } edges { node { ${field ? `id ${field} { ${selection} }` : selection} } } } }`,
      );
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.instances.providerErrors).toEqual([]);
      const nodes = answer.data!.instances.edges.map((edge) => edge.node);
      if (!field) return nodes.map((item) => ({ item, parent: null }));
      return nodes.flatMap((node) => (node[field] as Item[]).map((item) => ({ item, parent: node.id })));
    };

    for (const capability of Object.keys(LISTS) as ListCapability[]) {
      const { typename, check } = LISTS[capability];
      if (fixture.capabilities.includes(capability)) {
        it(`${capability}: lists what the simulator seeds, each ${typename} whole and resolvable by id`, async () => {
          const items = await listed(capability);
          expect(items.length, `the ${fixture.kind} simulator seeds ${typename}s`).toBeGreaterThan(0);
          for (const { item, parent } of items) {
            expect(item).toMatchObject({ id: expect.any(String), nativeId: expect.stringMatching(WORD), provider: { id: providerId }, raw: expect.any(Object) });
            if (parent) expect(item.instance).toEqual({ id: parent });
            check(item);
          }
          const sample = items[0]!.item;
          const resolved = await harness.gql<{ node: { __typename: string; id: string } | null }>('query($id: ID!) { node(id: $id) { __typename id } }', { id: sample.id });
          expect(resolved.data?.node).toEqual({ __typename: typename, id: sample.id });
        });
      } else if (LISTS[capability].field) {
        it(`${capability} not declared: every instance lists no ${typename}, without an error`, async () => {
          expect(await listed(capability)).toEqual([]);
        });
      }
    }

    it('lists the account with its kind and declared capabilities', async () => {
      const answer = await harness.gql<{ providers: Array<{ id: string; kind: string; capabilities: string[]; health: string }> }>(
        '{ providers { id kind capabilities health } }',
      );
      expect(answer.data?.providers).toEqual([{ id: providerId, kind: fixture.kind.toUpperCase(), capabilities: expect.any(Array), health: 'UP' }]);
      expect([...answer.data!.providers[0]!.capabilities].sort()).toEqual([...fixture.capabilities].sort());
    });

    it('lists instances whose ids resolve through node(id) and instance(id)', async () => {
      const instances = await listInstances();
      expect(instances.length).toBeGreaterThan(2);
      for (const instance of instances.slice(0, 3)) {
        const answer = await harness.gql<{ node: { name: string } | null; instance: { nativeId: string } | null }>(
          'query($id: ID!) { node(id: $id) { ... on Instance { name } } instance(id: $id) { nativeId } }',
          { id: instance.id },
        );
        expect(answer.data).toEqual({ node: { name: instance.name }, instance: { nativeId: instance.nativeId } });
      }
    });

    it('lists backups with normalised fields, each resolvable by id', async () => {
      const instances = await listInstances();
      const backups = instances.flatMap((instance) => instance.backups ?? []);
      expect(backups.length).toBeGreaterThan(0);
      for (const backup of backups) {
        expect(['PENDING', 'CREATING', 'AVAILABLE', 'RESTORING', 'DELETING', 'FAILED', 'UNKNOWN']).toContain(backup.status);
        if (backup.sizeBytes !== null) expect(Number.isSafeInteger(backup.sizeBytes) && backup.sizeBytes >= 0).toBe(true);
      }
      const sample = backups[0]!;
      const answer = await harness.gql<{ backup: { nativeId: string; instance: { id: string } | null } | null; node: { id: string } | null }>(
        'query($id: ID!) { backup(id: $id) { nativeId instance { id } } node(id: $id) { id } }',
        { id: sample.id },
      );
      expect(answer.data?.backup?.nativeId).toBe(sample.nativeId);
      expect(answer.data?.node?.id).toBe(sample.id);
    });

    it('batches and de-duplicates backup lookups however often an instance appears', async () => {
      const instances = await listInstances();
      harness.resetUpstreamLogs();
      const answer = await harness.gql(`{
        a: instances(first: 1000) { edges { node { backups { id } again: backups { name } } } }
        b: instances(first: 1000) { edges { node { backups { status } } } }
      }`);
      expect(answer.errors).toBeUndefined();
      const calls = harness.simulator(fixture.kind).server.count(fixture.isBackupListCall);
      expect(calls).toBeGreaterThan(0);
      expect(calls).toBeLessThanOrEqual(fixture.maxBackupListCalls(instances.length));
    });

    it('creates a backup and follows its operation to the end', async () => {
      const [instance] = await listInstances();
      const answer = await harness.gql<{ createBackup: { operation: { id: string; status: string; kind: string; provider: { id: string } } } }>(
        'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status kind provider { id } } } }',
        { input: { instanceId: instance!.id, name: 'suite-backup', ...fixture.createBackupExtras?.(instance!.nativeId) } },
      );
      expect(answer.errors).toBeUndefined();
      const operation = answer.data!.createBackup.operation;
      expect(operation).toMatchObject({ kind: 'CREATE_BACKUP', provider: { id: providerId } });
      expect(['PENDING', 'RUNNING', 'SUCCEEDED']).toContain(operation.status);
      const finished = await eventually(
        () => harness.gql<{ operation: { status: string; finishedAt: string | null } }>('query($id: ID!) { operation(id: $id) { status finishedAt } }', { id: operation.id }),
        (poll) => poll.data?.operation.status === 'SUCCEEDED' || poll.data?.operation.status === 'FAILED',
      );
      expect(finished.data?.operation.status).toBe('SUCCEEDED');
      expect(finished.data?.operation.finishedAt).toEqual(expect.any(String));
    });

    it('deletes a backup: the operation ends and the backup is gone', async () => {
      const { instance, backup } = await deletableBackup();
      const answer = await harness.gql<{ deleteBackup: { operation: { id: string; kind: string } } }>(
        'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id kind status } } }',
        { input: { backupId: backup.id } },
      );
      expect(answer.errors).toBeUndefined();
      await eventually(
        () => harness.gql<{ operation: { status: string } }>('query($id: ID!) { operation(id: $id) { status } }', { id: answer.data!.deleteBackup.operation.id }),
        (poll) => poll.data?.operation.status === 'SUCCEEDED',
      );
      const after = await harness.gql<{ instance: InstanceNode }>('query($id: ID!) { instance(id: $id) { backups { id } } }', { id: instance.id });
      expect(after.data?.instance.backups?.map((item) => item.id)).not.toContain(backup.id);
    });

    it('refuses a restore without confirm: true before any upstream request', async () => {
      const { backup } = await deletableBackup();
      harness.resetUpstreamLogs();
      const answer = await harness.gql(
        'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }',
        { input: { backupId: backup.id, confirm: false } },
      );
      expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
      expect(harness.upstreamCount()).toBe(0);
    });

    it('refuses an operation the account lacks with UNSUPPORTED before any upstream request', async () => {
      const missing = (Object.keys(CAPABILITY_PROBES) as Capability[]).find((capability) => !fixture.capabilities.includes(capability));
      expect(missing, 'every probed capability is supported: add a probe').toBeDefined();
      const { instance, backup } = await deletableBackup();
      harness.resetUpstreamLogs();
      const probe = CAPABILITY_PROBES[missing!]!({ instanceId: instance.id, backupId: backup.id, providerId });
      const answer = await harness.gql(probe.query, probe.variables);
      expect(errorCodes(answer)).toEqual(['UNSUPPORTED']);
      expect(answer.errors?.[0]?.extensions).toMatchObject({ capability: missing, provider: providerId });
      expect(harness.upstreamCount()).toBe(0);
    });

    it('answers null for an id that names nothing, NOT_FOUND when acting on it, BAD_USER_INPUT for garbage', async () => {
      const ghost = encodeId('Instance', providerId, [fixture.missingInstanceNativeId]);
      const read = await harness.gql<{ instance: unknown }>('query($id: ID!) { instance(id: $id) { id } }', { id: ghost });
      expect(read.errors).toBeUndefined();
      expect(read.data?.instance).toBeNull();
      const act = await harness.gql('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', {
        input: { instanceId: ghost, name: 'x', ...fixture.createBackupExtras?.(fixture.missingInstanceNativeId) },
      });
      expect(errorCodes(act)).toEqual(['NOT_FOUND']);
      const garbage = await harness.gql('query($id: ID!) { instance(id: $id) { id } }', { id: 'not an id' });
      expect(errorCodes(garbage)).toEqual(['BAD_USER_INPUT']);
    });

    it('names the provider in providerErrors when it is down, without failing the request', async () => {
      await harness.simulator(fixture.kind).server.setFault('down');
      const answer = await harness.gql<{ instances: { edges: unknown[]; providerErrors: Array<{ provider: { id: string }; code: string; message: string }> } }>(
        '{ instances { edges { node { id } } providerErrors { provider { id } code message } } }',
      );
      expect(answer.status).toBe(200);
      expect(answer.data?.instances.edges).toEqual([]);
      expect(answer.data?.instances.providerErrors).toEqual([{ provider: { id: providerId }, code: 'PROVIDER_UNAVAILABLE', message: expect.any(String) }]);
      expect(answer.data?.instances.providerErrors[0]?.message).not.toMatch(/127\.0\.0\.1|http:/);
    });
  });
}
