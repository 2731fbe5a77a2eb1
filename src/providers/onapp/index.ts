import type { ProviderModule, SimulatorStartOptions } from '../module.js';
import { OnappAdapter } from './adapter.js';
import type { OnappConfig } from './config.js';

export const onappModule: ProviderModule<OnappConfig> = {
  kind: 'onapp',
  createAdapter: (account, upstream, config) => new OnappAdapter(account, upstream, config),
  async startSimulator(options: SimulatorStartOptions) {
    // Loaded on demand: the production import graph (config mode) holds no simulator.
    const { ONAPP_SIM_API_KEY, ONAPP_SIM_USER, OnappSimulator } = await import('./simulator.js');
    const simulator = new OnappSimulator(options);
    const url = await simulator.start();
    return {
      kind: 'onapp',
      server: simulator.server,
      simulator,
      url,
      accountConfig: (id) => ({ id, kind: 'onapp', name: 'OnApp (simulated)', url, auth: { username: ONAPP_SIM_USER, password: ONAPP_SIM_API_KEY } }),
      stop: () => simulator.stop(),
    };
  },
};
