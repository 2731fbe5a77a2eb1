import { Mutations } from '../gateway/mutations.js';
import { clientTurnOf } from '../gateway/client-turn.js';
import { idempotencyOwnerOf } from '../gateway/idempotency-owner.js';
import { isAnonymous, type Principal } from '../gateway/principal.js';
import { RequestReads } from '../gateway/request-reads.js';
import { secretTextCountsOf } from './secret-text-counts.js';
import { anonymousTurnOf } from './turn-group.js';
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
    const turn = isAnonymous(principal) ? anonymousClientTurn(principal, address) : clientTurnOf(principal, address);
    const reads = new RequestReads(shared, principal, requestId, signal, turn, idempotencyOwnerOf(principal, address), secretTextCountsOf(principal, address));
    return { reads, mutations: new Mutations(reads), requestId };
  };
}

/** An anonymous caller's turn: its IPv6 /64 within its /48's, or its IPv4 address within its /24's (turn-group.ts). */
function anonymousClientTurn(principal: Principal, address: string): string {
  const { group, member } = anonymousTurnOf(address);
  return clientTurnOf(principal, member, group);
}
