import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

interface Node {
  nativeId: string;
  backups: Array<{ nativeId: string }> | null;
  schedules: Array<{ nativeId: string }> | null;
}
interface Listed {
  instances: { edges: Array<{ node: Node }> };
}
const LIST = '{ instances(first: 100) { edges { node { nativeId backups { nativeId } schedules { nativeId } } } } }';

/**
 * OnApp's and Zomro's VM ids go into the paths (`/virtual_machines/{id}/backups.json`) and `plid`/`elid`
 * (a list of objects to BILLmanager: `1,2` is two) of the VM's reads, and are integers. A VM the
 * provider listed with any other id had its backups and schedules NOT_FOUND "object not found", as
 * though the VM were gone, where the id is the provider's answer: they are PROVIDER_ERROR
 * INVALID_RESPONSE at their paths (as a Danube hostname of no use in a URL is), the other VMs'
 * answered, the id never quoted and never sent.
 */
const HOSTILE: Array<[string, string]> = [
  ['"../"', '../480'],
  ['"%2F"', '480%2F..'],
  ['"?"', '480?page=2'],
  ['"#"', '480#x'],
  ['CR LF', '480\r\nX-Injected: 1'],
  ['","', '5203773,5203774'],
  ['not an integer', '480a'],
  ['a leading zero (VM 480 to a reader of integers)', '0480'],
];

function expectProviderErrors(listed: Awaited<ReturnType<Harness['gql']>> & { data?: Listed | null }, id: string, provider: string, lists: ReadonlyArray<'backups' | 'schedules'>): void {
  const edges = listed.data!.instances.edges;
  const index = edges.findIndex((edge) => edge.node.nativeId === id);
  expect(index).toBeGreaterThanOrEqual(0);
  const errors = (listed.errors ?? []).map((error) => [error.path?.join('.'), error.extensions?.code, error.extensions?.providerCode]).sort();
  expect(errors).toEqual(lists.map((list) => [`instances.edges.${index}.node.${list}`, 'PROVIDER_ERROR', 'INVALID_RESPONSE']));
  for (const error of listed.errors ?? []) expect(error.message).toMatch(new RegExp(`^provider ${provider} listed an? (VM|object) whose id is no (OnApp|BILLmanager) id \\(an integer\\)`));
  expect(edges.filter((edge, at) => at !== index && (edge.node.backups === null || edge.node.schedules === null))).toEqual([]);
}

describe('onapp: a VM listed with an id of no OnApp id\'s shape', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  it.each(HOSTILE)('has its lists as the provider\'s INVALID_RESPONSE, never NOT_FOUND nor sent (%s)', async (_what, id) => {
    const model = [...simulator.vms.values()][1]!;
    simulator.vms.set(999_999, { ...model, id: id as unknown as number, disks: [] });
    try {
      harness.resetUpstreamLogs();
      // Its schedules are read from the account's disk list, which names no disk of it: none, and no error.
      expectProviderErrors(await harness.gql<Listed>(LIST), id, 'onapp-test', ['backups']);
      const paths = harness.simulator('onapp').server.log.map((request) => request.rawPath);
      expect(paths.filter((path) => path.startsWith('/virtual_machines/') && !/^\/virtual_machines\/[1-9]\d*\//.test(path))).toEqual([]);
    } finally {
      simulator.vms.delete(999_999);
    }
  });
});

describe('zomro: an instance listed with an id of no BILLmanager id\'s shape', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
  });
  afterAll(() => harness.close());

  it.each(HOSTILE)('has its lists as the provider\'s INVALID_RESPONSE, never NOT_FOUND nor sent (%s)', async (_what, id) => {
    const model = [...simulator.instances.values()][0]!;
    simulator.instances.set(id, { ...model, id });
    try {
      harness.resetUpstreamLogs();
      expectProviderErrors(await harness.gql<Listed>(LIST), id, 'zomro-test', ['backups', 'schedules']);
      const sent = harness.simulator('zomro').server.log.flatMap((request) => {
        const query = new URLSearchParams(request.query);
        return [request.form.plid, request.form.elid, query.get('plid'), query.get('elid')];
      });
      expect(sent.filter((value) => value !== undefined && value !== null && !/^\d+$/.test(value))).toEqual([]);
    } finally {
      simulator.instances.delete(id);
    }
  });
});
