import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationId } from '../../src/gateway/ids.js';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import type { SimRequest, SimResponse } from '../../src/simulator/server.js';
import { eventually, startHarness, withClients, withProviderSettings, type Harness } from '../helpers/harness.js';
import { CREATE, OPERATION } from '../helpers/onapp-creates.js';

/**
 * An operation id is the client's to write: a viewer can forge one for a
 * create it never made. Reading it must not change what the operation of
 * another client's create reports. OnApp reads a create's backup from the
 * VM the id names, and counts that VM's incremental backups (which name no
 * disk) for any disk: a forged id naming another client's disk, series and
 * place, but a VM with an incremental backup, recorded that VM's backup as
 * the create's, and the real create then ended FAILED ("the backup is gone").
 */
const OPERATOR = 'operator-key-0123456789abcdef';
const VIEWER = 'viewer-key-0123456789abcdef';

interface Polled {
  operation: { status: string; error: string | null; backup: { nativeId: string } | null } | null;
}

describe('onapp: a viewer forging a create operation id', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [
        withProviderSettings({ coalesceReads: false, cacheTtlMs: 0 }),
        withClients([
          { name: 'operator', key: OPERATOR, roles: ['operator'] },
          { name: 'viewer', key: VIEWER, roles: ['viewer'] },
        ]),
      ],
    });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  it('cannot record another VM backup as the backup of a create in flight', async () => {
    const instances = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>('{ instances { edges { node { id nativeId } } } }', {}, { key: VIEWER });
    const nodes = instances.data!.instances.edges.map((edge) => edge.node);
    // The seed: VM 481 has backups of its disk 11802; VM 482 has an incremental backup (no disk) with a higher id.
    const target = nodes.find((node) => node.nativeId === '481')!;
    const disk = '11802';
    const highest = Math.max(...[...simulator.backups.values()].filter((backup) => backup.vmId === 481).map((backup) => backup.id));
    const incremental = [...simulator.backups.values()].find((backup) => backup.vmId === 482 && backup.backup_type === 'incremental')!;
    expect(incremental.id).toBeGreaterThan(highest);

    // The operator's POST waits (OnApp takes its time) while the viewer reads its forged ids.
    const handled = simulator as unknown as { handle(request: SimRequest): SimResponse | Promise<SimResponse> };
    const handle = handled.handle.bind(simulator);
    let posted!: () => void;
    const postArrived = new Promise<void>((resolve) => (posted = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    handled.handle = async (request) => {
      if (request.method === 'POST') {
        posted();
        await released;
      }
      return handle(request);
    };
    try {
      const created = harness.gql<{ createBackup: { operation: { id: string } } | null }>(CREATE, { input: { instanceId: target.id, name: 'mine' } }, { key: OPERATOR });
      await postArrived;
      for (const place of ['1', '2', '3']) {
        const forged = operationId({ providerId: 'onapp-test', kind: 'CREATE_BACKUP', startedAt: new Date(), instanceNativeId: '482', backupNativeId: null, token: [disk, String(highest), place] });
        await harness.gql<Polled>(OPERATION, { id: forged }, { key: VIEWER });
      }
      release();
      const answer = await created;
      expect(answer.errors).toBeUndefined();
      const made = [...simulator.backups.values()].filter((backup) => backup.vmId === 481 && backup.id > highest).map((backup) => String(backup.id));
      expect(made).toHaveLength(1);
      const polled = await eventually(
        () => harness.gql<Polled>(OPERATION, { id: answer.data!.createBackup!.operation.id }, { key: OPERATOR }),
        (value) => value.data?.operation?.status === 'SUCCEEDED' || value.data?.operation?.status === 'FAILED',
        { timeoutMs: 5_000 },
      );
      expect(polled.data!.operation).toMatchObject({ status: 'SUCCEEDED', error: null, backup: { nativeId: made[0] } });
    } finally {
      delete (handled as Partial<typeof handled>).handle;
    }
  });
});
