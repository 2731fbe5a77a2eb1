import { describeProviderSuite } from './shared-suite.js';

describeProviderSuite({
  kind: 'onapp',
  capabilities: ['LIST_INSTANCES', 'LIST_BACKUPS', 'CREATE_BACKUP', 'DELETE_BACKUP', 'RESTORE_BACKUP', 'LIST_SCHEDULES', 'CREATE_SCHEDULE', 'DELETE_SCHEDULE'],
  isBackupListCall: (request) => request.label === 'GET /virtual_machines/:id/backups.json',
  // OnApp lists backups per VM only: one call per VM.
  maxBackupListCalls: (instances) => instances,
  missingInstanceNativeId: '999999',
});
