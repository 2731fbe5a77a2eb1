import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startForgingProxy, type Forged, type ForgingProxy } from '../helpers/forging-proxy.js';
import { errorCodes, startHarness, type DraftConfig, type Harness } from '../helpers/harness.js';

/**
 * Danube's "400 Bad Request – FAILURE" (API docs) writes nothing, and frees a write's
 * idempotencyKey. A panel (or a proxy before it) answering the FAILURE with a 2xx status had the
 * write counted as reached the provider: a cancel answered so (its task already failed), whose
 * follow-up task read was then turned away (429), kept its key 24 h, and the retry with it was
 * told that failure again without a cancel sent. No document says esdc-ce sends a 2xx FAILURE,
 * so the simulator does not: a forging proxy plays it, as in danube-envelope-status.test.ts.
 */
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
const CANCEL = 'mutation($input: CancelOperationInput!) { cancelOperation(input: $input) { operation { id status } } }';

describe('a Danube cancel answered 2xx FAILURE, its task read then rate limited', () => {
  let harness: Harness;
  let proxy: ForgingProxy;
  let simulatorOrigin = '';
  let forging = false;
  let cancelsSent = 0;

  beforeAll(async () => {
    proxy = await startForgingProxy(() => simulatorOrigin, (request): Forged | null => {
      const url = request.url ?? '';
      if (request.method === 'PUT' && url.includes('/cancel')) cancelsSent += 1;
      if (!forging) return null;
      if (request.method === 'PUT' && url.includes('/cancel')) return { status: 200, body: { status: 'FAILURE', result: { detail: 'task failed' }, task_id: 't-1' } };
      if (request.method === 'GET' && url.includes('/task/')) return { status: 429, body: { detail: 'Request was throttled.' } };
      return null;
    });
    harness = await startHarness({
      kinds: ['danube'],
      configure: (config: DraftConfig) => {
        const account = config.providers[0] as Record<string, unknown>;
        simulatorOrigin = new URL(String(account.url)).origin;
        // No retry and no breaker: each call reaches the proxy once, as counted.
        return { ...config, providers: [{ ...account, url: String(account.url).replace(simulatorOrigin, proxy.origin), retries: 0, breakerThreshold: 1_000, cacheTtlMs: 0 }] };
      },
    });
  }, 60_000);
  afterAll(async () => {
    await harness.close();
    proxy.close();
  });

  it('frees the key: the retry with it sends the cancel', async () => {
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ id: string }> } }> } }>('{ instances { edges { node { backups { id } } } } }');
    const backupId = listed.data?.instances.edges.flatMap((edge) => edge.node.backups)[0]?.id;
    const removed = await harness.gql<{ deleteBackup: { operation: { id: string; status: string } } }>(DELETE, { input: { backupId } });
    expect(removed.data?.deleteBackup.operation.status).toBe('RUNNING');
    const input = { operationId: removed.data!.deleteBackup.operation.id, idempotencyKey: randomUUID() };

    forging = true;
    const first = await harness.gql(CANCEL, { input });
    forging = false;
    expect(errorCodes(first)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(cancelsSent).toBe(1);

    const retried = await harness.gql<{ cancelOperation: { operation: { status: string } } }>(CANCEL, { input });
    expect(retried.errors).toBeUndefined();
    expect(cancelsSent).toBe(2);
  });
});
