import type { ProviderKind } from '../domain/types.js';
import type { SimulatorSeedOptions } from '../simulator/random.js';
import type { SimulatorServer, SimulatorServerOptions } from '../simulator/server.js';
import type { UpstreamClient } from '../upstream/client.js';
import type { ProviderAccount, ProviderAdapter } from './adapter.js';

/** A simulator running on loopback, and how to point the gateway at it. */
export interface RunningSimulator {
  kind: ProviderKind;
  url: string;
  /** The HTTP half: request log, latency and fault knobs. */
  server: SimulatorServer;
  /** The provider-specific half: its in-memory state, for tests that look inside. */
  simulator: unknown;
  /** A provider entry for the config (before validation) that talks to this simulator. */
  accountConfig(id: string): Record<string, unknown> & { id: string; kind: ProviderKind };
  stop(): Promise<void>;
}

export type SimulatorStartOptions = SimulatorServerOptions & SimulatorSeedOptions;

/** Everything the gateway needs from one provider folder. */
export interface ProviderModule<Config> {
  kind: ProviderKind;
  createAdapter(account: ProviderAccount, upstream: UpstreamClient, config: Config): ProviderAdapter;
  startSimulator(options: SimulatorStartOptions): Promise<RunningSimulator>;
}
