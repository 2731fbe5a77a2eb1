import { afterEach, describe, expect, it } from 'vitest';
import type { Capability } from '../../src/domain/types.js';
import { PROVIDER_KINDS } from '../../src/providers/registry.js';
import { errorCodes, eventually, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

interface Node {
  id: string;
  nativeId: string;
  status: string;
  backups: Array<{ id: string; status: string; protected: boolean }> | null;
  schedules: Array<{ id: string }> | null;
  definitions: Array<{ id: string; name: string }> | null;
}

const LIST = `{
  providers { capabilities }
  instances(first: 1000) { edges { node { id nativeId status backups { id status protected } schedules { id } definitions { id name } } } }
}`;

/** One write per capability, built from what the account lists now (a write may use up its target). */
type WriteCase = { capability: Capability; build: (nodes: Node[], round: number) => { query: string; variables: Record<string, unknown> } };

const deletable = (nodes: Node[], round: number) => nodes.flatMap((node) => (node.backups ?? []).filter((backup) => !backup.protected && backup.status === 'AVAILABLE'))[round]!;
/** A backup to restore: those of stopped instances first (Danube refuses a running target, `force` or not). */
const restorable = (nodes: Node[], round: number) => deletable([...nodes.filter((node) => node.status === 'STOPPED'), ...nodes.filter((node) => node.status !== 'STOPPED')], round);
const withList = <K extends 'schedules' | 'definitions'>(nodes: Node[], list: K, round: number) => nodes.flatMap((node) => node[list] ?? [])[round]!;
const mutation = (field: string, type: string, selection: string, input: Record<string, unknown>) => ({ query: `mutation($input: ${type}!) { ${field}(input: $input) { ${selection} } }`, variables: { input } });

const WRITES: WriteCase[] = [
  { capability: 'CREATE_BACKUP', build: (nodes, round) => mutation('createBackup', 'CreateBackupInput', 'operation { id }', { instanceId: nodes[round]!.id, name: `once-${round}`, definitionName: 'daily' }) },
  { capability: 'DELETE_BACKUP', build: (nodes, round) => mutation('deleteBackup', 'DeleteBackupInput', 'operation { id }', { backupId: deletable(nodes, round).id }) },
  { capability: 'RESTORE_BACKUP', build: (nodes, round) => mutation('restoreBackup', 'RestoreBackupInput', 'operation { id }', { backupId: restorable(nodes, round).id, confirm: true, force: true }) },
  { capability: 'SYNC_BACKUPS', build: () => ({ query: 'mutation($id: ID!) { syncBackups(input: { providerId: $id }) { operation { id } } }', variables: {} }) },
  { capability: 'CREATE_SCHEDULE', build: (nodes, round) => mutation('createBackupSchedule', 'CreateBackupScheduleInput', 'schedule { id }', { instanceId: nodes[round]!.id, name: `weekly-${round}`, weekdays: ['MONDAY'], time: '03:00' }) },
  { capability: 'DELETE_SCHEDULE', build: (nodes, round) => mutation('deleteBackupSchedule', 'DeleteBackupScheduleInput', 'deletedId', { scheduleId: withList(nodes, 'schedules', round).id }) },
  { capability: 'CREATE_DEFINITION', build: (nodes, round) => mutation('createBackupDefinition', 'CreateBackupDefinitionInput', 'definition { id }', { instanceId: nodes[round]!.id, name: `nightly${round}`, cron: '0 3 * * *', retention: 7, node: 'node99.erigones.com' }) },
  { capability: 'UPDATE_DEFINITION', build: (nodes, round) => mutation('updateBackupDefinition', 'UpdateBackupDefinitionInput', 'definition { id }', { definitionId: withList(nodes, 'definitions', round).id, retention: 3 + round }) },
  { capability: 'DELETE_DEFINITION', build: (nodes, round) => mutation('deleteBackupDefinition', 'DeleteBackupDefinitionInput', 'deletedId', { definitionId: withList(nodes, 'definitions', round + 2).id }) },
  { capability: 'UPDATE_BACKUP_NOTE', build: (nodes, round) => mutation('updateBackupNote', 'UpdateBackupNoteInput', 'backup { id }', { backupId: deletable(nodes, round + 4).id, note: `n${round}` }) },
];

/**
 * A write the provider may have done before failing to say so must never be
 * sent twice: on every provider, each write request is made once even when
 * the provider answers it 503 and reads would be retried three times.
 */
describe('writes are never retried, on any provider', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  for (const kind of PROVIDER_KINDS) {
    it(`${kind}: every write request is sent once, even after a 503`, async () => {
      harness = await startHarness({ kinds: [kind], configure: withProviderSettings({ retries: 3 }) });
      const server = harness.simulator(kind).server;
      const list = async () => {
        const answer = await harness.gql<{ providers: Array<{ capabilities: Capability[] }>; instances: { edges: Array<{ node: Node }> } }>(LIST);
        expect(answer.errors).toBeUndefined();
        return { capabilities: answer.data!.providers[0]!.capabilities, nodes: answer.data!.instances.edges.map((edge) => edge.node) };
      };
      // Danube's tasks finish on their own time (a forced restore deleting the disk's other backups):
      // one finishing between the list and the write removed the backup the write was built for.
      const tasks = (harness.simulator(kind).simulator as { tasks?: Map<string, { done: boolean; revoked: boolean; doneAt: number }> }).tasks;
      const tasksEnded = () => Promise.resolve([...(tasks?.values() ?? [])].every((task) => task.done || task.revoked || Date.now() >= task.doneAt));
      const run = async (write: WriteCase, round: number) => {
        await eventually(tasksEnded, Boolean);
        const { nodes } = await list();
        const { query, variables } = write.build(nodes, round);
        return harness.gql(query, { ...variables, id: harness.providerId(kind) });
      };

      const { capabilities } = await list();
      const readLabels = new Set(server.log.map((request) => request.label));
      const writes = WRITES.filter((write) => capabilities.includes(write.capability));
      expect(writes.length).toBeGreaterThanOrEqual(3);
      let checked = 0;
      for (const write of writes) {
        // First the write as it should go, to learn which requests it makes.
        harness.resetUpstreamLogs();
        const first = await run(write, 0);
        expect(first.errors, `${write.capability} succeeds without a fault`).toBeUndefined();
        const writeLabels = [...new Set(server.log.filter((request) => request.method !== 'GET' && !readLabels.has(request.label)).map((request) => request.label))];
        expect(writeLabels.length, `${write.capability} makes a write request`).toBeGreaterThan(0);
        // Then again, with each of its write requests answered 503 after the provider did the work.
        for (const label of writeLabels) {
          await server.setFault({ mode: 'http-503', onlyLabel: label });
          harness.resetUpstreamLogs();
          const refused = await run(write, 1);
          await server.clearFault();
          expect(errorCodes(refused), `${write.capability} (${label})`).toEqual(['PROVIDER_UNAVAILABLE']);
          expect(server.count(label), `${write.capability} sent ${label} more than once`).toBe(1);
          checked++;
        }
      }
      expect(checked).toBeGreaterThanOrEqual(writes.length);
    });
  }
});
