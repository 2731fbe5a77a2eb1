import type { SimulatorSeedOptions } from '../../simulator/random.js';
import type { SimulatorServerOptions } from '../../simulator/server.js';
import type { ProviderModule } from '../module.js';
import { ZomroAdapter } from './adapter.js';
import type { ZomroConfig } from './config.js';

export const zomroModule: ProviderModule<ZomroConfig> = {
  kind: 'zomro',
  createAdapter: (account, upstream, config) => new ZomroAdapter(account, upstream, config),
  async startSimulator(options: SimulatorServerOptions & SimulatorSeedOptions) {
    // Loaded on demand: the production import graph (config mode) holds no simulator.
    const { ZOMRO_SIM_TOKEN, ZomroSimulator } = await import('./simulator.js');
    const simulator = new ZomroSimulator(options);
    const url = await simulator.start();
    return {
      kind: 'zomro',
      server: simulator.server,
      simulator,
      url,
      accountConfig: (id) => ({ id, kind: 'zomro', name: 'Zomro (simulated)', url: `${url}/`, auth: { token: ZOMRO_SIM_TOKEN }, restoreSettleMs: simulator.asyncDelayMs }),
      stop: () => simulator.stop(),
    };
  },
};
