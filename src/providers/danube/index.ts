import type { ProviderModule, SimulatorStartOptions } from '../module.js';
import { DanubeAdapter } from './adapter.js';
import type { DanubeConfig } from './config.js';

export const danubeModule: ProviderModule<DanubeConfig> = {
  kind: 'danube',
  createAdapter: (account, upstream, config) => new DanubeAdapter(account, upstream, config),
  async startSimulator(options: SimulatorStartOptions) {
    // Loaded on demand: the production import graph (config mode) holds no simulator.
    const { DANUBE_SIM_API_KEY, DanubeSimulator } = await import('./simulator.js');
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
