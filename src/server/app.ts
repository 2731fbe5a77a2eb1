import { ClientPersistedQueries, type PersistedQueryBounds } from '../graphql/persisted-queries.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/schema.js';
import type { Principal } from '../gateway/principal.js';
import { ProviderSet } from '../gateway/provider-set.js';
import { SharedServices } from '../gateway/shared-services.js';
import { LateInvalidations, lateStoreWritesOf } from '../gateway/late-invalidations.js';
import { RESTORE_OUTCOMES_NAMESPACE } from '../state/kept-outcomes.js';
import type { GraphQLContext } from '../graphql/context.js';
import { buildSchema } from '../graphql/schema.js';
import { costLimitCheck } from '../graphql/limits/cost-rule.js';
import { nullVariablesCheckForApollo } from '../graphql/null-variables.js';
import { wideVariablesCheckForApollo } from '../graphql/variable-shape.js';
import { operationChecksPlugin } from '../graphql/operation-checks.js';
import { jitExecutorForApollo } from '../graphql/jit-executor.js';
import { createRequestPipeline, errorLogPlugin } from '../graphql/pipeline.js';
import { introspectionCheckForApollo } from '../graphql/introspection.js';
import { repeatedErrorsPlugin } from '../graphql/repeated-errors.js';
import { schemaAudiencePlugin } from '../graphql/schema-audience.js';
import { expressMiddleware } from './apollo-express.js';
import { stringifyAnswer } from './json-answer.js';
import { mergedFieldsGuard } from './merged-fields-guard.js';
import { nestingGuard } from './nesting-guard.js';
import { subscriptionRootGuard } from './subscription-root-guard.js';
import { persistedQueryGuard } from './persisted-query-guard.js';
import { GatewayMetrics } from '../observability/metrics.js';
import { ProtectionSweep } from '../observability/protection-sweep.js';
import { adapterServicesOver, createAdapter } from '../providers/registry.js';
import { AnswerBytesBudget } from '../upstream/answer-bytes.js';
import { MemoryStore } from '../state/memory-store.js';
import type { KeyValueStore } from '../state/store.js';
import type { OperationBus } from '../cluster/operation-bus.js';
import { READ_CACHE_DEFAULTS } from '../config/read-cache.js';
import { futureToleranceHoursOf } from '../config/future-tolerance.js';
import { ClientAuthenticator, anonymousPrincipal } from './auth.js';
import { graphiqlHandlers, wantsGraphiql } from './graphiql.js';
import { boundAddress, listeningWords } from './bound-address.js';
import { ADMIN_ONLY_METRICS, adminRoutes, bareReadyz, formatHost, startAdminListener } from './admin.js';
import { keepEveryHeaderLine } from './header-lines.js';
import { HalfClosedBodies } from './half-closed-bodies.js';
import { healthz, readyz } from './health.js';
import type { RedisConnectionState } from '../state/redis-connection-state.js';
import { clientAddressResolver } from './client-address.js';
import { RateLimiter, rateLimit, sharedRateCounters } from './rate-limit.js';
import { sharedLimitCounters } from './shared-limits.js';
import { AuthFailures } from './auth-failures.js';
import { AuthFailureGuard, sharedAuthCounters } from './auth-failure-guard.js';
import { authenticateRequests } from './request-authentication.js';
import { HttpDrain } from './http-drain.js';
import { CloseWhenDraining } from './close-when-draining.js';
import { RefuseUnreadBodiesAtDrain } from './unread-bodies-at-drain.js';
import { AnswerUnfinishedHeadsAtDrain, UNFINISHED_HEAD_WAIT_MS } from './unfinished-heads-at-drain.js';
import { DrainRefusals, drainRefusalsMessage } from './drain-refusals.js';
import { ANSWERS_AT_STOP_WAIT_MS, stopServingAtOnce } from './stop-serving.js';
import { dropRequestsOnEndedConnections } from './ended-connection-requests.js';
import { requestIdAssigner } from './request-id.js';
import { noSniff } from './no-sniff.js';
import { contextFactory } from './request-context.js';
import { startWebSocketServer } from './ws-server.js';
import { cancellationController, requestSignal } from './request-signal.js';
import { requestTimeouts } from './request-timeouts.js';
import { readBeforeClosingKeptAlive } from './keep-alive-reads-first.js';
import { answerUnreadableRequests } from './unreadable-requests.js';
import { answerWhatNodeRefused } from './requests-node-answers.js';
import { closeAfterAnswersBeforeBody } from './unread-body-close.js';
import { closeAfterBodyPastLimit, continueOnlyWithinLimit, refuseBodyPastLimit } from './declared-body-length.js';
import { ConnectionTurns, MAX_WAITING_PER_CONNECTION, WAITING_REFUSED_LINE } from './connection-turns.js';
import { answerErrorsAsJson, errorAnswerer } from './answer-error.js';
import { repeatedNamesGuard } from './repeated-names-guard.js';
import { refuseNotUtf8 } from './utf8-body.js';
import { utf8Charset } from './utf8-charset.js';
import { capConnectionsPerAddress } from './connections-per-address.js';
import { LogThrottle } from '../observability/log-throttle.js';
import { trackAnswerDelivery } from './answer-delivery.js';
import { NOT_A_LOOPBACK_NAME_MESSAGE, requestToLoopbackName } from './loopback-host.js';
import { anonymousRequestAllowed } from './anonymous-host.js';
import type { AddressedRequest } from './host-as-written.js';
import { REFUSAL_LINE_PERIOD_MS, RefusalLines } from './refusal-lines.js';
import { ANSWER_STALL_MS, dropStalledAnswers } from './stalled-answers.js';
import { capUnsentHttpAnswers, refuseWhileFull, UnsentAnswerBytes } from './unsent-answers.js';
import { surelyReadOnly } from './read-only-request.js';
import { answerDeadline, deadlineAnswered } from './answer-deadline.js';
import { refuseOtherMethods } from './graphql-methods.js';
import { NOT_FOUND_BODY } from './not-found.js';
import { RecentlyListedIds } from '../gateway/recently-listed-ids.js';
import type { FaultRecord } from './process-faults.js';

/** Room for the HTTP server's listeners of one event: its layers' 'request' listeners are 11 today. */
const SERVER_REQUEST_LISTENERS = 20;

export interface GatewayServerOptions {
  logger: Logger;
  /** Shared state; process memory when absent. */
  store?: KeyValueStore;
  /** Shares operation poll loops between replicas (Redis pub/sub and leases); see OperationWatcher. */
  operationBus?: OperationBus;
  /** Demo mode: /metrics and the detailed /readyz on the main port as well as the admin listener. */
  adminRoutesOnMainPort?: boolean;
  /** Demo mode on loopback: answer only requests sent to a loopback name (DNS rebinding; see sentToLoopbackName). */
  loopbackNamesOnly?: boolean;
  /** Demo mode: its anonymous admin is answered at any name (loopbackNamesOnly, or --demo-public), not only those of `listen.allowedHosts`. */
  anonymousAtAnyHost?: boolean;
  /** Benchmark only: switch DataLoader batching off for the naive baseline. */
  batching?: boolean;
  /** Tests only: a shorter WebSocket keep-alive period (KEEP_ALIVE_MS). */
  webSocketKeepAliveMs?: number;
  /** Tests only: a longer wait for a slow reader to answer its close frame (CLOSE_HANDSHAKE_WAIT_MS). */
  webSocketSlowReaderCloseWaitMs?: number;
  /** Tests only: a shorter period in which an HTTP client must take some of its answer (ANSWER_STALL_MS). */
  answerStallMs?: number;
  /** Tests only: a shorter time to send a whole request (REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number;
  /** Tests only: a shorter period between store-failure log lines (STORE_FAILURE_LINE_MS). */
  storeFailureLineMs?: number;
  /** Tests only: a shorter lease on this replica's open subscriptions in Redis (HOLDINGS_LEASE_MS). */
  subscriptionLeaseMs?: number;
  /** Tests only: a shorter time a subscription rides out a shared store that does not answer (STORE_OUTAGE_RIDDEN_MS). */
  subscriptionStoreOutageMs?: number;
  /** Tests only: characters of a provider answer scrubbed per turn of the event loop (CHARS_PER_TURN). */
  scrubCharsPerTurn?: number;
  /** Tests only: the build the read cache files its entries under (BUILD_ID when absent). */
  cacheBuild?: string;
  /** Tests only: fewer persisted-query registrations kept (REGISTRATIONS, ANONYMOUS_REGISTRATIONS). */
  persistedQueryBounds?: PersistedQueryBounds;
}

export interface RunningGateway {
  /** A URL to open from this machine: loopback when the listener is bound to a wildcard address. */
  url: string;
  graphqlUrl: string;
  /** The words for the address bound, e.g. "listening on all interfaces (0.0.0.0:4000)" (bound-address.ts). */
  listening: string;
  /** The address bound, host:port. */
  listen: string;
  /** The admin listener: /metrics and the detailed /readyz. */
  adminUrl: string;
  /** The admin listener's address bound, host:port. */
  adminListen: string;
  httpServer: Server;
  /** The admin listener's server (tests: its keepAliveTimeout, its connections). */
  adminServer: Server;
  /** What all its requests share (provider accounts, store, read cache, poll loops). */
  services: SharedServices;
  /** /readyz answers 503 from now on; requests are still served (see server/shutdown.ts). */
  beginDrain(): void;
  /**
   * Stops taking requests, finishes those in flight, closes upstream pools.
   * Says how many WebSocket queries and mutations (`operationsCut`) and HTTP
   * requests (`requestsCut`) were still running just before the drain
   * timeout and were cut.
   */
  close(): Promise<DrainOutcome>;
  /**
   * For an exit that does not wait for the drain: both listeners (public and admin) closed now, every request
   * not yet answered answered 503 SHUTTING_DOWN, every WebSocket connection sent 1001, and every connection destroyed
   * once those answers and close frames are out, within ANSWERS_AT_STOP_WAIT_MS (stop-serving.ts).
   */
  stopServing(): Promise<void>;
  /** What the process's last-resort handlers (process-faults.ts) need of the gateway: its accounts' scrubbers and its metric. */
  faultRecord: FaultRecord;
}

export interface DrainOutcome {
  operationsCut: number;
  requestsCut: number;
}

/** Builds the gateway from a validated config and starts listening. */
export async function startGatewayServer(config: GatewayConfig, options: GatewayServerOptions): Promise<RunningGateway> {
  const { logger } = options;
  const metrics = new GatewayMetrics();
  const store = options.store ?? new MemoryStore();
  const countStoreFailure = metrics.storeFailed.bind(metrics);
  // Aborted at the drain's start: an OnApp restore still waiting for its turn (up to 30 s) gives up
  // then, nothing sent, rather than hold the drain (10 s by default) until it is cut, answerless.
  // Each waiting restore listens to it: past ten at once, a plain controller's signal made node
  // warn of a listener leak on stderr (see cancellationController).
  const draining = cancellationController();
  // Started records and Zomro restore marks the store did not take, sent again every second in one queue.
  const lateStoreWrites = new LateInvalidations();
  // One memory for the gateway's look-ups and the adapters' reads that feed it (Danube's hostnames).
  const listedIds = new RecentlyListedIds();
  const adapterServices = adapterServicesOver(store, logger, countStoreFailure, draining.signal, lateStoreWritesOf(lateStoreWrites, RESTORE_OUTCOMES_NAMESPACE), listedIds);
  // One budget for every account: what it bounds is the process's memory.
  const answerBytes = new AnswerBytesBudget(config.limits.maxAnswerBytesHeld);
  metrics.showAnswerBytes(answerBytes);
  const adapters = config.providers.map((provider) => createAdapter(provider, { logger, observer: metrics, services: adapterServices, answerBytes, ...(options.scrubCharsPerTurn === undefined ? {} : { scrubCharsPerTurn: options.scrubCharsPerTurn }) }));
  metrics.initialiseBreakers(config.providers.map((provider) => provider.id));
  metrics.showCallsWaiting(() => adapters.map((adapter) => ({ provider: adapter.account.id, kind: adapter.account.kind, waiting: adapter.upstream.callsWaiting })));
  metrics.showCredentialsRefused(() =>
    adapters.map((adapter) => {
      const { health, cause } = adapter.upstream.healthReport();
      return { provider: adapter.account.id, kind: adapter.account.kind, refused: health !== 'UP' && cause === 'credentials' };
    }),
  );
  const cacheTtl = new Map(config.providers.map((provider) => [provider.id, provider.cacheTtlMs ?? READ_CACHE_DEFAULTS.cacheTtlMs]));
  const sharedCounters = await sharedLimitCounters(store, logger, countStoreFailure, options.storeFailureLineMs, options.subscriptionLeaseMs);
  const services = new SharedServices(new ProviderSet(adapters), store, logger, {
    maxPageSize: config.limits.maxPageSize,
    batching: options.batching ?? true,
    onBatch: (loader, size) => metrics.batch(loader, size),
    limits: config.limits,
    protection: { rpoHours: config.protection.rpoHours, perProvider: config.protection.perProvider, futureToleranceHours: futureToleranceHoursOf(config) },
    maxBulkInstances: config.limits.maxBulkInstances,
    operationBus: options.operationBus,
    storeFailureLineMs: options.storeFailureLineMs,
    subscriptionStoreOutageMs: options.subscriptionStoreOutageMs,
    countStoreFailure,
    countSecretTextRefusal: () => metrics.secretTextRefused(),
    sharedSecretTextRefusals: sharedCounters?.secretText,
    listedIds,
    cacheBuild: options.cacheBuild,
    lateStoreWrites,
  }, cacheTtl);
  metrics.showReadCacheBytes(services.readCacheBytes);
  const redisConnections = (): RedisConnectionState[] => [...(options.store?.connectionStates?.() ?? []), ...(options.operationBus?.connectionStates?.() ?? [])];
  metrics.showRedisConnections(redisConnections);
  const protectionSweep = config.protection.sweepIntervalMs > 0 ? new ProtectionSweep(services, metrics.registry, config.protection.sweepIntervalMs, logger) : null;
  const authenticator = new ClientAuthenticator(config.clients, anonymousPrincipal(config));
  const rateLimiter = config.limits.rateLimit
    ? new RateLimiter(config.limits.rateLimit, undefined, sharedCounters ? sharedRateCounters(sharedCounters.rate, config.limits.rateLimit) : null)
    : null;
  const clientAddressOf = clientAddressResolver(config.listen.trustedProxies);
  const authFailures = new AuthFailureGuard(
    new AuthFailures(config.limits.authFailures),
    logger,
    { failed: () => metrics.authenticationFailed(), refused: () => metrics.authenticationRefused() },
    sharedCounters ? sharedAuthCounters(sharedCounters.auth, config.limits.authFailures) : null,
  );
  const anonymousAtHost = (req: AddressedRequest): boolean => options.anonymousAtAnyHost === true || anonymousRequestAllowed(req, config.listen.allowedHosts);

  const app = express();
  app.disable('x-powered-by');
  app.use(noSniff);
  if (options.loopbackNamesOnly) {
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (requestToLoopbackName(req)) return next();
      res.status(403).json({ errors: [{ message: NOT_A_LOOPBACK_NAME_MESSAGE, extensions: { code: 'FORBIDDEN' } }] });
    });
  }
  // Express would hash every answer for a weak ETag (a 254 KB dashboard: a SHA-1 per query);
  // GraphQL POST answers are never revalidated, and GraphiQL sets its own.
  app.set('etag', false);
  const bodyUnread = closeAfterAnswersBeforeBody(app);
  // Set just below: the app's listener must exist before node's server to be handed to it.
  let unfinishedHeads: AnswerUnfinishedHeadsAtDrain | undefined;
  const httpServer = createServer({ ...requestTimeouts(options.requestTimeoutMs), ServerResponse: bodyUnread.ServerResponse }, (request, response) => {
    // A request whose headers were still arriving when the listener closed: answered SHUTTING_DOWN, never run.
    if (unfinishedHeads?.answered(request, response)) return;
    bodyUnread.listener(request, response);
  });
  // Each one-job layer below (the answer ledgers, the drain's, the place in line) listens to 'request'
  // itself, 11 with node's own: past node's default of 10 it printed a leak warning at every start.
  // The room is for layers, not per request: a listener leaked per request still passes it and warns.
  httpServer.setMaxListeners(SERVER_REQUEST_LISTENERS);
  keepEveryHeaderLine(httpServer);
  readBeforeClosingKeptAlive(httpServer);
  answerUnreadableRequests(httpServer);
  answerWhatNodeRefused(httpServer);
  continueOnlyWithinLimit(httpServer, config.limits.bodyLimitBytes);
  closeAfterBodyPastLimit(httpServer, config.limits.bodyLimitBytes);
  // A body refused after its client half-closed is answered, not written to an ended connection.
  const halfClosedBodies = new HalfClosedBodies(httpServer);
  // One refused-connection line per address (or /64 or /48, when that is what is full) per period, counting those left out.
  const refusalLines = new LogThrottle(REFUSAL_LINE_PERIOD_MS);
  // And one per address and kind for the refusals of a request or connection_init a caller brings about at will.
  // Every account's secrets: a client may paste any account's credential into a header a line quotes.
  // One search over them all first: a text it leaves alone is not searched account by account (every-account-scrub.ts).
  const { scrubClientText } = services;
  const requestRefusalLines = new RefusalLines(logger, REFUSAL_LINE_PERIOD_MS, scrubClientText);
  // Pipelined requests on one connection run one at a time (see waitForEarlier below).
  const drainRefusals = new DrainRefusals(metrics);
  const connectionTurns = new ConnectionTurns(
    httpServer,
    (req) => {
      metrics.graphqlError('QUERY_TOO_COMPLEX');
      requestRefusalLines.info(clientAddressOf(req), { remote: req.socket.remoteAddress, limit: MAX_WAITING_PER_CONNECTION }, WAITING_REFUSED_LINE);
    },
    MAX_WAITING_PER_CONNECTION,
    () => drainRefusals.refused('waiting_turn'),
  );
  capConnectionsPerAddress(httpServer, {
    perAddress: config.limits.maxConnectionsPerAddress,
    trustedProxies: config.listen.trustedProxies,
    onRefused: (refusal) => {
      metrics.connectionRefused();
      const leftOut = refusalLines.take(refusal.group);
      if (leftOut !== null) logger.warn({ ...refusal, alsoRefusedSinceLastLine: leftOut }, 'connection refused: too many open from this address (limits.maxConnectionsPerAddress)');
    },
  });
  // The drain (ours and Apollo's server.close()) must leave answers still being written to slow readers alone.
  const answers = trackAnswerDelivery(httpServer, (socket) => unfinishedHeads?.spared(socket) === true);
  dropStalledAnswers(httpServer, {
    stallMs: options.answerStallMs ?? ANSWER_STALL_MS,
    onDropped: (req, unsentBytes) => requestRefusalLines.warn(clientAddressOf(req), { remote: req.socket.remoteAddress, unsentBytes }, 'HTTP connection closed: the client is not reading its answer'),
  });
  // Whole answers waiting in the process for their clients, per address, HTTP and WebSocket together.
  const readOnly = surelyReadOnly(config.limits.maxTokens);
  const unsentAnswers = new UnsentAnswerBytes(config.limits.maxUnsentAnswerBytesPerAddress);
  capUnsentHttpAnswers(httpServer, {
    ledger: unsentAnswers,
    addressOf: clientAddressOf,
    onRefused: (req, by, size) =>
      requestRefusalLines.warn(clientAddressOf(req), { remote: req.socket.remoteAddress, per: by, answerBytes: size, limit: config.limits.maxUnsentAnswerBytesPerAddress }, 'HTTP answer refused: its address has too many answers unread'),
    replaceable: readOnly,
  });
  // A request the drain cuts is answered first (drain-cut-answer.ts), in the words its kind calls for.
  const drain = new HttpDrain(config.shutdown.drainTimeoutMs, {
    mayHaveActed: (res) => !readOnly(res.req),
    onAnswered: () => metrics.graphqlError('SHUTTING_DOWN'),
    lastOnConnection: (res) => keepAliveEnd.isNewest(res),
  });
  const keepAliveEnd = new CloseWhenDraining(httpServer);
  const unreadBodies = new RefuseUnreadBodiesAtDrain(httpServer, () => drainRefusals.refused('body_unread'));
  unfinishedHeads = new AnswerUnfinishedHeadsAtDrain(httpServer, (socket) => keepAliveEnd.owesAnswer(socket), (socket, then) => keepAliveEnd.afterAnswers(socket, then), (reason) => drainRefusals.refused(reason));
  const headsAtDrain = unfinishedHeads;
  const stopServing = stopServingAtOnce(httpServer);
  // Last of the request listeners prepended: it runs first, before anything takes the request in.
  dropRequestsOnEndedConnections(httpServer, (req) => logger.info({ remote: req.socket.remoteAddress }, 'HTTP request dropped unrun: it came on a connection the drain had already ended'));

  const pipeline = createRequestPipeline(config, buildSchema(), logger, scrubClientText);
  const createContext = contextFactory(services);
  const persistedQueries = new ClientPersistedQueries(options.persistedQueryBounds);
  const apollo = new ApolloServer<GraphQLContext>({
    // Apollo's `gateway` option is how it takes a custom executor; see jitExecutorForApollo.
    gateway: jitExecutorForApollo(pipeline.executor),
    formatError: pipeline.formatError,
    includeStacktraceInErrorResponses: false,
    // Apollo's switch is per server; ours (introspectionCheckForApollo below) lets admin keys through
    // when the config says no, with a message naming the key.
    introspection: true,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    persistedQueries: { cache: persistedQueries.apolloCache },
    // main.ts owns SIGINT/SIGTERM: Apollo's own handlers raced it and the second stop() never returned.
    stopOnTerminationSignals: false,
    validationRules: pipeline.validationRules,
    parseOptions: pipeline.parseOptions,
    // The answer's text with its bytes made beside it, sent as those bytes (see json-answer.ts).
    stringifyResult: stringifyAnswer,
    plugins: [
      persistedQueries.plugin,
      // Whom the errors go to (an admin's keep graphql-js's hints), before the repeated errors are
      // counted by their messages; all three act at willSendResponse, in this order, and the metrics count what is sent.
      schemaAudiencePlugin(),
      repeatedErrorsPlugin<GraphQLContext>(),
      metrics.plugin<GraphQLContext>(),
      // All refuse at didResolveOperation, as one listener (a plugin each cost every request its own
      // promises): the first listed to refuse is answered, the introspection switch before the cost.
      operationChecksPlugin<GraphQLContext>([
        introspectionCheckForApollo(pipeline.introspectionRefusal),
        costLimitCheck<GraphQLContext>(config.limits),
        nullVariablesCheckForApollo<GraphQLContext>(),
        wideVariablesCheckForApollo<GraphQLContext>(),
      ]),
      errorLogPlugin(pipeline),
      // Its own 10 s default would cut a write still running within the configured drain, and the
      // whole drain would outlast the process's own timer, which starts at the signal: the plugin
      // reads its grace when the drain starts (checked by a lifecycle test), so it gets what is left.
      ApolloServerPluginDrainHttpServer({
        httpServer,
        get stopGracePeriodMillis() {
          return drain.graceForApollo();
        },
      }),
      ApolloServerPluginLandingPageDisabled(),
      // Both hook every field; the gateway sets no cache hints and sends no traces.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
    ],
  });
  await apollo.start();

  app.get('/healthz', healthz);
  // A browser opened on the bare address lands in GraphiQL.
  app.get('/', (_req: Request, res: Response) => res.redirect(302, '/graphql'));
  const adminDependencies = { metrics, providers: services.providers, isDraining: () => drain.draining, redisConnections };
  if (options.adminRoutesOnMainPort) app.use(adminRoutes(adminDependencies));
  else app.get('/readyz', bareReadyz(readyz(services.providers, () => drain.draining)));

  const assignRequestId = requestIdAssigner(config.listen.trustedProxies, scrubClientText);
  app.use('/graphql', (req: Request, res: Response, next: NextFunction) => {
    res.locals.clientRequestId = assignRequestId(req, res).clientRequestId;
    drain.track(res);
    next();
  });
  // Before anything runs: a mutation's answer is not replaced once it has acted.
  app.use(
    '/graphql',
    refuseWhileFull(unsentAnswers, clientAddressOf, (req, by) =>
      requestRefusalLines.warn(clientAddressOf(req), { remote: req.socket.remoteAddress, per: by, limit: config.limits.maxUnsentAnswerBytesPerAddress }, 'HTTP request refused: its address has too many answers unread'),
    ),
  );
  const graphiql = graphiqlHandlers('/graphql', { authExample: (config.clients?.length ?? 0) > 0 && !config.allowAnonymous });
  app.get('/graphql', (req, res, next) => (wantsGraphiql(req) ? graphiql.page(req, res) : next()));
  // Before the key check: the page's static files are the same for everyone and carry no data.
  app.get(graphiql.assetRoute, graphiql.asset);
  // The handlers below are mounted on /graphql, and a mount takes every path under it too:
  // /graphql/anything was answered as /graphql once its key passed.
  app.use('/graphql', (req: Request, res: Response, next: NextFunction) => (req.path === '/' ? next() : notFound(req, res)));
  app.use('/graphql', refuseOtherMethods);
  app.use('/graphql', authenticateRequests({ authenticator, authFailures, clientAddressOf, anonymousAtHost, refusalLines: requestRefusalLines }));
  app.use('/graphql', rateLimit(rateLimiter, clientAddressOf));
  // One line ties a client's own id to ours, whose lines carry only ours. Only for a request let
  // through: a refused one (no key, a wrong one, past its rate) would write a line per request sent.
  app.use('/graphql', (_req: Request, res: Response, next: NextFunction) => {
    const clientRequestId = res.locals.clientRequestId as string | undefined;
    if (clientRequestId !== undefined) logger.info({ requestId: String(res.locals.requestId), clientRequestId }, 'request id the client offered: logged beside ours, never used as it');
    next();
  });
  const answerError = errorAnswerer(logger);
  const repeatedNames = repeatedNamesGuard((req, name) =>
    requestRefusalLines.info(clientAddressOf(req), { remote: req.socket.remoteAddress, name }, 'HTTP request refused: its JSON body names one thing twice'),
  );
  app.use(
    '/graphql',
    refuseBodyPastLimit(config.limits.bodyLimitBytes, (res, error) => answerError(res, error)),
    utf8Charset,
    halfClosedBodies.whileReading(
      express.json({
        limit: config.limits.bodyLimitBytes,
        verify: (req, res, body) => {
          refuseNotUtf8(body);
          repeatedNames.keep(req, res, body);
        },
      }),
    ),
    repeatedNames.refuse,
    nestingGuard(pipeline, (code) => metrics.graphqlError(code)),
    mergedFieldsGuard(pipeline, (code) => metrics.graphqlError(code)),
    subscriptionRootGuard(pipeline, (code) => metrics.graphqlError(code)),
    persistedQueryGuard(pipeline, (code) => metrics.graphqlError(code)),
    // After the body is read (a request waiting its turn is never one node times out as unread), before anything runs.
    connectionTurns.waitForEarlier,
    // Counted from its turn: a request waiting behind another has not begun to run.
    answerDeadline({
      deadlineMs: config.limits.answerDeadlineMs,
      mayHaveActed: (req) => !readOnly(req),
      onAnswered: (_req, res, mayHaveActed) =>
        deadlineAnswered(
          'http',
          { countDeadlineAnswer: () => metrics.answeredAtDeadline('http'), countError: (code) => metrics.graphqlError(code), logger },
          { requestId: String(res.locals.requestId), answerDeadlineMs: config.limits.answerDeadlineMs, mayHaveActed },
        ),
    }),
    expressMiddleware(apollo, {
      onLateAnswer: () => metrics.lateAnswerDropped('http'),
      context: async ({ req, res }) => {
        const requestId = String(res.locals.requestId);
        try {
          return createContext(res.locals.principal as Principal, requestId, clientAddressOf(req), requestSignal(res));
        } catch (error) {
          // Apollo answers this without its request pipeline, so errorLogPlugin never sees it.
          logger.error({ err: error, requestId }, 'could not build the request context');
          throw error;
        }
      },
    }),
  );
  if (!options.adminRoutesOnMainPort) {
    // Prometheus's usual guess is the service's own port: a bare "not found" did not say where to scrape.
    app.get('/metrics', (_req: Request, res: Response) => {
      res.status(404).json({ errors: [{ message: ADMIN_ONLY_METRICS, extensions: { code: 'NOT_FOUND' } }] });
    });
  }
  app.use(notFound);
  app.use(answerErrorsAsJson(answerError));

  // Subscriptions: graphql-ws on the same path and port, same pipeline, auth and context.
  const subscriptions = startWebSocketServer({
    rateLimiter,
    persistedQueries,
    authFailures,
    clientAddressOf,
    httpServer,
    path: '/graphql',
    pipeline,
    authenticator,
    createContext,
    limits: config.limits,
    logger,
    scrubLogText: scrubClientText,
    countError: (code) => metrics.graphqlError(code),
    countSlowReaderClose: () => metrics.wsSlowReaderClosed(),
    countUnsentMutationAnswers: (count) => metrics.wsMutationAnswersUnsent(count),
    countDeadlineAnswer: () => metrics.answeredAtDeadline('websocket'),
    countLateAnswer: () => metrics.lateAnswerDropped('websocket'),
    loopbackNamesOnly: options.loopbackNamesOnly ?? false,
    anonymousAtHost,
    refusalLines: requestRefusalLines,
    unsentAnswers,
    sharedSubscriptions: sharedCounters?.subscriptions ?? null,
    ...(options.webSocketKeepAliveMs === undefined ? {} : { keepAliveMs: options.webSocketKeepAliveMs }),
    ...(options.webSocketSlowReaderCloseWaitMs === undefined ? {} : { slowReaderCloseWaitMs: options.webSocketSlowReaderCloseWaitMs }),
  });

  const admin = await startAdminListener(config.admin, adminDependencies, {
    perAddress: config.limits.maxConnectionsPerAddress,
    requestTimeoutMs: options.requestTimeoutMs,
    onRefused: (refusal) => {
      const leftOut = refusalLines.take(`admin ${refusal.group}`);
      if (leftOut !== null) logger.warn({ ...refusal, alsoRefusedSinceLastLine: leftOut }, 'admin connection refused: too many open from this address');
    },
    onRefusedHost: (refusal) => requestRefusalLines.info(refusal.remote, refusal, 'admin request refused: sent to a name not in admin.allowedHosts'),
  });
  const host = config.listen.host;
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.listen.port, host, () => resolve());
    });
  } catch (error) {
    await admin.close();
    throw error;
  }
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${formatHost(host)}:${port}`;
  protectionSweep?.start();

  let closing: Promise<DrainOutcome> | null = null;
  const beginDrain = (): void => {
    drain.begin();
    keepAliveEnd.begin();
    connectionTurns.beginDrain();
    draining.abort();
  };
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    listening: listeningWords(host, port),
    listen: boundAddress(host, port),
    adminUrl: admin.url,
    adminListen: admin.listen,
    httpServer,
    adminServer: admin.server,
    services,
    beginDrain,
    faultRecord: {
      // Every account's secrets: a library's message may quote any account's credential.
      scrub: scrubClientText,
      count: (kind) => metrics.unhandledError(kind),
    },
    // The admin listener with it: its /healthz said 200, and /metrics answered, for the second
    // the exit gives stdout, from a process on its way out.
    stopServing: async () => {
      void admin.close();
      // Headers still arriving are spared the listener's close of idle connections, to be answered below.
      headsAtDrain.begin();
      httpServer.close();
      // Every request still unanswered is answered now, 503 SHUTTING_DOWN in the drain's words: a
      // second signal, or the drain timer, cut them with no answer (a reset, which a browser sends again).
      // WebSocket connections are told 1001 (going away), bounded by the same wait.
      const answered = new Set([...unreadBodies.refuseNow(), ...drain.answerRunningNow(), ...headsAtDrain.answerNow(), ...subscriptions.goingAway(ANSWERS_AT_STOP_WAIT_MS)]);
      await stopServing(answered, ANSWERS_AT_STOP_WAIT_MS);
    },
    close: () => {
      closing ??= (async () => {
        beginDrain();
        // The sweep's round is aborted, not awaited first: the listener closes with the rest.
        const sweepStopped = protectionSweep?.stop();
        void services.watcher.close();
        // No new connection, HTTP or WebSocket, from here; Apollo's drain below closes the server
        // again and is called back once every connection has ended.
        // Before the close, which destroys the connections owing no answer but those whose headers it awaits.
        headsAtDrain.begin();
        httpServer.close();
        unreadBodies.begin();
        // Before Apollo's drain, which ends every connection without a request in flight, upgraded ones too.
        // What is left of the drain, less a margin for the close frames to leave before the
        // process's own drain timer (started with beginDrain, at the signal) ends it.
        // Headers still arriving are waited for beside them: else Apollo's drain ended their connections unanswered.
        const [{ operationsCut }] = await Promise.all([subscriptions.dispose(drain.leftMs()), headsAtDrain.settled(Math.min(UNFINISHED_HEAD_WAIT_MS, drain.leftMs()))]);
        // Every connection has closed and written its counts back: the lease goes with them.
        sharedCounters?.subscriptions.close();
        // Apollo's drain cuts the requests still running, or whose answers are still being written,
        // when its grace (what is left) ends: it waits for an answer's 'finish', not its return.
        await apollo.stop();
        const requestsCut = drain.requestsCut(answers);
        if (drainRefusals.total > 0) logger.info({ requestsRefused: drainRefusals.byReason() }, drainRefusalsMessage(drainRefusals.total));
        // Every request has ended or been cut: a mutation still running was cut, and its line is written now or never.
        services.mutationsRunning.auditCut();
        await admin.close();
        try {
          // Closing the pools ends the round's reads that no signal reaches (shared ones, such as an instance list).
          await services.close();
        } finally {
          await sweepStopped;
        }
        return { operationsCut, requestsCut };
      })();
      return closing;
    },
  };
}

function notFound(_req: Request, res: Response): void {
  res.status(404).json(NOT_FOUND_BODY);
}
