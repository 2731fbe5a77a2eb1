import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import type { SimRequest, SimResponse } from '../../src/simulator/server.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { CREATE, type Created, backupIdsOf, finishedBackup, highestBackupId, instanceIds } from '../helpers/onapp-creates.js';

/**
 * OnApp answers a create with no record, so the create looks for the new
 * backup of its disk. A backup OnApp's own schedule takes between the
 * create's list read and its call has the lower id: it is not the create's.
 */
describe('onapp: a scheduled backup taken while a create is on its way', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'] });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  it("reports the backup the create made, not the schedule's that came just before it", async () => {
    const vm = (await instanceIds(harness))[2]!;
    const before = highestBackupId(simulator);
    const handled = simulator as unknown as { handle(request: SimRequest): SimResponse | Promise<SimResponse> };
    const handle = handled.handle.bind(simulator);
    let scheduledId = 0;
    handled.handle = (request) => {
      const disk = request.method === 'POST' ? /^settings\/disks\/(\d+)\/backups\.json$/.exec(request.segments.join('/')) : null;
      if (disk && scheduledId === 0) scheduledId = simulator.takeScheduledBackup(Number(disk[1]));
      return handle(request);
    };
    try {
      const created = await harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name: 'nightly' } });
      expect(created.errors).toBeUndefined();
      const operation = await finishedBackup(harness.gql, created.data!.createBackup!.operation.id);
      const made = backupIdsOf(simulator, vm.nativeId, before);
      expect(made).toHaveLength(2);
      expect(made).toContain(String(scheduledId));
      expect(operation).toMatchObject({ status: 'SUCCEEDED', backup: { nativeId: made.find((id) => id !== String(scheduledId)) } });
    } finally {
      delete (handled as Partial<typeof handled>).handle;
    }
  });
});
