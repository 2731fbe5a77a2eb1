import { AddressCounts, GROUP_WORDS, groupOf } from '../address-groups.js';
import type { ClientKey } from './connection-caps.js';
import type { Principal } from '../../gateway/principal.js';

/**
 * Subscriptions one client key holds at once across all its WebSocket connections
 * (`limits.maxSubscriptionsPerClient`); an anonymous caller's are counted by address, its /64 and
 * its /48 as the connection caps count them. Each subscription to an operation no one else
 * follows is a poll loop asking its provider every few seconds for as long as the operation
 * runs, and operation ids are the client's to write: a made-up OnApp create id stays PENDING
 * for 30 minutes. Bounded only per connection, one viewer key held
 * maxWsConnectionsPerClient × maxSubscriptionsPerConnection (400 by default) such loops.
 */
export class SubscriptionCaps {
  private readonly perClient = new Map<Principal, number>();
  private readonly anonymous: AddressCounts;

  constructor(private readonly limit: number) {
    this.anonymous = new AddressCounts(limit);
  }

  /** Takes a place for one more subscription of `clientKey`, or says why not (the refusal's message). */
  take(clientKey: ClientKey): string | null {
    if (typeof clientKey === 'string') {
      const full = this.anonymous.take(clientKey);
      if (full === null) return null;
      const { limit } = groupOf(clientKey, full, this.limit);
      return refusal(limit, `for ${GROUP_WORDS[full]}`);
    }
    const held = this.perClient.get(clientKey) ?? 0;
    if (held >= this.limit) return refusal(this.limit, 'per client');
    this.perClient.set(clientKey, held + 1);
    return null;
  }

  /** Gives back the place of a subscription that has ended (or whose connection closed). */
  release(clientKey: ClientKey): void {
    if (typeof clientKey === 'string') {
      this.anonymous.release(clientKey);
      return;
    }
    const left = (this.perClient.get(clientKey) ?? 1) - 1;
    if (left > 0) this.perClient.set(clientKey, left);
    else this.perClient.delete(clientKey);
  }

  /** Client keys, addresses, /64s and /48s holding a subscription now. */
  get remembered(): number {
    return this.perClient.size + this.anonymous.remembered;
  }
}

const refusal = (limit: number, whose: string): string =>
  `Subscription limit of ${limit} ${whose} exceeded (limits.maxSubscriptionsPerClient), across all its WebSocket connections: complete one first.`;
