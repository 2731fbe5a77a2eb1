import { describeProviderSuite } from './shared-suite.js';

describeProviderSuite({
  kind: 'zstack',
  capabilities: ['LIST_INSTANCES', 'LIST_BACKUPS', 'CREATE_BACKUP', 'DELETE_BACKUP', 'RESTORE_BACKUP', 'SYNC_BACKUPS', 'NAME_BACKUP'],
  isBackupListCall: (request) => request.label === 'GET /zstack/v1/volume-backups',
  // One IN query for every VM at once.
  maxBackupListCalls: () => 1,
  missingInstanceNativeId: '0123456789abcdef0123456789abcdef',
});
