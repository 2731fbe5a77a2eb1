import { describe, expect, it } from 'vitest';
import { DrainCut, drainCutMessage } from '../../src/server/drain-cut.js';

describe('the drain timeout line names the stop wait of every supervisor the docs deploy under', () => {
  it('names systemd\'s TimeoutStopSec beside docker\'s and Kubernetes\' (the plain-host unit, deploy/systemd, sends the signal there)', () => {
    expect(drainCutMessage(new DrainCut(1, 0), 6000)).toBe(
      'drain timeout: cut 1 HTTP request(s) and 0 WebSocket operation(s) still running at shutdown.drainTimeoutMs (6000 ms, from the signal; DRAIN_TIMEOUT_MS overrides): raise it above the longest request, and the stop wait of whatever sends the signal above it (docker run --stop-timeout, terminationGracePeriodSeconds, systemd\'s TimeoutStopSec)',
    );
  });
});
