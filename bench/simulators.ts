/**
 * The benchmark's provider simulators, in a process of their own so their
 * CPU is not counted as the gateway's. Starts every kind the registry has a
 * simulator for (the set grows as providers land), reports each account and
 * control URL to the bench, and answers usage/stop over IPC; counting,
 * resetting and latency go through each simulator's /__sim/ endpoints.
 */
import type { ProviderKind } from '../src/providers/registry.js';
import type { RunningSimulator } from '../src/providers/module.js';
import { simulatedKinds, startSimulator } from '../src/providers/registry.js';
import { DanubeSimulator } from '../src/providers/danube/simulator.js';
import { usageMessage, type ChildMessage, type ParentMessage } from './ipc.js';
import { settings } from './settings.js';

const kinds = simulatedKinds().filter((kind: ProviderKind) => settings.kinds.length === 0 || settings.kinds.includes(kind));
const simulators: RunningSimulator[] = await Promise.all(
  kinds.map((kind) =>
    startSimulator(kind, {
      instances: settings.instances,
      backupsPerInstance: 4,
      latencyMs: settings.latencyMs,
      // The dashboard reads only; nothing waits on asynchronous work.
      asyncDelayMs: 1_000,
      // The bench counts one query's requests at a time (a few hundred); load runs would grow the log without end.
      logLimit: 20_000,
    }),
  ),
);
// A baseline built before Danube's paths ended in '/' (BENCH_BASELINE at a commit before 664e9353)
// sends them bare; this build sends the slash and is served the same either way.
for (const simulator of simulators) {
  if (simulator.simulator instanceof DanubeSimulator) simulator.simulator.servesPathsWithoutSlash = true;
}

/**
 * Requests each simulator received since start, never trimmed (the logs
 * are): a load run's upstream calls per query are counted here.
 */
const received = new Map<string, number>();
/** The same by "<kind> <label>": rounds of reads under load are counted by the reads a dashboard makes once (bench/read-rounds.ts). */
const receivedByLabel = new Map<string, number>();
for (const simulator of simulators) {
  const log = simulator.server.log;
  const push = log.push.bind(log);
  received.set(simulator.kind, 0);
  log.push = (...items) => {
    received.set(simulator.kind, (received.get(simulator.kind) ?? 0) + items.length);
    for (const item of items) {
      const key = `${simulator.kind} ${item.label}`;
      receivedByLabel.set(key, (receivedByLabel.get(key) ?? 0) + 1);
    }
    return push(...items);
  };
}

const send = (message: ChildMessage) => process.send?.(message);
// A bench that died (an exception, Ctrl-C) must not leave its servers running.
process.on('disconnect', () => process.exit(0));
process.on('message', (message: ParentMessage) => {
  if (message.type === 'usage') send(usageMessage());
  if (message.type === 'received') send({ type: 'received', byKind: Object.fromEntries(received), byLabel: Object.fromEntries(receivedByLabel) });
  if (message.type === 'stop') void Promise.all(simulators.map((simulator) => simulator.stop())).then(() => process.exit(0));
});
send({
  type: 'simulators-ready',
  simulators: simulators.map((simulator) => ({
    kind: simulator.kind,
    controlUrl: simulator.server.url,
    account: simulator.accountConfig(`${simulator.kind}-bench`),
  })),
});
