import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

interface Node {
  id: string;
  nativeId: string;
  state: string | null;
  status: string;
  backups: Array<{ id: string; status: string }>;
}

const LIST = '{ instances(first: 1000) { edges { node { id nativeId state status backups { id status } } } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';

/**
 * A panel passing its cloud's words on in `fotbo_status`: OpenStack's server statuses, ACTIVE,
 * REBUILD, ERROR and SHUTOFF for a stopped server (the gateway already reads OpenStack's MIGRATING,
 * RESIZE, REBUILD and ERROR there). SHUTOFF was a word nobody knew: a stopped instance read
 * UNKNOWN, and a restore into it never came to rest (RUNNING until restoreGiveUpMs, at least an
 * hour, then FAILED "has not come to rest"), though Nova's rebuild of a stopped server ends SHUTOFF.
 */
describe("zomro: fotbo_status in OpenStack's words", () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  const nodes = async (): Promise<Node[]> => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
    expect(answer.errors).toBeUndefined();
    return answer.data!.instances.edges.map((edge) => edge.node);
  };

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    simulator.cloudWordsOfNova = true;
    simulator.rebuildWord = 'REBUILD';
  });
  afterAll(() => harness.close());

  it('ACTIVE is RUNNING and SHUTOFF STOPPED, each word kept in state (SHUTOFF read UNKNOWN)', async () => {
    const shown = await nodes();
    const billed = (node: Node) => simulator.instances.get(node.nativeId)!.instance_status;
    expect(shown.some((node) => billed(node) === 'stopped')).toBe(true);
    for (const node of shown) {
      expect(node).toMatchObject(billed(node) === 'stopped' ? { state: 'SHUTOFF', status: 'STOPPED' } : { state: 'ACTIVE', status: 'RUNNING' });
    }
  });

  it('a restore into a stopped instance ends SUCCEEDED once it shows SHUTOFF again (it stayed RUNNING)', async () => {
    const node = (await nodes()).find((item) => item.state === 'SHUTOFF' && item.backups.some((backup) => backup.status === 'AVAILABLE'))!;
    const backup = node.backups.find((item) => item.status === 'AVAILABLE')!;
    const restored = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: backup.id, confirm: true } });
    expect(restored.errors).toBeUndefined();
    const id = restored.data!.restoreBackup.operation.id;
    const polled = await eventually(
      () => harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id }),
      (answer) => answer.data?.operation.status !== 'RUNNING',
    );
    expect(polled.errors).toBeUndefined();
    expect(polled.data!.operation).toEqual({ status: 'SUCCEEDED', error: null });
    expect((await nodes()).find((item) => item.id === node.id)).toMatchObject({ state: 'SHUTOFF', status: 'STOPPED' });
  });
});
