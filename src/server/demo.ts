import type { GatewayConfig } from '../config/schema.js';
import { validateConfig } from '../config/load.js';
import type { RunningSimulator, SimulatorStartOptions } from '../providers/module.js';
import { simulatedKinds, startSimulator } from '../providers/registry.js';

export interface DemoEnvironment {
  config: GatewayConfig;
  simulators: RunningSimulator[];
  stop(): Promise<void>;
}

/**
 * Demo mode: every provider's simulator on loopback, seeded, and a config
 * that points the gateway at them. Anonymous callers are admins, so demo mode
 * must only listen on loopback unless HOST says otherwise.
 */
export async function startDemo(options: { port: number; host: string; simulator?: SimulatorStartOptions }): Promise<DemoEnvironment> {
  const simulators = await Promise.all(simulatedKinds().map((kind) => startSimulator(kind, options.simulator ?? {})));
  const config = validateConfig({
    listen: { port: options.port, host: options.host },
    // A port of the OS's choice (logged at start), so a demo never collides with a gateway's 9464.
    admin: { port: 0, host: '127.0.0.1' },
    allowAnonymous: true,
    introspection: true,
    providers: simulators.map((simulator) => simulator.accountConfig(`${simulator.kind}-demo`)),
  });
  return { config, simulators, stop: async () => void (await Promise.all(simulators.map((simulator) => simulator.stop()))) };
}
