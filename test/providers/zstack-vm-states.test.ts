import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const INSTANCES = '{ instances(first: 100) { edges { node { nativeId state status } } } }';

/**
 * ZStack's VM states (VmInstanceState, as ZStack's own UI types list them) include
 * VolumeRecovering: a VM whose volume is being recovered, which ZStack's console and guest-tools
 * checks treat as running. Not in the gateway's table, it read UNKNOWN, as a word nobody knows.
 */
describe('zstack: VM states', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
  });
  afterAll(() => harness.close());

  const nodeOf = async (uuid: unknown) => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { nativeId: string; state: string; status: string } }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    return answer.data!.instances.edges.map((edge) => edge.node).find((node) => node.nativeId === uuid);
  };

  it('a VM whose volume is being recovered (VolumeRecovering) is BUSY, its word kept in state (it was UNKNOWN)', async () => {
    const vm = simulator.vms.find((row) => row.type !== 'ApplianceVm')!;
    vm.state = 'VolumeRecovering';
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { nativeId: string; state: string; status: string } }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.instances.edges.map((edge) => edge.node).find((node) => node.nativeId === vm.uuid)).toEqual({ nativeId: vm.uuid, state: 'VolumeRecovering', status: 'BUSY' });
  });

  // VmInstanceState.intermediateStates (zstackio/zstack) leaves Created out: a VM made with
  // CreateVmInstance's JustCreate strategy stays Created, never started, until someone starts it.
  it('a VM made and never started (Created) is STOPPED, not BUSY: no task holds it', async () => {
    const vm = simulator.vms.filter((row) => row.type !== 'ApplianceVm')[1]!;
    vm.state = 'Created';
    expect(await nodeOf(vm.uuid)).toEqual({ nativeId: vm.uuid, state: 'Created', status: 'STOPPED' });
  });

  it.each(['Error', 'Crashed', 'Unknown'])('a VM in %s stays UNKNOWN, its word kept in state (guard)', async (word) => {
    const vm = simulator.vms.filter((row) => row.type !== 'ApplianceVm')[2]!;
    vm.state = word;
    expect(await nodeOf(vm.uuid)).toEqual({ nativeId: vm.uuid, state: word, status: 'UNKNOWN' });
  });
});
