import { describe, expect, it } from 'vitest';
import { CutByClose } from '../../src/upstream/cut-by-close.js';
import { UpstreamFailure } from '../../src/upstream/deadline.js';

describe('CutByClose: an attempt the gateway cut as it closed', () => {
  it('keeps the failure’s code, message, details and class, and is still an UpstreamFailure', () => {
    const timeout = new CutByClose(new UpstreamFailure('PROVIDER_TIMEOUT', 'provider did not answer', { provider: 'flex' }, 'timeout'));
    expect([timeout.code, timeout.message, timeout.details, timeout.failure]).toEqual(['PROVIDER_TIMEOUT', 'provider did not answer', { provider: 'flex' }, 'timeout']);
    expect(timeout).toBeInstanceOf(UpstreamFailure);
    const reset = new CutByClose(new UpstreamFailure('PROVIDER_UNAVAILABLE', 'connection reset', { provider: 'dc1' }, 'reset'));
    expect([reset.code, reset.message, reset.details, reset.failure]).toEqual(['PROVIDER_UNAVAILABLE', 'connection reset', { provider: 'dc1' }, 'reset']);
  });
});
