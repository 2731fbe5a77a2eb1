import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const LIST = '{ instances(first: 100) { edges { node { id nativeId } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const POLL = 'query($id: ID!) { operation(id: $id) { status backup { name } } }';

/**
 * Which root volume a create backs up, by the form of the VM row's `rootVolumeUuid`: absent or
 * blank (spaces alone too) is read from `allVolumes`' Root entry, as the backup list reads it; one
 * that is there but no ZStack uuid is the provider's INVALID_RESPONSE, nothing sent (the row
 * contradicts itself). zstack-vm-without-root-volume covers the empty string alone.
 */
describe('zstack: a create reads the VM row\'s rootVolumeUuid by its form', () => {
  let harness: Harness;
  const zstack = () => harness.simulator('zstack').simulator as ZstackSimulator;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
  });
  afterAll(() => harness.close());

  /** A VM of the simulator's, its row changed by `change` for the create and put back after. */
  async function createWith(name: string, change: (row: Record<string, unknown>) => void): Promise<{ answer: Awaited<ReturnType<Harness['gql']>>; root: string }> {
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>(LIST);
    const { id, nativeId } = listed.data!.instances.edges[0]!.node;
    const row = zstack().vms.find((each) => each.uuid === nativeId)!;
    const saved = { ...row };
    change(row);
    try {
      return { answer: await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: id, name } }), root: String(saved.rootVolumeUuid) };
    } finally {
      for (const key of Object.keys(row)) delete row[key];
      Object.assign(row, saved);
    }
  }

  async function backedUp(name: string, answer: Awaited<ReturnType<Harness['gql']>>, root: string): Promise<void> {
    expect(answer.errors).toBeUndefined();
    zstack().finishJobs();
    const id = (answer.data as { createBackup: { operation: { id: string } } }).createBackup.operation.id;
    const poll = await harness.gql<{ operation: { status: string; backup: { name: string } | null } }>(POLL, { id });
    expect(poll.data?.operation).toEqual({ status: 'SUCCEEDED', backup: { name } });
    const made = zstack().volumeBackups.filter((volume) => String(volume.name).startsWith(name));
    expect(made.find((volume) => volume.type === 'Root')?.volumeUuid).toBe(root);
  }

  it('absent: backs up the allVolumes entry typed Root', async () => {
    const { answer, root } = await createWith('root-absent', (row) => {
      delete row.rootVolumeUuid;
    });
    await backedUp('root-absent', answer, root);
  });

  it('spaces alone: backs up the allVolumes entry typed Root, as for a blank one', async () => {
    const { answer, root } = await createWith('root-spaces', (row) => {
      row.rootVolumeUuid = '   ';
    });
    await backedUp('root-spaces', answer, root);
  });

  it('there but no ZStack uuid: INVALID_RESPONSE, and nothing sent, not the Root entry backed up instead', async () => {
    const before = zstack().volumeBackups.length;
    const { answer } = await createWith('root-not-a-uuid', (row) => {
      row.rootVolumeUuid = String(row.rootVolumeUuid).toUpperCase();
    });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_ERROR', providerCode: 'INVALID_RESPONSE' });
    zstack().finishJobs();
    expect(zstack().volumeBackups.length).toBe(before);
  });
});
