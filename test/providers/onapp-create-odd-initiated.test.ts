import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { CREATE, type Created, backupIdsOf, finishedBackup, highestBackupId, instanceIds } from '../helpers/onapp-creates.js';

/**
 * A create never takes a backup OnApp's schedule made (`initiated` a period).
 * A panel that spells a backup taken on request otherwise than "manual"
 * ("Manual", a word of its own, a number) must not make every create's
 * backup read as scheduled, and so never found.
 */
describe('onapp: a create whose backup reads an odd `initiated`', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'] });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  it.each([['Manual'], ['api'], [7]])('finds the backup it made when `initiated` reads %j', async (initiated) => {
    simulator.manualInitiated = initiated;
    const vm = (await instanceIds(harness))[2]!;
    const before = highestBackupId(simulator);
    const created = await harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name: 'nightly' } });
    expect(created.errors).toBeUndefined();
    const operation = await finishedBackup(harness.gql, created.data!.createBackup!.operation.id);
    const made = backupIdsOf(simulator, vm.nativeId, before);
    expect(made).toHaveLength(1);
    expect(operation).toMatchObject({ status: 'SUCCEEDED', backup: { nativeId: made[0] } });
  });
});
