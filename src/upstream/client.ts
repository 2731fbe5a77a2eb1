import { Pool } from 'undici';
import type { Logger } from 'pino';
import { GatewayError } from '../domain/errors.js';
import { CHARS_PER_TURN, nextTurn, turnIfPast } from '../domain/turns.js';
import type { ProviderHealth } from '../domain/types.js';
import { AttemptCancelled, AttemptSignal, AttemptTimeout, UpstreamCancelledError, UpstreamFailure } from './deadline.js';
import type { UpstreamPolicyOptions } from './defaults.js';
import { CutByClose } from './cut-by-close.js';
import { classifyTransportError } from './failure-class.js';
import type { HealthReport } from './health-state.js';
import { noopUpstreamObserver, type UpstreamObserver } from './observer.js';
import { mayHaveActed } from './may-have-acted.js';
import { unsentWhereNoWrite } from './refused-unsent.js';
import { createUpstreamPolicy, isTransient, policyErrorToGatewayError, type UpstreamPolicy } from './policy.js';
import { ReadCoalescer } from './read-coalescer.js';
import type { UpstreamScope } from './scope.js';
import { SecretSet } from './secrets.js';
import { LogThrottle } from '../observability/log-throttle.js';
import { ANSWER_BYTES_HELD_DEFAULT, AnswerBytesBudget } from './answer-bytes.js';
import { PARSE_IN_TURNS_CHARS, ResponseTooLargeError, parseBody, parseBodyInTurns } from './answer-body.js';
import { requestText, type TextAnswer } from './answer-request.js';
import { ANSWER_CUT_SHORT_NEXT_STEP, AnswerCutShortError } from './answer-cut-short.js';
import { MAX_JSON_CONTAINERS, UNCOUNTED_CHARS, holdsMoreContainers } from './json-containers.js';
import { assertInsideApi, compactQuery } from './request-path.js';
import { ANSWER_AS_IT_IS, answerIsCoded, codedAnswer } from './content-coding.js';
import { parseRetryAfter } from './retry-after.js';
import { isUnreadableHttpAnswer, UNREADABLE_ANSWER_NEXT_STEP } from './unreadable-answer.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface UpstreamRequest {
  method: HttpMethod;
  /** Path below the account's base URL, each segment already encoded by the caller. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  body?: string;
  /**
   * Whether this request is a read. Unset, a GET is one and any other method
   * is not (see `mayRetry`); set it only for a read sent otherwise (a login,
   * a form-POST query).
   */
  idempotent?: boolean;
  /** A short name for metrics and logs, e.g. "backups.list". */
  operation: string;
  /** Statuses >= 500 that the caller interprets itself (e.g. a ZStack job that failed answers 503). */
  passStatuses?: readonly number[];
  /**
   * A status >= 500 whose body (scrubbed, parsed: null when not JSON) the caller
   * recognises as the provider's own failure answer rather than an outage:
   * returned, not retried (e.g. ZStack's documented 503 `{"error": {code, ...}}`). Not asked
   * about an answer of more than MAX_JSON_CONTAINERS objects and arrays: that is an outage's
   * answer, unread.
   */
  passErrorBody?: (status: number, body: unknown) => boolean;
  /**
   * A login: its answer is scrubbed of the configured secrets only, as it may
   * hand out again a session the account still holds (SecretSet.scrubConfigured).
   */
  login?: boolean;
  /**
   * Whether a 404's body (parsed: null when empty or not JSON) is the provider's own answer about
   * something missing (a backup or instance that does not exist, at a url that is right). After the
   * url answered as no API does (answeredByAnotherServer), only such a 404 is an answer for health:
   * an HTML or empty one is still the other server's. Left out, a 404 then never is: a real 404 kept
   * health DEGRADED (OTHER) while the url answered right. Not for a 404 read as the url's mistake
   * itself (an instance list's, a login's): counted, health flipped UP and back at every request.
   * `text` is the answer's scrubbed text, for a provider whose own 404 is plain words (ZStack's
   * expired job: "the job has been expired"), which parse to a null body.
   */
  ownNotFound?: (body: unknown, text: string) => boolean;
  /**
   * Whether a 2xx answer's body (parsed) refuses the session or credentials in the provider's own
   * words (BILLmanager's `access` and `auth` documents): no answer for health, as a 401 or 403 is
   * none. The adapter reads it (a right the account lacks, whose clean keepalive is the answer; a
   * token refused: credentialsRefused). Counted, health read UP between each refused request's
   * answer and the adapter saying so again, and logged both changes every request.
   */
  refusedInBody?: (body: unknown) => boolean;
  /** The GraphQL request this serves: its id goes out as REQUEST_ID_HEADER and into the debug log. */
  scope: UpstreamScope;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or null for an empty body or a non-JSON error page on a 4xx. */
  body: unknown;
  /** Bytes of the answer as it came: what the request's budget counts (UpstreamBudget.receive). */
  bytes: number;
}

export interface UpstreamClientOptions {
  providerId: string;
  kind: string;
  baseUrl: string;
  policy: UpstreamPolicyOptions;
  logger: Logger;
  observer?: UpstreamObserver;
  /** Issue 14: identical reads in flight at once share one upstream request (default on). */
  coalesceReads?: boolean;
  /** Tests only: characters of an answer scrubbed per turn of the event loop (CHARS_PER_TURN). */
  scrubCharsPerTurn?: number;
  /** The bytes of answers held while read, shared by every account of the gateway (`limits.maxAnswerBytesHeld`); one of the default size of its own when absent. */
  answerBytes?: AnswerBytesBudget;
}

/** At most one log line per account this often for a provider refusing its configured credentials. */
export const CREDENTIALS_REFUSED_LINE_MS = 30_000;

/** The header providers ignore and our logs join on. */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * One provider account's HTTP client: an undici Pool with keep-alive, wrapped
 * in the account's upstream policy. Every request to a provider goes through
 * `request`, so transport failures, timeouts, 5xx, 429 and unreadable answers
 * become typed errors in exactly one place. Error messages name the provider
 * account, never the URL, the body or a credential.
 */
export class UpstreamClient {
  readonly providerId: string;
  /** The account's secrets, scrubbed from every answer's text: adapters register their credentials and the sessions they obtain here. */
  readonly secrets = new SecretSet();
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly policy: UpstreamPolicy;
  private readonly observer: UpstreamObserver;
  private readonly logger: Logger;
  /** Issue 14 hook: null when the account's config says `coalesceReads: false`. */
  private readonly coalescer: ReadCoalescer | null;
  private loginHeldMs: () => number = () => 0;
  private readonly credentialsLines = new LogThrottle(CREDENTIALS_REFUSED_LINE_MS, 1);
  /** A hold shorter than the line's period (`refusedLoginHeldMs` 0: every request logs in) logs no more than a line a period. */
  private readonly loginLines = new LogThrottle(CREDENTIALS_REFUSED_LINE_MS, 1);
  private readonly answerBytes: AnswerBytesBudget;
  /** Set by close(): a transport failure from then on is the pool destroyed under the attempt (CutByClose). */
  private closing = false;
  /** The url last answered as no API does (answeredByAnotherServer), and no call has been answered since. */
  private misdirected = false;

  constructor(private readonly options: UpstreamClientOptions) {
    const url = new URL(options.baseUrl);
    this.providerId = options.providerId;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.answerBytes = options.answerBytes ?? new AnswerBytesBudget(ANSWER_BYTES_HELD_DEFAULT);
    this.pool = new Pool(url.origin, {
      keepAliveTimeout: options.policy.keepAliveTimeoutMs,
      connections: options.policy.maxConcurrency,
      // Idle timers only (per chunk): the attempt's deadline (AttemptSignal) bounds the whole answer.
      headersTimeout: options.policy.timeoutMs,
      bodyTimeout: options.policy.timeoutMs,
    });
    this.policy = createUpstreamPolicy(options.policy);
    this.observer = options.observer ?? noopUpstreamObserver;
    this.logger = options.logger;
    this.coalescer =
      options.coalesceReads === false
        ? null
        : new ReadCoalescer(
            (request) => this.execute(request),
            () => new UpstreamCancelledError(this.providerId),
            (request) => this.observer.readCoalesced?.({ provider: this.providerId, kind: options.kind, operation: request.operation }),
          );
    this.policy.onBreakerStateChange((state) => {
      this.logger.warn({ provider: this.providerId, breaker: state }, 'upstream circuit breaker changed state');
      this.observer.breakerStateChanged({ provider: this.providerId, state });
    });
    this.policy.onHealthChange(({ health, cause }) => {
      // Only the cause's class: an error's own text can name the provider's host.
      if (health === 'UP') this.logger.info({ provider: this.providerId, health }, 'provider health changed');
      else this.logger.warn({ provider: this.providerId, health, cause }, 'provider health changed');
    });
  }

  health(): ProviderHealth {
    return this.policy.health();
  }

  /** How long one attempt of a request may take once sent (a write has one attempt). */
  get attemptTimeoutMs(): number {
    return this.options.policy.timeoutMs;
  }

  /** How long a login the provider refused is held before it is tried again (ms; the account's `refusedLoginHeldMs`). */
  get refusedLoginHeldMs(): number {
    return this.options.policy.refusedLoginHeldMs;
  }

  /** A client that logs in tells here how to read its held refusal (SharedSession.loggingIn). */
  showLoginHold(heldMs: () => number): void {
    this.loginHeldMs = heldMs;
  }

  /**
   * A refused login was answered only to the requests, and /readyz stayed ready with health UP:
   * the log said nothing of a changed password. One line per refusal the provider sends, so at
   * most one per account every `refusedLoginHeldMs`, and every CREDENTIALS_REFUSED_LINE_MS at most
   * when that is shorter (counting those left out); never the provider's own text. Health reads
   * DEGRADED (cause `credentials`) until a data call is answered; readiness does not change.
   */
  loginRefused(): void {
    // Health says it too (cause `credentials`): a dashboard read UP while every request was refused.
    this.policy.attemptFailed('credentials');
    // A hold as long as the line's period spaces the refusals (and so the lines) itself.
    const leftOut = this.refusedLoginHeldMs >= CREDENTIALS_REFUSED_LINE_MS ? 0 : this.loginLines.take('refused');
    if (leftOut === null) return;
    const heldSeconds = this.refusedLoginHeldMs / 1000;
    const when = heldSeconds > 0 ? `in ${heldSeconds} s` : 'at the next request';
    this.logger.warn(
      { provider: this.providerId, retryAfterSeconds: heldSeconds, ...(leftOut > 0 ? { alsoRefusedSinceLastLine: leftOut } : {}) },
      `provider ${this.providerId} refused the gateway's login: check the account's auth in the config (or the user in the provider's panel); the login is tried again ${when}`,
    );
  }

  /**
   * The provider refused the configured credentials themselves (an OnApp user's API key, a
   * Danube API key, a Zomro token, a ZStack sessionId: nothing to log in with again). Every request is refused so,
   * and only the answers said it: the log was silent and health stayed UP. One line per
   * CREDENTIALS_REFUSED_LINE_MS at most, counting the refusals left out; never the provider's text.
   */
  credentialsRefused(): void {
    // Zomro's token is refused inside a 200 document, a ZStack sessionId in a 503: no statusError sees them, so health is told here.
    this.policy.attemptFailed('credentials');
    const leftOut = this.credentialsLines.take('refused');
    if (leftOut === null) return;
    this.logger.warn(
      { provider: this.providerId, alsoRefusedSinceLastLine: leftOut },
      `provider ${this.providerId} refused the gateway's configured credentials: check the account's auth in the config (or the key or token in the provider's panel)`,
    );
  }

  /**
   * A data call answered 401 or 403 (statusError): health reads DEGRADED (cause `credentials`)
   * until a call is answered again. It stayed UP while every call was refused. Not the breaker's:
   * refusing calls at once would not put the credentials right sooner.
   */
  callRefused(): void {
    this.policy.attemptFailed('credentials');
  }

  /**
   * The account's url answered, but not as the provider's API does (a Zomro url at a web server
   * that is not BILLmanager: its 401, 404 or HTML page). Health reads DEGRADED (cause `other`) until
   * a call is answered again, a 404 only where its body is the provider's own (ownNotFound): it read
   * UP while every call failed so. Not the breaker's: the server
   * answers, and only the operator can put the url right.
   */
  answeredByAnotherServer(): void {
    this.misdirected = true;
    this.policy.attemptFailed('other');
  }

  /** How long (ms) the provider's refusal of the account's login is still answered without asking; 0 when none. */
  loginRefusalHeldMs(): number {
    return this.loginHeldMs();
  }

  /** Health with the class of the last failure (dns, refused, timeout, ...) while not UP. */
  healthReport(): HealthReport {
    return this.policy.healthReport();
  }

  /** Calls waiting for one of the account's slots now (every slot taken), whoever's turn they wait in. */
  get callsWaiting(): number {
    return this.policy.slots.waiting;
  }

  breakerState(): 'closed' | 'open' | 'half-open' {
    return this.policy.breakerState();
  }

  /** The account changed other than through this client's writes: see `ReadCoalescer.forgetFlights`. */
  forgetFlights(): void {
    this.coalescer?.forgetFlights();
  }

  async request(request: UpstreamRequest): Promise<UpstreamResponse> {
    assertInsideApi(request.path);
    const budget = request.scope.budget;
    const write = !mayRetry(request);
    try {
      budget?.spend(write);
    } catch (refusal) {
      // A write refused here was never sent (OnApp gives a restore's place up for it).
      throw unsentWhereNoWrite(refusal, write);
    }
    let response: UpstreamResponse;
    try {
      response = await this.dispatch(request);
    } catch (error) {
      if (write && mayHaveActed(error)) budget?.writeReached();
      // A read stopped because the request's answers passed their budget (UpstreamBudget.signal)
      // is refused as the read that passed it was, not told the client left.
      if (error instanceof UpstreamCancelledError && budget?.answerBytesPassed === true) throw budget.answerBytesRefusal();
      throw error;
    }
    // A write the provider refused (4xx) did nothing; one it took may have acted, whatever comes after.
    if (write && response.status < 400) budget?.writeReached();
    // Each request that joined a shared read holds the answer as its own.
    budget?.receive(response.bytes, !write);
    return response;
  }

  private dispatch(request: UpstreamRequest): Promise<UpstreamResponse> {
    // Issue 14 hook: reads share a flight, writes mark where later reads must not join an older one.
    if (!this.coalescer) return this.execute(request);
    if (!mayRetry(request)) return this.coalescer.write(() => this.execute(request));
    if (ReadCoalescer.coalescible(request)) return this.coalescer.read(request);
    return this.execute(request);
  }

  /** The request through the account's policy (retries for reads, the breaker), measured and logged. */
  private async execute(request: UpstreamRequest): Promise<UpstreamResponse> {
    const started = performance.now();
    const read = mayRetry(request);
    const policy = read ? this.policy.read : this.policy.write;
    // Writes run to their end even when the client leaves (see UpstreamScope.signal).
    const signal = read ? request.scope.signal : undefined;
    let outcome = 'ok';
    try {
      const response = await policy.execute(() => this.attempt(request, signal), signal);
      if (response.status >= 400) outcome = `http_${response.status}`;
      return response;
    } catch (caught) {
      const error = policyErrorToGatewayError(caught, this.providerId, this.policy.secondsUntilHalfOpen());
      outcome = error instanceof UpstreamCancelledError ? 'cancelled' : error instanceof GatewayError ? error.code : 'INTERNAL_SERVER_ERROR';
      throw error;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      this.observer.requestFinished({ provider: this.providerId, kind: this.options.kind, operation: request.operation, outcome, seconds });
      if (this.logger.isLevelEnabled('debug')) {
        this.logger.debug({ provider: this.providerId, operation: request.operation, outcome, ms: Math.round(seconds * 1000), requestId: request.scope.requestId }, 'upstream request');
      }
    }
  }

  /**
   * Called once the gateway has drained its client requests: what is still in
   * flight is background reads (the protection sweep, operation polls), which
   * nobody waits for. `pool.close()` would wait for each to answer or time out.
   */
  async close(): Promise<void> {
    this.closing = true;
    await this.pool.destroy();
  }

  /**
   * One attempt: a concurrency slot (left at once if the request is
   * aborted while waiting), then the request under one deadline. Its outcome
   * feeds the account's health.
   */
  private async attempt(request: UpstreamRequest, clientSignal: AbortSignal | undefined): Promise<UpstreamResponse> {
    // The breaker's half-open test runs to its deadline whoever leaves: its outcome is the provider's health.
    const signal = this.policy.takeHalfOpenTest() ? undefined : clientSignal;
    const slots = this.policy.slots;
    // Each client waits its own turn: another client's thousand calls queued first do not all go before it.
    const slot = slots.acquire(signal, request.scope.turns ?? request.scope.client);
    if (slots.waiting > 0 && this.logger.isLevelEnabled('debug')) {
      this.logger.debug({ provider: this.providerId, operation: request.operation, waiting: slots.waiting, requestId: request.scope.requestId }, 'upstream request waits for a slot');
    }
    await slot;
    const stop = new AttemptSignal(this.options.policy.timeoutMs, signal);
    try {
      const { response, ownNotFound } = await this.send(request, stop);
      // A 401/403 is no sign of a provider answering well: the adapter reads it (a session to renew,
      // a right one action lacks, the credentials refused: callRefused, from statusError). Nor is a
      // 404 where the url last answered as no API does, unless it is the provider's own
      // (ownNotFound): counted, health read UP between each request's 404 and the adapter saying so
      // again, and logged both changes every request.
      const stillMisdirected = this.misdirected && response.status === 404 && !ownNotFound;
      const refusedInBody = response.status < 300 && request.refusedInBody?.(response.body) === true;
      if (response.status !== 401 && response.status !== 403 && !stillMisdirected && !refusedInBody) {
        this.misdirected = false;
        if (request.login === true) this.policy.loginSucceeded();
        else this.policy.attemptSucceeded();
      }
      return response;
    } catch (error) {
      if (isTransient(error)) {
        const cause = error instanceof UpstreamFailure ? error.failure : 'other';
        if (this.logger.isLevelEnabled('debug')) {
          this.logger.debug({ provider: this.providerId, operation: request.operation, cause, requestId: request.scope.requestId }, 'upstream attempt failed');
        }
        this.policy.attemptFailed(cause);
      } else if (error instanceof RedirectRefused) {
        // Not retried and not counted by the breaker (the next call redirects
        // the same way), but the account is not answering: its health says so.
        this.policy.attemptFailed('redirect');
      }
      throw error;
    } finally {
      stop.dispose();
      slots.release();
    }
  }

  private async send(request: UpstreamRequest, stop: AttemptSignal): Promise<SentAnswer> {
    const provider = this.providerId;
    const headers: Record<string, string> = { accept: 'application/json', ...ANSWER_AS_IT_IS, ...request.headers };
    const requestId = request.scope.requestId;
    if (requestId) headers[REQUEST_ID_HEADER] = requestId;
    let answer: TextAnswer;
    try {
      answer = await requestText(
        this.pool,
        { method: request.method, path: this.basePath + request.path || '/', query: compactQuery(request.query), headers, body: request.body },
        stop,
        { maxBytes: this.options.policy.maxResponseBytes, budget: this.answerBytes, provider },
      );
    } catch (error) {
      const failure = transportError(error, provider);
      // The pool destroyed under the attempt says nothing of the provider's health (cut-by-close.ts).
      throw this.closing && failure instanceof UpstreamFailure ? new CutByClose(failure) : failure;
    }

    // Held from the first byte (requestText opens it, and closes it if the read fails) until the answer
    // is a value (its text and its parse are the memory that grows with it), released however the
    // attempt ends: a timeout, a cancel, a refusal alike. One try/finally in this function, not a call
    // awaited: no promise more per answer.
    const hold = answer.hold;
    try {
      let text = answer.text;
      // Scrubbed before parsing: no provider string (message, name, note, raw record) carries a credential past here.
      // A very large answer lets other work run between the steps (see turns.ts). Each step of one that
      // small is a plain call, not an await: a dashboard reads hundreds of answers of kilobytes, and an
      // async step costs each a promise, a suspended frame and a turn of the microtask queue.
      const charsPerTurn = this.options.scrubCharsPerTurn ?? CHARS_PER_TURN;
      const login = request.login === true;
      if (text.length > CHARS_PER_TURN) await nextTurn();
      if (text.length <= charsPerTurn) text = login ? this.secrets.scrubConfigured(text) : this.secrets.scrub(text);
      else text = await this.secrets.scrubAnswer(text, { login, charsPerTurn });
      if (text.length > CHARS_PER_TURN) await nextTurn();

      const { status } = answer;
      const headersOut = answer.headers;
      const contentType = headersOut['content-type'];
      // Unread whatever its status: a coded body is no text (the 5xx and 429 below are told without it).
      const coded = answerIsCoded(headersOut);
      // Counted before a 5xx's body is read for passErrorBody: ZStack's 503 was parsed whole, and a 503
      // of 32 MiB of `[{},{},...]` held the event loop as long as any answer past the count would.
      const tooManyContainers = text.length > UNCOUNTED_CHARS && (await holdsMoreContainers(text, charsPerTurn));
      // One parse, whether passErrorBody reads the body first or the caller does.
      let body: unknown = undefined;
      let bodyRead = false;
      let passed = false;
      if (status >= 500) {
        passed = request.passStatuses?.includes(status) === true;
        if (!passed && !tooManyContainers && !coded && request.passErrorBody !== undefined) {
          body = this.readInTurns(text) ? await this.parsedInTurns(text, contentType, status) : parseBody(text, contentType, status, provider);
          bodyRead = true;
          passed = request.passErrorBody(status, body);
        }
      }
      if (status === 429 || (status >= 500 && !passed)) {
        const retryAfterSeconds = parseRetryAfter(headersOut['retry-after']);
        const message = status === 429 ? `provider ${provider} is rate limiting requests` : `provider ${provider} answered HTTP ${status}`;
        const details = retryAfterSeconds === undefined ? { provider } : { provider, retryAfterSeconds };
        throw new UpstreamFailure('PROVIDER_UNAVAILABLE', message, details, status === 429 ? 'rate_limited' : 'http_5xx');
      }

      if (status >= 300 && status < 400) throw redirected(provider, status);
      // An error status is still told by its status (a 401, a 404): its coded body reads as none, as a body not JSON does there.
      if (coded && status < 400) throw codedAnswer(provider);
      if (tooManyContainers) throw containersRefused(provider);
      if (!bodyRead) body = coded ? null : this.readInTurns(text) ? await this.parsedInTurns(text, contentType, status) : parseBody(text, contentType, status, provider);
      // Asked here, while the text is at hand: a plain-text 404 parses to a null body.
      const ownNotFound = status === 404 && request.ownNotFound?.(body, text) === true;
      return { response: { status, headers: headersOut, body, bytes: hold.taken }, ownNotFound };
    } finally {
      hold.close();
    }
  }

  /** Whether an answer's parse takes turns of the event loop (parsedInTurns) rather than one plain parseBody. */
  private readInTurns(text: string): boolean {
    return text.length > PARSE_IN_TURNS_CHARS || text.length > CHARS_PER_TURN;
  }

  /** The answer's value (parseBody) for a large answer: in turns of the event loop past PARSE_IN_TURNS_CHARS, a turn after it. */
  private async parsedInTurns(text: string, contentType: string | string[] | undefined, status: number): Promise<unknown> {
    const body = text.length > PARSE_IN_TURNS_CHARS ? await parseBodyInTurns(text, contentType, status, this.providerId) : parseBody(text, contentType, status, this.providerId);
    await turnIfPast(text.length, CHARS_PER_TURN);
    return body;
  }
}

/** One attempt's answer, and whether it is a 404 of the provider's own (UpstreamRequest.ownNotFound). */
interface SentAnswer {
  response: UpstreamResponse;
  ownNotFound: boolean;
}

/** An answer JSON.parse would take seconds to build (see MAX_JSON_CONTAINERS): unread, as one past the size limit. */
const containersRefused = (provider: string): GatewayError =>
  new GatewayError('PROVIDER_ERROR', `provider ${provider} sent an answer of more than ${MAX_JSON_CONTAINERS} JSON objects and arrays, too many to read`, { provider, providerCode: 'RESPONSE_TOO_LARGE' });

/** A refused redirect, told apart from other provider errors: it counts against the account's health. */
class RedirectRefused extends GatewayError {}

/**
 * A 3xx is never followed (a redirect could take the credentials to another
 * host) and never read as an answer: its body, blank or not, is not the
 * provider's. The usual cause is an http:// account url behind an HTTPS redirect.
 * The Location is left out: it may carry credentials or an internal host.
 */
function redirected(provider: string, status: number): GatewayError {
  return new RedirectRefused(
    'PROVIDER_ERROR',
    `provider ${provider} redirected the request (HTTP ${status}) and redirects are not followed: check the account's url (it may need https)`,
    { provider, providerCode: `HTTP_${status}` },
  );
}

/**
 * The one place that says whether a request may be sent again after a
 * transient failure: reads are retried, writes (create, delete, restore...)
 * never, so nothing is done twice. A GET is a read unless marked otherwise.
 */
export function mayRetry(request: Pick<UpstreamRequest, 'method' | 'idempotent'>): boolean {
  return request.idempotent ?? request.method === 'GET';
}

const UNREACHABLE_NEXT_STEP =
  "is unreachable: a refused connection or a host name that does not resolve (which one: the gateway's log, its admin /readyz); if it never answered, check the account's url and port in the config";

function transportError(error: unknown, provider: string): GatewayError {
  if (error instanceof ResponseTooLargeError) {
    return new GatewayError('PROVIDER_ERROR', `provider ${provider} sent an answer that is too large`, { provider, providerCode: 'RESPONSE_TOO_LARGE' });
  }
  if (error instanceof AttemptCancelled) return new UpstreamCancelledError(provider);
  const failure = error instanceof AttemptTimeout ? 'timeout' : classifyTransportError(error);
  if (failure === 'timeout') return new UpstreamFailure('PROVIDER_TIMEOUT', `provider ${provider} did not answer in time`, { provider }, failure);
  if (isUnreadableHttpAnswer(error)) return new UpstreamFailure('PROVIDER_UNAVAILABLE', `provider ${provider} ${UNREADABLE_ANSWER_NEXT_STEP}`, { provider }, failure);
  // After the check above: a malformed body (a bad chunk size) also ends the answer, and is the one to name.
  if (error instanceof AnswerCutShortError) return new UpstreamFailure('PROVIDER_UNAVAILABLE', `provider ${provider} ${ANSWER_CUT_SHORT_NEXT_STEP}`, { provider }, failure);
  // The answer names neither the address nor which of the two (the log and the admin /readyz do); the next
  // step is here because a wrong port or host in `url` reads as this and nothing else.
  return new UpstreamFailure('PROVIDER_UNAVAILABLE', `provider ${provider} ${UNREACHABLE_NEXT_STEP}`, { provider }, failure);
}
