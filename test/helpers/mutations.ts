import type { Capability } from '../../src/domain/types.js';

/** The ids a mutation may name, all at one provider account. */
export interface MutationTargets {
  providerId: string;
  instanceId: string;
  backupId: string;
  scheduleId: string;
  definitionId: string;
  /** A well-formed Operation id at the account (its task or job need not exist). */
  operationId: string;
}

export interface MutationCase {
  name: string;
  /** The capability an account must declare for the mutation to reach it. */
  capability: Capability;
  /** The least role that may call it. */
  role: 'operator' | 'admin';
  build(targets: MutationTargets): { query: string; variables: Record<string, unknown> };
}

const call = (field: string, inputType: string, selection: string) => (input: Record<string, unknown>) => ({
  query: `mutation($input: ${inputType}!) { ${field}(input: $input) { ${selection} } }`,
  variables: { input },
});

/** Every mutation of the schema, with input that passes the gateway's own checks. */
export const EVERY_MUTATION: readonly MutationCase[] = [
  { name: 'createBackup', capability: 'CREATE_BACKUP', role: 'operator', build: (t) => call('createBackup', 'CreateBackupInput', 'operation { id }')({ instanceId: t.instanceId, name: 'guarded' }) },
  { name: 'deleteBackup', capability: 'DELETE_BACKUP', role: 'admin', build: (t) => call('deleteBackup', 'DeleteBackupInput', 'operation { id }')({ backupId: t.backupId }) },
  { name: 'restoreBackup', capability: 'RESTORE_BACKUP', role: 'admin', build: (t) => call('restoreBackup', 'RestoreBackupInput', 'operation { id }')({ backupId: t.backupId, confirm: true }) },
  { name: 'syncBackups', capability: 'SYNC_BACKUPS', role: 'operator', build: (t) => call('syncBackups', 'SyncBackupsInput', 'operation { id }')({ providerId: t.providerId }) },
  {
    name: 'createBackupSchedule',
    capability: 'CREATE_SCHEDULE',
    role: 'operator',
    build: (t) => call('createBackupSchedule', 'CreateBackupScheduleInput', 'schedule { id }')({ instanceId: t.instanceId, name: 'weekly', weekdays: ['MONDAY'], time: '03:00' }),
  },
  { name: 'deleteBackupSchedule', capability: 'DELETE_SCHEDULE', role: 'operator', build: (t) => call('deleteBackupSchedule', 'DeleteBackupScheduleInput', 'deletedId')({ scheduleId: t.scheduleId }) },
  {
    name: 'createBackupDefinition',
    capability: 'CREATE_DEFINITION',
    role: 'operator',
    build: (t) => call('createBackupDefinition', 'CreateBackupDefinitionInput', 'definition { id }')({ instanceId: t.instanceId, name: 'nightly', cron: '0 3 * * *', retention: 7, node: 'node99.erigones.com' }),
  },
  { name: 'updateBackupDefinition', capability: 'UPDATE_DEFINITION', role: 'operator', build: (t) => call('updateBackupDefinition', 'UpdateBackupDefinitionInput', 'definition { id }')({ definitionId: t.definitionId, retention: 3 }) },
  { name: 'deleteBackupDefinition', capability: 'DELETE_DEFINITION', role: 'operator', build: (t) => call('deleteBackupDefinition', 'DeleteBackupDefinitionInput', 'deletedId')({ definitionId: t.definitionId }) },
  { name: 'updateBackupNote', capability: 'UPDATE_BACKUP_NOTE', role: 'operator', build: (t) => call('updateBackupNote', 'UpdateBackupNoteInput', 'backup { id }')({ backupId: t.backupId, note: 'checked' }) },
  { name: 'cancelOperation', capability: 'CANCEL_OPERATION', role: 'admin', build: (t) => call('cancelOperation', 'CancelOperationInput', 'operation { id }')({ operationId: t.operationId }) },
];
