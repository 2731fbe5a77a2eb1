import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, Server } from 'node:http';
import { CloseCode, handleProtocols, makeServer, type Context, type SubscribePayload } from 'graphql-ws';
import { GraphQLError, getOperationAST, type FormattedExecutionResult, type OperationDefinitionNode } from 'graphql';
import type { Logger } from 'pino';
import { WebSocket, WebSocketServer } from 'ws';
import type { LimitsConfig } from '../config/schema.js';
import { GatewayError, isGatewayError } from '../domain/errors.js';
import { isAnonymous, type Principal } from '../gateway/principal.js';
import { fromAnotherOrigin } from './origin.js';
import { sentToLoopbackName } from './loopback-host.js';
import { ANONYMOUS_HOST_MESSAGE } from './anonymous-host.js';
import { formatGraphQLError } from '../graphql/errors.js';
import type { RequestPipeline } from '../graphql/pipeline.js';
import { unidentifiedOperation } from '../graphql/unidentified-operation.js';
import type { ClientAuthenticator } from './auth.js';
import { AddressCounts, GROUP_WORDS, groupOf } from './address-groups.js';
import { collapseRepeatedErrors } from '../graphql/repeated-errors.js';
import { HeldText } from './held-text.js';
import { holdsPartialMessage, partialMessageAtPing } from './partial-message.js';
import { pastSendCap } from './send-cap.js';
import { pauseIfBehind, resumeIfCaughtUp } from './unread-answers.js';
import type { ClientAddressOf } from './client-address.js';
import { rateLimitMessage, type RateLimiter } from './rate-limit.js';
import { authFailuresMessage, type AuthFailureGuard } from './auth-failure-guard.js';
import { cancellationController } from './request-signal.js';
import type { ContextFactory } from './request-context.js';

/** Close code for a connection over a cap; graphql-ws clients treat 4429 as final and do not retry at once. */
export const CLOSE_TOO_MANY = 4429;
/** Close code for a connection_init without a valid key (graphql-ws's Forbidden). */
export const CLOSE_FORBIDDEN = CloseCode.Forbidden;
/**
 * Close code for a connection whose client does not read what it is sent (more than
 * `limits.maxWsBufferedBytes` queued unsent): 1013 "Try Again Later". Not 4429 like the other
 * caps: graphql-ws's client takes 4429 (its TooManyInitialisationRequests) as final, while
 * falling behind is usually passing (a stalled network, a suspended tab), and graphql-ws's
 * client retries 1013 with its backoff and subscribes again. A client that has stopped reading
 * altogether never reads this frame: it is dropped CLOSE_HANDSHAKE_WAIT_MS later (1006 to it).
 */
export const CLOSE_SLOW_READER = 1013;
/**
 * Ping period; a peer that does not answer within one period is dropped (graphql-ws's default).
 * A peer not read from (see pauseIfBehind) cannot be heard answering: it is dropped when it
 * has taken no answer in a whole period instead.
 */
export const KEEP_ALIVE_MS = 12_000;
/**
 * Sockets from one address that have not sent connection_init yet. A browser
 * or a service opens one at a time; a proxy in front (HAProxy) brings many
 * clients from one address, each waiting for milliseconds.
 */
export const MAX_WAITING_PER_ADDRESS = 50;
/**
 * How long the server waits for a client to answer its close frame (a 4403,
 * a 4429, shutdown's 1001) before dropping the connection; ws itself waits
 * 30 s, which a peer that stopped reading would hold a socket for.
 */
const CLOSE_HANDSHAKE_WAIT_MS = 1_000;
/**
 * The same wait once the drain has run out: inside the margin the gateway
 * keeps before the drain timeout for the close frames (250 ms, app.ts).
 */
const CLOSE_AFTER_DRAIN_WAIT_MS = 100;

export interface WebSocketServerOptions {
  httpServer: Server;
  path: string;
  pipeline: RequestPipeline;
  authenticator: ClientAuthenticator;
  createContext: ContextFactory;
  limits: LimitsConfig;
  /** `limits.rateLimit`, the same buckets as HTTP's; null when off. */
  rateLimiter: RateLimiter | null;
  /** `limits.authFailures`, the same counts as HTTP's. */
  authFailures: AuthFailureGuard;
  /** The client's address, behind a trusted proxy too: anonymous callers and waiting sockets are counted by it. */
  clientAddressOf: ClientAddressOf;
  logger: Logger;
  /** Counts each error code sent, like the HTTP path's metrics plugin. */
  countError(code: string): void;
  /** Counts each connection closed for having more than `limits.maxWsBufferedBytes` queued unsent. */
  countSlowReaderClose(): void;
  /** Demo mode: only connections sent to a loopback name (see sentToLoopbackName). */
  loopbackNamesOnly?: boolean;
  /** Whether a caller without a key is answered at the name its request was sent to (see anonymousHostAllowed). */
  anonymousAtHost(headers: IncomingHttpHeaders): boolean;
  /** Tests only: a shorter KEEP_ALIVE_MS. */
  keepAliveMs?: number;
}

interface ConnectionState {
  principal: Principal;
  /** A keyed client's principal; an anonymous caller's address (counted in `anonymousOpen`). */
  clientKey: Principal | string;
  /** Request id of each operation in flight, for its log lines. */
  requestIds: Map<string, string>;
  /** Queries and mutations running (not subscriptions): shutdown lets them finish before it closes the connection. */
  answering: Map<string, number>;
  /**
   * Every operation started and not yet ended (graphql-ws's onComplete), subscriptions too, per id:
   * graphql-ws forgets one at its client's `complete`, before it has ended.
   */
  running: Map<string, number>;
  /** The query text its operations hold until they end (a subscription may never end). */
  heldText: HeldText;
  /** Aborted when the connection closes: its operations' upstream reads are cancelled, as for an HTTP client that left. */
  gone: AbortController;
}

type Extra = { socket: WebSocket; request: IncomingMessage };

/**
 * graphql-ws on the HTTP server's port and path, through the same request
 * pipeline as HTTP (parse limits, validation rules, introspection switch,
 * executor, error formatting, context factory), with caps of its own:
 * message size (as the HTTP body limit, enforced by ws before it buffers a
 * frame), connections in total and per client key, operations per connection,
 * bytes queued unsent per connection.
 *
 * graphql-ws's own `useServer` glue is not used: it prints a client's
 * oversized frame to stderr as an "internal error" and closes with the
 * error's text as the reason.
 */
export function startWebSocketServer(options: WebSocketServerOptions): { dispose(drainMs: number): Promise<{ operationsCut: number }> } {
  const { pipeline, limits, logger } = options;
  const states = new WeakMap<WebSocket, ConnectionState>();
  const perClient = new Map<Principal, number>();
  /**
   * Anonymous callers' connections, by address and, for IPv6, by /64 (16 addresses' worth) and
   * /48 (4 /64s' worth): a host holding a /64 took a new address, and one holding a /48 a new
   * /64, and 20 more connections, until the total cap was full and every client, keyed ones
   * too, was refused.
   */
  const anonymousOpen = new AddressCounts(limits.maxWsConnectionsPerClient);
  let authenticated = 0;
  /** Sockets not yet past connection_init, per remote address: they hold no slot of the caps above. */
  const waiting = new AddressCounts(MAX_WAITING_PER_ADDRESS);
  const sources = new WeakMap<object, string>();
  const addresses = new WeakMap<WebSocket, string>();
  /**
   * The size of the message each socket's graphql-ws handler is reading: set just before it is
   * handed over, read by onSubscribe, which graphql-ws calls before its handler first awaits.
   */
  const handling = new WeakMap<WebSocket, number>();

  const waitingSockets = new WeakMap<WebSocket, () => void>();
  /** Set by dispose(): a connection closes (1001) once it has no query or mutation left to answer. */
  let draining = false;
  const finished = (socket: WebSocket, id: string) => {
    const state = states.get(socket);
    if (!state) return;
    state.requestIds.delete(id);
    state.heldText.release(id);
    // Counted per id: a client may cancel an operation and reuse its id while the first still runs.
    countDown(state.answering, id);
    countDown(state.running, id);
    // After graphql-ws has sent the operation's `complete`, which follows this hook.
    if (draining && state.answering.size === 0) setImmediate(() => closeFirmly(socket, 1001, 'Going away'));
  };
  /**
   * Backpressure. graphql-ws sends an operation's next message only once the last one has been
   * handed to the kernel (`send` below resolves then), but that bounds nothing per connection:
   * answers can be megabytes, 20 operations run at once, and a client's `complete` frees its
   * operation's place while the answer is still queued, so a client that sends operations and
   * reads nothing made ws queue its answers without end. A message to a connection that already
   * has more than the cap queued is not queued: the connection closes (closeFirmly drops it if
   * the close frame cannot get through its full buffer, which frees what it held). Checked before
   * queuing, so one answer larger than the cap still goes out whole; a connection holds at most
   * the cap plus one message.
   * What is counted: see pastSendCap.
   */
  const tooFarBehind = (socket: WebSocket, address: string, size: number, inFlight: number): boolean => {
    const queued = socket.bufferedAmount;
    if (!pastSendCap(queued, size, inFlight, limits.maxWsBufferedBytes)) return false;
    closeSlowReader(socket, address, `not reading: more than ${limits.maxWsBufferedBytes} bytes queued unsent`);
    return true;
  };
  const closeSlowReader = (socket: WebSocket, address: string, reason: string) => {
    logger.warn(
      { client: states.get(socket)?.principal.name, remote: address, queuedBytes: socket.bufferedAmount, limit: limits.maxWsBufferedBytes, reason },
      'WebSocket connection closed: the client is not reading its answers',
    );
    options.countSlowReaderClose();
    closeFirmly(socket, CLOSE_SLOW_READER, reason);
  };
  const keepAliveMs = options.keepAliveMs ?? KEEP_ALIVE_MS;
  const stateOf = (ctx: Context<Record<string, unknown> | undefined, Extra>) => states.get(ctx.extra.socket);
  const requestIdOf = (ctx: Context<Record<string, unknown> | undefined, Extra>, id: string) => stateOf(ctx)?.requestIds.get(id) ?? randomUUID();
  const format = (requestId: string, errors: readonly GraphQLError[]) => {
    pipeline.logErrors(requestId, errors);
    return collapseRepeatedErrors(
      errors.map((error) => {
        const formatted = formatGraphQLError(pipeline.formatError, error);
        options.countError(String(formatted.extensions?.code));
        return formatted;
      }),
    );
  };

  const server = makeServer<Record<string, unknown> | undefined, Extra>({
    schema: pipeline.schema,
    onConnect: (ctx) => {
      const { socket } = ctx.extra;
      waitingSockets.get(socket)?.();
      const address = addresses.get(socket) ?? '';
      // graphql-ws keeps connectionParams for the connection's life: a 1 MiB connection_init of
      // `[{},{},...]` held some 23 MB of heap per connection, 460 MB per client key (20
      // connections), and a few anonymous addresses ran the process out of memory.
      const initBytes = handling.get(socket) ?? 0;
      if (initBytes > MAX_CONNECTION_INIT_BYTES) {
        logger.info({ remote: address, characters: initBytes, limit: MAX_CONNECTION_INIT_BYTES }, 'WebSocket connection refused: connection_init too large');
        closeFirmly(socket, CloseCode.BadRequest, CONNECTION_INIT_TOO_LARGE);
        return false;
      }
      const authorization = connectionAuthorization(ctx.connectionParams);
      // Nothing else in it is read; not kept either (graphql-ws would hold it until the connection closes).
      (ctx as { connectionParams?: unknown }).connectionParams = undefined;
      const hold = options.authFailures.refusal(address);
      if (hold !== null) {
        closeFirmly(socket, CLOSE_TOO_MANY, authFailuresMessage(hold));
        return false;
      }
      let principal: Principal;
      try {
        principal = options.authenticator.authenticate(authorization);
      } catch (error) {
        options.authFailures.failed(address);
        closeFirmly(socket, CLOSE_FORBIDDEN, isGatewayError(error) ? error.message : 'authentication failed');
        return false;
      }
      if (options.loopbackNamesOnly && !sentToLoopbackName(ctx.extra.request.headers)) {
        logger.info({ remote: address, host: String(ctx.extra.request.headers.host).slice(0, 200) }, 'WebSocket connection refused: not sent to a loopback name');
        closeFirmly(socket, CLOSE_FORBIDDEN, 'demo mode answers localhost or a loopback address only');
        return false;
      }
      if (isAnonymous(principal) && !options.anonymousAtHost(ctx.extra.request.headers)) {
        logger.info({ remote: address, host: String(ctx.extra.request.headers.host).slice(0, 200) }, 'WebSocket connection refused: anonymous at a name not in listen.allowedHosts');
        closeFirmly(socket, CLOSE_FORBIDDEN, ANONYMOUS_HOST_MESSAGE);
        return false;
      }
      if (isAnonymous(principal) && fromAnotherOrigin(ctx.extra.request.headers)) {
        // A page of another site, riding on the network position of whoever opened it.
        logger.info({ remote: address, origin: String(ctx.extra.request.headers.origin).slice(0, 200) }, 'WebSocket connection refused: another origin without a key');
        closeFirmly(socket, CLOSE_FORBIDDEN, ANOTHER_ORIGIN_MESSAGE);
        return false;
      }
      if (authenticated >= limits.maxWsConnections) {
        logger.warn({ client: principal.name, remote: address, limit: limits.maxWsConnections }, 'WebSocket connection refused: total cap');
        closeFirmly(socket, CLOSE_TOO_MANY, `too many connections (limit ${limits.maxWsConnections})`);
        return false;
      }
      // Anonymous callers share one principal: count them by address (and /64 and /48) instead.
      const clientKey = isAnonymous(principal) ? address : principal;
      const refusedBy = typeof clientKey === 'string' ? anonymousOpen.take(clientKey) : (perClient.get(clientKey) ?? 0) >= limits.maxWsConnectionsPerClient ? 'client' : null;
      if (refusedBy !== null) {
        const limit = refusedBy === 'client' ? limits.maxWsConnectionsPerClient : groupOf(address, refusedBy, limits.maxWsConnectionsPerClient).limit;
        const of = refusedBy === 'client' || refusedBy === 'address' ? 'this client' : GROUP_WORDS[refusedBy];
        logger.warn({ client: principal.name, remote: address, limit, per: refusedBy }, 'WebSocket connection refused: per-client cap');
        closeFirmly(socket, CLOSE_TOO_MANY, `too many connections for ${of} (limit ${limit})`);
        return false;
      }
      if (typeof clientKey !== 'string') perClient.set(clientKey, (perClient.get(clientKey) ?? 0) + 1);
      authenticated += 1;
      states.set(socket, { principal, clientKey, requestIds: new Map(), answering: new Map(), running: new Map(), heldText: new HeldText(limits.bodyLimitBytes), gone: cancellationController() });
      return true;
    },
    onSubscribe: (ctx, id, payload) => {
      const state = stateOf(ctx);
      const requestId = randomUUID();
      if (!state) return [new GraphQLError('connection not initialised', { extensions: { code: 'UNAUTHENTICATED' } })];
      // graphql-ws lets a cancelled operation's id be used again at once, and the first
      // operation's end then drops the second one's answer (a query) or forgets the second
      // altogether (a subscription: it ran on, polling, after its connection had closed).
      // Refused until the first has ended.
      if (state.running.has(id)) {
        return [new GraphQLError('this operation id still belongs to a cancelled operation that has not ended: use a new id', { extensions: { code: 'BAD_USER_INPUT' } })];
      }
      // Once shutdown has begun nothing new runs, so a client never has to wonder whether an
      // operation cut at the close acted: a connection answering one keeps it to the end only.
      if (draining || ctx.extra.socket.readyState !== WebSocket.OPEN) {
        return [new GraphQLError(SHUTTING_DOWN_MESSAGE, { originalError: new GatewayError('SHUTTING_DOWN', SHUTTING_DOWN_MESSAGE) })];
      }
      state.requestIds.set(id, requestId);
      // A cancelled subscription ends at once (graphql-ws returns its iterator); a cancelled query runs on.
      if (operationsRunning(ctx.subscriptions, state.answering) > limits.maxSubscriptionsPerConnection) {
        return [new GraphQLError(`Subscription limit of ${limits.maxSubscriptionsPerConnection} per connection exceeded: complete one first.`, { extensions: { code: 'QUERY_TOO_COMPLEX' } })];
      }
      const retryAfterSeconds = options.rateLimiter?.check(state.principal, addresses.get(ctx.extra.socket)) ?? 0;
      if (retryAfterSeconds > 0) {
        return [new GraphQLError(rateLimitMessage(retryAfterSeconds), { originalError: new GatewayError('QUERY_TOO_COMPLEX', rateLimitMessage(retryAfterSeconds), { retryAfterSeconds }) })];
      }
      // What graphql-ws keeps of the operation until it ends: its whole message (see HeldText).
      const size = handling.get(ctx.extra.socket) ?? payload.query.length;
      if (!state.heldText.fits(size)) {
        const message = `Message size limit of ${limits.bodyLimitBytes} per connection exceeded: its operations running hold ${state.heldText.characters}; complete one first, or send a shorter one.`;
        return [new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX' } })];
      }
      const prepared = pipeline.prepare(payload.query);
      if ('errors' in prepared) return prepared.errors;
      // graphql-ws answers an operation it cannot identify with an `error` and never calls onComplete:
      // counted as answering below, it held its place and its id for good, and kept shutdown waiting.
      const operation = getOperationAST(prepared.document, payload.operationName);
      if (!operation) return [unidentifiedOperation(payload.operationName)];
      const tooCostly = pipeline.checkVariables(prepared.document, payload.operationName, payload.variables ?? {});
      if (tooCostly) return [tooCostly];
      sources.set(prepared.document, prepared.source);
      const variables = shedUnread(payload, operation);
      // From here the operation runs, and graphql-ws calls onComplete when it ends.
      state.heldText.hold(id, size);
      state.running.set(id, (state.running.get(id) ?? 0) + 1);
      if (operation.operation !== 'subscription') state.answering.set(id, (state.answering.get(id) ?? 0) + 1);
      return {
        schema: pipeline.schema,
        document: prepared.document,
        operationName: payload.operationName ?? null,
        variableValues: variables,
        contextValue: options.createContext(state.principal, requestId, state.gone.signal),
      };
    },
    execute: (args) =>
      pipeline.executor.execute({ document: args.document, operationName: args.operationName, source: sources.get(args.document), context: args.contextValue, variables: args.variableValues }),
    onNext: (ctx, id, _payload, _args, result): FormattedExecutionResult | void => {
      if (!result.errors) return;
      return { ...result, errors: format(requestIdOf(ctx, id), result.errors) };
    },
    onError: (ctx, id, _payload, errors) => {
      const formatted = format(requestIdOf(ctx, id), errors);
      // An `error` message is a refusal before anything ran (a query or mutation that ran ends
      // with `next` and `complete`): nothing to take off the operations answering.
      stateOf(ctx)?.requestIds.delete(id);
      return formatted;
    },
    // Called after the result's `next` went out and before its `complete` does.
    onComplete: (ctx, id) => {
      finished(ctx.extra.socket, id);
    },
  });

  // maxPayload: ws refuses (1009) a frame whose header announces more, before reading its payload.
  const wss = new WebSocketServer({ server: options.httpServer, path: options.path, maxPayload: limits.bodyLimitBytes, handleProtocols });
  // ws re-emits the HTTP server's own errors (a port in use) here, where no listener made them an
  // uncaught exception with a stack; the server's listen call already rejects with them.
  wss.on('error', () => {});
  wss.on('connection', (socket, request) => {
    const address = options.clientAddressOf(request);
    addresses.set(socket, address);
    // ws closes the connection itself (1009 for a frame over maxPayload); a client's fault, not ours.
    socket.on('error', (error) => logger.info({ err: error.message, remote: address }, 'WebSocket connection failed'));
    // The caps count connections past connection_init (so they know the client key). Before it, a
    // socket holds only a place among its address's few waiting ones, for graphql-ws's 3 s at most:
    // sockets that never say connection_init cannot fill the total cap and lock every client out.
    // Behind a proxy that is the client's address only when listen.trustedProxies names the proxy.
    const refusedBy = waiting.take(address);
    if (refusedBy !== null) {
      const from = GROUP_WORDS[refusedBy];
      const { limit } = groupOf(address, refusedBy, MAX_WAITING_PER_ADDRESS);
      logger.warn({ remote: address, limit, per: refusedBy }, 'WebSocket connection refused: too many waiting for connection_init');
      closeFirmly(socket, CLOSE_TOO_MANY, `too many connections waiting for connection_init from ${from} (limit ${limit})`);
      return;
    }
    let stillWaiting = true;
    const initialised = () => {
      if (!stillWaiting) return;
      stillWaiting = false;
      waiting.release(address);
    };
    let pongWait: NodeJS.Timeout | null = null;
    // What a paused client had still to take at the last ping: unchanged a period later, it has stopped reading.
    let unreadAtLastPing: number | null = null;
    // Messages received, and how many there were at the last ping when a fragmented one was under way.
    let messagesReceived = 0;
    let messagesAtPartialPing: number | null = null;
    const ping = setInterval(() => {
      if (socket.readyState !== WebSocket.OPEN) return;
      const partial = partialMessageAtPing(messagesAtPartialPing, { paused: socket.isPaused, holdsPartial: holdsPartialMessage(socket), messagesReceived });
      if (partial !== 'close') messagesAtPartialPing = partial;
      else {
        // One message under way for a whole period: as HTTP's request timeout, or the fragments
        // (up to limits.bodyLimitBytes) would be held for the connection's life.
        logger.info({ client: states.get(socket)?.principal.name, remote: address }, 'WebSocket connection closed: a message not received in time');
        closeFirmly(socket, CloseCode.BadRequest, MESSAGE_NOT_RECEIVED_IN_TIME);
        return;
      }
      if (socket.isPaused) {
        // Not read from (see pauseIfBehind), so its pong would wait unread: what shows it alive is
        // taking answers. Paused with nothing taken for a whole period, it would otherwise hold its
        // unread answers and its place for the life of the process (no send would come to check it).
        const unread = socket.bufferedAmount;
        if (unreadAtLastPing !== null && unread >= unreadAtLastPing) closeSlowReader(socket, address, 'not reading: no answer taken in a keep-alive period');
        unreadAtLastPing = unread;
        return;
      }
      unreadAtLastPing = null;
      pongWait = setTimeout(() => {
        if (!socket.isPaused) socket.terminate();
      }, keepAliveMs);
      socket.once('pong', () => {
        if (pongWait) clearTimeout(pongWait);
        pongWait = null;
      });
      socket.ping();
    }, keepAliveMs);
    waitingSockets.set(socket, initialised);
    /**
     * Messages handed to ws and not yet to the kernel, and the largest of them since there were
     * none (kept, not recomputed, as one finishes: a client's pings can leave hundreds of
     * thousands of pongs queued, and the bound stays the cap plus one message).
     */
    let unsentCount = 0;
    let largestUnsent = 0;
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve) => {
            // Closing (by tooFarBehind too): nothing more is queued.
            if (socket.readyState !== WebSocket.OPEN) return resolve();
            const size = Buffer.byteLength(data);
            if (tooFarBehind(socket, address, size, largestUnsent)) return resolve();
            unsentCount += 1;
            largestUnsent = Math.max(largestUnsent, size);
            // A send fails only with the connection (a reset, a closed socket): its 'error' and
            // 'close' handlers say so once, and there is no one left to answer.
            socket.send(data, () => {
              unsentCount -= 1;
              if (unsentCount === 0) largestUnsent = 0;
              if (resumeIfCaughtUp(socket)) logger.debug({ client: states.get(socket)?.principal.name, remote: address, unreadBytes: socket.bufferedAmount }, UNREAD_RESUMED_LINE);
              resolve();
            });
            if (pauseIfBehind(socket)) logger.debug({ client: states.get(socket)?.principal.name, remote: address, unreadBytes: socket.bufferedAmount }, UNREAD_PAUSED_LINE);
          }),
        close: (code, reason) => closeFirmly(socket, code, reason),
        onMessage: (callback) =>
          socket.on('message', (data) => {
            messagesReceived += 1;
            const text = String(data);
            handling.set(socket, text.length);
            callback(text).catch((error: unknown) => {
              if (isUnexpectedMessage(error)) {
                // The client broke the protocol (a connection_ack or next of its own): its fault, not ours.
                logger.info({ err: error.message, remote: address }, 'WebSocket connection closed: unexpected message');
                closeFirmly(socket, CloseCode.BadRequest, error.message);
                return;
              }
              if (socket.readyState !== WebSocket.OPEN) return;
              logger.error({ err: error }, 'WebSocket message handling failed');
              closeFirmly(socket, CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => {
      if (pongWait) clearTimeout(pongWait);
      clearInterval(ping);
      initialised();
      const state = states.get(socket);
      if (state) {
        authenticated -= 1;
        if (typeof state.clientKey === 'string') anonymousOpen.release(state.clientKey);
        else {
          const left = (perClient.get(state.clientKey) ?? 1) - 1;
          if (left > 0) perClient.set(state.clientKey, left);
          else perClient.delete(state.clientKey);
        }
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
      // Resolves once every connection has closed; new upgrades are refused from now on.
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
  };
}

/**
 * Longest connection_init message, in characters: its payload (connectionParams) carries an Authorization
 * header, as an HTTP request's headers do, and node takes at most 16 KiB of those.
 */
export const MAX_CONNECTION_INIT_BYTES = 16 * 1024;
/** The close reason for a fragmented message begun and not finished within a keep-alive period. */
export const MESSAGE_NOT_RECEIVED_IN_TIME = 'message not received in time: its fragments must all arrive within a keep-alive period';
export const CONNECTION_INIT_TOO_LARGE = `connection_init longer than ${MAX_CONNECTION_INIT_BYTES} characters: connectionParams carries only the Authorization`;

/** A subscribe message's payload as graphql-ws holds it (its type says read-only; it is the parsed message). */
type HeldPayload = { variables?: Readonly<Record<string, unknown>> | null; extensions?: Readonly<Record<string, unknown>> | null };

/**
 * graphql-ws keeps each operation's whole subscribe message until the operation ends, parsed,
 * and a subscription may never end. HeldText bounds its text, but parsed JSON of small values
 * is some 20 times its text: 20 subscriptions (one per connection of one anonymous address)
 * with 1 MiB of `[{},{},...]` in `extensions` held 465 MB of heap. The gateway reads none of a
 * subscribe's extensions, nor variables its operation does not declare: both are let go here.
 * Returns the variables the operation runs with.
 */
function shedUnread(payload: SubscribePayload, operation: OperationDefinitionNode): Record<string, unknown> | null {
  const held = payload as HeldPayload;
  const sent = held.variables;
  // fromEntries: own fields even for a variable named `__proto__`, which an assignment would take as the prototype.
  const kept = sent ? Object.fromEntries((operation.variableDefinitions ?? []).map((definition) => definition.variable.name.value).filter((name) => Object.hasOwn(sent, name)).map((name) => [name, sent[name]])) : null;
  held.variables = kept;
  held.extensions = null;
  return kept;
}

/**
 * Operations of a connection at once, this one included (ctx.subscriptions already holds it).
 * graphql-ws forgets an operation at its client's `complete`, but a query or mutation goes on
 * running to its end: counted by ctx.subscriptions alone, a client sending `complete` after
 * each `subscribe` ran any number at once past the cap.
 */
function operationsRunning(subscriptions: Readonly<Record<string, unknown>>, answering: ReadonlyMap<string, number>): number {
  let count = Object.keys(subscriptions).length;
  for (const id of answering.keys()) if (!Object.hasOwn(subscriptions, id)) count += 1;
  return count;
}

/** One less of `id`; the entry goes at none. */
function countDown(counts: Map<string, number>, id: string): void {
  const left = (counts.get(id) ?? 0) - 1;
  if (left > 0) counts.set(id, left);
  else counts.delete(id);
}

/**
 * graphql-ws throws this for a message type only a server sends (connection_ack,
 * next, error), which its own adapters answer as an internal error (4500).
 */
const isUnexpectedMessage = (error: unknown): error is Error => error instanceof Error && error.message.startsWith('Unexpected message of type ');

/** Logged (debug) when the gateway stops reading a client that has not taken its answers (see unread-answers.ts), and when it reads it again. */
export const UNREAD_PAUSED_LINE = 'WebSocket client read no more until it takes its answers';
export const UNREAD_RESUMED_LINE = 'WebSocket client read again: it has taken its answers';

export const ANOTHER_ORIGIN_MESSAGE = 'a page from another origin needs an API key (connectionParams.Authorization)';

const SHUTTING_DOWN_MESSAGE = 'the gateway is shutting down and did not run this operation: send it again on a new connection';

/** A close frame's reason: at most 123 bytes of UTF-8, or ws throws instead of closing. */
const MAX_CLOSE_REASON_BYTES = 123;

export function fitCloseReason(reason: string): string {
  if (Buffer.byteLength(reason) <= MAX_CLOSE_REASON_BYTES) return reason;
  let cut = reason.slice(0, MAX_CLOSE_REASON_BYTES);
  while (Buffer.byteLength(`${cut}...`) > MAX_CLOSE_REASON_BYTES) cut = cut.slice(0, -1);
  return `${cut}...`;
}

/** Connections closeFirmly has closed: their drop timer is set. */
const dropping = new WeakSet<WebSocket>();

/** Closes with `code`, and drops the connection if the client has not answered the close frame within `waitMs`. */
function closeFirmly(socket: WebSocket, code?: number, reason?: string, waitMs = CLOSE_HANDSHAKE_WAIT_MS): void {
  // One drop timer per connection, however many closes are asked for.
  if (socket.readyState === WebSocket.CLOSED || dropping.has(socket)) return;
  dropping.add(socket);
  // A reason that echoes the client (a subscription id) can be longer than a close frame takes.
  socket.close(code, reason === undefined ? undefined : fitCloseReason(reason));
  const drop = setTimeout(() => socket.terminate(), waitMs);
  socket.once('close', () => clearTimeout(drop));
}

/** `connectionParams.authorization` of a graphql-ws connection ("Bearer <key>"). */
function connectionAuthorization(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : undefined;
}
