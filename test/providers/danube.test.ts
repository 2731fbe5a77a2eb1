import { describeProviderSuite } from './shared-suite.js';

describeProviderSuite({
  kind: 'danube',
  capabilities: [
    'LIST_INSTANCES',
    'LIST_BACKUPS',
    'CREATE_BACKUP',
    'DELETE_BACKUP',
    'RESTORE_BACKUP',
    'LIST_SCHEDULES',
    'LIST_DEFINITIONS',
    'CREATE_DEFINITION',
    'UPDATE_DEFINITION',
    'DELETE_DEFINITION',
    'UPDATE_BACKUP_NOTE',
    'CANCEL_OPERATION',
  ],
  isBackupListCall: (request) => request.label === 'GET /vm/:x/backup',
  // Danube lists backups per VM only: one call per VM.
  maxBackupListCalls: (instances) => instances,
  createBackupExtras: () => ({ definitionName: 'daily' }),
  missingInstanceNativeId: 'ghost.example.com',
});
