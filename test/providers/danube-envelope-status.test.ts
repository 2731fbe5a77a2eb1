import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startForgingProxy, type Forged, type ForgingProxy } from '../helpers/forging-proxy.js';
import { errorCodes, startHarness, type DraftConfig, type Harness } from '../helpers/harness.js';

/**
 * Danube answers a failure 400 FAILURE (API docs: "200 OK – SUCCESS", "201 Created – PENDING",
 * "400 Bad Request – FAILURE"). A hostile or broken panel (or a proxy before it) that answers a
 * write 2xx with FAILURE, or with no envelope at all, must not have its write told SUCCEEDED.
 */
const FORGED: Record<string, Forged> = {
  bare: { status: 200, body: { error: 'restore not allowed', success: false } },
  failure: { status: 200, body: { status: 'FAILURE', result: { detail: 'VM backup status is not OK' }, task_id: 't-1' } },
  pendingWithoutTask: { status: 201, body: { status: 'PENDING', result: null } },
};

describe('a Danube write answered 2xx without SUCCESS or PENDING', () => {
  let harness: Harness;
  let proxy: ForgingProxy;
  let forged: Forged | null = null;
  let forgedTask: Forged | null = null;
  let simulatorOrigin = '';

  beforeAll(async () => {
    // Every write (not a GET, not the login) is answered as `forged` says.
    proxy = await startForgingProxy(() => simulatorOrigin, (request) => {
      if ((request.url ?? '').includes('/task/')) return forgedTask;
      return request.method !== 'GET' && !(request.url ?? '').includes('/accounts/login') ? forged : null;
    });
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

  it.each(Object.keys(FORGED))('is a provider error, not a restore or delete that succeeded (%s)', async (name) => {
    forged = null;
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ id: string }> } }> } }>('{ instances { edges { node { backups { id } } } } }');
    const backupId = listed.data?.instances.edges.flatMap((edge) => edge.node.backups)[0]?.id;
    expect(backupId).toBeDefined();
    forged = FORGED[name] ?? null;
    const restore = await harness.gql<{ restoreBackup: { operation: { status: string } } | null }>(
      'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { status } } }',
      { input: { backupId, confirm: true } },
    );
    const remove = await harness.gql<{ deleteBackup: { operation: { status: string } } | null }>('mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { status } } }', { input: { backupId } });
    forged = null;
    for (const answer of [restore, remove]) {
      expect(errorCodes(answer)).toEqual(['PROVIDER_ERROR']);
      expect(answer.text).not.toContain('SUCCEEDED');
    }
  }, 30_000);

  it('fails the poll of a task answered 200 without its envelope, never SUCCEEDED', async () => {
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ id: string }> } }> } }>('{ instances { edges { node { backups { id } } } } }');
    const backupId = listed.data?.instances.edges.flatMap((edge) => edge.node.backups).at(-1)?.id;
    const remove = await harness.gql<{ deleteBackup: { operation: { id: string; status: string } } }>('mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }', { input: { backupId } });
    expect(remove.data?.deleteBackup.operation.status).toBe('RUNNING');
    forgedTask = { status: 200, body: {} };
    const polled = await harness.gql('query($id: ID!) { operation(id: $id) { status } }', { id: remove.data?.deleteBackup.operation.id });
    forgedTask = null;
    expect(errorCodes(polled)).toEqual(['PROVIDER_ERROR']);
    expect(polled.text).not.toContain('SUCCEEDED');
  });
});
