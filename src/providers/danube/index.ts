import type { ProviderModule, SimulatorStartOptions } from '../module.js';
import { DanubeAdapter } from './adapter.js';
import type { DanubeConfig } from './config.js';
import { DANUBE_SIM_API_KEY, DanubeSimulator } from './simulator.js';

export const danubeModule: ProviderModule<DanubeConfig> = {
  kind: 'danube',
  createAdapter: (account, upstream, config) => new DanubeAdapter(account, upstream, config),
  async startSimulator(options: SimulatorStartOptions) {
    const simulator = new DanubeSimulator(options);
    const url = await simulator.start();
    return {
      kind: 'danube',
      server: simulator.server,
      simulator,
      url,
      accountConfig: (id) => ({ id, kind: 'danube', name: 'Danube Cloud (simulated)', url: `${url}/api`, auth: { apiKey: DANUBE_SIM_API_KEY } }),
      stop: () => simulator.stop(),
    };
  },
};
