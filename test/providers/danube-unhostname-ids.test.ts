import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const BACKUP = 'query($id: ID!) { backup(id: $id) { id } }';
const DELETE_BACKUP = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }';

/**
 * The sibling of danube-overlong-hostname: a client's backup id naming a "hostname" no host can
 * have (a lone "-", a name starting with "." or "-") is sent to Danube, which answers 412 "Invalid
 * hostname", and the client read PROVIDER_ERROR for its own id (found by the attack7 helper;
 * fails 3 of 4 with client.ts's isSendableHostname taking a "-" or "." first; "a.." was refused
 * already).
 */
describe('danube: a client id naming what no hostname can be', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
  });
  afterAll(() => harness.close());

  it.each([['-'], ['.a'], ['-a'], ['a..']])('is BAD_USER_INPUT with no call of the VM (%s)', async (hostname) => {
    const backupId = encodeId('Backup', 'danube-test', [hostname, 'daily-20240101_000000', '1']);
    harness.resetUpstreamLogs();
    const answers = [await harness.gql(BACKUP, { id: backupId }), await harness.gql(DELETE_BACKUP, { input: { backupId } })];
    for (const answer of answers) expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    // A path naming a VM (`/api/vm/{h}/...`); the VM list's own path is `/api/vm/` now it carries its slash.
    expect(harness.simulator('danube').server.log.filter((request) => request.rawPath.startsWith('/api/vm/') && request.rawPath !== '/api/vm/')).toEqual([]);
  });
});
