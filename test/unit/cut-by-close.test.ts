import { describe, expect, it } from 'vitest';
import { CutByClose, cutByCloseMessage } from '../../src/upstream/cut-by-close.js';
import { UpstreamFailure } from '../../src/upstream/deadline.js';

describe('CutByClose: an attempt the gateway cut as it closed', () => {
  it('keeps the failure’s code, details and class, and is still an UpstreamFailure', () => {
    const timeout = new CutByClose(new UpstreamFailure('PROVIDER_TIMEOUT', 'provider did not answer', { provider: 'flex' }, 'timeout'));
    expect([timeout.code, timeout.details, timeout.failure]).toEqual(['PROVIDER_TIMEOUT', { provider: 'flex' }, 'timeout']);
    expect(timeout).toBeInstanceOf(UpstreamFailure);
    const reset = new CutByClose(new UpstreamFailure('PROVIDER_UNAVAILABLE', 'connection reset', { provider: 'dc1' }, 'reset'));
    expect([reset.code, reset.details, reset.failure]).toEqual(['PROVIDER_UNAVAILABLE', { provider: 'dc1' }, 'reset']);
  });

  it('says the gateway’s shutdown cut it, not that the provider is unreachable (the error log line an on-call reads)', () => {
    const cut = new CutByClose(new UpstreamFailure('PROVIDER_UNAVAILABLE', 'provider zomro is unreachable', { provider: 'zomro' }, 'other'));
    expect(cut.message).toBe(cutByCloseMessage('zomro'));
    expect(cut.message).toMatch(/^the gateway's shutdown cut its call to provider zomro before the answer came \(not a provider failure\)/);
    expect(cut.message).not.toMatch(/unreachable/);
    expect(new CutByClose(new UpstreamFailure('PROVIDER_TIMEOUT', 'provider did not answer', {}, 'timeout')).message).toContain('its call to the provider before');
  });
});
