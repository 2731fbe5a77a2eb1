import type { LimitsConfig } from '../../config/schema.js';
import { isAnonymous, type Principal } from '../../gateway/principal.js';
import { GROUP_WORDS, type AddressGroupKind } from '../address-groups.js';
import { ClientCounts, type ClientKey } from './client-counts.js';

export type { ClientKey } from './client-counts.js';

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
 * Anonymous callers are counted by address and, for IPv6, by /64 (16 addresses' worth) and /48
 * (4 /64s' worth) (ClientCounts): a host holding a /64 took a new address, and one holding a /48
 * a new /64, and 20 more connections, until the total cap was full and every client, keyed ones
 * too, was refused.
 */
export class ConnectionCaps {
  private open = 0;
  private readonly perClient: ClientCounts;

  constructor(private readonly limits: Pick<LimitsConfig, 'maxWsConnections' | 'maxWsConnectionsPerClient'>) {
    this.perClient = new ClientCounts(limits.maxWsConnectionsPerClient);
  }

  /** Takes a place for the connection, or says which cap refuses it. */
  admit(principal: Principal, address: string): { clientKey: ClientKey } | CapRefusal {
    const { maxWsConnections } = this.limits;
    if (this.open >= maxWsConnections) return { reason: `too many connections (limit ${maxWsConnections})`, limit: maxWsConnections, per: 'total' };
    const clientKey = isAnonymous(principal) ? address : principal;
    const full = this.perClient.take(clientKey);
    if (full !== null) {
      const whose = full.per === 'client' || full.per === 'address' ? 'this client' : GROUP_WORDS[full.per];
      return { reason: `too many connections for ${whose} (limit ${full.limit})`, limit: full.limit, per: full.per };
    }
    this.open += 1;
    return { clientKey };
  }

  /** Client keys, addresses, /64s and /48s holding a connection now: only what is held is kept. */
  get remembered(): number {
    return this.perClient.remembered;
  }

  /** Gives back the place of an admitted connection that has closed. */
  release(clientKey: ClientKey): void {
    this.open -= 1;
    this.perClient.release(clientKey);
  }
}
