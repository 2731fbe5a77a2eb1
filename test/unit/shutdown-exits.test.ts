import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { exitOnSignals, type ShutdownOptions } from '../../src/server/shutdown.js';
import { exitsInProcess } from '../helpers/exits-in-process.js';

/**
 * The exits that do not wait for the drain (a second signal, the drain timer) write the cut
 * mutations' audit lines (`abandon`) first. A hook that threw kept the exit from happening: a second
 * SIGTERM left the process running. Their lines, written and exited at once, were still queued for
 * stdout's reader: the exit now waits for flushLogs (bounded) as a clean one does.
 * The signals are emitted in-process (exitsInProcess: exits recorded, timers fake).
 */
const DRAIN_TIMEOUT_MS = 30_000;
const exits = exitsInProcess();

/** A drain that never ends, as one a stuck upstream holds. */
function stuckDrain(overrides: Partial<ShutdownOptions>): void {
  exitOnSignals({ logger: pino({ level: 'silent' }), drainTimeoutMs: DRAIN_TIMEOUT_MS, echoMs: 0, steps: [{ name: 'gateway', run: () => new Promise(() => {}) }], ...overrides });
}

const throwingAbandon = () => {
  throw new Error('audit hook failed');
};

/** A flush the test ends itself, as stdout's reader taking the last lines. */
function heldFlush() {
  let release = () => {};
  const flushLogs = vi.fn(() => new Promise<void>((resolve) => (release = resolve)));
  return { flushLogs, release: () => release() };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('the exits that do not wait for the drain', () => {
  it('a second signal still exits 143 when the abandon hook throws', async () => {
    stuckDrain({ abandon: throwingAbandon });
    process.emit('SIGTERM', 'SIGTERM');
    expect(() => process.emit('SIGTERM', 'SIGTERM')).not.toThrow();
    await settled();
    expect(exits).toEqual([143]);
  });

  it('the drain timer still exits 1 when the abandon hook throws', async () => {
    stuckDrain({ abandon: throwingAbandon });
    process.emit('SIGTERM', 'SIGTERM');
    expect(() => vi.advanceTimersByTime(DRAIN_TIMEOUT_MS)).not.toThrow();
    await settled();
    expect(exits).toEqual([1]);
  });

  it('a second signal writes the cut lines, then waits for the flush before exiting', async () => {
    const { flushLogs, release } = heldFlush();
    const abandon = vi.fn();
    stuckDrain({ abandon, flushLogs });
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGINT', 'SIGINT');
    await settled();
    expect(abandon).toHaveBeenCalledTimes(1);
    expect(flushLogs).toHaveBeenCalledTimes(1);
    expect(exits).toEqual([]);
    release();
    await settled();
    expect(exits).toEqual([130]);
  });

  it('the drain timer writes the cut lines, then waits for the flush before exiting', async () => {
    const { flushLogs, release } = heldFlush();
    const abandon = vi.fn();
    stuckDrain({ abandon, flushLogs });
    process.emit('SIGTERM', 'SIGTERM');
    vi.advanceTimersByTime(DRAIN_TIMEOUT_MS);
    await settled();
    expect(abandon).toHaveBeenCalledTimes(1);
    expect(exits).toEqual([]);
    release();
    await settled();
    expect(exits).toEqual([1]);
  });

  it('a further signal during that wait exits at once, without writing the cut lines again', async () => {
    const { flushLogs } = heldFlush();
    const abandon = vi.fn();
    stuckDrain({ abandon, flushLogs });
    process.emit('SIGTERM', 'SIGTERM');
    process.emit('SIGTERM', 'SIGTERM');
    await settled();
    expect(exits).toEqual([]);
    process.emit('SIGTERM', 'SIGTERM');
    expect(exits).toEqual([143]);
    expect(abandon).toHaveBeenCalledTimes(1);
  });

  it("the drain timer ending during a second signal's wait writes no cut lines again, and the signal's code stands", async () => {
    const { flushLogs, release } = heldFlush();
    const abandon = vi.fn();
    stuckDrain({ abandon, flushLogs });
    process.emit('SIGTERM', 'SIGTERM');
    process.emit('SIGTERM', 'SIGTERM');
    await settled();
    vi.advanceTimersByTime(DRAIN_TIMEOUT_MS);
    await settled();
    expect(abandon).toHaveBeenCalledTimes(1);
    expect(flushLogs).toHaveBeenCalledTimes(1);
    release();
    await settled();
    expect(exits).toEqual([143]);
  });

  it("under npm start, npm's echo of the second signal does not end that wait", async () => {
    const { flushLogs, release } = heldFlush();
    stuckDrain({ flushLogs, echoMs: 1_000 });
    process.emit('SIGINT', 'SIGINT');
    vi.advanceTimersByTime(2_000);
    // The operator's second Ctrl-C, from the terminal and forwarded by npm.
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGINT', 'SIGINT');
    await settled();
    expect(exits).toEqual([]);
    release();
    await settled();
    expect(exits).toEqual([130]);
  });
});
