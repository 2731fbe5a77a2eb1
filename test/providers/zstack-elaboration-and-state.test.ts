import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZSTACK_SIM_PASSWORD, type ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const BACKUPS = '{ instances(first: 100) { edges { node { backups { id nativeId status } } } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error providerErrorCode } }';

interface Listed {
  id: string;
  nativeId: string;
  status: string;
}

/**
 * ZStack's error carries `elaboration` ("A reserved field", API docs), where ZStack says why in a
 * person's words, and a volume backup carries `state` ("Enabled state of the disk backup") beside
 * `status`. Neither was read: a failed job said only its description, a Disabled backup read
 * AVAILABLE, and one ZStack lists as Deleted (kept until expunged) read UNKNOWN.
 */
describe("zstack: an error's elaboration and a backup's state", () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.asyncDelayMs = 0;
  });
  afterAll(() => harness.close());

  const backups = async (): Promise<Listed[]> => (await harness.gql<{ instances: { edges: Array<{ node: { backups: Listed[] } }> } }>(BACKUPS)).data!.instances.edges.flatMap((edge) => edge.node.backups);
  const volumesOf = (group: string) => simulator.volumeBackups.filter((row) => row.groupUuid === group);

  it("a failed job's message carries its elaboration, scrubbed", async () => {
    const [first] = await backups();
    simulator.deletionCheckRefusal = { code: 'SYS.1001', description: 'the VM backup is referenced', elaboration: `a revert of this backup is running; wait for it (login ${ZSTACK_SIM_PASSWORD})` };
    try {
      const deleted = await harness.gql<{ deleteBackup: { operation: { id: string } } }>(DELETE, { input: { backupId: first!.id } });
      expect(deleted.errors).toBeUndefined();
      const done = await eventually(() => harness.gql<{ operation: { status: string; error: string } }>(OPERATION, { id: deleted.data!.deleteBackup.operation.id }), (read) => read.data?.operation.status !== 'RUNNING');
      expect(done.data?.operation.status).toBe('FAILED');
      expect(done.data?.operation.error).toMatch(/^the VM backup is referenced \(a revert of this backup is running; wait for it \(login .+\)\)$/);
      expect(done.text).not.toContain(ZSTACK_SIM_PASSWORD);
    } finally {
      simulator.deletionCheckRefusal = null;
    }
  });

  it('a backup with a Disabled volume is FAILED, not AVAILABLE', async () => {
    const [, second] = await backups();
    expect(second!.status).toBe('AVAILABLE');
    const volume = volumesOf(second!.nativeId).at(-1)!;
    volume.state = 'Disabled';
    try {
      expect((await backups()).find((backup) => backup.nativeId === second!.nativeId)?.status).toBe('FAILED');
    } finally {
      volume.state = 'Enabled';
    }
  });

  it('a backup ZStack lists with every volume Deleted is not listed; one with a Deleted volume beside Ready ones is FAILED', async () => {
    const [, , third, fourth] = await backups();
    const thirdVolumes = volumesOf(third!.nativeId);
    const fourthVolumes = volumesOf(fourth!.nativeId);
    expect(fourthVolumes.length).toBeGreaterThan(1);
    for (const volume of thirdVolumes) volume.status = 'Deleted';
    fourthVolumes.at(-1)!.status = 'Deleted';
    try {
      const listed = await backups();
      expect(listed.some((backup) => backup.nativeId === third!.nativeId)).toBe(false);
      expect(listed.find((backup) => backup.nativeId === fourth!.nativeId)?.status).toBe('FAILED');
    } finally {
      for (const volume of [...thirdVolumes, ...fourthVolumes]) volume.status = 'Ready';
    }
  });
});
