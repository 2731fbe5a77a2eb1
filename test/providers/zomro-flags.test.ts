import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { dashboardNodes } from '../helpers/dashboard.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * A backup's `protected` ("If "off", the backup can be deleted. If "on", the backup cannot be
 * deleted.", Zomro's backup document) shown in the panel's language, the stored on/off in `$orig`
 * beside it, as BILLmanager sends coded values. Read from `$` alone, "Да" was off: the backup read
 * deletable, and its delete went to Zomro instead of being refused.
 */
describe.each([
  { words: { on: 'Да', off: 'Нет' } },
  { words: { on: 'Yes', off: 'No' } },
  { words: null },
])("zomro: a backup's protected flag ($words)", ({ words }) => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    simulator.flagWords = words;
  });
  afterAll(() => harness.close());

  it('reads on from $orig (or $ without it), and refuses the delete of a protected backup without asking Zomro', async () => {
    const backups = (await dashboardNodes(harness)).flatMap((node) => node.backups);
    const stored = (nativeId: string) => simulator.backups.get(nativeId)!.protected;
    expect(backups.some((backup) => stored(backup.nativeId) === 'on')).toBe(true);
    for (const backup of backups) expect(backup.protected).toBe(stored(backup.nativeId) === 'on');
    const locked = backups.find((backup) => backup.protected)!;
    harness.resetUpstreamLogs();
    const answer = await harness.gql('mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }', { input: { backupId: locked.id } });
    expect(errorCodes(answer)).toEqual(['CONFLICT']);
    expect(harness.simulator('zomro').server.count('image.delete')).toBe(0);
  });
});
