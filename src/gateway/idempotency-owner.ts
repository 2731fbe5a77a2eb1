import { isAnonymous, type Principal } from './principal.js';

/**
 * Whose idempotency keys a request's mutations claim and replay: a keyed client's by its key's
 * identity (`Principal.keyId`), whatever address it calls from; callers without a key
 * (`allowAnonymous`) by their address (`clientKeyOf`, the client's behind a trusted proxy). They
 * share one principal, so one set of keys: one anonymous client sending another's key (a
 * guessable one, or one seen in a log) was replayed that client's answer, or held off its
 * mutation as `IDEMPOTENCY_KEY_IN_FLIGHT`/`IDEMPOTENCY_KEY_REUSED`. Prefixed apart from a
 * key's hex digest, so an address never names a key's records.
 */
export function idempotencyOwnerOf(principal: Principal, address: string): string {
  return isAnonymous(principal) ? `address ${address}` : principal.keyId;
}
