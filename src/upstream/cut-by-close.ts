import { UpstreamFailure } from './deadline.js';

/**
 * A transport failure of an attempt the gateway cut itself: its account's pool was destroyed under
 * it as the gateway closed (UpstreamClient.close). Not the provider's doing, so it feeds neither the
 * account's health nor its breaker, and is not retried (isTransient); a write it cut may still have
 * acted, as any broken connection's (mayHaveActed reads it as the UpstreamFailure it is).
 *
 * Its message says so: the transport's own ("provider zomro is unreachable") went into the error
 * log line of a request the drain cut while Zomro was answering, sending an on-call reader to look
 * for an outage. The code stays the transport's, so a client branches on it as before.
 */
export class CutByClose extends UpstreamFailure {
  constructor(failure: UpstreamFailure) {
    super(failure.code === 'PROVIDER_TIMEOUT' ? 'PROVIDER_TIMEOUT' : 'PROVIDER_UNAVAILABLE', cutByCloseMessage(failure.details.provider), failure.details, failure.failure);
  }
}

/** What a request cut by the gateway's shutdown is told, and its error log line says. */
export const cutByCloseMessage = (provider: string | undefined): string =>
  `the gateway's shutdown cut its call to ${provider === undefined ? 'the provider' : `provider ${provider}`} before the answer came (not a provider failure): a write may have acted; look before sending it again`;
