/**
 * The drain ran out with work still running (cut just before the drain timeout): an
 * outcome of the configured timeout, told with what to change, not a failure of the
 * gateway's own, so its log line carries the counts and no stack.
 */
export class DrainCut extends Error {
  constructor(
    readonly requestsCut: number,
    readonly operationsCut: number,
  ) {
    super(`drain timeout: cut ${requestsCut} HTTP request(s) and ${operationsCut} WebSocket operation(s) still running`);
  }
}

/** The log message for a DrainCut: the setting that timed it, and what else must wait longer with it. */
export const drainCutMessage = (cut: DrainCut, drainTimeoutMs: number): string =>
  `${cut.message} at shutdown.drainTimeoutMs (${drainTimeoutMs} ms, from the signal; DRAIN_TIMEOUT_MS overrides): raise it above the longest request, and the stop wait of whatever sends the signal above it (docker run --stop-timeout, terminationGracePeriodSeconds, systemd's TimeoutStopSec)`;
