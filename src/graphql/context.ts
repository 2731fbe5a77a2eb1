import type { RequestGateway } from '../gateway/request-gateway.js';
import type { Mutations } from '../gateway/mutations.js';

/** What every resolver gets: the request's gateway (principal + loaders) and its mutations. */
export interface GraphQLContext {
  gateway: RequestGateway;
  mutations: Mutations;
  requestId: string;
}
