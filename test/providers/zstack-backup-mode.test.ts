import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * A ZStack volume backup's `mode`: providers.md lists the field, but the API docs' list of a volume
 * backup's fields (CreateVmBackup, #inventories) names none and gives no values. A backup whose
 * rows do not say is no mode (the schema: "Full or incremental, where the provider says; null
 * where it does not"); it read FULL.
 */

const LIST = '{ instances(first: 1000) { edges { node { backups { nativeId mode } } } } }';

describe('zstack: a backup mode only where ZStack says one', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
  });
  afterAll(() => harness.close());

  async function modes(): Promise<Map<string, string | null>> {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ nativeId: string; mode: string | null }> } }> } }>(LIST);
    expect(answer.errors).toBeUndefined();
    const backups = answer.data!.instances.edges.flatMap((edge) => edge.node.backups);
    expect(backups.length).toBeGreaterThan(1);
    return new Map(backups.map((backup) => [backup.nativeId, backup.mode]));
  }

  it('guard: rows carrying Full read FULL, and Incremental INCREMENTAL', async () => {
    const group = simulator.volumeBackups[0]!.groupUuid as string;
    const kept = simulator.volumeBackups.filter((row) => row.groupUuid === group).map((row) => [row, row.mode] as const);
    for (const [row] of kept) row.mode = 'Incremental';
    try {
      const read = await modes();
      expect(read.get(group)).toBe('INCREMENTAL');
      for (const [id, mode] of read) if (id !== group) expect(mode).toBe('FULL');
    } finally {
      for (const [row, mode] of kept) row.mode = mode;
    }
  });

  it('rows without mode (the API docs list none) are no mode, not FULL', async () => {
    simulator.omitsMode = true;
    try {
      for (const mode of (await modes()).values()) expect(mode).toBeNull();
    } finally {
      simulator.omitsMode = false;
    }
  });

  it('a word that is neither full nor incremental is no mode', async () => {
    const row = simulator.volumeBackups.find((item) => item.type === 'Root')!;
    const kept = row.mode;
    row.mode = 'Differential';
    try {
      expect((await modes()).get(row.groupUuid as string)).toBeNull();
    } finally {
      row.mode = kept;
    }
  });
});
