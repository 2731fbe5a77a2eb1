import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_STOPPED_WHILE_STARTING, STOP_SIGNALS, stoppedWhileStartingLine, watchStartSignals, type StartPhase, type StopSignal, type StartPhases } from '../../src/start-signals.js';

/**
 * A stop signal while the gateway starts is said (the signal and the phase), once, and from the
 * drain's start on is no longer this watcher's. `process.emit` calls the listeners as a delivered
 * signal would, without sending one (test/server/cli.test.ts sends real ones to the CLI).
 */
const watching: StartPhases[] = [];
afterEach(() => {
  for (const phases of watching.splice(0)) phases.started();
});

function watch(first: StartPhase): { stops: Array<[StopSignal, StartPhase]>; phases: StartPhases } {
  const stops: Array<[StopSignal, StartPhase]> = [];
  const phases = watchStartSignals((signal, phase) => stops.push([signal, phase]), first);
  watching.push(phases);
  return { stops, phases };
}

const deliver = (signal: StopSignal): void => {
  process.emit(signal, signal);
};

describe('watchStartSignals', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('says a %s with the phase the start began in', (signal) => {
    const { stops } = watch('loading the server code');
    deliver(signal);
    expect(stops).toEqual([[signal, 'loading the server code']]);
  });

  it('names the phase the start has moved on to', () => {
    const { stops, phases } = watch('loading the server code');
    phases.enter('reading the config');
    phases.enter('connecting to Redis');
    deliver('SIGTERM');
    expect(stops).toEqual([['SIGTERM', 'connecting to Redis']]);
  });

  it('says the stop once, however many signals follow (npm start passes a Ctrl-C twice)', () => {
    const { stops, phases } = watch('opening the listeners');
    deliver('SIGINT');
    deliver('SIGINT');
    phases.enter('connecting to Redis');
    deliver('SIGTERM');
    expect(stops).toEqual([['SIGINT', 'opening the listeners']]);
  });

  it('lets the signals go once the drain\'s handlers are in place', () => {
    const before = STOP_SIGNALS.map((signal) => process.listenerCount(signal));
    const { stops, phases } = watch('opening the listeners');
    expect(STOP_SIGNALS.map((signal) => process.listenerCount(signal))).toEqual(before.map((count) => count + 1));
    phases.started();
    expect(STOP_SIGNALS.map((signal) => process.listenerCount(signal))).toEqual(before);
    // Another listener stands in for the drain's, so the emit below has one to reach.
    const drain = (): void => undefined;
    for (const signal of STOP_SIGNALS) process.on(signal, drain);
    try {
      for (const signal of STOP_SIGNALS) deliver(signal);
    } finally {
      for (const signal of STOP_SIGNALS) process.off(signal, drain);
    }
    expect(stops).toEqual([]);
  });
});

describe('what the stop says and how it ends', () => {
  it('one line: the signal, the phase, not started', () => {
    expect(stoppedWhileStartingLine('SIGTERM', 'connecting to Redis')).toBe('backup-graph stopped by SIGTERM while starting (connecting to Redis): not started, nothing was served');
  });

  it('exits 0, as a drain with nothing in flight does (a supervisor sees a clean stop, not a failed unit)', () => {
    expect(EXIT_STOPPED_WHILE_STARTING).toBe(0);
  });
});
