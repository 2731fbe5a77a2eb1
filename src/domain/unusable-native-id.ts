import { GatewayError } from './errors.js';

/**
 * A native id the provider cannot be asked by (a Danube hostname with `/` or `..` would leave its
 * VM's URL path). Whose fault that is depends on where the id came from: a client's id is its
 * input (BAD_USER_INPUT), but an id the provider's own list named in this request is the
 * provider's answer, and blaming the client for it sent them looking for a typo they never made.
 * The adapter cannot tell which it was given; the request's loaders can (`listedByProvider`).
 */
export class UnusableNativeId extends GatewayError {
  constructor(
    clientWords: string,
    /** What the provider did, after "provider <id> ": e.g. "listed a VM whose hostname cannot be used in a URL". */
    private readonly listedWords: string,
    /** The client's refusal: NOT_FOUND where an id of no such shape names nothing (OnApp's and Zomro's integers). */
    clientCode: 'BAD_USER_INPUT' | 'NOT_FOUND' = 'BAD_USER_INPUT',
  ) {
    super(clientCode, clientWords);
  }

  /** The same refusal where the provider's own list named the id. */
  listedByProvider(provider: string): ListedUnusableId {
    return new ListedUnusableId('PROVIDER_ERROR', `provider ${provider} ${this.listedWords}`, { provider, providerCode: 'INVALID_RESPONSE' });
  }
}

/**
 * The provider's answer named an id it cannot be asked by. Its `INVALID_RESPONSE` would read as an
 * answer to a write that may have acted (may-have-acted.ts), keeping a write's idempotencyKey: but
 * the refusal comes before the URL is built, so nothing was sent with it.
 */
export class ListedUnusableId extends GatewayError {}
