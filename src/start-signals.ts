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
  /** The start has moved on to `phase`; throws StoppedWhileStarting once a stop signal came. */
  enter(phase: StartPhase): void;
  /** The drain's handlers are about to be put in place: a signal is theirs from now on; throws StoppedWhileStarting (its listeners let go all the same) once a stop signal came. */
  started(): void;
}

/**
 * Thrown by the start's next step after a stop signal: the start goes no further. It went on
 * while the stop's line was written (up to the log flush's 1 s): it opened its listeners, said
 * "ready" and took requests, which the stop's exit then cut unanswered.
 */
export class StoppedWhileStarting extends Error {
  constructor(readonly signal: StopSignal) {
    super(`stopped by ${signal} while starting`);
    this.name = 'StoppedWhileStarting';
  }
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
  let stoppedBy: StopSignal | null = null;
  const onSignal = (signal: StopSignal): void => {
    if (stoppedBy !== null) return;
    stoppedBy = signal;
    onStop(signal, phase);
  };
  const goOn = (): void => {
    if (stoppedBy !== null) throw new StoppedWhileStarting(stoppedBy);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return {
    enter: (next) => {
      goOn();
      phase = next;
    },
    started: () => {
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
      goOn();
    },
  };
}
