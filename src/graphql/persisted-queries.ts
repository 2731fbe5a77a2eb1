import type { ApolloServerOptions, ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { LRUCache } from 'lru-cache';
import { growingLru } from '../state/growing-lru.js';
import type { GraphQLContext } from './context.js';

type PersistedQueryCache = NonNullable<Exclude<ApolloServerOptions<GraphQLContext>['persistedQueries'], false | undefined>['cache']>;

/**
 * Query texts kept for hash-only requests, all clients together. Smaller than Apollo's default
 * store (about 30 MiB): the gateway's whole heap is sized to 150 MiB under load, and a text let go
 * costs its client one round trip (PersistedQueryNotFound, then the text), nothing more.
 */
const TEXT_BYTES = 8 * 1024 * 1024;
/**
 * (client, hash) pairs remembered. Each key is two hex SHA-256s (the client's key id, or an anonymous
 * caller's address, and the query's hash): about 310 bytes an entry with the LRU's own (measured), so some 6 MB when full. Clients
 * times the distinct queries each sends; one client sending thousands of made-up queries pushes
 * out the least recently used, which again costs their clients a round trip.
 */
const REGISTRATIONS = 20_000;

/**
 * Automatic persisted queries (APQ), registered per client. Apollo keeps one
 * store of hashes for the whole server, so a client that sent a hash alone
 * learned from the answer (the data, or PersistedQueryNotFound) whether any
 * other client had sent that query: another tenant's dashboard, or a query
 * naming an id it was looking for.
 *
 * Apollo still speaks the protocol (version check, hash check, the
 * PersistedQueryNotFound answer through the one error formatter), over a
 * store of its own that stays empty (`apolloCache`); the texts live here. A
 * hash alone gets its text back only when the same client registered it: its
 * key, or for callers without a key their address (`idempotencyOwnerOf`: they
 * share one principal, and as one client each learned whether any other had
 * sent a query, the question this answers for tenants); Apollo then checks it as a
 * registration. A text is registered at the point Apollo would have stored
 * it: after it parsed, validated and passed every plugin's checks, so a
 * refused query is never kept.
 */
export class ClientPersistedQueries {
  private readonly texts = new LRUCache<string, string>({ maxSize: TEXT_BYTES, sizeCalculation: (text, hash) => 2 * (text.length + hash.length) });
  private readonly registered = growingLru<string, true>(REGISTRATIONS);

  /** For Apollo's `persistedQueries.cache`: never holds a text, so every hash Apollo looks up alone is not found. */
  readonly apolloCache: PersistedQueryCache = {
    get: async () => undefined,
    set: async () => {},
    delete: async () => false,
  };

  readonly plugin: ApolloServerPlugin<GraphQLContext>;

  constructor() {
    const listener: GraphQLRequestListener<GraphQLContext> = {
      responseForOperation: async ({ metrics, queryHash, source, contextValue }) => {
        if (metrics.persistedQueryRegister && queryHash !== undefined && source !== undefined) this.register(contextValue.reads.idempotencyOwner, queryHash, source);
        return null;
      },
    };
    this.plugin = {
      requestDidStart: async ({ request, contextValue }) => {
        const hash = hashAlone(request);
        if (hash !== undefined) {
          const text = this.textFor(contextValue.reads.idempotencyOwner, hash);
          if (text !== undefined) request.query = text;
        }
        return listener;
      },
    };
  }

  private register(client: string, hash: string, text: string): void {
    this.texts.set(hash, text);
    this.registered.set(`${client}\u0000${hash}`, true);
  }

  private textFor(client: string, hash: string): string | undefined {
    return this.registered.get(`${client}\u0000${hash}`) ? this.texts.get(hash) : undefined;
  }
}

/** The hash of a request that sends one without its query text (Apollo answers anything malformed). */
function hashAlone(request: { query?: string | undefined; extensions?: Record<string, unknown> | undefined }): string | undefined {
  if (request.query !== undefined) return undefined;
  const persisted = request.extensions?.persistedQuery;
  if (typeof persisted !== 'object' || persisted === null || !('sha256Hash' in persisted)) return undefined;
  const hash = persisted.sha256Hash;
  return typeof hash === 'string' ? hash : undefined;
}
