import type { Gateway } from '../gateway/gateway.js';
import { Mutations } from '../gateway/mutations.js';
import type { Principal } from '../gateway/principal.js';
import { RequestGateway } from '../gateway/request-gateway.js';
import type { GraphQLContext } from '../graphql/context.js';

/** `signal` is aborted when the client leaves before its answer: its upstream reads are cancelled. */
export type ContextFactory = (principal: Principal, requestId: string, signal?: AbortSignal) => GraphQLContext;

/** The one place a request's context is built, for HTTP requests and WebSocket operations alike. */
export function contextFactory(gateway: Gateway): ContextFactory {
  return (principal, requestId, signal) => {
    const gatewayForRequest = new RequestGateway(gateway, principal, requestId, signal);
    return { gateway: gatewayForRequest, mutations: new Mutations(gatewayForRequest), requestId };
  };
}
