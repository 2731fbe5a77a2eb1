import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_STOPPED_WHILE_STARTING, STOP_SIGNALS, StoppedWhileStarting, stoppedWhileStartingLine, watchStartSignals, type StartPhase, type StopSignal, type StartPhases } from '../../src/start-signals.js';

/**
 * A stop signal while the gateway starts is said (the signal and the phase), once, and from the
 * drain's start on is no longer this watcher's. The watcher's own listeners are called as a
 * delivered signal would call them: `process.emit` would also reach any other listener in this
 * process (unit test files share one), and a real signal is cli.test.ts's, sent to the CLI.
 */
const watching: StartPhases[] = [];
afterEach(() => {
  for (const phases of watching.splice(0)) {
    try {
      phases.started();
    } catch (error) {
      // A watcher stopped by the test: its listeners are let go all the same.
      if (!(error instanceof StoppedWhileStarting)) throw error;
    }
  }
});

type Listener = (signal: StopSignal) => void;

interface Watched {
  stops: Array<[StopSignal, StartPhase]>;
  phases: StartPhases;
  /** The listeners the watcher added, by signal. */
  added: Map<StopSignal, Listener[]>;
  deliver(signal: StopSignal): void;
}

function watch(first: StartPhase): Watched {
  const before = new Map(STOP_SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const stops: Array<[StopSignal, StartPhase]> = [];
  const phases = watchStartSignals((signal, phase) => stops.push([signal, phase]), first);
  watching.push(phases);
  const added = new Map(STOP_SIGNALS.map((signal) => [signal, process.listeners(signal).filter((listener) => !before.get(signal)!.includes(listener)) as Listener[]]));
  const deliver = (signal: StopSignal): void => {
    for (const listener of added.get(signal) ?? []) listener(signal);
  };
  return { stops, phases, added, deliver };
}

describe('watchStartSignals', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('says a %s with the phase the start began in', (signal) => {
    const { stops, added, deliver } = watch('loading the server code');
    expect(added.get(signal)).toHaveLength(1);
    deliver(signal);
    expect(stops).toEqual([[signal, 'loading the server code']]);
  });

  it('names the phase the start has moved on to', () => {
    const { stops, phases, deliver } = watch('loading the server code');
    phases.enter('reading the config');
    phases.enter('connecting to Redis');
    deliver('SIGTERM');
    expect(stops).toEqual([['SIGTERM', 'connecting to Redis']]);
  });

  it('says the stop once, however many signals follow (npm start passes a Ctrl-C twice)', () => {
    const { stops, phases, deliver } = watch('opening the listeners');
    deliver('SIGINT');
    deliver('SIGINT');
    expect(() => phases.enter('connecting to Redis')).toThrow(StoppedWhileStarting);
    deliver('SIGTERM');
    expect(stops).toEqual([['SIGINT', 'opening the listeners']]);
  });

  it('the start goes no further once stopped: its next phase, and the drain taking over, throw (it opened its listeners and served while the stop was said)', () => {
    const { phases, deliver } = watch('connecting to Redis');
    deliver('SIGTERM');
    expect(() => phases.enter('opening the listeners')).toThrow(StoppedWhileStarting);
    expect(() => phases.started()).toThrow(new StoppedWhileStarting('SIGTERM'));
  });

  it("lets the signals go once the drain's handlers are in place", () => {
    const { phases, added } = watch('opening the listeners');
    phases.started();
    for (const signal of STOP_SIGNALS) {
      const ours = added.get(signal) ?? [];
      expect(ours).toHaveLength(1);
      expect(process.listeners(signal).filter((listener) => ours.includes(listener as Listener))).toEqual([]);
    }
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
