import { describeProviderSuite } from './shared-suite.js';

describeProviderSuite({
  kind: 'zomro',
  capabilities: ['LIST_INSTANCES', 'LIST_BACKUPS', 'CREATE_BACKUP', 'DELETE_BACKUP', 'RESTORE_BACKUP', 'LIST_SCHEDULES', 'CREATE_SCHEDULE', 'DELETE_SCHEDULE', 'NAME_BACKUP'],
  isBackupListCall: (request) => request.label === 'instances.fleio_bckps',
  // Zomro lists backups per instance only: exactly one call per instance.
  maxBackupListCalls: (instances) => instances,
  missingInstanceNativeId: '999999999',
});
