import { Mutations } from '../gateway/mutations.js';
import { clientTurnOf } from '../gateway/client-turn.js';
import { isAnonymous, type Principal } from '../gateway/principal.js';
import { RequestReads } from '../gateway/request-reads.js';
import { siteOf, subnetOf } from './address-groups.js';
import type { SharedServices } from '../gateway/shared-services.js';
import type { GraphQLContext } from '../graphql/context.js';

/**
 * `address`: the client's (behind a trusted proxy too), whose turn an anonymous caller's upstream
 * calls wait in. `signal` is aborted when the client leaves before its answer: its upstream reads are cancelled.
 */
export type ContextFactory = (principal: Principal, requestId: string, address: string, signal?: AbortSignal) => GraphQLContext;

/** The one place a request's context is built, for HTTP requests and WebSocket operations alike. */
export function contextFactory(shared: SharedServices): ContextFactory {
  return (principal, requestId, address, signal) => {
    // A keyed client's turn is its key's: its address is not looked at.
    const turn = isAnonymous(principal) ? clientTurnOf(principal, turnAddressOf(address), siteOf(address)) : clientTurnOf(principal, address);
    const reads = new RequestReads(shared, principal, requestId, signal, turn);
    return { reads, mutations: new Mutations(reads), requestId };
  };
}

/**
 * The address an anonymous caller's upstream calls take their turn by: an IPv6 caller's /64, one
 * host's (address-groups.ts), an IPv4 caller's own. A turn per IPv6 address let one host with a
 * /64 take a turn per address it made up, each as large as a keyed client's: 40 requests from 40
 * of its addresses sent a keyed client's one read 29th instead of among the first, and no rate
 * limit is on by default. Hosts sharing a /64 (a Docker network) share a turn, not a limit: none is
 * locked out. The /64 takes its turn within its /48's (`siteOf`, clientTurnOf): a /48 holds 65,536
 * /64s and is free from tunnel brokers, and 40 of its /64s sent a keyed client's read 56th. The
 * /48 is not the whole turn: an ISP's customers, each a /56 of one /48, still take turns within it.
 */
function turnAddressOf(address: string): string {
  return subnetOf(address) ?? address;
}
