import { defineProviderModule } from '../module.js';
import { ZOMRO_CAPABILITIES, ZomroAdapter } from './adapter.js';
import { zomroConfigSchema } from './config.js';
import { zomroInstanceStatus } from './instance-status.js';
import { declareZomroSecrets } from './secrets.js';

export const zomroModule = defineProviderModule({
  kind: 'zomro',
  configSchema: zomroConfigSchema,
  capabilities: ZOMRO_CAPABILITIES,
  instanceStatus: zomroInstanceStatus,
  // `authinfo=user:password` is BILLmanager's login field.
  logRedactPaths: ['authinfo', '*.authinfo'],
  secretKeys: ['token', 'password'],
  standingCredential: (auth) => (auth.token ? 'its Zomro token' : null),
  // `createdate`, `date_create` and the like: local panel times.
  zonelessDates: true,
  declareSecrets: declareZomroSecrets,
  createAdapter: (account, upstream, config, services) => new ZomroAdapter(account, upstream, config, services.foreignRows, services.restoreOutcomes),
  async loadSimulator() {
    const { ZOMRO_SIM_TOKEN, ZomroSimulator } = await import('./simulator.js');
    return {
      create: (options) => new ZomroSimulator(options),
      // The simulator writes its local dates in UTC.
      account: (url, simulator) => ({ name: 'Zomro (simulated)', url: `${url}/`, timezone: 'UTC', auth: { token: ZOMRO_SIM_TOKEN }, restoreSettleMs: simulator.asyncDelayMs }),
    };
  },
});
