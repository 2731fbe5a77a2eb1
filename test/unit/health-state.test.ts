import { describe, expect, it } from 'vitest';
import { HealthState, type BreakerState, type HealthReport } from '../../src/upstream/health-state.js';

/** A HealthState over a breaker the test sets, with the reports it made. */
function healthOver(initial: BreakerState = 'closed') {
  let breaker = initial;
  const reports: HealthReport[] = [];
  const state = new HealthState(() => breaker, (report) => reports.push(report));
  const setBreaker = (next: BreakerState) => {
    breaker = next;
    state.check();
  };
  return { state, reports, setBreaker };
}

describe('HealthState', () => {
  it('starts UP and reports nothing until the health changes', () => {
    const { state, reports, setBreaker } = healthOver();
    expect(state.report()).toEqual({ health: 'UP', cause: null });
    state.check();
    state.succeeded();
    setBreaker('closed');
    expect(reports).toEqual([]);
  });

  it('the first failure shows DEGRADED with its cause, and the next success UP again, each reported once', () => {
    const { state, reports } = healthOver();
    state.failed('refused');
    state.failed('refused');
    expect(state.report()).toEqual({ health: 'DEGRADED', cause: 'refused' });
    state.succeeded();
    state.succeeded();
    expect(state.report()).toEqual({ health: 'UP', cause: null });
    expect(reports).toEqual([
      { health: 'DEGRADED', cause: 'refused' },
      { health: 'UP', cause: null },
    ]);
  });

  it('an open breaker is DOWN; its tests (half-open) are no news, only their outcome: a provider that stays down reports nothing more', () => {
    const { state, reports, setBreaker } = healthOver();
    state.failed('timeout');
    setBreaker('open');
    expect(state.current()).toBe('DOWN');
    setBreaker('half-open');
    expect(state.current()).toBe('DEGRADED');
    state.failed('timeout');
    setBreaker('open');
    setBreaker('half-open');
    setBreaker('open');
    expect(reports).toEqual([
      { health: 'DEGRADED', cause: 'timeout' },
      { health: 'DOWN', cause: 'timeout' },
    ]);
    // The test succeeds and the breaker closes: UP, once.
    setBreaker('half-open');
    state.succeeded();
    setBreaker('closed');
    expect(reports.at(-1)).toEqual({ health: 'UP', cause: null });
    expect(reports).toHaveLength(3);
  });

  it('a login answered leaves the credentials refused (the calls after it may be refused still), and ends any other failure (guard)', () => {
    const { state, reports } = healthOver();
    state.failed('credentials');
    state.loginSucceeded();
    expect(state.report()).toEqual({ health: 'DEGRADED', cause: 'credentials' });
    state.succeeded();
    expect(state.report()).toEqual({ health: 'UP', cause: null });
    state.failed('timeout');
    state.loginSucceeded();
    expect(state.report()).toEqual({ health: 'UP', cause: null });
    expect(reports).toEqual([
      { health: 'DEGRADED', cause: 'credentials' },
      { health: 'UP', cause: null },
      { health: 'DEGRADED', cause: 'timeout' },
      { health: 'UP', cause: null },
    ]);
  });
});
