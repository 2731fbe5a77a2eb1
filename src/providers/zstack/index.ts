import { defineProviderModule } from '../module.js';
import { ZSTACK_CAPABILITIES, ZstackAdapter } from './adapter.js';
import { zstackConfigSchema } from './config.js';
import { zstackInstanceStatus } from './instance-status.js';
import { declareZstackSecrets } from './secrets.js';

export const zstackModule = defineProviderModule({
  kind: 'zstack',
  configSchema: zstackConfigSchema,
  capabilities: ZSTACK_CAPABILITIES,
  instanceStatus: zstackInstanceStatus,
  logRedactPaths: ['sessionId', '*.sessionId'],
  secretKeys: ['sessionId', 'password'],
  standingCredential: (auth) => (auth.sessionId ? 'its ZStack sessionId' : null),
  // `createDate`, `lastOpDate`: Gson's default format, a JVM's local time with no zone.
  zonelessDates: true,
  declareSecrets: declareZstackSecrets,
  createAdapter: (account, upstream, config) => new ZstackAdapter(account, upstream, config),
  async loadSimulator() {
    const { ZSTACK_SIM_ACCOUNT, ZSTACK_SIM_PASSWORD, ZSTACK_SIM_STORAGE, ZstackSimulator } = await import('./simulator.js');
    return {
      create: (options) => new ZstackSimulator(options),
      // The simulator writes its local dates in UTC.
      account: (url) => ({ name: 'ZStack (simulated)', url, timezone: 'UTC', auth: { accountName: ZSTACK_SIM_ACCOUNT, password: ZSTACK_SIM_PASSWORD }, backupStorageUuid: ZSTACK_SIM_STORAGE }),
    };
  },
});
