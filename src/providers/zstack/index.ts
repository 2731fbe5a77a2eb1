import type { ProviderModule, SimulatorStartOptions } from '../module.js';
import { ZstackAdapter } from './adapter.js';
import type { ZstackConfig } from './config.js';

export const zstackModule: ProviderModule<ZstackConfig> = {
  kind: 'zstack',
  createAdapter: (account, upstream, config) => new ZstackAdapter(account, upstream, config),
  async startSimulator(options: SimulatorStartOptions) {
    // Loaded on demand: the production import graph (config mode) holds no simulator.
    const { ZSTACK_SIM_ACCOUNT, ZSTACK_SIM_PASSWORD, ZSTACK_SIM_STORAGE, ZstackSimulator } = await import('./simulator.js');
    const simulator = new ZstackSimulator(options);
    const url = await simulator.start();
    return {
      kind: 'zstack',
      server: simulator.server,
      simulator,
      url,
      accountConfig: (id) => ({ id, kind: 'zstack', name: 'ZStack (simulated)', url, auth: { accountName: ZSTACK_SIM_ACCOUNT, password: ZSTACK_SIM_PASSWORD }, backupStorageUuid: ZSTACK_SIM_STORAGE }),
      stop: () => simulator.stop(),
    };
  },
};
