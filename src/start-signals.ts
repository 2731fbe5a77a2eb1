/**
 * A stop signal (SIGINT, SIGTERM, SIGHUP) while the gateway is still starting: reading its config,
 * waiting on a slow Redis, opening its listeners. Node's default ended the process there without a
 * word, and an operator (or a log pipeline) saw a replica vanish with nothing to say why. Until the
 * drain's own handlers are in place (exitOnSignals), the stop is said in one line, naming the phase.
 */

/** What the start was doing; said in the line, so a stop behind a hung Redis reads as that. */
export type StartPhase = 'loading the server code' | 'reading the config' | 'starting the demo simulators' | 'connecting to Redis' | 'opening the listeners';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/**
 * Nothing was served, so nothing is cut: the stop the operator asked for is honoured as a clean
 * one, exit 0 as a drain with nothing in flight exits (a supervisor's stop, systemd's among them,
 * then sees a clean exit, not a failed unit).
 */
export const EXIT_STOPPED_WHILE_STARTING = 0;

export interface StartPhases {
  /** The start has moved on to `phase`. */
  enter(phase: StartPhase): void;
  /** The drain's handlers are in place: a signal is theirs from now on. */
  started(): void;
}

/** The plain line stderr gets: the signal, the phase, and that the gateway did not start. */
export const stoppedWhileStartingLine = (signal: StopSignal, phase: StartPhase): string => `backup-graph stopped by ${signal} while starting (${phase}): not started, nothing was served`;

/**
 * Listens for the stop signals from now until `started()`; `onStop` is called once, with the
 * signal and the phase the start was in. A further signal is let be: the exit follows within
 * the log flush's bound (1 s), and under `npm start` a Ctrl-C arrives twice anyway.
 */
export function watchStartSignals(onStop: (signal: StopSignal, phase: StartPhase) => void, first: StartPhase): StartPhases {
  let phase = first;
  let stopping = false;
  const onSignal = (signal: StopSignal): void => {
    if (stopping) return;
    stopping = true;
    onStop(signal, phase);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return {
    enter: (next) => {
      phase = next;
    },
    started: () => {
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    },
  };
}
