import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * "backup_type – normal or incremental" (OnApp's backups/images document; its JSON and XML samples
 * both lower-case). The documented words are FULL and INCREMENTAL (a guard); the same words
 * capitalised or padded, as OnApp's own UI shows them, read the same (they read as no mode); any
 * other word is no mode, `raw` keeping it.
 */

const LIST = '{ instances(first: 1000) { edges { node { backups { nativeId mode raw } } } } }';

interface Listed {
  nativeId: string;
  mode: string | null;
  raw: Record<string, unknown>;
}

describe('onapp: backup_type words', () => {
  let harness: Harness;
  let simulator: OnappSimulator;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  async function modesWith(words: { normal: string; incremental: string } | null): Promise<Array<{ made: string; mode: string | null; sent: unknown }>> {
    simulator.backupTypeWords = words;
    try {
      const answer = await harness.gql<{ instances: { edges: Array<{ node: { backups: Listed[] } }> } }>(LIST);
      expect(answer.errors).toBeUndefined();
      const listed = answer.data!.instances.edges.flatMap((edge) => edge.node.backups).map((backup) => ({ made: simulator.backups.get(Number(backup.nativeId))!.backup_type, mode: backup.mode, sent: backup.raw.backup_type }));
      expect(new Set(listed.map((backup) => backup.made))).toEqual(new Set(['normal', 'incremental']));
      return listed;
    } finally {
      simulator.backupTypeWords = null;
    }
  }

  it('guard: the documented normal and incremental are FULL and INCREMENTAL', async () => {
    for (const backup of await modesWith(null)) expect(backup.mode).toBe(backup.made === 'incremental' ? 'INCREMENTAL' : 'FULL');
  });

  it.each([
    { normal: 'Normal', incremental: 'Incremental' },
    { normal: ' NORMAL ', incremental: 'incremental\n' },
  ])('reads $normal and $incremental as FULL and INCREMENTAL; raw keeps the word sent', async (words) => {
    for (const backup of await modesWith(words)) {
      expect(backup.sent).toBe(backup.made === 'incremental' ? words.incremental : words.normal);
      expect(backup.mode).toBe(backup.made === 'incremental' ? 'INCREMENTAL' : 'FULL');
    }
  });

  it('a word that is neither is no mode', async () => {
    for (const backup of await modesWith({ normal: 'differential', incremental: 'incremental' })) expect(backup.mode).toBe(backup.made === 'incremental' ? 'INCREMENTAL' : null);
  });
});
