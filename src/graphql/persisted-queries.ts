import type { ApolloServerOptions, ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { LRUCache } from 'lru-cache';
import { isAnonymous, type Principal } from '../gateway/principal.js';
import { growingLru } from '../state/growing-lru.js';
import type { GraphQLContext } from './context.js';

type PersistedQueryCache = NonNullable<Exclude<ApolloServerOptions<GraphQLContext>['persistedQueries'], false | undefined>['cache']>;

/**
 * Query texts kept for hash-only requests of clients with a key, all of them together. Smaller than
 * Apollo's default store (about 30 MiB): the gateway's whole heap is sized to 150 MiB under load,
 * and a text let go costs its client one round trip (PersistedQueryNotFound, then the text), nothing more.
 */
const TEXT_BYTES = 8 * 1024 * 1024;
/**
 * (client, hash) pairs remembered for clients with a key. Each key is two hex SHA-256s (the
 * client's key id and the query's hash): about 310 bytes an entry with the LRU's own (measured),
 * so some 6 MB when full. Clients times the distinct queries each sends; one client sending
 * thousands of made-up queries pushes out the least recently used, which again costs their
 * clients a round trip.
 */
const REGISTRATIONS = 20_000;
/**
 * The same for callers without a key, in tables of their own: anyone who can reach the gateway
 * (with `allowAnonymous`) may fill them from as many addresses as it holds, and in the keyed
 * clients' tables such a flood pushed every keyed client's queries out, a round trip each.
 * A quarter of the keyed bounds (some 1.5 MB of pairs, 2 MiB of texts).
 */
const ANONYMOUS_TEXT_BYTES = 2 * 1024 * 1024;
const ANONYMOUS_REGISTRATIONS = 5_000;

export interface PersistedQueryBounds {
  /** (client, hash) pairs kept for clients with a key (20,000). */
  registrations?: number;
  /** (address, hash) pairs kept for callers without a key, apart from the keyed ones (5,000). */
  anonymousRegistrations?: number;
}

/** One set of registrations and the texts they name: one for clients with a key, one for callers without. */
class RegistrationTable {
  private readonly texts: LRUCache<string, string>;
  private readonly registered: LRUCache<string, true>;

  constructor(textBytes: number, registrations: number) {
    this.texts = new LRUCache<string, string>({ maxSize: textBytes, sizeCalculation: (text, hash) => 2 * (text.length + hash.length) });
    this.registered = growingLru<string, true>(registrations);
  }

  register(client: string, hash: string, text: string): void {
    this.texts.set(hash, text);
    this.registered.set(`${client}\u0000${hash}`, true);
  }

  textFor(client: string, hash: string): string | undefined {
    return this.registered.get(`${client}\u0000${hash}`) ? this.texts.get(hash) : undefined;
  }
}

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
 * refused query is never kept. Callers without a key register in tables of their
 * own, so none of them can push a keyed client's queries out. The WebSocket server
 * registers and looks up here too (`register`, `textFor`), so either entry point
 * answers a hash the other registered.
 */
export class ClientPersistedQueries {
  private readonly keyed: RegistrationTable;
  private readonly anonymous: RegistrationTable;

  /** For Apollo's `persistedQueries.cache`: never holds a text, so every hash Apollo looks up alone is not found. */
  readonly apolloCache: PersistedQueryCache = {
    get: async () => undefined,
    set: async () => {},
    delete: async () => false,
  };

  readonly plugin: ApolloServerPlugin<GraphQLContext>;

  constructor(bounds: PersistedQueryBounds = {}) {
    this.keyed = new RegistrationTable(TEXT_BYTES, bounds.registrations ?? REGISTRATIONS);
    this.anonymous = new RegistrationTable(ANONYMOUS_TEXT_BYTES, bounds.anonymousRegistrations ?? ANONYMOUS_REGISTRATIONS);
    const listener: GraphQLRequestListener<GraphQLContext> = {
      responseForOperation: async ({ metrics, queryHash, source, contextValue }) => {
        if (metrics.persistedQueryRegister && queryHash !== undefined && source !== undefined) this.register(contextValue.reads.principal, contextValue.reads.idempotencyOwner, queryHash, source);
        return null;
      },
    };
    this.plugin = {
      requestDidStart: async ({ request, contextValue }) => {
        const hash = hashAlone(request);
        if (hash !== undefined) {
          const text = this.textFor(contextValue.reads.principal, contextValue.reads.idempotencyOwner, hash);
          if (text !== undefined) request.query = text;
        }
        return listener;
      },
    };
  }

  /** Keeps `text` under `hash` for `client` (its `idempotencyOwner`), once it passed every check. */
  register(principal: Principal, client: string, hash: string, text: string): void {
    this.tableOf(principal).register(client, hash, text);
  }

  /** The text `client` registered under `hash`, if it did and it is still kept. */
  textFor(principal: Principal, client: string, hash: string): string | undefined {
    return this.tableOf(principal).textFor(client, hash);
  }

  private tableOf(principal: Principal): RegistrationTable {
    return isAnonymous(principal) ? this.anonymous : this.keyed;
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
