import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressedRequest } from './host-as-written.js';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { CloseCode, handleProtocols, makeServer, type Context } from 'graphql-ws';
import { GraphQLError, getOperationAST, type ExecutionArgs, type FormattedExecutionResult } from 'graphql';
import type { Logger } from 'pino';
import { WebSocket, WebSocketServer } from 'ws';
import type { LimitsConfig } from '../config/schema.js';
import { GatewayError } from '../domain/errors.js';
import type { Principal } from '../gateway/principal.js';
import { formatGraphQLError } from '../graphql/errors.js';
import type { RequestPipeline } from '../graphql/pipeline.js';
import type { GraphQLContext } from '../graphql/context.js';
import { unidentifiedOperation } from '../graphql/unidentified-operation.js';
import { hashAloneLookup, persistedQueryNotFound, persistedQueryRefusal, registeredHash } from '../graphql/persisted-query-check.js';
import type { ClientPersistedQueries } from '../graphql/persisted-queries.js';
import { idempotencyOwnerOf } from '../gateway/idempotency-owner.js';
import { hashAloneAsTaken } from './ws/hash-alone.js';
import { eventWithRowsLeftOut } from '../graphql/rows-left-out-errors.js';
import { subscriptionVariableErrors } from '../graphql/subscription-variables.js';
import { collapseRepeatedErrors } from '../graphql/repeated-errors.js';
import { formattingFor } from '../graphql/schema-audience.js';
import { isUtf8Message, NOT_UTF8_MESSAGE } from './utf8-body.js';
import type { ClientAuthenticator } from './auth.js';
import { AddressCounts, GROUP_WORDS, groupOf } from './address-groups.js';
import { HeldText } from './held-text.js';
import type { ClientAddressOf } from './client-address.js';
import { rateLimitMessage, type RateLimiter } from './rate-limit.js';
import type { AuthFailureGuard } from './auth-failure-guard.js';
import { cancellationController } from './request-signal.js';
import type { ContextFactory } from './request-context.js';
import { admitConnection } from './ws/admission.js';
import type { RefusalLines } from './refusal-lines.js';
import { CLOSE_AFTER_DRAIN_WAIT_MS, CLOSE_HANDSHAKE_WAIT_MS, CLOSE_NOT_UTF8, CLOSE_SLOW_READER, CLOSE_TOO_MANY, closeFirmly } from './ws/close.js';
import { capRefusalLine, ConnectionCaps, type ClientKey } from './ws/connection-caps.js';
import { SubscriptionCaps } from './ws/subscription-caps.js';
import type { SharedHoldings } from '../state/shared-holdings.js';
import { KEEP_ALIVE_MS, KeepAlive, MESSAGE_NOT_RECEIVED_IN_TIME } from './ws/keep-alive.js';
import { countDown, countUp, operationsRunning } from './ws/operation-counts.js';
import { backpressuredSend } from './ws/send.js';
import { shedUnread } from './ws/shed-unread.js';
import { ConnectionShare, unsentAnswersMessage, type UnsentAnswerBytes } from './unsent-answers.js';
import { OPERATION_ID_TOO_LONG, operationIdTooLong } from './ws/operation-id.js';
import { ActingAnswers } from './ws/acting-answers.js';
import { OperationSignals } from './ws/operation-signals.js';
import { CloseAfterMutations } from './ws/close-after-mutations.js';
import { ANSWER_DEADLINE_CODE, answerDeadlineMessage, deadlineAnswered, raceAnswerDeadline } from './answer-deadline.js';
import { refuseUpgradeElsewhere, upgradeIsFor } from './ws/wrong-path.js';
import { repeatedJsonName, repeatedJsonNameMessage } from './duplicate-json-keys.js';
import { HANDSHAKE_VERSION_REFUSED, NOT_A_WEBSOCKET_UPGRADE, handshakeHeaderRefusal, handshakeOnHttp11, refuseHandshake, upgradesToWebSocket } from './ws/handshake-refusal.js';

/** A name a well-formed message holds twice; a malformed one is left to graphql-ws's own refusal. */
function repeatedNameInJson(text: string): string | undefined {
  const name = repeatedJsonName(text);
  if (name === undefined) return undefined;
  try {
    JSON.parse(text);
    return name;
  } catch {
    return undefined;
  }
}

/** What its running operations' messages hold refuses one more (see HeldText). */
const heldTextRefusal = (held: HeldText, bodyLimitBytes: number): GraphQLError =>
  new GraphQLError(`Message size limit of ${bodyLimitBytes} per connection exceeded: its operations running hold ${held.characters}; complete one first, or send a shorter one.`, {
    extensions: { code: 'QUERY_TOO_COMPLEX' },
  });

/** `limits.rateLimit`'s refusal, as HTTP's 429 says it. */
const rateLimited = (retryAfterSeconds: number): GraphQLError =>
  new GraphQLError(rateLimitMessage(retryAfterSeconds), { originalError: new GatewayError('QUERY_TOO_COMPLEX', rateLimitMessage(retryAfterSeconds), { retryAfterSeconds }) });

/**
 * Sockets from one address that have not sent connection_init yet. A browser
 * or a service opens one at a time; a proxy in front (HAProxy) brings many
 * clients from one address, each waiting for milliseconds.
 */
export const MAX_WAITING_PER_ADDRESS = 50;

export interface WebSocketServerOptions {
  httpServer: Server;
  path: string;
  pipeline: RequestPipeline;
  authenticator: ClientAuthenticator;
  createContext: ContextFactory;
  limits: LimitsConfig;
  /** `limits.rateLimit`, the same buckets as HTTP's; null when off. */
  rateLimiter: RateLimiter | null;
  /** The automatic persisted queries HTTP registers and answers (Apollo's plugin), shared: a hash registered on either entry point is answered on both. */
  persistedQueries: ClientPersistedQueries;
  /** `limits.authFailures`, the same counts as HTTP's. */
  authFailures: AuthFailureGuard;
  /** The client's address, behind a trusted proxy too: anonymous callers and waiting sockets are counted by it. */
  clientAddressOf: ClientAddressOf;
  logger: Logger;
  /** What a client's own text goes through before a log line names it (an operation id): the scrubber of provider answers. */
  scrubLogText?: (text: string) => string;
  /** Counts each error code sent, like the HTTP path's metrics plugin. */
  countError(code: string): void;
  /** Counts each connection closed for having more than `limits.maxWsBufferedBytes` queued unsent. */
  countSlowReaderClose(): void;
  /** Counts the mutations whose answer a connection closed before its client was handed it. */
  countUnsentMutationAnswers(count: number): void;
  /** Counts a query or mutation answered by its deadline (limits.answerDeadlineMs)... */
  countDeadlineAnswer(): void;
  /** ...and its own answer, come after that, dropped. */
  countLateAnswer(): void;
  /** Demo mode: only connections sent to a loopback name (see sentToLoopbackName). */
  loopbackNamesOnly?: boolean;
  /** Whether a caller without a key is answered at the name its request was sent to (see anonymousRequestAllowed). */
  anonymousAtHost(req: AddressedRequest): boolean;
  /** One line per address and kind of refusal (connection_init, caps, protocol breaks) per period, shared with the HTTP path. */
  refusalLines: RefusalLines;
  /** Answers not yet taken per client address, shared with the HTTP path (`limits.maxUnsentAnswerBytesPerAddress`). */
  unsentAnswers: UnsentAnswerBytes;
  /** With Redis: every replica's open subscriptions, so `limits.maxSubscriptionsPerClient` holds across replicas. */
  sharedSubscriptions?: SharedHoldings | null;
  /** Tests only: a shorter KEEP_ALIVE_MS. */
  keepAliveMs?: number;
  /** Tests only: a longer CLOSE_HANDSHAKE_WAIT_MS for a slow reader's close (a loaded test process reads its queue slowly). */
  slowReaderCloseWaitMs?: number;
}

interface ConnectionState {
  principal: Principal;
  /** A keyed client's principal; an anonymous caller's address (counted in `anonymousOpen`). */
  clientKey: ClientKey;
  /** Request id of each operation in flight, for its log lines. */
  requestIds: Map<string, string>;
  /** Queries and mutations running (not subscriptions): shutdown lets them finish before it closes the connection. */
  answering: Map<string, number>;
  /**
   * Every operation started and not yet ended (graphql-ws's onComplete), subscriptions too, per id:
   * graphql-ws forgets one at its client's `complete`, before it has ended.
   */
  running: Map<string, number>;
  /** Subscriptions (per id) holding a place of `limits.maxSubscriptionsPerClient`, given back as each ends or at the close. */
  subscribed: Map<string, number>;
  /** The query text its operations hold until they end (a subscription may never end). */
  heldText: HeldText;
  /** Aborted when the connection closes: its operations' upstream reads are cancelled, as for an HTTP client that left. */
  gone: AbortController;
  /** Each query's and subscription's own signal, aborted at its client's `complete` too (a mutation's is `gone`'s). */
  signals: OperationSignals;
  /** Whether graphql-ws still holds the operation of this id (it forgets one at its client's `complete`). */
  heldByGraphqlWs: (id: string) => boolean;
  /** Mutations running, whose answers are never refused for the address's answers not taken. */
  acting: ActingAnswers;
}

type Extra = { socket: WebSocket; request: IncomingMessage };

/**
 * graphql-ws on the HTTP server's port and path, through the same request
 * pipeline as HTTP (parse limits, validation rules, introspection switch per
 * caller, executor, error formatting, context factory), with caps of its own:
 * message size (as the HTTP body limit, enforced by ws before it buffers a
 * frame), connections in total and per client key, operations per connection,
 * bytes queued unsent per connection.
 *
 * graphql-ws's own `useServer` glue is not used: it prints a client's
 * oversized frame to stderr as an "internal error" and closes with the
 * error's text as the reason.
 */
export function startWebSocketServer(options: WebSocketServerOptions): { dispose(drainMs: number): Promise<{ operationsCut: number }>; goingAway(waitMs: number): Socket[] } {
  const { pipeline, limits, logger } = options;
  const states = new WeakMap<WebSocket, ConnectionState>();
  const caps = new ConnectionCaps(limits);
  const subscriptionCaps = new SubscriptionCaps(limits.maxSubscriptionsPerClient, options.sharedSubscriptions ?? null);
  /** Sockets not yet past connection_init, per remote address: they hold no slot of the caps above. */
  const waiting = new AddressCounts(MAX_WAITING_PER_ADDRESS);
  const sources = new WeakMap<object, string>();
  const addresses = new WeakMap<WebSocket, string>();
  /**
   * The size of the message each socket's graphql-ws handler is reading: set just before it is
   * handed over, read by onSubscribe, which graphql-ws calls before its handler first awaits.
   */
  const handling = new WeakMap<WebSocket, number>();
  /** Sockets whose message graphql-ws is handling was a persisted query's hash alone (hashAloneAsTaken), set and read as `handling`. */
  const hashAlone = new WeakSet<WebSocket>();

  const waitingSockets = new WeakMap<WebSocket, () => void>();
  /** Each connection's TCP socket, for an exit that does not wait for the drain to give its close frame a moment to leave. */
  const transports = new WeakMap<WebSocket, Socket>();
  /** Each connection's send (backpressuredSend), for a refusal the gateway sends itself. */
  const sends = new WeakMap<WebSocket, (data: string) => Promise<void>>();
  /** Each connection's close for falling behind, waiting while a mutation's answer is still to send. */
  const closings = new WeakMap<WebSocket, CloseAfterMutations>();
  /** Set by dispose(): a connection closes (1001) once it has no query or mutation left to answer. */
  let draining = false;
  /** What an operation holds, given back as it ends or is refused after taking it. */
  const giveBack = (socket: WebSocket, state: ConnectionState, id: string, completeToSend: boolean) => {
    state.heldText.release(id);
    state.signals.end(id);
    state.acting.ended(id, completeToSend);
    // A mutation its client cancelled has no `complete` to send: a close waiting for it goes now.
    closings.get(socket)?.settle();
    countDown(state.answering, id);
    countDown(state.running, id);
    if (state.subscribed.has(id)) {
      countDown(state.subscribed, id);
      subscriptionCaps.release(state.clientKey);
    }
  };
  const finished = (socket: WebSocket, id: string, completeToSend: boolean) => {
    const state = states.get(socket);
    if (!state) return;
    state.requestIds.delete(id);
    giveBack(socket, state, id, completeToSend);
    // After graphql-ws has sent the operation's `complete`, which follows this hook.
    if (draining && state.answering.size === 0) setImmediate(() => closeFirmly(socket, 1001, 'Going away'));
  };
  /**
   * An operation runs once the replicas together (Redis) are found within `limits.rateLimit` and,
   * for a subscription, `limits.maxSubscriptionsPerClient`, at most SHARED_COUNT_WAIT_MS later (both
   * asked at once). graphql-ws waits for onSubscribe, and keeps the operation's id meanwhile. Its
   * place is taken and counted on this connection before the wait, so a close meanwhile gives it
   * back as for any other; a refusal gives it back here (graphql-ws calls no onComplete for an
   * operation refused).
   */
  const admittedAcrossReplicas = async (
    socket: WebSocket,
    state: ConnectionState,
    id: string,
    args: ExecutionArgs,
    across: { rate: (() => Promise<number>) | null; cap: boolean },
  ): Promise<ExecutionArgs | GraphQLError[]> => {
    const [retryAfterSeconds, refused] = await Promise.all([across.rate ? across.rate() : 0, across.cap ? subscriptionCaps.confirm(state.clientKey) : null]);
    // Shutdown may have begun during the wait: the connection stays open for the operation counted
    // as answering, and run now it would act after the drain began (see onSubscribe).
    if (retryAfterSeconds === 0 && refused === null && !draining && states.get(socket) === state && socket.readyState === WebSocket.OPEN) return args;
    if (states.get(socket) === state) {
      giveBack(socket, state, id, false);
      // Its place was what kept the connection open through the drain: it closes, as after an answer.
      if (draining && state.answering.size === 0) setImmediate(() => closeFirmly(socket, 1001, 'Going away'));
    }
    if (retryAfterSeconds > 0) {
      return [rateLimited(retryAfterSeconds)];
    }
    if (refused !== null) return [new GraphQLError(refused, { extensions: { code: 'QUERY_TOO_COMPLEX' } })];
    // Closed (or closing at shutdown) during the wait: not started, so no poll loop outlives it.
    return [new GraphQLError(SHUTTING_DOWN_MESSAGE, { originalError: new GatewayError('SHUTTING_DOWN', SHUTTING_DOWN_MESSAGE) })];
  };
  /** `queuedBytes`: what was queued unsent when the close was decided (it may wait for a mutation's answer, while the client reads on). */
  const closeSlowReader = (socket: WebSocket, address: string, reason: string, queuedBytes = socket.bufferedAmount) => {
    logger.warn(
      { client: states.get(socket)?.principal.name, remote: address, queuedBytes, limit: limits.maxWsBufferedBytes, reason },
      'WebSocket connection closed: the client is not reading its answers',
    );
    options.countSlowReaderClose();
    closeFirmly(socket, CLOSE_SLOW_READER, reason, options.slowReaderCloseWaitMs ?? CLOSE_HANDSHAKE_WAIT_MS);
  };
  /**
   * A connection closed (the keep-alive gave up on its client, the drain ran out, the client left)
   * before its client was handed a mutation's answer: the mutation may have acted, and its client
   * cannot tell. Not silent: the operator sees which, and the client learns the outcome by sending
   * the mutation again with the same idempotencyKey (its recorded answer comes back).
   */
  // The client chose each operation id (up to 128 characters of anything): scrubbed before its line names it.
  const scrubLogText = options.scrubLogText ?? ((text: string) => text);
  const owedAsLogged = (state: ConnectionState | undefined) => state?.acting.owed().map(({ operationId, requestId }) => ({ operationId: scrubLogText(operationId), requestId }));
  const reportUnsentMutationAnswers = (state: ConnectionState, address: string, code: number) => {
    const mutations = owedAsLogged(state) ?? [];
    if (mutations.length === 0) return;
    logger.warn({ client: state.principal.name, remote: address, code, mutations }, UNSENT_MUTATION_ANSWERS_LINE);
    options.countUnsentMutationAnswers(mutations.length);
  };
  const keepAliveMs = options.keepAliveMs ?? KEEP_ALIVE_MS;
  const stateOf = (ctx: Context<Record<string, unknown> | undefined, Extra>) => states.get(ctx.extra.socket);
  const requestIdOf = (ctx: Context<Record<string, unknown> | undefined, Extra>, id: string) => stateOf(ctx)?.requestIds.get(id) ?? randomUUID();
  /** `principal`: whom the errors go to (an admin's keep graphql-js's hints); none before connection_init. */
  const format = (principal: Principal | undefined, requestId: string, errors: readonly GraphQLError[]) => {
    const sent = formattingFor(principal, () => {
      pipeline.logErrors(requestId, errors);
      return collapseRepeatedErrors(errors.map((error) => formatGraphQLError(pipeline.formatError, error)));
    });
    for (const error of sent) options.countError(String(error.extensions?.code));
    return sent;
  };

  const server = makeServer<Record<string, unknown> | undefined, Extra>({
    schema: pipeline.schema,
    onConnect: (ctx) => {
      const { socket } = ctx.extra;
      waitingSockets.get(socket)?.();
      const address = addresses.get(socket) ?? '';
      const connectionParams = ctx.connectionParams;
      // Only the Authorization is read, and not kept either (graphql-ws would hold it until the connection closes).
      (ctx as { connectionParams?: unknown }).connectionParams = undefined;
      const admitted = admitConnection(options, { address, characters: handling.get(socket) ?? 0, connectionParams, request: ctx.extra.request });
      if ('reason' in admitted) {
        if (admitted.counted === undefined) {
          closeFirmly(socket, admitted.code, admitted.reason);
          return false;
        }
        return admitted.counted.catch(() => undefined).then(() => {
          closeFirmly(socket, admitted.code, admitted.reason);
          return false;
        });
      }
      const { principal } = admitted;
      const place = caps.admit(principal, address);
      if ('reason' in place) {
        options.refusalLines.warn(address, { client: principal.name, remote: address, limit: place.limit, per: place.per }, capRefusalLine(place.per));
        closeFirmly(socket, CLOSE_TOO_MANY, place.reason);
        return false;
      }
      const { clientKey } = place;
      const gone = cancellationController();
      states.set(socket, {
        principal,
        clientKey,
        requestIds: new Map(),
        answering: new Map(),
        running: new Map(),
        subscribed: new Map(),
        heldText: new HeldText(limits.bodyLimitBytes),
        gone,
        signals: new OperationSignals(gone.signal),
        heldByGraphqlWs: (id) => id in ctx.subscriptions,
        acting: new ActingAnswers(),
      });
      return true;
    },
    onSubscribe: (ctx, id, payload) => {
      // Refused as graphql-ws refuses a malformed message: the connection closes, and nothing
      // echoes the id. Forgotten as at a client's `complete`, so graphql-ws sends no `error` either.
      if (operationIdTooLong(id)) {
        options.refusalLines.info(addresses.get(ctx.extra.socket) ?? '', { remote: addresses.get(ctx.extra.socket), idLength: id.length }, 'WebSocket connection closed: subscribe id too long');
        closeFirmly(ctx.extra.socket, CloseCode.BadRequest, OPERATION_ID_TOO_LONG);
        delete ctx.subscriptions[id];
        return [new GraphQLError(OPERATION_ID_TOO_LONG, { extensions: { code: 'BAD_USER_INPUT' } })];
      }
      const state = stateOf(ctx);
      const requestId = randomUUID();
      if (!state) return [new GraphQLError('connection not initialised', { extensions: { code: 'UNAUTHENTICATED' } })];
      // graphql-ws lets a cancelled operation's id be used again at once, and the first
      // operation's end then drops the second one's answer (a query) or forgets the second
      // altogether (a subscription: it ran on, polling, after its connection had closed).
      // Refused until the first has ended.
      if (state.running.has(id)) {
        // Refused here, not by graphql-ws: it keeps the id taken for a refusal until the refusal's
        // `error` has reached the kernel, and the cancelled operation, ending meanwhile, found its
        // id taken and sent its `next` and `complete` under it, after the `error`. Given back before
        // anything awaits, the id is free when the cancelled operation ends: nothing of it is sent.
        delete ctx.subscriptions[id];
        const refusal = new GraphQLError(ID_STILL_RUNNING_MESSAGE, { extensions: { code: 'BAD_USER_INPUT' } });
        void sends.get(ctx.extra.socket)?.(JSON.stringify({ id, type: 'error', payload: format(state.principal, requestId, [refusal]) }));
        return [refusal];
      }
      // Once shutdown has begun nothing new runs, so a client never has to wonder whether an
      // operation cut at the close acted: a connection answering one keeps it to the end only.
      if (draining || ctx.extra.socket.readyState !== WebSocket.OPEN) {
        return [new GraphQLError(SHUTTING_DOWN_MESSAGE, { originalError: new GatewayError('SHUTTING_DOWN', SHUTTING_DOWN_MESSAGE) })];
      }
      // The connection closes (1013) once its mutations' answers are out: nothing new runs on it,
      // so the close never comes after another operation acted.
      if (closings.get(ctx.extra.socket)?.waits) return [new GraphQLError(CLOSING_BEHIND_MESSAGE, { extensions: { code: 'QUERY_TOO_COMPLEX' } })];
      // An address past its limit of answers not taken: refused before it runs, since its answer
      // would close the connection (1013) and graphql-ws's client sends an operation again when it
      // reconnects: a mutation would act twice. The refusal closes it too, nothing having run.
      const full = options.unsentAnswers.full(addresses.get(ctx.extra.socket) ?? '');
      if (full !== null) return [new GraphQLError(unsentAnswersMessage(full, options.unsentAnswers.perAddress), { extensions: { code: 'QUERY_TOO_COMPLEX' } })];
      state.requestIds.set(id, requestId);
      // A cancelled subscription ends at once (graphql-ws returns its iterator); a cancelled query runs on until its reads, cut (OperationSignals), end it.
      if (operationsRunning(ctx.subscriptions, state.answering) > limits.maxSubscriptionsPerConnection) {
        return [new GraphQLError(`Subscription limit of ${limits.maxSubscriptionsPerConnection} per connection exceeded: complete one first.`, { extensions: { code: 'QUERY_TOO_COMPLEX' } })];
      }
      const address = addresses.get(ctx.extra.socket);
      // The shared count (Redis) is waited for at the end, once the operation's place is taken.
      const retryAfterSeconds = options.rateLimiter?.checkHere(state.principal, address) ?? 0;
      if (retryAfterSeconds > 0) {
        return [rateLimited(retryAfterSeconds)];
      }
      // What graphql-ws keeps of the operation until it ends: its whole message (see HeldText).
      let size = handling.get(ctx.extra.socket) ?? payload.query.length;
      if (!state.heldText.fits(size)) return [heldTextRefusal(state.heldText, limits.bodyLimitBytes)];
      // A hash alone is answered as over HTTP, from the same registrations: this client's text, or
      // PersistedQueryNotFound (the APQ client then sends the text); a text sent with its hash is
      // refused as HTTP refuses it (Apollo's checks, persisted-query-guard.ts), before it is parsed.
      const owner = idempotencyOwnerOf(state.principal, address ?? '');
      let query = payload.query;
      if (hashAlone.has(ctx.extra.socket)) {
        const lookup = hashAloneLookup(payload.extensions);
        if ('refusal' in lookup) return [lookup.refusal];
        const text = options.persistedQueries.textFor(state.principal, owner, lookup.hash);
        if (text === undefined) return [persistedQueryNotFound()];
        // Its operation holds the text it runs as one sent does (a copy of its own, when sent again
        // since): counted by its short message alone, one registered text ran as often as the caps let.
        size += text.length;
        if (!state.heldText.fits(size)) return [heldTextRefusal(state.heldText, limits.bodyLimitBytes)];
        query = text;
      } else {
        const persistedRefusal = persistedQueryRefusal(query, payload.extensions);
        if (persistedRefusal) return [persistedRefusal];
      }
      const persistedHash = registeredHash(payload.extensions);
      const prepared = pipeline.prepare(query);
      if ('errors' in prepared) return prepared.errors;
      const introspection = pipeline.introspectionRefusal(prepared.document, state.principal);
      if (introspection) return [introspection];
      // graphql-ws answers an operation it cannot identify with an `error` and never calls onComplete:
      // counted as answering below, it held its place and its id for good, and kept shutdown waiting.
      const operation = getOperationAST(prepared.document, payload.operationName);
      if (!operation) return [unidentifiedOperation(payload.operationName, prepared.document)];
      const tooCostly = pipeline.checkVariables(prepared.document, payload.operationName, payload.variables ?? {});
      if (tooCostly) return [tooCostly];
      sources.set(prepared.document, prepared.source);
      const variables = shedUnread(payload, operation);
      if (operation.operation === 'subscription') {
        // Before its place is taken: refused here, it never runs.
        const invalid = subscriptionVariableErrors(pipeline.schema, operation, variables);
        if (invalid) return invalid;
        const refused = subscriptionCaps.take(state.clientKey);
        // No log line: a client sending subscribe after subscribe would write one each (the error counter counts them).
        if (refused !== null) return [new GraphQLError(refused, { extensions: { code: 'QUERY_TOO_COMPLEX' } })];
        countUp(state.subscribed, id);
      }
      // Registered where Apollo registers one over HTTP: once every check has passed, so a refused text is never kept.
      if (persistedHash !== undefined) options.persistedQueries.register(state.principal, owner, persistedHash, query);
      // From here the operation runs, and graphql-ws calls onComplete when it ends.
      state.heldText.hold(id, size);
      countUp(state.running, id);
      if (operation.operation !== 'subscription') countUp(state.answering, id);
      if (operation.operation === 'mutation') state.acting.started(id, requestId);
      const signal = operation.operation === 'mutation' ? state.gone.signal : state.signals.open(id);
      const args: ExecutionArgs = {
        schema: pipeline.schema,
        document: prepared.document,
        operationName: payload.operationName ?? null,
        variableValues: variables,
        contextValue: options.createContext(state.principal, requestId, addresses.get(ctx.extra.socket) ?? '', signal),
      };
      const rateAcross = options.rateLimiter?.countsAcrossReplicas ? options.rateLimiter : null;
      const capAcross = operation.operation === 'subscription' && subscriptionCaps.acrossReplicas;
      if (!rateAcross && !capAcross) return args;
      return admittedAcrossReplicas(ctx.extra.socket, state, id, args, {
        rate: rateAcross ? () => rateAcross.countAcrossReplicas(state.principal, address) : null,
        cap: capAcross,
      });
    },
    // Only queries and mutations come here (subscriptions, long-lived, go to `subscribe`): each
    // gets the HTTP request's answer deadline, its `next` the deadline's error, then `complete`.
    execute: (args) => {
      const work = pipeline.executor.execute({ document: args.document, operationName: args.operationName, source: sources.get(args.document), context: args.contextValue, variables: args.variableValues });
      return raceAnswerDeadline(
        work,
        limits.answerDeadlineMs,
        () => {
          const mayHaveActed = getOperationAST(args.document, args.operationName)?.operation !== 'query';
          deadlineAnswered('websocket', { countDeadlineAnswer: options.countDeadlineAnswer, countError: options.countError, logger }, {
            requestId: (args.contextValue as GraphQLContext).requestId,
            answerDeadlineMs: limits.answerDeadlineMs,
            mayHaveActed,
          });
          const message = answerDeadlineMessage(limits.answerDeadlineMs, mayHaveActed);
          // A GatewayError's message is shown: a bare INTERNAL_SERVER_ERROR reads "internal error".
          return { errors: [new GraphQLError(message, { originalError: new GatewayError(ANSWER_DEADLINE_CODE, message) })] };
        },
        options.countLateAnswer,
      );
    },
    onNext: (ctx, id, _payload, args, result): FormattedExecutionResult | void => {
      // A subscription's update, counted from its root field (a query's count has ended already).
      const tooMany = pipeline.answerItems.end(args.contextValue);
      // A subscription's event ran in graphql-js, not the executor (which adds these to the others).
      // Read before the refusal too: what a refused event noted is forgotten with it, else the next
      // event told its rows again, at paths of the refused event's answer.
      const update = getOperationAST(args.document, args.operationName)?.operation === 'subscription';
      const answer = update ? eventWithRowsLeftOut(result, args.contextValue) : result;
      if (tooMany) return { data: null, errors: format(stateOf(ctx)?.principal, requestIdOf(ctx, id), [tooMany]) };
      // A subscription's update ran in graphql-js: measured here, as the executor measures a query's answer.
      const tooLarge = update ? pipeline.answerSize.refusal(args.document, answer.data) : null;
      if (tooLarge) return { data: null, errors: format(stateOf(ctx)?.principal, requestIdOf(ctx, id), [tooLarge]) };
      if (!answer.errors) return;
      return { ...answer, errors: format(stateOf(ctx)?.principal, requestIdOf(ctx, id), answer.errors) };
    },
    onError: (ctx, id, _payload, errors) => {
      const formatted = format(stateOf(ctx)?.principal, requestIdOf(ctx, id), errors);
      // An `error` message is a refusal before anything ran (a query or mutation that ran ends
      // with `next` and `complete`): nothing to take off the operations answering.
      stateOf(ctx)?.requestIds.delete(id);
      return formatted;
    },
    // Called after the result's `next` went out and before its `complete` does.
    onComplete: (ctx, id) => {
      // graphql-ws sends the `complete` only while the operation is still its client's (not cancelled).
      finished(ctx.extra.socket, id, id in ctx.subscriptions);
    },
  });

  // maxPayload: ws refuses (1009) a frame whose header announces more, before reading its payload.
  // noServer: the upgrades are handed over below, so one to another path gets the gateway's 404.
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.bodyLimitBytes, handleProtocols });
  // ws answered a handshake it cannot take itself, in text/html: the gateway's JSON error instead.
  wss.on('wsClientError', (error: Error, socket: Duplex, request: IncomingMessage) => {
    const address = options.clientAddressOf(request);
    options.refusalLines.info(address, { remote: address, reason: error.message }, 'WebSocket handshake refused');
    refuseHandshake(request, socket, error.message);
  });
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // First: at any path, a route that exists (/healthz) too, such a request is not answered as HTTP.
    if (!upgradesToWebSocket(request)) {
      const address = options.clientAddressOf(request);
      options.refusalLines.info(address, { remote: address, upgrade: String(request.headers.upgrade) }, 'WebSocket handshake refused: an upgrade to another protocol');
      return refuseHandshake(request, socket, NOT_A_WEBSOCKET_UPGRADE);
    }
    if (!handshakeOnHttp11(request)) {
      const address = options.clientAddressOf(request);
      options.refusalLines.info(address, { remote: address, reason: HANDSHAKE_VERSION_REFUSED }, 'WebSocket handshake refused');
      return refuseHandshake(request, socket, HANDSHAKE_VERSION_REFUSED);
    }
    // As node's request handler refuses them (requests-node-answers.ts): an upgrade is a request too.
    const framing = handshakeHeaderRefusal(request);
    if (framing !== undefined) {
      const address = options.clientAddressOf(request);
      options.refusalLines.info(address, { remote: address, reason: framing }, 'WebSocket handshake refused');
      return refuseHandshake(request, socket, framing);
    }
    if (!upgradeIsFor(request, options.path)) return refuseUpgradeElsewhere(socket);
    wss.handleUpgrade(request, socket, head, (client) => wss.emit('connection', client, request));
  };
  options.httpServer.on('upgrade', onUpgrade);
  wss.on('connection', (socket, request) => {
    const address = options.clientAddressOf(request);
    addresses.set(socket, address);
    transports.set(socket, request.socket);
    // ws closes the connection itself (1009 for a frame over maxPayload); a client's fault, not ours.
    socket.on('error', (error) => options.refusalLines.info(address, { err: error.message, remote: address }, 'WebSocket connection failed'));
    // The caps count connections past connection_init (so they know the client key). Before it, a
    // socket holds only a place among its address's few waiting ones, for graphql-ws's 3 s at most:
    // sockets that never say connection_init cannot fill the total cap and lock every client out.
    // Behind a proxy that is the client's address only when listen.trustedProxies names the proxy.
    const refusedBy = waiting.take(address);
    if (refusedBy !== null) {
      const from = GROUP_WORDS[refusedBy];
      const { limit } = groupOf(address, refusedBy, MAX_WAITING_PER_ADDRESS);
      options.refusalLines.warn(address, { remote: address, limit, per: refusedBy }, 'WebSocket connection refused: too many waiting for connection_init');
      closeFirmly(socket, CLOSE_TOO_MANY, `too many connections waiting for connection_init from ${from} (limit ${limit})`);
      return;
    }
    let stillWaiting = true;
    const initialised = () => {
      if (!stillWaiting) return;
      stillWaiting = false;
      waiting.release(address);
    };
    const keepAlive = new KeepAlive(socket, {
      periodMs: keepAliveMs,
      stoppedReading: () => closeSlowReader(socket, address, 'not reading: no answer taken in a keep-alive period'),
      notAnswering: () => socket.terminate(),
      answersOwed: () => states.get(socket)?.acting.owes ?? false,
      graceBegun: () => logger.debug({ client: states.get(socket)?.principal.name, remote: address, mutations: owedAsLogged(states.get(socket)) }, MUTATION_ANSWER_GRACE_LINE),
      messageTooSlow: () => {
        options.refusalLines.info(address, { client: states.get(socket)?.principal.name, remote: address }, 'WebSocket connection closed: a message not received in time');
        closeFirmly(socket, CloseCode.BadRequest, MESSAGE_NOT_RECEIVED_IN_TIME);
      },
    });
    waitingSockets.set(socket, initialised);
    const addressShare = new ConnectionShare(options.unsentAnswers, address);
    const closing = new CloseAfterMutations(() => states.get(socket)?.acting.answering ?? false);
    closings.set(socket, closing);
    const send = backpressuredSend(socket, {
      capBytes: limits.maxWsBufferedBytes,
      addressShare,
      actingAnswerOf: (message) => states.get(socket)?.acting.answerOf(message) ?? null,
      actingAnswerSent: (id) => states.get(socket)?.acting.sent(id),
      closing,
      tooFarBehind: (reason, queuedBytes) => closeSlowReader(socket, address, reason, queuedBytes),
      addressTooFarBehind: (reason) => {
        options.refusalLines.warn(address, { client: states.get(socket)?.principal.name, remote: address, limit: options.unsentAnswers.perAddress }, 'WebSocket connection closed: its address has too many answers unread');
        options.countSlowReaderClose();
        closeFirmly(socket, CLOSE_SLOW_READER, reason);
      },
      readingChanged: (line) => logger.debug({ client: states.get(socket)?.principal.name, remote: address, unreadBytes: socket.bufferedAmount }, line),
    });
    sends.set(socket, send);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send,
        close: (code, reason) => closeFirmly(socket, code, reason),
        onMessage: (callback) =>
          socket.on('message', (data, isBinary) => {
            keepAlive.messageReceived();
            if (!isUtf8Message(data, isBinary)) {
              options.refusalLines.info(address, { remote: address }, 'WebSocket connection closed: a binary message is not UTF-8');
              closeFirmly(socket, CLOSE_NOT_UTF8, NOT_UTF8_MESSAGE);
              return;
            }
            const sent = String(data);
            handling.set(socket, sent.length);
            const repeated = repeatedNameInJson(sent);
            if (repeated !== undefined) {
              // As an HTTP body naming one thing twice is refused (repeated-names-guard.ts); a close, as graphql-ws closes on a malformed message.
              options.refusalLines.info(address, { remote: address, name: repeated }, 'WebSocket connection closed: a message names one thing twice');
              closeFirmly(socket, CloseCode.BadRequest, repeatedJsonNameMessage(repeated));
              return;
            }
            const asTaken = hashAloneAsTaken(sent);
            if (asTaken === undefined) hashAlone.delete(socket);
            else hashAlone.add(socket);
            callback(asTaken ?? sent).catch((error: unknown) => {
              if (isUnexpectedMessage(error)) {
                // The client broke the protocol (a connection_ack or next of its own): its fault, not ours.
                options.refusalLines.info(address, { err: error.message, remote: address }, 'WebSocket connection closed: unexpected message');
                closeFirmly(socket, CloseCode.BadRequest, error.message);
                return;
              }
              if (socket.readyState !== WebSocket.OPEN) return;
              logger.error({ err: error }, 'WebSocket message handling failed');
              closeFirmly(socket, CloseCode.InternalServerError, 'Internal server error');
            });
            // After graphql-ws has forgotten a cancelled operation (at once, before it awaits
            // anything): its answer, should its reads end it now, is not sent.
            const state = states.get(socket);
            state?.signals.cancelForgotten(state.heldByGraphqlWs);
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => {
      keepAlive.stop();
      addressShare.close();
      initialised();
      const state = states.get(socket);
      if (state) {
        reportUnsentMutationAnswers(state, address, code);
        caps.release(state.clientKey);
        // Their onComplete comes after this, and finds no state: given back here.
        for (const count of state.subscribed.values()) for (let n = 0; n < count; n += 1) subscriptionCaps.release(state.clientKey);
        state.gone.abort();
        states.delete(socket);
      }
      void closed(code, String(reason));
    });
  });

  return {
    /** Closes every connection, those answering a query or mutation once answered or after `drainMs`; how many were cut. */
    dispose: async (drainMs: number) => {
      draining = true;
      // Resolves once every connection has closed; no upgrade is taken from now on.
      options.httpServer.off('upgrade', onUpgrade);
      const closed = new Promise<void>((resolve, reject) => wss.close((error) => (error ? reject(error) : resolve())));
      // A connection answering a query or mutation keeps it to the end, as an HTTP request in
      // flight does; the others (subscriptions only, or idle) close now. closeFirmly: a peer that
      // stopped answering must not hold the shutdown for ws's 30 s close handshake.
      // A peer that does not answer the close frame is dropped within the drain, however short:
      // waiting the usual handshake time past it, the process's own drain timer ended everything.
      const handshakeWaitMs = Math.min(CLOSE_HANDSHAKE_WAIT_MS, drainMs);
      for (const client of wss.clients) if (!states.get(client)?.answering.size) closeFirmly(client, 1001, 'Going away', handshakeWaitMs);
      let cut = 0;
      const giveUp = setTimeout(() => {
        for (const client of wss.clients) {
          for (const running of states.get(client)?.answering.values() ?? []) cut += running;
          // The drain is over: the close frame goes out, and the answer to it has only a moment.
          closeFirmly(client, 1001, 'Going away', CLOSE_AFTER_DRAIN_WAIT_MS);
        }
      }, drainMs);
      try {
        await closed;
      } finally {
        clearTimeout(giveUp);
      }
      return { operationsCut: cut };
    },
    /**
     * For an exit that does not wait for the drain (a second signal, the drain timer): every open
     * connection, one answering a query or mutation too, sent its 1001 now, and dropped if its
     * client has not answered within `waitMs`. The connections it goes on, for the exit to wait
     * that long for them; before, they were destroyed with no close frame (1006 to the client,
     * which cannot tell a replica going away from a network failure).
     */
    goingAway: (waitMs: number): Socket[] => {
      draining = true;
      options.httpServer.off('upgrade', onUpgrade);
      const closing: Socket[] = [];
      for (const client of wss.clients) {
        // One the drain has sent its 1001 (or another close) already is waited for all the same.
        closeFirmly(client, 1001, 'Going away', waitMs);
        const transport = transports.get(client);
        if (transport !== undefined && !transport.destroyed) closing.push(transport);
      }
      return closing;
    },
  };
}

/**
 * graphql-ws throws this for a message type only a server sends (connection_ack,
 * next, error), which its own adapters answer as an internal error (4500).
 */
const isUnexpectedMessage = (error: unknown): error is Error => error instanceof Error && error.message.startsWith('Unexpected message of type ');

const ID_STILL_RUNNING_MESSAGE = 'this operation id still belongs to a cancelled operation that has not ended: use a new id';

/** Logged (debug) when the keep-alive gives a client that seems gone one more period, for a mutation's answer it has not been handed. */
export const MUTATION_ANSWER_GRACE_LINE = "WebSocket client not answering or not reading given one more keep-alive period: a mutation's answer is still to be handed to it";

/** Logged (warn) when a connection closes before its client was handed a mutation's answer. */
export const UNSENT_MUTATION_ANSWERS_LINE = "WebSocket connection closed before its client was handed a mutation's answer: the mutation may have acted; sent again with the same idempotencyKey, it answers its outcome";

const CLOSING_BEHIND_MESSAGE = 'this connection is closing: its client has not taken its answers (limits.maxWsBufferedBytes); the operation did not run: send it again on a new connection';

const SHUTTING_DOWN_MESSAGE = 'the gateway is shutting down and did not run this operation: send it again on a new connection';
