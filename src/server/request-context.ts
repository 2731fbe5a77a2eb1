import { Mutations } from '../gateway/mutations.js';
import type { Principal } from '../gateway/principal.js';
import { RequestReads } from '../gateway/request-reads.js';
import type { SharedServices } from '../gateway/shared-services.js';
import type { GraphQLContext } from '../graphql/context.js';

/** `signal` is aborted when the client leaves before its answer: its upstream reads are cancelled. */
export type ContextFactory = (principal: Principal, requestId: string, signal?: AbortSignal) => GraphQLContext;

/** The one place a request's context is built, for HTTP requests and WebSocket operations alike. */
export function contextFactory(shared: SharedServices): ContextFactory {
  return (principal, requestId, signal) => {
    const reads = new RequestReads(shared, principal, requestId, signal);
    return { reads, mutations: new Mutations(reads), requestId };
  };
}
