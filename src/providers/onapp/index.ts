import { defineProviderModule } from '../module.js';
import { ONAPP_CAPABILITIES, OnappAdapter } from './adapter.js';
import { onappConfigSchema } from './config.js';
import { onappInstanceStatus } from './instance-status.js';
import { declareOnappSecrets } from './secrets.js';

export const onappModule = defineProviderModule({
  kind: 'onapp',
  configSchema: onappConfigSchema,
  capabilities: ONAPP_CAPABILITIES,
  instanceStatus: onappInstanceStatus,
  secretKeys: ['password'],
  standingCredential: () => 'its OnApp API key',
  declareSecrets: declareOnappSecrets,
  createAdapter: (account, upstream, config, services) => new OnappAdapter(account, upstream, config, services.createOrder, services.foreignRows, services.restoreOrder, services.draining),
  async loadSimulator() {
    const { ONAPP_SIM_API_KEY, ONAPP_SIM_USER, OnappSimulator } = await import('./simulator.js');
    return { create: (options) => new OnappSimulator(options), account: (url) => ({ name: 'OnApp (simulated)', url, auth: { username: ONAPP_SIM_USER, password: ONAPP_SIM_API_KEY } }) };
  },
});
