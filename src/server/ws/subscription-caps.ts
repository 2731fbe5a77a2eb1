import type { SharedHoldings } from '../../state/shared-holdings.js';
import { GROUP_WORDS, type AddressGroupKind } from '../address-groups.js';
import { ClientCounts, type ClientKey } from './client-counts.js';

/**
 * Subscriptions one client key holds at once across all its WebSocket connections
 * (`limits.maxSubscriptionsPerClient`); an anonymous caller's are counted by address, its /64 and
 * its /48 as the connection caps count them. Each subscription to an operation no one else
 * follows is a poll loop asking its provider every few seconds for as long as the operation
 * runs, and operation ids are the client's to write: a made-up OnApp create id stays PENDING
 * for 30 minutes. Bounded only per connection, one viewer key held
 * maxWsConnectionsPerClient × maxSubscriptionsPerConnection (400 by default) such loops.
 *
 * With `shared` (Redis) the cap holds across replicas: counted per replica, N replicas behind a
 * balancer let a key hold N times the cap. A place is taken here first (this replica's count
 * decides alone when Redis fails or is late), then confirmed against every live replica's count.
 */
export class SubscriptionCaps {
  private readonly perClient: ClientCounts;

  constructor(
    limit: number,
    private readonly shared: SharedHoldings | null = null,
  ) {
    this.perClient = new ClientCounts(limit);
  }

  /** Takes a place for one more subscription of `clientKey` on this replica, or says why not (the refusal's message). */
  take(clientKey: ClientKey): string | null {
    const full = this.perClient.take(clientKey);
    if (full === null) return null;
    return refusal(full.limit, full.per);
  }

  /** Whether a place taken must also be confirmed across replicas (`confirm`): with Redis only. */
  get acrossReplicas(): boolean {
    return this.shared !== null;
  }

  /**
   * After a `take`: whether the replicas together hold more than the cap, the place just taken
   * included (the refusal's message; the caller then releases the place), or null. Null at once
   * without Redis, and when Redis failed or was late.
   */
  async confirm(clientKey: ClientKey): Promise<string | null> {
    if (!this.shared) return null;
    const levels = this.perClient.levels(clientKey);
    const totals = await this.shared.hold(levels.map(({ name, held }) => ({ key: name, held })));
    if (totals === null) return null;
    const full = levels.find((level, at) => (totals[at] ?? 0) > level.limit);
    return full === undefined ? null : refusal(full.limit, full.per);
  }

  /** Gives back the place of a subscription that has ended (or whose connection closed, or that `confirm` refused). */
  release(clientKey: ClientKey): void {
    this.perClient.release(clientKey);
    if (!this.shared) return;
    for (const { name, held } of this.perClient.levels(clientKey)) this.shared.record({ key: name, held });
  }

  /** Client keys, addresses, /64s and /48s holding a subscription now. */
  get remembered(): number {
    return this.perClient.remembered;
  }
}

const refusal = (limit: number, per: 'client' | AddressGroupKind): string =>
  `Subscription limit of ${limit} ${per === 'client' ? 'per client' : `for ${GROUP_WORDS[per]}`} exceeded (limits.maxSubscriptionsPerClient), across all its WebSocket connections: complete one first.`;
