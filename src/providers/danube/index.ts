import { defineProviderModule } from '../module.js';
import { DANUBE_CAPABILITIES, DanubeAdapter } from './adapter.js';
import { danubeConfigSchema } from './config.js';
import { danubeInstanceStatus } from './instance-status.js';
import { declareDanubeSecrets } from './secrets.js';

export const danubeModule = defineProviderModule({
  kind: 'danube',
  configSchema: danubeConfigSchema,
  capabilities: DANUBE_CAPABILITIES,
  instanceStatus: danubeInstanceStatus,
  logRedactPaths: ['apiKey', '*.apiKey', 'headers["es-api-key"]'],
  secretKeys: ['apiKey', 'password'],
  standingCredential: (auth) => (auth.apiKey ? 'its Danube apiKey' : null),
  declareSecrets: declareDanubeSecrets,
  createAdapter: (account, upstream, config, services) => new DanubeAdapter(account, upstream, config, services.createFindings, services.foreignRows, services.listedIds),
  async loadSimulator() {
    const { DANUBE_SIM_API_KEY, DanubeSimulator } = await import('./simulator.js');
    return { create: (options) => new DanubeSimulator(options), account: (url) => ({ name: 'Danube Cloud (simulated)', url: `${url}/api`, auth: { apiKey: DANUBE_SIM_API_KEY } }) };
  },
});
