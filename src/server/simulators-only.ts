import { stringify } from 'yaml';
import { validateConfig } from '../config/load.js';
import { simulatedKinds, startSimulator } from '../providers/registry.js';

/** The last line `--simulators` prints: the config above it is complete and the simulators answer. */
export const SIMULATORS_READY = '# ready: the simulators answer until this process stops (Ctrl-C)';

/**
 * `npm start -- --simulators`: every provider's simulator on loopback, seeded
 * as in demo mode, without a gateway, and a config file for them on stdout.
 * Demo mode covers the anonymous case; this is for trying what only a config
 * file turns on (client keys and roles, scoped keys, introspection off, the
 * admin port, the protection sweep) against providers that answer.
 */
export async function runSimulators(out: NodeJS.WritableStream): Promise<void> {
  const simulators = await Promise.all(simulatedKinds().map((kind) => startSimulator(kind)));
  const draft = {
    listen: { port: 4000, host: '127.0.0.1' },
    // Any free port (logged at start as adminUrl): a fixed one made a second gateway started
    // from this file, with a PORT of its own, fail on the first one's admin port.
    admin: { port: 0, host: '127.0.0.1' },
    clients: [
      { name: 'local-viewer', key: 'local-viewer-key-change-me', roles: ['viewer'] },
      { name: 'local-admin', key: 'local-admin-key-change-me', roles: ['admin'] },
    ],
    providers: simulators.map((simulator) => simulator.accountConfig(`${simulator.kind}-sim`)),
  };
  // What is printed must start a gateway as it is.
  validateConfig(draft);
  out.write(
    [
      '# Backup Graph config for the simulators of `npm start -- --simulators` (their ports change each run).',
      '# Save it, change what you want to try (see backup-graph.example.yaml), then:',
      '#   npm start -- --config FILE',
      stringify(draft).trimEnd(),
      SIMULATORS_READY,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await Promise.all(simulators.map((simulator) => simulator.stop()));
}
