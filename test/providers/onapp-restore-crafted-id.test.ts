import { describe, expect, it } from 'vitest';
import { decodeOperationId, operationId } from '../../src/gateway/ids.js';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { errorCodes, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * An operation id is the client's: a restore's id carries its series' watermark, its place and,
 * for a restore that joined an older series, the newest transaction it read itself. A made-up third
 * part (a transaction far above the watermark), or a made-up place past restores never listed, sent
 * each poll up every page to the first (48 reads with enough of them). Only what the gateway wrote
 * beside the restore's place when it sent it is looked so far for now; a made-up id costs what an id
 * naming the watermark alone costs, and one that read above every transaction listed is NOT_FOUND.
 */
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';
const INSTANCES = '{ instances { edges { node { nativeId backups { id nativeId } } } } }';
const TRANSACTIONS = 'GET /virtual_machines/:id/transactions.json';

interface Listed {
  instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ id: string; nativeId: string }> } }> };
}

describe('onapp: a restore operation id whose parts the gateway did not write', () => {
  it('costs no more page reads a poll than its watermark alone, and one that read above every transaction is NOT_FOUND after one read', async () => {
    const harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    const simulator = harness.simulator('onapp').simulator as OnappSimulator;
    try {
      simulator.asyncDelayMs = 10 * 60_000;
      simulator.holdRestoreListing = true;
      const listed = await harness.gql<Listed>(INSTANCES);
      const isBuilt = (backup: { nativeId: string }) => Date.now() >= (simulator.backups.get(Number(backup.nativeId))?.builtAt ?? Infinity);
      const vm = listed.data!.instances.edges.map((edge) => edge.node).find((node) => node.backups.some(isBuilt))!;
      const vmId = Number(vm.nativeId);
      simulator.addTransactions(vmId, 'reboot_virtual_server', 15);
      const answer = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: vm.backups.find(isBuilt)!.id, confirm: true } });
      expect(errorCodes(answer)).toEqual([]);
      const real = decodeOperationId(answer.data!.restoreBackup.operation.id);
      const [watermark] = real.token;
      // 200 transactions above the watermark, twenty pages of ten; the restore's own not listed yet.
      simulator.addTransactions(vmId, 'reboot_virtual_server', 200);
      const newest = simulator.transactions.at(-1)!.id;

      const poll = async (token: string[]) => {
        const from = simulator.server.log.length;
        const polled = await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id: operationId({ ...real, token }) });
        return { polled, reads: simulator.server.log.slice(from).filter((request) => request.label === TRANSACTIONS).length };
      };
      const asWatermark = await poll(real.token);
      expect(asWatermark.polled.data).toEqual({ operation: { status: 'PENDING', error: null } });
      expect(asWatermark.reads).toBeLessThanOrEqual(12);

      // A third part naming the newest transaction: every page up to the first, before. No
      // transaction found and no record of it started (the gateway wrote no such id): NOT_FOUND.
      const readFar = await poll([watermark!, '1', String(newest)]);
      expect(errorCodes(readFar.polled)).toEqual(['NOT_FOUND']);
      expect(readFar.reads).toBe(asWatermark.reads);
      // The last place of a series no restore took: 31 restores before it never listed, so on up to the first page, before.
      const lastPlace = await poll([watermark!, '32']);
      expect(errorCodes(lastPlace.polled)).toEqual(['NOT_FOUND']);
      expect(lastPlace.reads).toBe(asWatermark.reads);
      // A read above every transaction the VM lists was read by no restore.
      const impossible = await poll([watermark!, '2', String(newest + 1_000)]);
      expect(errorCodes(impossible.polled)).toEqual(['NOT_FOUND']);
      expect(impossible.reads).toBe(1);

      // The real one is still found.
      simulator.listHeldTransactions();
      expect((await poll(real.token)).polled.data).toEqual({ operation: { status: 'RUNNING', error: null } });
    } finally {
      await harness.close();
    }
  });
});
