import { Mutations } from '../gateway/mutations.js';
import { clientTurnOf } from '../gateway/client-turn.js';
import type { Principal } from '../gateway/principal.js';
import { RequestReads } from '../gateway/request-reads.js';
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
    const reads = new RequestReads(shared, principal, requestId, signal, clientTurnOf(principal, address));
    return { reads, mutations: new Mutations(reads), requestId };
  };
}
