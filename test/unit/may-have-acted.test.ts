import { describe, expect, it } from 'vitest';
import { GatewayError, storeUnavailable } from '../../src/domain/errors.js';
import { UpstreamFailure, UpstreamNotSent } from '../../src/upstream/deadline.js';
import { mayHaveActed } from '../../src/upstream/may-have-acted.js';

/**
 * What an idempotency record keeps of a failed write (a failure that may have acted is replayed,
 * one that did not frees the key for a retry) and what an OnApp restore's place keeps.
 */
describe('mayHaveActed: whether a failed write may have happened anyway', () => {
  it('a write refused because the shared store did not answer never reached the provider: the key is free again', () => {
    expect(mayHaveActed(storeUnavailable('the shared store did not answer', 'onapp-main'))).toBe(false);
  });

  it('a write refused because the gateway began to stop before sending it did nothing: the key is free for the retry on another replica', () => {
    expect(mayHaveActed(new GatewayError('SHUTTING_DOWN', 'began to stop while this restore waited: nothing was sent', { provider: 'onapp-main' }))).toBe(false);
  });

  it("refusals, ours or the provider's in so many words, did nothing; a call never sent or never reaching the provider neither", () => {
    for (const code of ['BAD_USER_INPUT', 'NOT_FOUND', 'UNSUPPORTED', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN'] as const) {
      expect(mayHaveActed(new GatewayError(code, 'refused'))).toBe(false);
    }
    expect(mayHaveActed(new GatewayError('PROVIDER_ERROR', 'refused', { providerCode: 'VM_LOCKED' }))).toBe(false);
    expect(mayHaveActed(new GatewayError('PROVIDER_ERROR', 'refused'))).toBe(false);
    expect(mayHaveActed(new UpstreamNotSent('onapp-main', 'breaker open'))).toBe(false);
    for (const failure of ['dns', 'refused', 'tls', 'rate_limited'] as const) {
      expect(mayHaveActed(new UpstreamFailure('PROVIDER_UNAVAILABLE', 'unreachable', {}, failure))).toBe(false);
    }
  });

  it('a timeout, a broken connection, an answer we could not read, a redirect or our own fault may have acted', () => {
    expect(mayHaveActed(new UpstreamFailure('PROVIDER_TIMEOUT', 'timed out', {}, 'timeout'))).toBe(true);
    expect(mayHaveActed(new GatewayError('PROVIDER_ERROR', 'unreadable', { providerCode: 'INVALID_RESPONSE' }))).toBe(true);
    expect(mayHaveActed(new GatewayError('PROVIDER_ERROR', 'too large', { providerCode: 'RESPONSE_TOO_LARGE' }))).toBe(true);
    expect(mayHaveActed(new GatewayError('PROVIDER_ERROR', 'no document', { providerCode: 'HTTP_200' }))).toBe(true);
    expect(mayHaveActed(new GatewayError('PROVIDER_ERROR', 'redirected', { providerCode: 'HTTP_303' }))).toBe(true);
    expect(mayHaveActed(new GatewayError('PROVIDER_ERROR', 'refused', { providerCode: 'HTTP_404' }))).toBe(false);
    expect(mayHaveActed(new GatewayError('QUERY_TOO_COMPLEX', 'budget spent after the write'))).toBe(true);
    expect(mayHaveActed(new TypeError('a bug of ours'))).toBe(true);
  });
});
