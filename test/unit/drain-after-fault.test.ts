import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { exitOnSignals, type GracefulStop } from '../../src/server/shutdown.js';
import { exitsInProcess } from '../helpers/exits-in-process.js';

/**
 * An uncaught exception starts the drain a stop signal starts (src/server/process-faults.ts), not
 * a second one: the steps run once, and its end exits 1 whatever they did, so a supervisor restarts
 * the replica. The signals are emitted in-process (exitsInProcess: exits recorded, timers fake).
 */
const exits = exitsInProcess();

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
