import { UpstreamFailure } from './deadline.js';

/**
 * A transport failure of an attempt the gateway cut itself: its account's pool was destroyed under
 * it as the gateway closed (UpstreamClient.close). Not the provider's doing, so it feeds neither the
 * account's health nor its breaker, and is not retried (isTransient); a write it cut may still have
 * acted, as any broken connection's (mayHaveActed reads it as the UpstreamFailure it is).
 */
export class CutByClose extends UpstreamFailure {
  constructor(failure: UpstreamFailure) {
    super(failure.code === 'PROVIDER_TIMEOUT' ? 'PROVIDER_TIMEOUT' : 'PROVIDER_UNAVAILABLE', failure.message, failure.details, failure.failure);
  }
}
