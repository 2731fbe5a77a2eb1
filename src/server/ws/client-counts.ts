import type { Principal } from '../../gateway/principal.js';
import { AddressCounts, groupOf, groupsOf, type AddressGroupKind } from '../address-groups.js';

/** Who is counted: a keyed client's principal; an anonymous caller's address. */
export type ClientKey = Principal | string;

/** Which limit refused a take: the client key's own, or an anonymous caller's address, /64 or /48 (and that group's limit). */
export type ClientCountRefusal = { per: 'client'; limit: number } | { per: AddressGroupKind; limit: number };

/** One count a client key is held to: its own (a keyed client's), or an anonymous caller's address, /64 or /48. */
export interface ClientCountLevel {
  /** Names the count apart from every other client's and level's: a key's digest, never the key. */
  name: string;
  per: 'client' | AddressGroupKind;
  held: number;
  limit: number;
}

/**
 * What each client holds of something counted per client (WebSocket connections, subscriptions),
 * at most `perClient` each. Anonymous callers share one principal, so they are counted by
 * address and, for IPv6, by /64 and /48 (address-groups.ts): a host holding a /64 could take a
 * fresh address for each, and one holding a /48 a fresh /64.
 */
export class ClientCounts {
  private readonly perPrincipal = new Map<Principal, number>();
  private readonly anonymous: AddressCounts;

  constructor(private readonly perClient: number) {
    this.anonymous = new AddressCounts(perClient);
  }

  /** Takes one for `clientKey`; says which limit refused it, or null when taken. */
  take(clientKey: ClientKey): ClientCountRefusal | null {
    if (typeof clientKey === 'string') {
      const full = this.anonymous.take(clientKey);
      return full === null ? null : { per: full, limit: groupOf(clientKey, full, this.perClient).limit };
    }
    const held = this.perPrincipal.get(clientKey) ?? 0;
    if (held >= this.perClient) return { per: 'client', limit: this.perClient };
    this.perPrincipal.set(clientKey, held + 1);
    return null;
  }

  /** Gives back one taken for `clientKey`. */
  release(clientKey: ClientKey): void {
    if (typeof clientKey === 'string') {
      this.anonymous.release(clientKey);
      return;
    }
    const left = (this.perPrincipal.get(clientKey) ?? 1) - 1;
    if (left > 0) this.perPrincipal.set(clientKey, left);
    else this.perPrincipal.delete(clientKey);
  }

  /** What `clientKey` holds now in each count it is held to, narrowest first. */
  levels(clientKey: ClientKey): ClientCountLevel[] {
    if (typeof clientKey !== 'string') return [{ name: `key:${clientKey.keyId}`, per: 'client', held: this.perPrincipal.get(clientKey) ?? 0, limit: this.perClient }];
    return groupsOf(clientKey, this.perClient).map(({ by, group, limit }) => ({ name: `${by}:${group}`, per: by, held: this.anonymous.held(group), limit }));
  }

  /** Client keys, addresses, /64s and /48s holding something now: only what is held is kept. */
  get remembered(): number {
    return this.perPrincipal.size + this.anonymous.remembered;
  }
}
