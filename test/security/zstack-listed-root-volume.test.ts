import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

interface Listed {
  instances: { edges: Array<{ node: { id: string; nativeId: string } }> };
}
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { status } } }';

/**
 * A ZStack create goes to the VM's root volume (`POST /volumes/{rootVolumeUuid}/vm-backups`), a uuid
 * read from ZStack's VM row. One of no ZStack uuid's shape was refused as the client's BAD_USER_INPUT
 * "not a ZStack uuid", for a VM the gateway listed: it is the provider's INVALID_RESPONSE, nothing sent.
 */
describe('zstack: a create on a VM whose root volume uuid cannot go into a URL', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
  });
  afterAll(() => harness.close());

  it.each([
    ['over 512 bytes', 'a'.repeat(600)],
    ['"../"', '../volumes/x'],
    ['"%2F"', 'a%2F..'],
    ['"?"', 'a?x=1'],
    ['"#"', 'a#x'],
    ['CR LF', 'a\r\nX-Injected: 1'],
    ['upper-case hex', 'A'.repeat(32)],
  ])("is the provider's INVALID_RESPONSE, nothing sent (%s)", async (_what, root) => {
    const vm = simulator.vms.find((row) => row.type === 'UserVm' && typeof row.rootVolumeUuid === 'string')!;
    const before = vm.rootVolumeUuid;
    vm.rootVolumeUuid = root;
    try {
      const listed = await harness.gql<Listed>('{ instances(first: 100) { edges { node { id nativeId } } } }');
      const instanceId = listed.data!.instances.edges.find((edge) => edge.node.nativeId === vm.uuid)!.node.id;
      harness.resetUpstreamLogs();
      const answer = await harness.gql(CREATE, { input: { instanceId, name: 'hostile-root' } });
      expect(answer.errors?.map((error) => [error.extensions?.code, error.extensions?.providerCode])).toEqual([['PROVIDER_ERROR', 'INVALID_RESPONSE']]);
      expect(answer.errors?.[0]?.message).toMatch(/^provider zstack-test listed /);
      expect(answer.text).not.toContain(root.slice(0, 100));
      expect(harness.simulator('zstack').server.log.filter((request) => request.method === 'POST' && request.rawPath.includes('/volumes/'))).toEqual([]);
    } finally {
      vm.rootVolumeUuid = before;
    }
  });
});
