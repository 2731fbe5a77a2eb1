import type { RunningGateway } from './app.js';
import { DrainCut, drainCutMessage } from './drain-cut.js';
import type { Logger } from 'pino';

export interface ShutdownOptions {
  logger: Logger;
  /** How long the steps may take in all; past it the process exits 1. */
  drainTimeoutMs: number;
  /** Run in order: stop taking requests and finish those in flight, then close what is left. */
  steps: ReadonlyArray<{ name: string; run: () => Promise<void> }>;
  /** A repeat this soon after the first signal is the same signal again, not a second one (see echoMs()). */
  echoMs: number;
  /** Before every exit (one that waits for the drain or not): the log lines still queued for stdout's reader, given a moment to leave. */
  flushLogs?: () => Promise<void>;
  /**
   * Just before an exit that does not wait for the drain (a second signal, the drain timer): serving
   * stopped, each request not yet answered answered 503 SHUTTING_DOWN (a bounded wait for those
   * answers to leave), and the audit lines of the mutations it cuts.
   */
  abandon?: () => Promise<void> | void;
}

const SIGNAL_NUMBER = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
type StopSignal = keyof typeof SIGNAL_NUMBER;

/**
 * SIGINT/SIGTERM stop the process gracefully: the steps run, then it exits 0.
 * SIGHUP too: node's default for it ended the process on the spot, cutting
 * every request in flight, when an operator sent it expecting a config reload
 * (the config is read at start only; a supervisor that restarts the process
 * gives the reload) or a terminal closed.
 * A second signal means the operator is done waiting: exit without the drain, 128+signal
 * (129 for SIGHUP, 130 for SIGINT, 143 for SIGTERM), as a shell reports a process killed by it,
 * once the requests still unanswered have been answered 503 SHUTTING_DOWN (abandon's bounded wait)
 * and the lines queued for stdout have left (at most flushLogs' bound; a third signal ends both).
 * A drain that outlasts drainTimeoutMs exits 1, so a stuck upstream cannot
 * hold a deploy hostage; so does a step that fails (operations cut at the
 * drain timeout, a store that would not close), after the others have run.
 */
export function exitOnSignals(options: ShutdownOptions): GracefulStop {
  const { logger } = options;
  let stoppingSince: number | null = null;
  // When the exit that does not wait (a second signal, the drain timer) began, while its lines leave.
  let leavingSince: number | null = null;
  /**
   * The cut mutations' audit lines, then a bounded wait for stdout's reader: written and exited at
   * once, they were still queued when the process ended, lost to a reader a moment behind. A hook
   * that throws is logged, never the reason a second signal leaves the process running.
   */
  const abandonAndExit = (code: number) => {
    // The drain timer ending during a second signal's wait: that exit, its lines and its code stand.
    if (leavingSince !== null) return;
    leavingSince = performance.now();
    void (async () => {
      try {
        // Its first part (serving stopped, the unanswered answered) runs before this returns; the wait for those answers is bounded.
        await options.abandon?.();
      } catch (error) {
        logger.error({ err: error }, 'shutdown: answering the requests cut, or writing the cut mutations\' audit lines, failed');
      }
      try {
        await options.flushLogs?.();
      } finally {
        process.exit(code);
      }
    })();
  };
  const onSignal = (signal: StopSignal) => {
    const code = 128 + SIGNAL_NUMBER[signal];
    // During the wait for the reader, a further signal (not npm's echo of the last) is the operator done waiting for that too.
    if (leavingSince !== null) {
      if (performance.now() - leavingSince < options.echoMs) return;
      process.exit(code);
      return;
    }
    if (stoppingSince !== null) {
      if (performance.now() - stoppingSince < options.echoMs) return;
      logger.warn({ signal }, 'second signal: exiting without waiting for the drain');
      abandonAndExit(code);
      return;
    }
    logger.info({ signal, drainTimeoutMs: options.drainTimeoutMs }, 'shutting down: finishing requests in flight');
    startDrain();
  };
  // Set by drainAfterFault: the drain's end exits 1 whatever its steps did, so a supervisor restarts the replica.
  let faulted = false;
  const startDrain = () => {
    stoppingSince = performance.now();
    const timer = setTimeout(() => {
      logger.error({ drainTimeoutMs: options.drainTimeoutMs }, 'shutdown: drain timeout passed, exiting');
      abandonAndExit(1);
    }, options.drainTimeoutMs);
    void (async () => {
      let failed = false;
      for (const step of options.steps) {
        try {
          await step.run();
        } catch (error) {
          // One failed step (a Redis already gone) must not keep the others from closing.
          if (error instanceof DrainCut) {
            logger.error({ step: step.name, requestsCut: error.requestsCut, operationsCut: error.operationsCut, drainTimeoutMs: options.drainTimeoutMs }, drainCutMessage(error, options.drainTimeoutMs));
          } else {
            logger.error({ err: error, step: step.name }, 'shutdown step failed');
          }
          failed = true;
        }
      }
      // The exit that did not wait is under way, with its own code.
      if (leavingSince !== null) return;
      clearTimeout(timer);
      logger.info({ failed, ...(faulted ? { faulted } : {}) }, 'shut down');
      await options.flushLogs?.();
      process.exit(failed || faulted ? 1 : 0);
    })();
  };
  for (const signal of Object.keys(SIGNAL_NUMBER) as StopSignal[]) process.on(signal, onSignal);
  return {
    drainAfterFault: () => {
      faulted = true;
      // Under way already (a signal, an earlier fault): it ends with exit 1 now; a fault is no operator done waiting.
      if (stoppingSince !== null || leavingSince !== null) return;
      startDrain();
    },
  };
}

/** The drain a stop signal starts, for a start that is not a signal's. */
export interface GracefulStop {
  /**
   * The drain SIGTERM starts (in-flight requests answered, new ones refused, the same timer),
   * ending in exit 1 rather than 0: the process's state is in doubt, so a supervisor restarts it.
   */
  drainAfterFault(): void;
}

/**
 * Under `npm start`, a terminal's Ctrl-C reaches this process twice: from the
 * terminal (to the whole process group) and forwarded by npm. A repeat within
 * a second of the first is taken as that echo; run directly, every repeat counts.
 */
export const echoMs = (env: NodeJS.ProcessEnv): number => (env.npm_lifecycle_event === 'start' ? 1_000 : 0);

export { drainTimeoutMs, readyzGraceMs } from '../config/shutdown-env.js';

/**
 * Stops a replica without failing a request behind a load balancer: /readyz
 * turns 503 at once while everything is still served, so the balancer's
 * health checks take the replica out; only then does the listener close and
 * the requests in flight finish.
 */
export async function shutdownGateway(server: Pick<RunningGateway, 'beginDrain' | 'close'>, graceMs: number): Promise<void> {
  server.beginDrain();
  if (graceMs > 0) await new Promise((resolve) => setTimeout(resolve, graceMs));
  const { operationsCut, requestsCut } = await server.close();
  // Closed cleanly, but not everything finished: the drain timed out, as its exit code says.
  if (operationsCut + requestsCut > 0) {
    throw new DrainCut(requestsCut, operationsCut);
  }
}
