import { GROUP_WORDS } from '../address-groups.js';
import { ClientCounts, type ClientKey } from './client-counts.js';

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
  private readonly perClient: ClientCounts;

  constructor(limit: number) {
    this.perClient = new ClientCounts(limit);
  }

  /** Takes a place for one more subscription of `clientKey`, or says why not (the refusal's message). */
  take(clientKey: ClientKey): string | null {
    const full = this.perClient.take(clientKey);
    if (full === null) return null;
    return refusal(full.limit, full.per === 'client' ? 'per client' : `for ${GROUP_WORDS[full.per]}`);
  }

  /** Gives back the place of a subscription that has ended (or whose connection closed). */
  release(clientKey: ClientKey): void {
    this.perClient.release(clientKey);
  }

  /** Client keys, addresses, /64s and /48s holding a subscription now. */
  get remembered(): number {
    return this.perClient.remembered;
  }
}

const refusal = (limit: number, whose: string): string =>
  `Subscription limit of ${limit} ${whose} exceeded (limits.maxSubscriptionsPerClient), across all its WebSocket connections: complete one first.`;
