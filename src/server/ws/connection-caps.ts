import type { LimitsConfig } from '../../config/schema.js';
import { isAnonymous, type Principal } from '../../gateway/principal.js';
import { AddressCounts, GROUP_WORDS, groupOf, type AddressGroupKind } from '../address-groups.js';

/** Who a connection is counted as: a keyed client's principal; an anonymous caller's address. */
export type ClientKey = Principal | string;

/** Why a connection past connection_init was refused: its close reason and log fields. */
export interface CapRefusal {
  reason: string;
  limit: number;
  /** Which cap: the total, a client key, or an anonymous caller's address, /64 (subnet) or /48 (site). */
  per: 'total' | 'client' | AddressGroupKind;
}

/**
 * The WebSocket connection caps, counted past connection_init (so the client key is known):
 * `limits.maxWsConnections` in total, `limits.maxWsConnectionsPerClient` per client key.
 *
 * Anonymous callers share one principal, so they are counted by address and, for IPv6, by /64
 * (16 addresses' worth) and /48 (4 /64s' worth): a host holding a /64 took a new address, and
 * one holding a /48 a new /64, and 20 more connections, until the total cap was full and every
 * client, keyed ones too, was refused.
 */
export class ConnectionCaps {
  private open = 0;
  private readonly perClient = new Map<Principal, number>();
  private readonly anonymousOpen: AddressCounts;

  constructor(private readonly limits: Pick<LimitsConfig, 'maxWsConnections' | 'maxWsConnectionsPerClient'>) {
    this.anonymousOpen = new AddressCounts(limits.maxWsConnectionsPerClient);
  }

  /** Takes a place for the connection, or says which cap refuses it. */
  admit(principal: Principal, address: string): { clientKey: ClientKey } | CapRefusal {
    const { maxWsConnections, maxWsConnectionsPerClient } = this.limits;
    if (this.open >= maxWsConnections) return { reason: `too many connections (limit ${maxWsConnections})`, limit: maxWsConnections, per: 'total' };
    const clientKey = isAnonymous(principal) ? address : principal;
    if (typeof clientKey === 'string') {
      const full = this.anonymousOpen.take(clientKey);
      if (full !== null) {
        const { limit } = groupOf(address, full, maxWsConnectionsPerClient);
        return { reason: `too many connections for ${full === 'address' ? 'this client' : GROUP_WORDS[full]} (limit ${limit})`, limit, per: full };
      }
    } else {
      const held = this.perClient.get(clientKey) ?? 0;
      if (held >= maxWsConnectionsPerClient) return { reason: `too many connections for this client (limit ${maxWsConnectionsPerClient})`, limit: maxWsConnectionsPerClient, per: 'client' };
      this.perClient.set(clientKey, held + 1);
    }
    this.open += 1;
    return { clientKey };
  }

  /** Client keys, addresses, /64s and /48s holding a connection now: only what is held is kept. */
  get remembered(): number {
    return this.perClient.size + this.anonymousOpen.remembered;
  }

  /** Gives back the place of an admitted connection that has closed. */
  release(clientKey: ClientKey): void {
    this.open -= 1;
    if (typeof clientKey === 'string') {
      this.anonymousOpen.release(clientKey);
      return;
    }
    const left = (this.perClient.get(clientKey) ?? 1) - 1;
    if (left > 0) this.perClient.set(clientKey, left);
    else this.perClient.delete(clientKey);
  }
}
