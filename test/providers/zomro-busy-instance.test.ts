import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { errorCodes, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * A backup or a restore asked of a Zomro instance with a task under way other than a rebuild.
 * The gateway refused only words starting `rebuild`; a resize waiting to be confirmed, a reboot,
 * rescue mode, a migration were sent to the panel, whose refusal was the only guard (and a
 * panel that took a backup mid-resize would hold a disk being copied).
 */

interface Node {
  id: string;
  nativeId: string;
  state: string | null;
  backups: Array<{ id: string; status: string }>;
}

const LIST = '{ instances(first: 1000) { edges { node { id nativeId state backups { id status } } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';

/** [fotbo_status word, instance_status meanwhile, what the message says it is, what it says to do]. */
const TASKS = [
  ['resized', 'verify_resize', 'resized, the resize waiting to be confirmed', 'confirm or revert the resize in the panel'],
  ['resizing', undefined, 'being resized or moved to another host', 'wait for it to end'],
  ['MIGRATING', undefined, 'being resized or moved to another host', 'wait for it to end'],
  ['rebooting', undefined, 'being stopped, started or rebooted', 'wait for it to end'],
  ['rescued', undefined, 'in rescue mode', 'end rescue mode in the panel'],
  ['processing', undefined, 'having a task carried out by the panel', 'wait for it to end'],
] as const;

describe('zomro: a create or a restore while the instance has a task under way', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let node: Node;
  /** Another instance, for the last test: the first holds 10 backups by then, the panel's limit. */
  let other: Node;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ cacheTtlMs: 0, restoreSettleMs: 0 }) });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
    [node, other] = answer.data!.instances.edges.map((edge) => edge.node).slice(3, 5) as [Node, Node];
  });
  afterAll(() => harness.close());

  const writes = () => harness.simulator('zomro').server.count('instances.fleio_bckps.edit') + harness.simulator('zomro').server.count('instances.fleio.rebuild');

  for (const [word, billingWord, doing, then] of TASKS) {
    it(`"${word}": both are CONFLICT saying what to do, nothing sent, and the same idempotencyKey goes through once it ends`, async () => {
      const backup = node.backups.find((item) => item.status === 'AVAILABLE')!;
      const create = { instanceId: node.id, name: `busy-${word}`, idempotencyKey: `zomro-busy-create-${word}` };
      const restore = { backupId: backup.id, confirm: true, idempotencyKey: `zomro-busy-restore-${word}` };
      simulator.startTask(node.nativeId, word, Number.POSITIVE_INFINITY, billingWord);
      try {
        harness.resetUpstreamLogs();
        const created = await harness.gql(CREATE, { input: create });
        expect(errorCodes(created)).toEqual(['CONFLICT']);
        expect(created.errors?.[0]?.message).toBe(`the instance is ${doing} (it shows "${word}"): its cloud takes no backup of a server in that state, so nothing was sent to Zomro; ${then}${then.startsWith('wait') ? ' (the instance shows a resting word, active or stopped, again)' : ''}, then create the backup again`);
        const restored = await harness.gql(RESTORE, { input: restore });
        expect(errorCodes(restored)).toEqual(['CONFLICT']);
        expect(restored.errors?.[0]?.message).toContain(`the instance is ${doing} (it shows "${word}"): its cloud rebuilds no server in that state, so nothing was sent to Zomro; ${then}`);
        expect(restored.errors?.[0]?.message).toMatch(/then send the restore again$/);
        expect(writes()).toBe(0);
      } finally {
        simulator.endTask(node.nativeId);
      }
      // Refused before acting: both keys are free, and the same requests go through now.
      const created = await harness.gql<{ createBackup: { operation: { status: string } } }>(CREATE, { input: create });
      expect(created.errors).toBeUndefined();
      const restored = await harness.gql(RESTORE, { input: restore });
      expect(restored.errors).toBeUndefined();
      expect(writes()).toBe(2);
      // The rebuild this test began is over for the next one.
      simulator.instances.get(node.nativeId)!.rebuildUntil = 0;
    });
  }

  it('a panel without fotbo_status: verify_resize (a documented instance_status word) is refused unsent; another task is sent and the panel refuses it', async () => {
    simulator.listsFotboStatus = false;
    try {
      simulator.startTask(other.nativeId, 'resized', Number.POSITIVE_INFINITY, 'verify_resize');
      harness.resetUpstreamLogs();
      const resized = await harness.gql(CREATE, { input: { instanceId: other.id, name: 'busy-no-fotbo-1' } });
      expect(errorCodes(resized)).toEqual(['CONFLICT']);
      expect(resized.errors?.[0]?.message).toContain('(it shows "verify_resize"): its cloud takes no backup of a server in that state');
      expect(writes()).toBe(0);
      simulator.startTask(other.nativeId, 'rebooting', Number.POSITIVE_INFINITY);
      const rebooting = await harness.gql(CREATE, { input: { instanceId: other.id, name: 'busy-no-fotbo-2' } });
      expect(errorCodes(rebooting)).toEqual(['CONFLICT']);
      expect(rebooting.errors?.[0]?.message).toContain('The instance is busy (rebooting)');
      expect(writes()).toBe(1);
      expect([...simulator.backups.values()].some((item) => item.name === 'busy-no-fotbo-2')).toBe(false);
    } finally {
      simulator.listsFotboStatus = true;
      simulator.endTask(other.nativeId);
    }
  });
});
