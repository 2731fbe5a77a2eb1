import type { Logger } from 'pino';

export interface ShutdownOptions {
  logger: Logger;
  /** How long the steps may take in all; past it the process exits 1. */
  drainTimeoutMs: number;
  /** Run in order: stop taking requests and finish those in flight, then close what is left. */
  steps: ReadonlyArray<{ name: string; run: () => Promise<void> }>;
}

const SIGNAL_NUMBER: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 2, SIGTERM: 15 };

/**
 * SIGINT/SIGTERM stop the process gracefully: the steps run, then it exits 0.
 * A second signal means the operator is done waiting: exit at once, 128+signal
 * (130 for SIGINT, 143 for SIGTERM), as a shell reports a process killed by it.
 * A drain that outlasts drainTimeoutMs exits 1, so a stuck upstream cannot
 * hold a deploy hostage.
 */
export function exitOnSignals(options: ShutdownOptions): void {
  const { logger } = options;
  let stopping = false;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting for the drain');
      process.exit(128 + SIGNAL_NUMBER[signal]);
    }
    stopping = true;
    logger.info({ signal, drainTimeoutMs: options.drainTimeoutMs }, 'shutting down: finishing requests in flight');
    const timer = setTimeout(() => {
      logger.error({ drainTimeoutMs: options.drainTimeoutMs }, 'shutdown: drain timeout passed, exiting');
      process.exit(1);
    }, options.drainTimeoutMs);
    void (async () => {
      for (const step of options.steps) {
        try {
          await step.run();
        } catch (error) {
          // One failed step (a Redis already gone) must not keep the others from closing.
          logger.error({ err: error, step: step.name }, 'shutdown step failed');
        }
      }
      clearTimeout(timer);
      logger.info('shut down');
      process.exit(0);
    })();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** DRAIN_TIMEOUT_MS beats the config's shutdown.drainTimeoutMs. */
export function drainTimeoutMs(configured: number, env: NodeJS.ProcessEnv): number {
  const value = env.DRAIN_TIMEOUT_MS;
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : configured;
}
