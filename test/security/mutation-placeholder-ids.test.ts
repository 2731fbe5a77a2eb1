import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { type Harness, startHarness } from '../helpers/harness.js';

/**
 * A README example pasted with its placeholder still in (`"<Backup id>"`), and with an
 * `idempotencyKey` as the README's examples send one: the answer names the field and the type of
 * id it wants. The key's check of the caller's scope read the id first, and answered
 * "e.g. an Instance's `id`" whatever the field wanted.
 */
const PLACEHOLDERS: Array<{ field: string; mutation: string; input: string; wants: string }> = [
  { field: 'instanceId', mutation: 'createBackup', input: 'instanceId: "<Instance id>", name: "n"', wants: "an Instance's" },
  { field: 'backupId', mutation: 'deleteBackup', input: 'backupId: "<Backup id>"', wants: "a Backup's" },
  { field: 'backupId', mutation: 'restoreBackup', input: 'backupId: "<Backup id>", confirm: true', wants: "a Backup's" },
  { field: 'scheduleId', mutation: 'deleteBackupSchedule', input: 'scheduleId: "<Schedule id>"', wants: "a BackupSchedule's" },
  { field: 'definitionId', mutation: 'deleteBackupDefinition', input: 'definitionId: "<Definition id>"', wants: "a BackupDefinition's" },
  { field: 'operationId', mutation: 'cancelOperation', input: 'operationId: "<Operation id>"', wants: "an Operation's" },
];

describe('a placeholder id in a mutation with an idempotencyKey names the type of id the field wants', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
  });
  afterAll(() => harness.close());

  it.each(PLACEHOLDERS)('$mutation($field)', async ({ field, mutation, input, wants }) => {
    const answer = await harness.gql(`mutation { ${mutation}(input: { ${input}, idempotencyKey: "k-${mutation}" }) { __typename } }`);
    expect(answer.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
      ['BAD_USER_INPUT', `malformed id in ${field}: send ${wants} \`id\` as the gateway answered it, not a placeholder, a name or the provider's own id`],
    ]);
    expect(harness.upstreamCount()).toBe(0);
  });

  it('names the type wanted when an id of another type is sent, key or none', async () => {
    const instanceId = encodeId('Instance', harness.providerId('zomro'), ['5203773']);
    for (const key of ['', ', idempotencyKey: "k-other-type"']) {
      const answer = await harness.gql(`mutation { deleteBackup(input: { backupId: "${instanceId}"${key} }) { __typename } }`);
      expect(answer.errors?.map((error) => error.message)).toEqual(['backupId must be the id of a Backup, got an Instance id']);
    }
  });
});
