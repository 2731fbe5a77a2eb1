import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exitOnSignals, type GracefulStop } from '../../src/server/shutdown.js';

/**
 * An uncaught exception starts the drain a stop signal starts (src/server/process-faults.ts), not
 * a second one: the steps run once, and its end exits 1 whatever they did, so a supervisor restarts
 * the replica. process.exit is replaced and the signals emitted in-process; the listeners added are removed after.
 * The drain's timer is a fake one: unit tests share one process (isolate: false), and a real 30 s
 * timer left armed by a drain that never finished fired in a later file.
 */
const SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM'] as const;

let listenersBefore: Map<string, unknown[]>;
let exits: number[];

beforeEach(() => {
  listenersBefore = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  exits = [];
  vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    exits.push(code ?? 0);
  }) as typeof process.exit);
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});

afterEach(() => {
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!listenersBefore.get(signal)?.includes(listener)) process.off(signal, listener as NodeJS.SignalsListener);
    }
  }
  vi.clearAllTimers();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A drain whose one step the test ends, counting its starts. */
function heldDrain(): { stop: GracefulStop; starts: () => number; finish: () => void } {
  let starts = 0;
  let finish = () => {};
  const stop = exitOnSignals({
    logger: pino({ level: 'silent' }),
    drainTimeoutMs: 30_000,
    echoMs: 0,
    steps: [{ name: 'gateway', run: () => new Promise<void>((resolve) => ((starts += 1), (finish = resolve))) }],
  });
  return { stop, starts: () => starts, finish: () => finish() };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('the drain after an uncaught exception', () => {
  it('runs the steps once and exits 1 once they finish, a second fault starting no second drain', async () => {
    const drain = heldDrain();
    drain.stop.drainAfterFault();
    drain.stop.drainAfterFault();
    await settled();
    expect(drain.starts()).toBe(1);
    expect(exits).toEqual([]);
    drain.finish();
    await settled();
    expect(exits).toEqual([1]);
  });

  it('joins a signal\'s drain under way, which then exits 1 rather than 0', async () => {
    const drain = heldDrain();
    process.emit('SIGTERM', 'SIGTERM');
    drain.stop.drainAfterFault();
    drain.finish();
    await settled();
    expect(drain.starts()).toBe(1);
    expect(exits).toEqual([1]);
  });

  it('is ended by a stop signal as a second signal ends a signal\'s drain', async () => {
    const drain = heldDrain();
    drain.stop.drainAfterFault();
    process.emit('SIGTERM', 'SIGTERM');
    await settled();
    expect(exits).toEqual([143]);
  });
});
