import type { Mutations } from '../gateway/mutations.js';
import type { RequestReads } from '../gateway/request-reads.js';

/** What every resolver gets: the request's reads (principal, loaders), its mutations and its id. */
export interface GraphQLContext {
  reads: RequestReads;
  mutations: Mutations;
  requestId: string;
}
