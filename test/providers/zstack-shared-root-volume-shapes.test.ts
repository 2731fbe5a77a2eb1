import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

interface Node {
  id: string;
  nativeId: string;
  backups: Array<{ id: string }> | null;
  protection: { status: string } | null;
}
interface Answered {
  backups: Array<{ id: string }> | null;
  protection: string | undefined;
  codes: Array<[unknown, unknown]>;
  naming: boolean[];
}
const FIELDS = 'id nativeId backups { id } protection { status }';
const LIST = `{ instances(first: 100) { edges { cursor node { ${FIELDS} } } } }`;
const PAGE = `query ($after: String) { instances(first: 1, after: $after) { edges { node { ${FIELDS} } } } }`;
const ONE = `query ($id: ID!) { instance(id: $id) { ${FIELDS} } }`;

/**
 * Two VM rows naming one root volume are caught whatever the query's shape: instance(id:) alone and
 * a page holding one of them answer as the dashboard does (neither VM's backups, INVALID_RESPONSE
 * naming both, protection UNKNOWN). Only a dashboard, which read both rows, caught it: the others
 * answered the VM's backups and PROTECTED. The claim is asked of ZStack (`rootVolumeUuid?=`) in one
 * query per backup batch, and not at all where the request has read the whole VM list.
 */
describe('zstack: a shared root volume, answered alike by every query shape', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  const twin = 'c'.repeat(32);
  const claimQueries: string[] = [];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.beforeQuery = (route, params) => {
      if (route === 'vm-instances' && params.getAll('q').some((condition) => condition.startsWith('rootVolumeUuid'))) claimQueries.push(params.getAll('q').join('&'));
    };
  });
  afterEach(() => {
    const at = simulator.vms.findIndex((row) => row.uuid === twin);
    if (at >= 0) simulator.vms.splice(at, 1);
    claimQueries.length = 0;
  });
  afterAll(() => harness.close());

  const answered = (node: Node | null | undefined, errors: Array<{ message: string; extensions?: Record<string, unknown> }> | undefined, claimants: string[]): Answered => ({
    backups: node?.backups ?? null,
    protection: node?.protection?.status,
    codes: (errors ?? []).map((error) => [error.extensions?.code, error.extensions?.providerCode]),
    naming: (errors ?? []).map((error) => claimants.every((claimant) => error.message.includes(claimant))),
  });

  it('answers instance(id:), a page holding one and the dashboard alike', async () => {
    const before = (await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST)).data!.instances.edges.map((edge) => edge.node);
    const owner = before.find((node) => (node.backups?.length ?? 0) > 0)!;
    const row = simulator.vms.find((vm) => vm.uuid === owner.nativeId)!;
    simulator.vms.push({ ...row, uuid: twin, name: 'twin' });
    const claimants = [owner.nativeId, twin];

    const dashboard = await harness.gql<{ instances: { edges: Array<{ cursor: string; node: Node }> } }>(LIST);
    const edges = dashboard.data!.instances.edges;
    // The dashboard read every VM row: it asks ZStack nothing more.
    expect(claimQueries).toEqual([]);
    const expected: Answered = { backups: null, protection: 'UNKNOWN', codes: [['PROVIDER_ERROR', 'INVALID_RESPONSE']], naming: [true] };
    for (const claimant of claimants) {
      const node = edges.find((edge) => edge.node.nativeId === claimant)!.node;
      expect(answered(node, (dashboard.errors ?? []).filter((error) => error.message.includes(claimant)).slice(0, 1), claimants)).toEqual(expected);
    }

    for (const claimant of claimants) {
      const at = edges.findIndex((edge) => edge.node.nativeId === claimant);
      const node = edges[at]!.node;
      claimQueries.length = 0;
      const alone = await harness.gql<{ instance: Node | null }>(ONE, { id: node.id });
      expect(answered(alone.data?.instance, alone.errors, claimants)).toEqual(expected);
      expect(claimQueries).toHaveLength(1);

      const page = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(PAGE, { after: at === 0 ? null : edges[at - 1]!.cursor });
      const paged = page.data!.instances.edges.map((edge) => edge.node);
      expect(paged.map((item) => item.nativeId)).toEqual([claimant]);
      expect(answered(paged[0], page.errors, claimants)).toEqual(expected);
    }
  });

  /**
   * A row naming its root volume only by an `allVolumes` entry typed Root (no `rootVolumeUuid`):
   * as the asked VM, its root is asked by all the same and a claimant naming it in `rootVolumeUuid`
   * is found; as the claimant, ZStack's `rootVolumeUuid?=` does not find it (the condition is on
   * that field), so only a request that read its row catches it. Asking again by `allVolumes.uuid`
   * is not done: docs/providers.md says why.
   */
  it("catches a VM naming its root volume only in allVolumes: asked alone where the other row names it in rootVolumeUuid, and in a dashboard either way", async () => {
    const before = (await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST)).data!.instances.edges.map((edge) => edge.node);
    const owner = before.find((node) => (node.backups?.length ?? 0) > 0)!;
    const row = simulator.vms.find((vm) => vm.uuid === owner.nativeId)!;
    const claimants = [owner.nativeId, twin];
    const expected: Answered = { backups: null, protection: 'UNKNOWN', codes: [['PROVIDER_ERROR', 'INVALID_RESPONSE']], naming: [true] };
    const rootVolumeUuid = row.rootVolumeUuid;
    delete row.rootVolumeUuid;
    try {
      simulator.vms.push({ ...row, uuid: twin, name: 'twin', rootVolumeUuid });
      const alone = await harness.gql<{ instance: Node | null }>(ONE, { id: owner.id });
      expect(answered(alone.data?.instance, alone.errors, claimants)).toEqual(expected);
    } finally {
      row.rootVolumeUuid = rootVolumeUuid;
      simulator.vms.splice(simulator.vms.findIndex((vm) => vm.uuid === twin), 1);
    }

    const { rootVolumeUuid: _dropped, ...withoutRootField } = row;
    simulator.vms.push({ ...withoutRootField, uuid: twin, name: 'twin' });
    const dashboard = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
    const node = dashboard.data!.instances.edges.find((edge) => edge.node.nativeId === owner.nativeId)!.node;
    expect(answered(node, (dashboard.errors ?? []).filter((error) => error.message.includes(owner.nativeId)).slice(0, 1), claimants)).toEqual(expected);
    // The limit docs/providers.md names: asked alone, the claimant is not found.
    const alone = await harness.gql<{ instance: Node | null }>(ONE, { id: owner.id });
    expect(alone.errors).toBeUndefined();
    expect(alone.data?.instance?.backups).toEqual(owner.backups);
  });

  it('answers a VM whose root volume no other row names as before, with one more query', async () => {
    const before = (await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST)).data!.instances.edges.map((edge) => edge.node);
    const owner = before.find((node) => (node.backups?.length ?? 0) > 0)!;
    claimQueries.length = 0;
    const alone = await harness.gql<{ instance: Node | null }>(ONE, { id: owner.id });
    expect(alone.errors).toBeUndefined();
    expect(alone.data?.instance).toEqual(owner);
    expect(claimQueries).toHaveLength(1);
  });
});
