import type { ProviderHealth } from '../domain/types.js';
import type { FailureClass } from './failure-class.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface HealthReport {
  health: ProviderHealth;
  /** The class of the last failure while not UP; null when UP. */
  cause: FailureClass | null;
}

/**
 * A provider account's health as the gateway last saw it, not only as the
 * breaker sees it: DOWN while the breaker is open, DEGRADED while it tests
 * the provider (half-open) or when the last call failed transiently, UP after
 * a success. So the first refused connection shows, not the fifth.
 */
export class HealthState {
  private lastFailure: FailureClass | null = null;
  private reported: ProviderHealth = 'UP';

  constructor(
    private readonly breakerState: () => BreakerState,
    /** Called once per change of health, with the cause of the last failure. */
    private readonly onChange: (report: HealthReport) => void,
  ) {}

  /** A call answered: whatever failed last is over. */
  succeeded(): void {
    // The common case costs one comparison.
    if (this.lastFailure === null) return;
    this.lastFailure = null;
    this.check();
  }

  /**
   * A login answered. It says nothing of the calls after it being refused (a ZStack user whose
   * rights were taken away logs in and is refused every call): counted as a call's success, each
   * request's renewed session would have flipped health UP and back. It ends any other failure.
   */
  loginSucceeded(): void {
    if (this.lastFailure === 'credentials') return;
    this.succeeded();
  }

  failed(cause: FailureClass): void {
    this.lastFailure = cause;
    this.check();
  }

  current(): ProviderHealth {
    const breaker = this.breakerState();
    if (breaker === 'open') return 'DOWN';
    if (breaker === 'half-open' || this.lastFailure !== null) return 'DEGRADED';
    return 'UP';
  }

  report(): HealthReport {
    const health = this.current();
    return { health, cause: health === 'UP' ? null : this.lastFailure };
  }

  /**
   * Compares with the health last reported; the breaker calls it on each of
   * its changes too. A half-open breaker is a test in progress, not news: its
   * outcome (open again, or closed by a success) is, so a provider that stays
   * down logs nothing more at each test.
   */
  check(): void {
    if (this.breakerState() === 'half-open') return;
    const report = this.report();
    if (report.health === this.reported) return;
    this.reported = report.health;
    this.onChange(report);
  }
}
