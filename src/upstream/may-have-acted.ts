import { isGatewayError, type ErrorCode } from '../domain/errors.js';
import { ListedUnusableId } from '../domain/unusable-native-id.js';
import { UpstreamFailure, UpstreamNotSent } from './deadline.js';
import { FailedAfterWriteReached } from './after-write-reached.js';
import { RefusedUnsent } from './refused-unsent.js';
import { WriteRefused } from './write-refused.js';
import { FailedBeforeAnyWrite } from './failed-before-any-write.js';
import type { FailureClass } from './failure-class.js';

/*
 * Whether a failed write may have reached the provider and acted: what the
 * idempotency records keep (a failure that may have acted is replayed, one
 * that did not frees the key) and what OnApp's restore places keep (a POST
 * that may have acted holds its place, uncertain).
 */

/**
 * Codes that say the request was refused without acting: by the gateway's
 * checks (a shared store that did not answer before the provider call
 * included), or in so many words by the provider; SHUTTING_DOWN is given only
 * before anything was sent (a restore still waiting for its turn as the gateway
 * stops), and its idempotencyKey must be free for the retry on another replica.
 * Not QUERY_TOO_COMPLEX: the upstream call budget can run out after a write,
 * before its follow-up read; one met before any write is a RefusedUnsent.
 */
const REFUSED_WITHOUT_ACTING = new Set<ErrorCode>(['BAD_USER_INPUT', 'NOT_FOUND', 'UNSUPPORTED', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN', 'PROVIDER_ERROR', 'STORE_UNAVAILABLE', 'SHUTTING_DOWN']);
/** PROVIDER_ERROR codes of our own for an answer we could not read: the provider may have acted. */
const UNREADABLE_ANSWER: ReadonlySet<string | undefined> = new Set(['INVALID_RESPONSE', 'RESPONSE_TOO_LARGE']);
/**
 * A 2xx answer an adapter could not make sense of (Zomro's `HTTP_200`: no
 * BILLmanager document), or a redirect (a 303 after a POST says it was done
 * elsewhere; the gateway follows none): it may have acted.
 */
const UNDERSTOOD_NOT = /^HTTP_[23]\d\d$/;
/** Transport failures of a call that never reached the provider, or that it turned away unread (429). */
const NEVER_REACHED: ReadonlySet<FailureClass> = new Set(['dns', 'refused', 'tls', 'rate_limited']);

/**
 * Whether a failed write may have happened anyway: the provider timed out,
 * the connection broke, it answered 5xx, or sent an answer we could not read,
 * or the gateway failed. A refusal (ours or the provider's, a 429 included)
 * did nothing, and neither did a call never sent (breaker open, queue full,
 * the request's budget spent before the mutation sent a write)
 * or one that never reached the provider (DNS, connection refused, TLS), nor a
 * failure after a write refused inside a 2xx (write-refused.ts), unless
 * a write of the mutation reached it before (after-write-reached.ts).
 */
export function mayHaveActed(error: unknown): boolean {
  if (error instanceof FailedAfterWriteReached) return true;
  if (error instanceof UpstreamNotSent || error instanceof RefusedUnsent || error instanceof ListedUnusableId || error instanceof WriteRefused || error instanceof FailedBeforeAnyWrite) return false;
  if (error instanceof UpstreamFailure) return !NEVER_REACHED.has(error.failure);
  if (!isGatewayError(error) || !REFUSED_WITHOUT_ACTING.has(error.code)) return true;
  // Only PROVIDER_ERROR carries those codes.
  const { providerCode } = error.details;
  return UNREADABLE_ANSWER.has(providerCode) || UNDERSTOOD_NOT.test(providerCode ?? '');
}
