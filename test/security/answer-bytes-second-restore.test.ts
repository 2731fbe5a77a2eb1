import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, withAccountCopy, withLimits, type Harness } from '../helpers/harness.js';

const LIMIT = 1024 * 1024;
const REFUSAL = `the providers' answers to this request passed ${LIMIT} bytes (limits.maxUpstreamAnswerBytesPerRequest); ask for fewer items`;
const TWO_RESTORES = `mutation($first: RestoreBackupInput!, $second: RestoreBackupInput!) {
  first: restoreBackup(input: $first) { operation { id kind status } }
  second: restoreBackup(input: $second) { operation { id } }
}`;
const BACKUPS = '{ instances(providerId: "onapp-hostile") { edges { node { nativeId backups { id } } } } }';
type Listed = { instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ id: string }> } }> } };
type Restored = { first: { operation: { id: string; kind: string; status: string } } | null; second: { operation: { id: string } } | null };

/**
 * An OnApp of two VMs, one backup each, no transactions, whose restore POST answers with 512 KiB of
 * words (OnApp documents no body; a proxy's or a hostile panel's page), as does its DELETE of a
 * backup. It counts the restores POSTed and the deletes sent.
 */
class LargeRestoreAnswerOnapp {
  readonly restoresPosted: string[] = [];
  readonly deletesSent: string[] = [];
  readonly server = createServer((req, res) => this.answer(req, res));

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const url = req.url ?? '';
    const json = (body: unknown): void => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'DELETE') {
      this.deletesSent.push(url);
      return json({ note: 'n'.repeat(2 * LIMIT) });
    }
    if (req.method === 'POST') {
      const backup = /^\/backups\/(\d+)\/restore\.json/.exec(url)?.[1];
      if (backup !== undefined) this.restoresPosted.push(backup);
      return json({ note: 'n'.repeat(2 * LIMIT) });
    }
    if (url.startsWith('/virtual_machines.json')) return json([1, 2].map((id) => ({ virtual_machine: { id, label: `vm${id}`, booted: false } })));
    const vm = /^\/virtual_machines\/(\d+)\/backups\.json/.exec(url)?.[1];
    if (vm !== undefined) return json([{ backup: { id: Number(vm) * 10, built: true, created_at: '2026-01-01T00:00:00Z', backup_type: 'normal' } }]);
    return json([]);
  }
}

const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id kind status } } }';

/**
 * Two restores in one document, the first's POST answer passing the request's answer bytes. The
 * write is never cut: the first restore is sent and its place marked. The second is refused before
 * anything is sent, as QUERY_TOO_COMPLEX; and since a mutation's payload is non-null, that error
 * nulls the whole `data` (GraphQL's rule for a root field), the first's operation with it. What a
 * user can do (docs/architecture.md, "Partial results and errors"): the first, sent again with its
 * `idempotencyKey`, answers its operation from its record, unsent; the second, refused before it
 * sent anything, had its key freed: sent again with it, it acts. A refusal that comes after the
 * write (its follow-up read) keeps its key as "may have acted".
 */
describe('a second restore in one document after the request passed its answer bytes', () => {
  let harness: Harness;
  const onapp = new LargeRestoreAnswerOnapp();

  beforeAll(async () => {
    await new Promise<void>((resolve) => onapp.server.listen(0, '127.0.0.1', resolve));
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [withLimits({ maxUpstreamAnswerBytesPerRequest: LIMIT }), withAccountCopy('onapp', { id: 'onapp-hostile', url: onapp.url, retries: 0, cacheTtlMs: 0 })],
    });
  });
  afterAll(async () => {
    await harness?.close();
    onapp.server.closeAllConnections();
    await new Promise<void>((resolve) => onapp.server.close(() => resolve()));
  });

  it('the first is sent, the second refused unsent, the answer null; the first\'s key answers its operation, the second\'s acts when sent again', async () => {
    const listed = await harness.gql<Listed>(BACKUPS);
    const [first, second] = listed.data!.instances.edges.map((edge) => edge.node.backups[0]!.id);
    const answer = await harness.gql<Restored>(TWO_RESTORES, {
      first: { backupId: first, confirm: true, idempotencyKey: 'restore-first' },
      second: { backupId: second, confirm: true, idempotencyKey: 'restore-second' },
    });
    expect(answer.errors).toEqual([expect.objectContaining({ path: ['second'], message: REFUSAL, extensions: { code: 'QUERY_TOO_COMPLEX' } })]);
    expect(answer.data).toBeNull();
    expect(onapp.restoresPosted).toEqual(['10']);
    const firstAgain = await harness.gql<{ restoreBackup: Restored['first'] }>(RESTORE, { input: { backupId: first, confirm: true, idempotencyKey: 'restore-first' } });
    expect(errorCodes(firstAgain)).toEqual([]);
    expect(firstAgain.data?.restoreBackup?.operation).toMatchObject({ kind: 'RESTORE_BACKUP', status: 'RUNNING' });
    expect(onapp.restoresPosted).toEqual(['10']);
    // Refused before anything was sent: its key is free, not replayed as "the provider may have acted".
    const secondAgain = await harness.gql<{ restoreBackup: Restored['first'] }>(RESTORE, { input: { backupId: second, confirm: true, idempotencyKey: 'restore-second' } });
    expect(errorCodes(secondAgain)).toEqual([]);
    expect(onapp.restoresPosted).toEqual(['10', '20']);
  });

  it('a delete whose own answer passes the answer bytes, its follow-up read refused: it answers its operation RUNNING, replayed for its key', async () => {
    const listed = await harness.gql<Listed>(BACKUPS);
    const backupId = listed.data!.instances.edges[0]!.node.backups[0]!.id;
    const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
    const input = { backupId, idempotencyKey: 'delete-large-answer' };
    // The read after the DELETE is refused QUERY_TOO_COMPLEX unsent: it says nothing of the delete OnApp
    // took, which answers its operation RUNNING as when that read is refused or times out (a failure
    // kept as "may have acted" told the client the delete failed).
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string; status: string } } }>(DELETE, { input });
    expect(errorCodes(deleted)).toEqual([]);
    expect(deleted.data?.deleteBackup.operation.status).toBe('RUNNING');
    expect(onapp.deletesSent).toHaveLength(1);
    // The DELETE was sent: sent again with its key, the operation is replayed and nothing is sent.
    const again = await harness.gql<{ deleteBackup: { operation: { id: string } } }>(DELETE, { input });
    expect(errorCodes(again)).toEqual([]);
    expect(again.data?.deleteBackup.operation.id).toBe(deleted.data?.deleteBackup.operation.id);
    expect(onapp.deletesSent).toHaveLength(1);
  });
});
