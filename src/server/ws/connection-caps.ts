import type { LimitsConfig } from '../../config/schema.js';
import { isAnonymous, type Principal } from '../../gateway/principal.js';
import { GROUP_WORDS, type AddressGroupKind } from '../address-groups.js';
import { ClientCounts, type ClientKey } from './client-counts.js';

export type { ClientKey } from './client-counts.js';

/** Why a connection past connection_init was refused: its close reason and log fields. */
export interface CapRefusal {
  reason: string;
  limit: number;
  /** Which cap: the total, anonymous callers' share of it, a client key, or an anonymous caller's address, /64 (subnet) or /48 (site). */
  per: 'total' | 'anonymous' | 'client' | AddressGroupKind;
}

/**
 * The share of `limits.maxWsConnections` callers without a key may hold together. Each anonymous
 * address, /64 and /48 has its own cap, but 50 IPv4 addresses, or one IPv6 /48 (4 /64s × 16
 * addresses × 20), filled the whole total and shut every keyed client out of WebSockets; the
 * rest of the total is kept for keyed clients.
 */
export const ANONYMOUS_WS_CONNECTIONS_SHARE = 3 / 4;

/** How many WebSocket connections anonymous callers may hold together: at least one, so a total of 1 still serves them. */
export const anonymousConnectionLimit = (maxWsConnections: number): number => Math.max(1, Math.floor(maxWsConnections * ANONYMOUS_WS_CONNECTIONS_SHARE));

/** The warn line a cap's refusal is logged with. */
export const capRefusalLine = (per: CapRefusal['per']): string =>
  per === 'total' ? 'WebSocket connection refused: total cap' : per === 'anonymous' ? "WebSocket connection refused: anonymous callers' share of the total cap" : 'WebSocket connection refused: per-client cap';

/**
 * The WebSocket connection caps, counted past connection_init (so the client key is known):
 * `limits.maxWsConnections` in total, `limits.maxWsConnectionsPerClient` per client key, and
 * anonymous callers together at most ANONYMOUS_WS_CONNECTIONS_SHARE of the total.
 *
 * Anonymous callers are counted by address and, for IPv6, by /64 (16 addresses' worth) and /48
 * (4 /64s' worth) (ClientCounts): a host holding a /64 took a new address, and one holding a /48
 * a new /64, and 20 more connections, until the total cap was full and every client, keyed ones
 * too, was refused.
 */
export class ConnectionCaps {
  private open = 0;
  private openAnonymous = 0;
  private readonly perClient: ClientCounts;

  constructor(private readonly limits: Pick<LimitsConfig, 'maxWsConnections' | 'maxWsConnectionsPerClient'>) {
    this.perClient = new ClientCounts(limits.maxWsConnectionsPerClient);
  }

  /** Takes a place for the connection, or says which cap refuses it. */
  admit(principal: Principal, address: string): { clientKey: ClientKey } | CapRefusal {
    const { maxWsConnections } = this.limits;
    if (this.open >= maxWsConnections) return { reason: `too many connections (limit ${maxWsConnections})`, limit: maxWsConnections, per: 'total' };
    const anonymous = isAnonymous(principal);
    const anonymousLimit = anonymousConnectionLimit(maxWsConnections);
    if (anonymous && this.openAnonymous >= anonymousLimit) {
      return { reason: `too many connections without a key (limit ${anonymousLimit}, ${ANONYMOUS_WS_CONNECTIONS_SHARE * 100}% of ${maxWsConnections}: the rest is kept for clients with a key)`, limit: anonymousLimit, per: 'anonymous' };
    }
    const clientKey = anonymous ? address : principal;
    const full = this.perClient.take(clientKey);
    if (full !== null) {
      const whose = full.per === 'client' || full.per === 'address' ? 'this client' : GROUP_WORDS[full.per];
      return { reason: `too many connections for ${whose} (limit ${full.limit})`, limit: full.limit, per: full.per };
    }
    this.open += 1;
    if (anonymous) this.openAnonymous += 1;
    return { clientKey };
  }

  /** Client keys, addresses, /64s and /48s holding a connection now: only what is held is kept. */
  get remembered(): number {
    return this.perClient.remembered;
  }

  /** Gives back the place of an admitted connection that has closed. */
  release(clientKey: ClientKey): void {
    this.open -= 1;
    // Anonymous callers are counted by address, a string; keyed clients by their principal.
    if (typeof clientKey === 'string') this.openAnonymous -= 1;
    this.perClient.release(clientKey);
  }
}
