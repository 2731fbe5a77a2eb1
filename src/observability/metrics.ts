import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ApolloServerPlugin } from '@apollo/server';
import type { AnswerBytesBudget } from '../upstream/answer-bytes.js';
import type { UpstreamObserver } from '../upstream/observer.js';
import { BUILD_ID } from '../build-id.js';
import { boundedStdout } from './bounded-stdout.js';
import { UpstreamDurationSeries } from './upstream-duration-series.js';
import { STORE_USERS, type StoreFailureClass, type StoreUser } from './store-failure-lines.js';
import type { RedisConnectionState } from '../state/redis-connection-state.js';

const BREAKER_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/** Why the drain answered an HTTP request 503 SHUTTING_DOWN, unrun (backup_graph_drain_refusals_total's `reason`). */
export const DRAIN_REFUSAL_REASONS = ['body_unread', 'head_unfinished', 'waiting_turn', 'upgrade_kept_alive'] as const;
export type DrainRefusalReason = (typeof DRAIN_REFUSAL_REASONS)[number];

/** A fault no handler of the gateway's caught (backup_graph_unhandled_errors_total's `kind`; src/server/process-faults.ts). */
export const UNHANDLED_ERROR_KINDS = ['unhandled_rejection', 'uncaught_exception'] as const;
export type UnhandledErrorKind = (typeof UNHANDLED_ERROR_KINDS)[number];
/** How a request that the answer deadline answered came: over HTTP, or a WebSocket query or mutation. */
export const ANSWER_TRANSPORTS = ['http', 'websocket'] as const;
export type AnswerTransport = (typeof ANSWER_TRANSPORTS)[number];

/**
 * The gateway's Prometheus metrics, in a registry of its own (not prom-client's
 * global one), so several gateways in one process keep separate counts.
 */
export class GatewayMetrics implements UpstreamObserver {
  readonly registry = new Registry();
  private readonly upstreamDuration = new Histogram({
    name: 'backup_graph_upstream_request_duration_seconds',
    help: 'Upstream (provider) request duration, by provider, operation and outcome.',
    labelNames: ['provider', 'kind', 'operation', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly upstreamDurationSeries = new UpstreamDurationSeries(this.upstreamDuration);
  private readonly coalescedReads = new Counter({
    name: 'backup_graph_upstream_coalesced_reads_total',
    help: 'Upstream reads that joined an identical read already in flight (no request of their own), by provider.',
    labelNames: ['provider', 'kind'] as const,
    registers: [this.registry],
  });
  private readonly breaker = new Gauge({
    name: 'backup_graph_upstream_breaker_state',
    help: 'Circuit breaker state per provider account: 0 closed, 1 half-open, 2 open.',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  /**
   * Each opening, the first and every failed half-open test's: a provider refusing connections
   * fails its test in milliseconds, so the gauge above reads 2 at every scrape and its half-open
   * moments are never seen; the ProviderDown rule tells a breaker tested meanwhile by this.
   */
  private readonly breakerOpens = new Counter({
    name: 'backup_graph_upstream_breaker_opens_total',
    help: 'Circuit breaker openings per provider account: the first, and each failed half-open test.',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  private readonly requestDuration = new Histogram({
    name: 'backup_graph_graphql_request_duration_seconds',
    help: 'GraphQL request duration, by operation type.',
    labelNames: ['operation_type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'backup_graph_graphql_errors_total',
    help: 'GraphQL errors sent to clients, by code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  private readonly wsSlowReaders = new Counter({
    name: 'backup_graph_websocket_slow_reader_closes_total',
    help: 'WebSocket connections closed (1013) for not reading their answers: more than limits.maxWsBufferedBytes queued unsent, or none taken in a keep-alive period while not read from.',
    registers: [this.registry],
  });
  private readonly wsUnsentMutationAnswers = new Counter({
    name: 'backup_graph_websocket_mutation_answers_unsent_total',
    help: "Mutations whose answer a WebSocket connection closed before its client was handed it (each logged at warn with its operation and request ids): the client learns the outcome by sending the mutation again with the same idempotencyKey.",
    registers: [this.registry],
  });
  private readonly connectionsRefused = new Counter({
    name: 'backup_graph_connections_refused_total',
    help: 'TCP connections closed as they were accepted: their address (or its /64) already held limits.maxConnectionsPerAddress open.',
    registers: [this.registry],
  });
  private readonly drainRefusals = new Counter({
    name: 'backup_graph_drain_refusals_total',
    help: 'HTTP requests answered 503 SHUTTING_DOWN, unrun, because the gateway was draining, by reason: body_unread (its body had not all arrived when the listener closed), head_unfinished (its headers had not all arrived when the listener closed), waiting_turn (pipelined, still waiting for an earlier request on its connection), upgrade_kept_alive (a WebSocket upgrade on a connection kept alive into the drain).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly unhandledErrors = new Counter({
    name: 'backup_graph_unhandled_errors_total',
    help: 'Faults no handler caught, by kind: unhandled_rejection (logged, the replica keeps serving), uncaught_exception (logged, the replica drains as at SIGTERM and exits 1).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  private readonly deadlineAnswers = new Counter({
    name: 'backup_graph_answer_deadline_answers_total',
    help: 'GraphQL queries and mutations answered by the gateway itself (INTERNAL_SERVER_ERROR; HTTP 504) after limits.answerDeadlineMs with no answer begun: work the gateway lost, each logged at error; by transport (http, websocket).',
    labelNames: ['transport'] as const,
    registers: [this.registry],
  });
  private readonly deadlineLateAnswers = new Counter({
    name: 'backup_graph_answer_deadline_late_answers_total',
    help: 'Answers that came after limits.answerDeadlineMs had answered their request, dropped unsent (one answer per request), by transport.',
    labelNames: ['transport'] as const,
    registers: [this.registry],
  });
  private readonly authFailures = new Counter({
    name: 'backup_graph_authentication_failures_total',
    help: 'Requests and WebSocket connections refused for a missing, malformed or unknown key (401, 4403).',
    registers: [this.registry],
  });
  private readonly authFailureRefusals = new Counter({
    name: 'backup_graph_authentication_refusals_total',
    help: 'Requests and WebSocket connections refused unheard (429, 4429): their address (or its /64) failed authentication limits.authFailures times within the window.',
    registers: [this.registry],
  });
  private readonly secretTextRefusals = new Counter({
    name: 'backup_graph_secret_text_refusals_total',
    help: 'Mutations refused (BAD_USER_INPUT) because a field a provider keeps held text the gateway redacts from provider answers (a form of a configured credential); each also counts against the key (limits.secretTextRefusals).',
    registers: [this.registry],
  });
  private readonly storeFailures = new Counter({
    name: 'backup_graph_store_failures_total',
    help: 'Calls to the shared store (Redis with REDIS_URL) that failed or did not answer in time, by user (read_cache, idempotency, create_order, restore_order, rate_limit, auth_failures, subscriptions, deletes_in_flight, finish_times, create_findings, restore_outcomes, started_operations) and failure (timeout, error); the log lines about them are throttled, this counts each.',
    labelNames: ['store', 'failure'] as const,
    registers: [this.registry],
  });
  // Read at scrape time from the process's one stdout queue (a metric of the process, as the log is).
  private readonly logLinesDropped = new Counter({
    name: 'backup_graph_log_lines_dropped_total',
    help: 'JSON log lines dropped because the reader of standard output fell more than its queue behind, or was gone (EPIPE).',
    registers: [this.registry],
    collect() {
      this.reset();
      this.inc(boundedStdout().droppedTotal());
    },
  });
  private readonly buildInfo = new Gauge({
    name: 'backup_graph_build_info',
    help: 'Always 1, labelled with the build this process runs: a digest of the sources its bundle was built from (`source` when run from the TypeScript sources). Two builds in one fleet: a rollout under way (each reads only its own cached lists).',
    labelNames: ['build'] as const,
    registers: [this.registry],
  });
  /** Read at scrape time from the gateway's budget (showAnswerBytes): a set per chunk would cost every answer. */
  private answerBytes: Pick<AnswerBytesBudget, 'held' | 'paused'> = { held: 0, paused: 0 };
  private readonly answerBytesHeld: Gauge = new Gauge({
    name: 'backup_graph_upstream_answer_bytes_held',
    help: 'Bytes of upstream answers held while being read and parsed, every account together (bounded by limits.maxAnswerBytesHeld plus one answer per account reading).',
    registers: [this.registry],
    collect: () => this.answerBytesHeld.set(this.answerBytes.held),
  });
  private readonly answerReadsPaused: Gauge = new Gauge({
    name: 'backup_graph_upstream_answer_reads_paused',
    help: 'Upstream answers whose reading is paused now, waiting for limits.maxAnswerBytesHeld to have room (their providers wait in TCP; the wait counts against the attempt timeout).',
    registers: [this.registry],
    collect: () => this.answerReadsPaused.set(this.answerBytes.paused),
  });
  /** Read at scrape time from each account's slots (showCallsWaiting): a set per acquire would cost every upstream call. */
  private callsWaitingNow: () => ReadonlyArray<{ provider: string; kind: string; waiting: number }> = () => [];
  private readonly callsWaiting: Gauge<'provider' | 'kind'> = new Gauge({
    name: 'backup_graph_upstream_calls_waiting',
    help: "Upstream calls waiting now for a slot of their provider account (all providers[].maxConcurrency taken; past the queue's 1,000 they are refused PROVIDER_UNAVAILABLE), by provider.",
    labelNames: ['provider', 'kind'] as const,
    registers: [this.registry],
    collect: () => {
      for (const { provider, kind, waiting } of this.callsWaitingNow()) this.callsWaiting.set({ provider, kind }, waiting);
    },
  });
  /** Read at scrape time from each account's health (showCredentialsRefused): a refusal between two scrapes is still read. */
  private credentialsRefusedNow: () => ReadonlyArray<{ provider: string; kind: string; refused: boolean }> = () => [];
  private readonly credentialsRefused: Gauge<'provider' | 'kind'> = new Gauge({
    name: 'backup_graph_upstream_credentials_refused',
    help: "1 while the provider account's health reads DEGRADED or DOWN because the provider refused the gateway's credentials (readyz cause credentials, healthCause CREDENTIALS_REFUSED: a data call refused 401/403, a refused login, a Zomro token or ZStack sessionId refused) until a call is answered again; 0 otherwise; by provider.",
    labelNames: ['provider', 'kind'] as const,
    registers: [this.registry],
    collect: () => {
      for (const { provider, kind, refused } of this.credentialsRefusedNow()) this.credentialsRefused.set({ provider, kind }, refused ? 1 : 0);
    },
  });
  /** Read at scrape time from the read cache's store (showReadCacheBytes). */
  private readCacheBytes: () => number = () => 0;
  private readonly readCacheBytesHeld: Gauge = new Gauge({
    name: 'backup_graph_read_cache_bytes',
    help: 'Estimated heap bytes of the lists the in-memory read cache holds (bounded by limits.readCacheMaxBytes; 0 with Redis or the cache off).',
    registers: [this.registry],
    collect: () => this.readCacheBytesHeld.set(this.readCacheBytes()),
  });
  /** Read at scrape time from the store's and the operation bus's connections (showRedisConnections): none without REDIS_URL. */
  private redisConnectionsNow: () => readonly RedisConnectionState[] = () => [];
  private readonly redisConnectionUp: Gauge<'connection'> = new Gauge({
    name: 'backup_graph_redis_connection_up',
    help: "Whether each of this replica's Redis connections (REDIS_URL) is up now: 1 up, 0 lost (ioredis reconnecting), by connection: store, operation_bus, operation_bus_subscriber (with it lost the replica hears no other replica's operation statuses or write announcements). /readyz stays 200 either way.",
    labelNames: ['connection'] as const,
    registers: [this.registry],
    collect: () => {
      for (const { connection, up } of this.redisConnectionsNow()) this.redisConnectionUp.set({ connection }, up ? 1 : 0);
    },
  });
  private readonly batchSize = new Histogram({
    name: 'backup_graph_dataloader_batch_size',
    help: 'Keys per DataLoader batch, by loader.',
    labelNames: ['loader'] as const,
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.buildInfo.set({ build: BUILD_ID }, 1);
    // Shown at 0 from the start, so that a rate over them has a series before the first failure.
    for (const store of STORE_USERS) for (const failure of ['timeout', 'error'] as const) this.storeFailures.inc({ store, failure }, 0);
    for (const reason of DRAIN_REFUSAL_REASONS) this.drainRefusals.inc({ reason }, 0);
    for (const kind of UNHANDLED_ERROR_KINDS) this.unhandledErrors.inc({ kind }, 0);
    for (const transport of ANSWER_TRANSPORTS) {
      this.deadlineAnswers.inc({ transport }, 0);
      this.deadlineLateAnswers.inc({ transport }, 0);
    }
  }

  /** The gauges of answer bytes held and reads paused read this budget. */
  showAnswerBytes(budget: AnswerBytesBudget): void {
    this.answerBytes = budget;
  }

  /** The gauge of upstream calls waiting for a slot reads this, per account. */
  showCallsWaiting(read: () => ReadonlyArray<{ provider: string; kind: string; waiting: number }>): void {
    this.callsWaitingNow = read;
  }

  /** The gauge of accounts whose credentials the provider refused reads this, per account. */
  showCredentialsRefused(read: () => ReadonlyArray<{ provider: string; kind: string; refused: boolean }>): void {
    this.credentialsRefusedNow = read;
  }

  /** The gauge of the read cache's bytes reads this. */
  showReadCacheBytes(read: () => number): void {
    this.readCacheBytes = read;
  }

  /** The gauge of Redis connections up reads this. */
  showRedisConnections(read: () => readonly RedisConnectionState[]): void {
    this.redisConnectionsNow = read;
  }

  /** A call by `store` to the shared store failed or did not answer in time. */
  storeFailed(store: StoreUser, failure: StoreFailureClass): void {
    this.storeFailures.inc({ store, failure });
  }

  requestFinished(event: { provider: string; kind: string; operation: string; outcome: string; seconds: number }): void {
    this.upstreamDurationSeries.observe(event.provider, event.kind, event.operation, event.outcome, event.seconds);
  }

  readCoalesced(event: { provider: string; kind: string }): void {
    this.coalescedReads.inc({ provider: event.provider, kind: event.kind });
  }

  breakerStateChanged(event: { provider: string; state: 'closed' | 'open' | 'half-open' }): void {
    this.breaker.set({ provider: event.provider }, BREAKER_VALUE[event.state]);
    if (event.state === 'open') this.breakerOpens.inc({ provider: event.provider });
  }

  initialiseBreakers(providers: readonly string[]): void {
    for (const provider of providers) {
      this.breaker.set({ provider }, 0);
      this.breakerOpens.inc({ provider }, 0);
    }
  }

  batch(loader: string, size: number): void {
    this.batchSize.observe({ loader }, size);
  }

  /** An error sent to a client outside Apollo's pipeline (WebSocket operations). */
  graphqlError(code: string): void {
    this.errors.inc({ code });
  }

  /** A connection closed unheard: its address held too many open. */
  connectionRefused(): void {
    this.connectionsRefused.inc();
  }

  /** A request answered 503 SHUTTING_DOWN, unrun, by the drain. */
  drainRefused(reason: DrainRefusalReason): void {
    this.drainRefusals.inc({ reason });
  }

  /** A promise rejected with no handler, or an exception thrown outside any (a timer's, an event handler's). */
  unhandledError(kind: UnhandledErrorKind): void {
    this.unhandledErrors.inc({ kind });
  }

  /** A request answered by its answer deadline. */
  answeredAtDeadline(transport: AnswerTransport): void {
    this.deadlineAnswers.inc({ transport });
  }

  /** A request's own answer, come after its deadline had answered it, dropped. */
  lateAnswerDropped(transport: AnswerTransport): void {
    this.deadlineLateAnswers.inc({ transport });
  }

  /** A key refused. */
  authenticationFailed(): void {
    this.authFailures.inc();
  }

  /** A write refused for text the gateway redacts (SecretTextGuard). */
  secretTextRefused(): void {
    this.secretTextRefusals.inc();
  }

  /** A request or connection refused unheard: its address failed authentication too often. */
  authenticationRefused(): void {
    this.authFailureRefusals.inc();
  }

  /** A WebSocket connection closed because its client did not read what was sent to it. */
  wsSlowReaderClosed(): void {
    this.wsSlowReaders.inc();
  }

  wsMutationAnswersUnsent(count: number): void {
    this.wsUnsentMutationAnswers.inc(count);
  }

  /** Request-level hooks only: per-field hooks would cost CPU on every field of a dashboard. */
  plugin<T extends object>(): ApolloServerPlugin<T> {
    return {
      requestDidStart: async () => {
        const stop = this.requestDuration.startTimer();
        let operationType = 'unknown';
        return {
          didResolveOperation: async ({ operation }) => {
            operationType = operation?.operation ?? 'unknown';
          },
          willSendResponse: async ({ response }) => {
            stop({ operation_type: operationType });
            if (response.body.kind === 'single') {
              for (const error of response.body.singleResult.errors ?? []) this.errors.inc({ code: String(error.extensions?.code ?? 'UNKNOWN') });
            }
          },
        };
      },
    };
  }
}
