import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * Coded words (a backup's `fleio_status` and `backup_type`, an instance's `instance_status` and
 * `fotbo_status`) shown in the panel's language, the stored word in `$orig` beside it, as
 * BILLmanager sends coded values ("values can also carry `$orig` next to `$`", providers.md) and
 * as Zomro's panel, which speaks Russian too, shows them. Read from `$` alone, a Russian panel's
 * backups were all UNKNOWN, a create FAILED at its first poll ("backup status ..."), and a
 * restore never came to rest.
 */

const RUSSIAN: Readonly<Record<string, string>> = {
  active: 'Активен',
  saving: 'Создается',
  suspended: 'Приостановлен',
  stopped: 'Остановлен',
  rebuilding: 'Переустановка',
  manual: 'Вручную',
  schedule: 'По расписанию',
};

const LIST = '{ instances(first: 1000) { edges { node { id nativeId status state backups { id nativeId status origin raw } } } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';
/** A backup the test makes stays Saving until the test ends it (finishBackups): released by the test, never run out. */
const HELD_MS = 10 * 60_000;

interface Node {
  id: string;
  nativeId: string;
  status: string;
  state: string | null;
  backups: Array<{ id: string; nativeId: string; status: string; origin: string | null; raw: Record<string, unknown> }>;
}

describe('zomro: coded words in the panel language, the stored word in $orig', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let nodes: Node[];
  const operation = async (id: string) => (await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id })).data!.operation;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], simulator: { asyncDelayMs: 300 }, configure: withProviderSettings({ cacheTtlMs: 0, restoreSettleMs: 0 }) });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    simulator.statusWords = RUSSIAN;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
    expect(answer.errors).toBeUndefined();
    nodes = answer.data!.instances.edges.map((edge) => edge.node);
  });
  afterAll(() => harness.close());

  it('reads backup statuses and origins and instance states from $orig; raw keeps the shown word', () => {
    const backups = nodes.flatMap((node) => node.backups);
    const active = backups.filter((backup) => backup.raw.fleio_status === 'Активен');
    expect(active.length).toBeGreaterThan(0);
    for (const backup of active) expect(backup.status).toBe('AVAILABLE');
    expect(backups.filter((backup) => backup.raw.fleio_status === 'Приостановлен').every((backup) => backup.status === 'FAILED')).toBe(true);
    expect(new Set(backups.map((backup) => backup.origin))).toEqual(new Set(['MANUAL', 'SCHEDULED']));
    for (const node of nodes) {
      const stored = simulator.instances.get(node.nativeId)!.instance_status;
      expect(node).toMatchObject({ state: stored, status: stored === 'active' ? 'RUNNING' : 'STOPPED' });
    }
  });

  it('a create follows its backup from Saving to Active: RUNNING, then SUCCEEDED', async () => {
    // Saving until the test has read it RUNNING (a 300 ms backup could be Active by then on a loaded machine).
    const asyncDelayMs = simulator.asyncDelayMs;
    simulator.asyncDelayMs = HELD_MS;
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', { input: { instanceId: nodes[0]!.id, name: 'panel-words' } });
    // The backup's time is set as it is made: the restore below rebuilds in the usual time.
    simulator.asyncDelayMs = asyncDelayMs;
    expect(created.errors).toBeUndefined();
    const id = created.data!.createBackup.operation.id;
    expect(await operation(id)).toEqual({ status: 'RUNNING', error: null });
    simulator.finishBackups();
    expect(await eventually(() => operation(id), (read) => read.status !== 'RUNNING')).toEqual({ status: 'SUCCEEDED', error: null });
  });

  it('a restore follows the rebuild to a resting word: SUCCEEDED', async () => {
    // Chosen by the simulator's own records, so that the choice does not depend on the reading under test.
    const usable = (candidate: Node['backups'][number]) => candidate.raw.fleio_status === 'Активен';
    const node = nodes.find((candidate) => simulator.instances.get(candidate.nativeId)!.instance_status === 'active' && candidate.backups.some(usable))!;
    const backup = node.backups.find(usable)!;
    const restored = await harness.gql<{ restoreBackup: { operation: { id: string } } }>('mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }', { input: { backupId: backup.id, confirm: true } });
    expect(restored.errors).toBeUndefined();
    const id = restored.data!.restoreBackup.operation.id;
    expect(await eventually(() => operation(id), (read) => read.status !== 'RUNNING', { timeoutMs: 5_000 })).toEqual({ status: 'SUCCEEDED', error: null });
  });
});
