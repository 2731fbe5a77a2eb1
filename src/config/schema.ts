import { z } from 'zod';
import { providerConfigSchema } from '../providers/registry.js';
import { ALLOWED_HOST } from '../server/anonymous-host.js';
import { trustedProxyProblem } from '../server/client-address.js';
import { ANSWER_BYTES_HELD_DEFAULT } from '../upstream/answer-bytes.js';
import { ANSWER_DEADLINE_DEFAULT_MS, DEFAULT_BULK_INSTANCES } from '../upstream/longest-read.js';
import { READ_CACHE_MAX_BYTES_DEFAULT } from './read-cache.js';
import { crossCheckConfig } from './cross-checks.js';
import { LOG_LEVELS } from './env-log-level.js';
import { listenHostProblem } from './listen-host.js';
import { PORT_RANGE_WORDS } from './port-references.js';
import { isPlainWord } from './usable-id.js';

// One entry per provider kind: the registry joins each provider module's entry schema.
export { providerConfigSchema, type ProviderConfig } from '../providers/registry.js';

/**
 * Whether proxy-addr's refusal, which quotes the entry, may be shown: an address-like entry
 * (`10.0.0.0/33`) or a word (`haproxy`, `loopbak`). A token pasted in the list was quoted whole.
 */
const mayQuoteProxyEntry = (entry: string): boolean => /^[0-9A-Fa-f.:/]{1,49}$/.test(entry) || isPlainWord(entry);

/** A config section: strict, and filled with its defaults when left out. */
function section<const Shape extends z.ZodRawShape>(shape: Shape) {
  const schema = z.object(shape).strict();
  return schema.prefault({} as z.input<typeof schema>);
}

/** A listener's port: `port: 99999` read zod's "Too big: expected number to be <=65535", a `${PORT}` the words below. */
const listenHostSchema = (fallback: string, portKey: string) =>
  z
    .string()
    .min(1)
    .superRefine((host, context) => {
      const problem = listenHostProblem(host, portKey);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .default(fallback);
const portSchema = (fallback: number) => z.number().int(PORT_RANGE_WORDS).min(0, PORT_RANGE_WORDS).max(65_535, PORT_RANGE_WORDS).default(fallback);

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const clientSchema = z.object({
  name: z.string().min(1).max(100),
  // Short keys are guessable; 16 characters is the least we take.
  key: z.string().min(16, 'must be at least 16 characters'),
  roles: z.array(z.enum(ROLES)).min(1, 'must name at least one role'),
  // An empty scope answered every list empty: a protection dashboard read "0 unprotected".
  providers: z.array(z.string()).min(1, 'names no account, so every list answers empty: leave providers out for every account, or name the ones this client may see').optional(),
}).strict();
export type ClientConfig = z.infer<typeof clientSchema>;

/** The longest limits.answerDeadlineMs a file may set, and so the most one derived from the accounts reaches. */
export const ANSWER_DEADLINE_MOST_MS = 3_600_000;

/** Query limits; each refusal is QUERY_TOO_COMPLEX. The defaults fit the dashboard query with room to spare. */
export const limitsSchema = section({
  maxDepth: z.number().int().min(2).max(100).default(10),
  maxAliases: z.number().int().min(0).max(1000).default(30),
  maxCost: z.number().int().min(1).max(100_000_000).default(200_000),
  maxTokens: z.number().int().min(10).max(1_000_000).default(5_000),
  bodyLimitBytes: z.number().int().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
  maxPageSize: z.number().int().min(1).max(10_000).default(1_000),
  // Items in an operation's list arguments, added up (ids, `_entities` representations): a page's worth.
  maxListArgument: z.number().int().min(1).max(100_000).default(1_000),
  // Upstream calls one GraphQL request may cause: a dashboard over 1,000 instances per provider needs ~5,000.
  maxUpstreamCallsPerRequest: z.number().int().min(1).max(1_000_000).default(10_000),
  // The JSON of an answer that may repeat what was read (src/graphql/limits/answer-size.ts).
  maxAnswerBytes: z.number().int().min(1024 * 1024).max(1024 * 1024 * 1024).default(64 * 1024 * 1024),
  // Bytes of provider answers one GraphQL request may take in (it holds what it read until it ends).
  maxUpstreamAnswerBytesPerRequest: z.number().int().min(1024 * 1024).max(64 * 1024 * 1024 * 1024).default(256 * 1024 * 1024),
  // Per client key (anonymous: per IP), per process; off unless set.
  rateLimit: z.object({ requestsPerSecond: z.number().positive().max(1_000_000), burst: z.number().int().min(1).max(1_000_000) }).strict().optional(),
  /**
   * Failed authentications (a missing, malformed or unknown key) one client address may make
   * within `windowMs`, its /64 sixteen times as many and its /48 four times its /64's; past them every request and WebSocket
   * connection from it is refused (429, 4429) until the window ends. Guessing keys costs a 401 each.
   */
  authFailures: z
    .object({ perAddress: z.number().int().min(1).max(1_000_000).default(20), windowMs: z.number().int().min(1_000).max(24 * 60 * 60 * 1000).default(60_000) })
    .strict()
    .prefault({}),
  /**
   * Writes one key may have refused within `windowMs` for text the gateway redacts from provider
   * answers (src/gateway/secret-text.ts); past them every write of the key is refused (FORBIDDEN)
   * until the window ends. A refusal confirms a guess (about a character of a key): few, and slow.
   */
  secretTextRefusals: z
    .object({ perKey: z.number().int().min(1).max(1_000).default(3), windowMs: z.number().int().min(1_000).max(7 * 24 * 60 * 60 * 1000).default(24 * 60 * 60 * 1000) })
    .strict()
    .prefault({}),
  // Entries each in-memory store keeps (Redis: bounded by its maxmemory); the two never evict each other.
  readCacheMaxEntries: z.number().int().min(1).max(10_000_000).default(100_000),
  /**
   * Estimated heap bytes of the lists the in-memory read cache holds (src/gateway/cached-list-bytes.ts),
   * beside its entries: an account of 5,000-backup lists filled as many entries as one of small
   * ones. Redis: ignored, as readCacheMaxEntries.
   */
  readCacheMaxBytes: z.number().int().min(1024 * 1024).max(64 * 1024 * 1024 * 1024).default(READ_CACHE_MAX_BYTES_DEFAULT),
  idempotencyMaxEntries: z.number().int().min(1).max(10_000_000).default(100_000),
  /**
   * TCP connections (HTTP and WebSocket) one address may hold open on the public listener, its
   * /64 sixteen times as many and its /48 four times its /64's; one more is closed as it is
   * accepted. Trusted proxies are not capped.
   */
  maxConnectionsPerAddress: z.number().int().min(1).max(1_000_000).default(256),
  /** WebSocket (graphql-ws) connections open at once, all clients together. */
  maxWsConnections: z.number().int().min(1).max(1_000_000).default(1_000),
  /** WebSocket connections open at once per client key (per remote address for anonymous callers). */
  maxWsConnectionsPerClient: z.number().int().min(1).max(100_000).default(20),
  /** Operations (subscriptions, queries) running at once on one WebSocket connection. */
  maxSubscriptionsPerConnection: z.number().int().min(1).max(10_000).default(20),
  /**
   * Subscriptions at once per client key (per remote address for anonymous callers) across all
   * its WebSocket connections: each one to an operation no one else follows polls its provider
   * every few seconds while the operation runs.
   */
  maxSubscriptionsPerClient: z.number().int().min(1).max(1_000_000).default(40),
  /**
   * Bytes one WebSocket connection may have queued but not yet sent (`bufferedAmount`): a
   * message to a connection already past it closes the connection (1013) instead of queuing.
   */
  maxWsBufferedBytes: z.number().int().min(16 * 1024).max(1024 * 1024 * 1024).default(4 * 1024 * 1024),
  /**
   * Bytes of answers, HTTP and WebSocket together, handed over and not yet taken by the kernel,
   * per client address (an IPv6 /64 16 addresses' worth, a /48 4 /64s'): an address may open
   * maxConnectionsPerAddress connections, each holding a whole unread answer. Past it a new
   * answer is refused (HTTP 429 QUERY_TOO_COMPLEX; WebSocket closed 1013).
   */
  maxUnsentAnswerBytesPerAddress: z.number().int().min(64 * 1024).max(16 * 1024 * 1024 * 1024).default(64 * 1024 * 1024),
  /**
   * Bytes of upstream answers held while they are read and parsed, every account together: past
   * it a reader pauses (the provider waits in TCP) until bytes are released, but for the oldest
   * reader, which always goes on (src/upstream/answer-bytes.ts). Below one answer's size limit
   * (32 MiB) large answers are read one at a time.
   */
  maxAnswerBytesHeld: z.number().int().min(1024 * 1024).max(64 * 1024 * 1024 * 1024).default(ANSWER_BYTES_HELD_DEFAULT),
  /** Most instances one createBackups may name (refused as BAD_USER_INPUT above it). */
  maxBulkInstances: z.number().int().min(1).max(10_000).default(DEFAULT_BULK_INSTANCES),
  /**
   * How long a GraphQL query or mutation (HTTP, and WebSocket but for subscriptions) may run with
   * no answer begun before the gateway answers it itself: INTERNAL_SERVER_ERROR, HTTP 504, the
   * work not claimed stopped (src/server/answer-deadline.ts). Above the longest a healthy request
   * takes (ANSWER_DEADLINE_DEFAULT_MS says how that is counted); left out of the file, raised past
   * the default to what the slowest account needs (derived-answer-deadline.ts, after parsing).
   */
  answerDeadlineMs: z.number().int().min(1_000).max(ANSWER_DEADLINE_MOST_MS).default(ANSWER_DEADLINE_DEFAULT_MS),
});
export type LimitsConfig = z.infer<typeof limitsSchema>;

/**
 * The protection view: the recovery-point objective (hours; per account
 * overridable) and the optional background sweep that exports Prometheus
 * gauges of instances per protection status (0: off).
 */
export const protectionSchema = section({
  rpoHours: z.number().int().min(1).max(87_600).default(24),
  perProvider: z.record(z.string(), z.number().int().min(1).max(87_600)).default({}),
  sweepIntervalMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 60 * 60 * 1000)
    .refine((value) => value === 0 || value >= 100, 'must be 0 (off) or at least 100')
    .default(0),
});
export type ProtectionConfig = z.infer<typeof protectionSchema>;
/** Graceful stop on SIGINT/SIGTERM: how long requests in flight may take before the process gives up on them. */
export const shutdownSchema = section({
  drainTimeoutMs: z.number().int().min(0).max(600_000).default(10_000),
  // After SIGTERM, /readyz answers 503 this long while requests are still served, so a load
  // balancer's health checks take the replica out before its listener closes.
  readyzGraceMs: z.number().int().min(0).max(600_000).default(0),
}).superRefine((shutdown, context) => {
  const problem = readyzGraceProblem(shutdown.readyzGraceMs, shutdown.drainTimeoutMs);
  if (problem) context.addIssue({ code: 'custom', path: ['readyzGraceMs'], message: problem });
});

/**
 * Of the drain timeout (counted from the signal), the readyz grace comes
 * first; closing needs the rest: a WebSocket client that never answers the
 * close is dropped after 1 s, and the listener closes after that.
 */
const ROOM_TO_CLOSE_MS = 1_500;

/**
 * Either value may have come from the environment, which the file does not show: an env file's
 * DRAIN_TIMEOUT_MS=4000 beside the file's 3 s grace read as a drain timeout found nowhere in it.
 */
const GRACE_ROOM_FIX = (leastDrainMs: number): string =>
  `raise the drain timeout to ${leastDrainMs} or more (shutdown.drainTimeoutMs; DRAIN_TIMEOUT_MS overrides it where set), or lower the grace (SHUTDOWN_READYZ_GRACE_MS overrides it where set)`;

export function readyzGraceProblem(readyzGraceMs: number, drainTimeoutMs: number): string | null {
  return readyzGraceMs > 0 && readyzGraceMs + ROOM_TO_CLOSE_MS > drainTimeoutMs
    ? `${readyzGraceMs} must leave at least ${ROOM_TO_CLOSE_MS} ms of the drain timeout (${drainTimeoutMs}, counted from the signal) to close in, or the gateway exits 1 before it has stopped: ${GRACE_ROOM_FIX(readyzGraceMs + ROOM_TO_CLOSE_MS)}`
    : null;
}

export const configSchema = z
  .object({
    listen: section({
      port: portSchema(4000),
      host: listenHostSchema('0.0.0.0', 'listen.port'),
      // Proxies whose X-Forwarded-For names the client (src/server/client-address.ts); none by default.
      trustedProxies: z
        .array(z.string().superRefine((entry, context) => {
          const problem = trustedProxyProblem(entry);
          if (problem) context.addIssue({ code: 'custom', message: `not an address, a CIDR range or loopback/linklocal/uniquelocal (${mayQuoteProxyEntry(entry) ? problem : 'the entry is not quoted: it may be a secret put in the wrong place'})` });
        }))
        .max(100)
        .default([]),
      // Names a caller without a key may send requests to, besides IP addresses and localhost (DNS rebinding; src/server/anonymous-host.ts).
      allowedHosts: z.array(z.string().regex(ALLOWED_HOST, 'must be a host name, or .name for it and the names under it')).max(100).default([]),
    }),
    /** /metrics and the detailed /readyz: loopback only by default, never on the public port. */
    admin: section({
      port: portSchema(9464),
      host: listenHostSchema('127.0.0.1', 'admin.port'),
      // Names the admin listener is scraped at, besides IP addresses and localhost (DNS rebinding; src/server/admin.ts).
      allowedHosts: z.array(z.string().regex(ALLOWED_HOST, 'must be a host name, or .name for it and the names under it')).max(100).default([]),
    }),
    clients: z.array(clientSchema).optional(),
    allowAnonymous: z.boolean().default(false),
    /**
     * What a caller without a key may do when allowAnonymous is on. Unset: admin when no
     * clients are configured (the gateway has no keys at all), viewer beside clients (an
     * anonymous admin would make every key's roles pointless).
     */
    anonymousRole: z.enum(['viewer', 'operator', 'admin']).optional(),
    introspection: z.boolean().default(false),
    logLevel: z.enum(LOG_LEVELS).default('info'),
    limits: limitsSchema,
    protection: protectionSchema,
    shutdown: shutdownSchema,
    providers: z.array(providerConfigSchema).min(1, 'must name at least one provider'),
  })
  .strict()
  .superRefine((config, context) => {
    for (const issue of crossCheckConfig(config)) context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });

type ParsedConfig = z.infer<typeof configSchema>;

/**
 * The variable a port was read from, where the file wrote `${NAME}`: set by the loader
 * (src/config/admin-port-variable.ts), never read from a file (the sections are strict). A field,
 * not a side table keyed on the section object, so a copy (`{ ...config.admin }`) keeps it.
 */
interface PortVariable {
  portVariable?: string;
}

export type GatewayConfig = Omit<ParsedConfig, 'listen' | 'admin'> & {
  listen: ParsedConfig['listen'] & PortVariable;
  admin: ParsedConfig['admin'] & PortVariable;
};
