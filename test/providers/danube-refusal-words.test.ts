import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startForgingProxy, type Forged, type ForgingProxy } from '../helpers/forging-proxy.js';
import { errorCodes, startHarness, type DraftConfig, type Harness } from '../helpers/harness.js';

const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { status } } }';

/**
 * A refusal's words as a hostile or broken panel (or a proxy before it) may send them: its
 * strings as lists read by index ("0: VM backup status is not OK"), its fields all null read
 * "detail:". Lists are joined, fields without words left out, and nothing left is named by status
 * (the backup's status refusal then says what to do: danube-backup-status-refusal.test.ts).
 */
const CASES: Array<[string, Forged, string, RegExp]> = [
  ['a detail sent as a list', { status: 409, body: { detail: ['VM backup status is not OK'] } }, 'CONFLICT', /^VM backup status is not OK: Danube deletes a backup only once/],
  ['a FAILURE whose detail is a list', { status: 409, body: { status: 'FAILURE', result: { detail: ['VM backup status is not OK', null, 'try later'] }, task_id: null } }, 'CONFLICT', /^VM backup status is not OK, try later: Danube deletes a backup only once/],
  ['a detail of null', { status: 409, body: { detail: null } }, 'CONFLICT', /^the provider answered HTTP 409 without saying why$/],
  ['a FAILURE whose fields are all null', { status: 400, body: { status: 'FAILURE', result: { detail: null, message: null }, task_id: null } }, 'PROVIDER_ERROR', /^the provider answered HTTP 400 without saying why$/],
  ['a field among nulls', { status: 423, body: { detail: null, error: [null, 'disk busy'] } }, 'CONFLICT', /^error: disk busy$/],
];

describe('a Danube refusal whose words come as lists or nulls', () => {
  let harness: Harness;
  let proxy: ForgingProxy;
  let forged: Forged | null = null;
  let simulatorOrigin = '';

  beforeAll(async () => {
    // Every delete is answered as `forged` says.
    proxy = await startForgingProxy(() => simulatorOrigin, (request) => (request.method === 'DELETE' ? forged : null));
    harness = await startHarness({
      kinds: ['danube'],
      configure: (config: DraftConfig) => {
        const account = config.providers[0] as Record<string, unknown>;
        simulatorOrigin = new URL(String(account.url)).origin;
        return { ...config, providers: [{ ...account, url: String(account.url).replace(simulatorOrigin, proxy.origin) }] };
      },
    });
  }, 60_000);
  afterAll(async () => {
    await harness.close();
    proxy.close();
  });

  it.each(CASES)('reads as plain words (%s)', async (_name, answer, code, words) => {
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ id: string }> } }> } }>('{ instances { edges { node { backups { id } } } } }');
    const backupId = listed.data?.instances.edges.flatMap((edge) => edge.node.backups)[0]?.id;
    expect(backupId).toBeDefined();
    forged = answer;
    const refused = await harness.gql(DELETE, { input: { backupId } });
    forged = null;
    expect(errorCodes(refused)).toEqual([code]);
    expect(refused.errors?.[0]?.message).toMatch(words);
  });
});
