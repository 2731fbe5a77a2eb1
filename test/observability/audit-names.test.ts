import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

interface InstanceNode {
  id: string;
  nativeId: string;
  name: string;
  backups: Array<{ id: string; nativeId: string; name: string; status: string; protected: boolean }>;
}

const auditLines = (harness: Harness, operation: string) =>
  harness.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.audit === true && line.operation === operation);

describe('audit lines name what a mutation acted on', () => {
  let harness: Harness;
  let instances: InstanceNode[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
    const answer = await harness.gql<{ instances: { edges: Array<{ node: InstanceNode }> } }>('{ instances { edges { node { id nativeId name backups { id nativeId name status protected } } } } }');
    instances = answer.data!.instances.edges.map((edge) => edge.node);
  });
  afterAll(() => harness.close());

  it('createBackup: the instance (provider, native id, name), beside the opaque id', async () => {
    const instance = instances[2]!;
    const answer = await harness.gql<{ createBackup: { operation: { id: string } } }>('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', {
      input: { instanceId: instance.id, name: 'audit-named' },
    });
    expect(answer.errors).toBeUndefined();
    // Written before the answer leaves: no waiting needed.
    expect(auditLines(harness, 'createBackup').at(-1)).toMatchObject({
      provider: 'zstack-test',
      instance: { provider: 'zstack-test', nativeId: instance.nativeId, name: instance.name },
      targets: { instanceId: instance.id },
      outcome: 'ok',
    });
  });

  it('deleteBackup: the backup (provider, native id, name) and its instance', async () => {
    const instance = instances.find((candidate) => candidate.backups.some((backup) => backup.status === 'AVAILABLE' && !backup.protected))!;
    const backup = instance.backups.find((candidate) => candidate.status === 'AVAILABLE' && !candidate.protected)!;
    const answer = await harness.gql('mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }', { input: { backupId: backup.id } });
    expect(answer.errors).toBeUndefined();
    expect(auditLines(harness, 'deleteBackup').at(-1)).toMatchObject({
      provider: 'zstack-test',
      backup: { provider: 'zstack-test', nativeId: backup.nativeId, name: backup.name, instance: { nativeId: instance.nativeId } },
      outcome: 'ok',
    });
  });
});
