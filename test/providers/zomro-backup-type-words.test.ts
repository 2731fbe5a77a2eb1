import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * A backup's `backup_type`: "How the backup was created: Manually or on schedule" (Zomro's backup
 * document), its example `manual`; no document shows the word of a scheduled backup. The
 * description's own words (`Manually`, `on schedule`) and the example's, spaced or capitalised as
 * a panel may store them, each read as the origin they name; a word none of them is no origin.
 */

const LIST = '{ instances(first: 1000) { edges { node { backups { nativeId origin raw } } } } }';

interface Listed {
  nativeId: string;
  origin: string | null;
  raw: Record<string, unknown>;
}

describe('zomro: backup_type words, as the backup document words them', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
  });
  afterAll(() => harness.close());

  /** Each listed backup's origin beside the way the simulator made it (manual or by a schedule). */
  async function originsWith(words: { manual: string; schedule: string } | null): Promise<Array<{ made: string; origin: string | null; sent: unknown }>> {
    simulator.backupTypeWords = words;
    try {
      const answer = await harness.gql<{ instances: { edges: Array<{ node: { backups: Listed[] } }> } }>(LIST);
      expect(answer.errors).toBeUndefined();
      return answer.data!.instances.edges.flatMap((edge) => edge.node.backups).map((backup) => ({ made: simulator.backups.get(backup.nativeId)!.backup_type, origin: backup.origin, sent: backup.raw.backup_type }));
    } finally {
      simulator.backupTypeWords = null;
    }
  }

  it.each([
    { manual: 'Manually', schedule: 'on schedule' },
    { manual: ' manual ', schedule: 'On Schedule' },
    { manual: 'MANUAL', schedule: 'by  schedule' },
    { manual: 'manual', schedule: 'Scheduled' },
  ])('reads $manual as MANUAL and $schedule as SCHEDULED', async (words) => {
    const listed = await originsWith(words);
    expect(listed.some((backup) => backup.made === 'manual')).toBe(true);
    expect(listed.some((backup) => backup.made !== 'manual')).toBe(true);
    for (const backup of listed) {
      expect(backup.sent).toBe(backup.made === 'manual' ? words.manual : words.schedule);
      expect(backup.origin).toBe(backup.made === 'manual' ? 'MANUAL' : 'SCHEDULED');
    }
  });

  it('a word that names neither way is no origin; raw keeps it', async () => {
    const listed = await originsWith({ manual: 'manual', schedule: 'rotation' });
    const other = listed.filter((backup) => backup.made !== 'manual');
    expect(other.length).toBeGreaterThan(0);
    for (const backup of other) expect(backup).toMatchObject({ origin: null, sent: 'rotation' });
  });
});
