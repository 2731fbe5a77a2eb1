/**
 * The benchmark's provider simulators, in a process of their own so that
 * their CPU is not counted as the gateway's. Controlled over IPC.
 */
import type { RunningSimulator } from '../src/providers/module.js';
import { simulatedKinds, startSimulator } from '../src/providers/registry.js';

type Command = { type: 'latency'; ms: number } | { type: 'reset' } | { type: 'stats' } | { type: 'stop' };

const instances = Number(process.env.BENCH_N ?? 50);
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 20);

const simulators: RunningSimulator[] = await Promise.all(
  simulatedKinds().map((kind) => startSimulator(kind, { instances, backupsPerInstance: 4, latencyMs, asyncDelayMs: 1_000 })),
);
process.send?.({ type: 'ready', accounts: simulators.map((simulator) => simulator.accountConfig(`${simulator.kind}-bench`)) });

process.on('message', (command: Command) => {
  if (command.type === 'latency') for (const simulator of simulators) simulator.server.latencyMs = command.ms;
  if (command.type === 'reset') for (const simulator of simulators) simulator.server.resetLog();
  if (command.type === 'stats') process.send?.({ type: 'stats', counts: Object.fromEntries(simulators.map((simulator) => [simulator.kind, simulator.server.count()])) });
  if (command.type === 'stop') void Promise.all(simulators.map((simulator) => simulator.stop())).then(() => process.exit(0));
  if (command.type !== 'stats') process.send?.({ type: 'ok' });
});
